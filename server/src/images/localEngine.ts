// Exact sizes of images the local (or DOCKER_HOST / docker context) Docker Engine already has.
// Never waits long: a missing socket answers at once, a slow engine within the timeout.
import * as http from 'node:http';
import { existsSync } from 'node:fs';
import type { SizedImage } from '../analysis/estimate/sizes';
import { dockerFor, resolveEndpoint, socketPathOf } from '../docker/engine';

/** What the estimate asks of an engine: the size and id of an image it holds. */
export interface EngineLookup {
  /** Undefined when the engine does not have the image or cannot answer. */
  inspectImage(name: string): Promise<{ readonly size: number; readonly id: string } | undefined>;
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
        const request = http.get({ socketPath, path: `/images/${name}/json`, timeout: timeoutMs, headers: { host: 'docker' } }, (response) => {
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
    if (socket !== undefined) return existsSync(socket) ? unixSocketLookup(socket, options.timeoutMs ?? 2000) : undefined;
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
