// Exact sizes of images the local (or DOCKER_HOST / docker context) Docker Engine already has.
// Never waits long: a missing socket answers at once, a slow engine within the timeout.
import type * as Http from 'node:http';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { SizedImage } from '../analysis/estimate/sizes';
import { dockerFor, resolveEndpoint, socketPathOf } from '../docker/engine';

/** What the estimate asks of an engine: the size and id of an image it holds. */
export interface EngineLookup {
  /** Undefined when the engine does not have the image or cannot answer. */
  inspectImage(name: string): Promise<{ readonly size: number; readonly id: string } | undefined>;
  /**
   * A file of the image, read without running it: a container is created (never started), the
   * file is copied out of it as a tar, and the container is removed. Undefined when the engine
   * does not have the image or the file.
   */
  readImageFile?(name: string, file: string): Promise<Buffer | undefined>;
}

/**
 * node's http client, loaded by the first request rather than when the server starts: the first
 * diagnostics never ask an engine, and loading it cost a start 2 ms (bench/findings.md, "start3").
 */
function http(): typeof Http {
  return require('node:http') as typeof Http;
}

/** dpkg's status file and a tar of it are small; anything far larger is not one. */
const MAX_IMAGE_FILE_BYTES = 32 * 1024 * 1024;

/** The first regular file of a tar stream (the engine's archive of one path), or undefined. */
async function firstFileOfTar(tar: Readable): Promise<Buffer | undefined> {
  // Loaded on first use: most sessions never read a file out of an image.
  const tarStream = await import('tar-stream');
  const extract = tarStream.extract();
  tar.pipe(extract);
  for await (const entry of extract) {
    if (entry.header.type !== 'file' || (entry.header.size ?? 0) > MAX_IMAGE_FILE_BYTES) {
      entry.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    tar.unpipe(extract);
    tar.destroy();
    return Buffer.concat(chunks);
  }
  return undefined;
}

/** One request on the engine's unix socket; the body is JSON when given. */
function socketRequest(socketPath: string, method: string, route: string, timeoutMs: number, body?: unknown): Promise<{ status: number; stream: Http.IncomingMessage } | undefined> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http().request(
      { socketPath, method, path: route, timeout: timeoutMs, headers: { host: 'docker', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } },
      (response) => resolve({ status: response.statusCode ?? 0, stream: response }),
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
    request.end(payload);
  });
}

async function readJson(stream: Http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function unixSocketFileReader(socketPath: string, timeoutMs: number): NonNullable<EngineLookup['readImageFile']> {
  return async (name, file) => {
    if (!IMAGE_NAME.test(name) || name.split('/').includes('..')) return undefined;
    const created = await socketRequest(socketPath, 'POST', '/containers/create', timeoutMs, { Image: name, Entrypoint: ['/nonexistent'], Cmd: [], Labels: { 'org.slimfile.read': '1' }, NetworkDisabled: true });
    if (!created) return undefined;
    const answer = (await readJson(created.stream)) as { Id?: unknown } | undefined;
    if (created.status !== 201 || typeof answer?.Id !== 'string') return undefined;
    const id = answer.Id;
    try {
      const archive = await socketRequest(socketPath, 'GET', `/containers/${id}/archive?path=${encodeURIComponent(file)}`, timeoutMs);
      if (!archive || archive.status !== 200) {
        archive?.stream.resume();
        return undefined;
      }
      return await firstFileOfTar(archive.stream).catch(() => undefined);
    } finally {
      const removed = await socketRequest(socketPath, 'DELETE', `/containers/${id}?force=1`, timeoutMs);
      removed?.stream.resume();
    }
  };
}

export interface EngineOptions {
  /** DOCKER_HOST-style address; empty: DOCKER_HOST, the docker context, else the default socket. */
  readonly host?: string;
  readonly timeoutMs?: number;
}

// Image references the engine's route takes as they are (docker-modem sends them unencoded too);
// anything else is not asked rather than escaped into a different path.
const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

/**
 * One `GET /images/{name}/json` on a unix socket, with node's own http client. dockerode is the
 * library for the Engine API, and the builds use it; this one request does not, because loading
 * dockerode loads ssh2 with it, whose WebAssembly crypto keeps 16 MiB resident in a language
 * server that only wanted a size for its lenses (bench/results.md, "Start-up and memory").
 */
function unixSocketLookup(socketPath: string, timeoutMs: number): EngineLookup {
  return {
    inspectImage: (name) =>
      new Promise((resolve) => {
        if (!IMAGE_NAME.test(name) || name.split('/').includes('..')) return resolve(undefined);
        const request = http().get({ socketPath, path: `/images/${name}/json`, timeout: timeoutMs, headers: { host: 'docker' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', () => resolve(undefined));
          response.on('end', () => {
            if (response.statusCode !== 200) return resolve(undefined);
            try {
              const info = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Size?: unknown; Id?: unknown };
              resolve(typeof info.Size === 'number' && typeof info.Id === 'string' ? { size: info.Size, id: info.Id } : undefined);
            } catch {
              resolve(undefined);
            }
          });
        });
        request.on('timeout', () => request.destroy());
        request.on('error', () => resolve(undefined));
      }),
  };
}

/**
 * A lookup for image sizes, or undefined when there is plainly no engine: a unix socket that does
 * not exist, or an address that cannot be used. Never throws. tcp:// and ssh:// engines (TLS,
 * the ssh agent) go through dockerode, the same client as the builds.
 */
export function engineFor(options: EngineOptions = {}): EngineLookup | undefined {
  try {
    const endpoint = resolveEndpoint({ setting: options.host ?? '' });
    const socket = socketPathOf(endpoint);
    if (socket !== undefined) return existsSync(socket) ? { ...unixSocketLookup(socket, options.timeoutMs ?? 2000), readImageFile: unixSocketFileReader(socket, options.timeoutMs ?? 10_000) } : undefined;
    const docker = dockerFor(endpoint, options.timeoutMs ?? 4000);
    return {
      inspectImage: async (name) => {
        try {
          const info = await docker.getImage(name).inspect();
          return { size: info.Size, id: info.Id };
        } catch {
          return undefined;
        }
      },
      readImageFile: async (name, file) => {
        let container: Awaited<ReturnType<typeof docker.createContainer>> | undefined;
        try {
          container = await docker.createContainer({ Image: name, Entrypoint: ['/nonexistent'], Cmd: [], Labels: { 'org.slimfile.read': '1' }, NetworkDisabled: true });
          return await firstFileOfTar((await container.getArchive({ path: file })) as Readable);
        } catch {
          return undefined;
        } finally {
          await container?.remove({ force: true }).catch(() => undefined);
        }
      },
    };
  } catch {
    return undefined;
  }
}

/** The image's size in the engine, or undefined when the engine does not have it or cannot answer. */
export async function localImageSize(engine: EngineLookup | undefined, name: string): Promise<SizedImage | undefined> {
  const info = await engine?.inspectImage(name);
  if (!info) return undefined;
  return {
    bytes: info.size,
    compressed: undefined,
    provenance: { origin: 'local-engine', detail: `local Docker Engine: ${name} (${info.id.slice(7, 19)})`, confidence: 'high' },
  };
}
