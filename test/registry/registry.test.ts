// The live image lookup against a real registry on 127.0.0.1: Debian's docker-registry, filled by
// skopeo from images this test writes itself (a docker-archive tarball and a two-platform OCI
// layout). Small HTTP servers in front of it play the token-protected, slow, dripping, failing
// and malformed registries; a closed port plays the dead one.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parseImageReference, ImageReference } from '../../server/src/analysis/imageRef';
import { RegistryClient, RegistryError, RegistryErrorKind, RegistryImage, RegistryOptions, registryErrorMessage, parseChallenge } from '../../server/src/images/registry';
import { readRegistryCredentials } from '../../server/src/images/dockerConfig';

const run = promisify(execFile);
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

// ---------------------------------------------------------------------------------------------
// Images written by hand: tar, docker-archive, OCI layout.

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A ustar archive; enough of the format for a layer and a docker-archive. */
function tar(entries: { name: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { name, data } of entries) {
    const header = Buffer.alloc(512);
    const field = (offset: number, length: number, value: string): void => void header.write(value, offset, length, 'ascii');
    field(0, 100, name);
    field(100, 8, '0000644\0');
    field(108, 8, '0000000\0');
    field(116, 8, '0000000\0');
    field(124, 12, `${data.length.toString(8).padStart(11, '0')}\0`);
    field(136, 12, '00000000000\0');
    field(148, 8, '        ');
    field(156, 1, '0');
    field(257, 6, 'ustar\0');
    field(263, 2, '00');
    let checksum = 0;
    for (const byte of header) checksum += byte;
    field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Incompressible bytes, so each layer's size is what the test chose, give or take gzip's framing. */
function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

interface Layer {
  plain: Buffer;
  gzipped: Buffer;
  diffId: string;
}

function layer(file: string, bytes: number, seed: number): Layer {
  const plain = tar([{ name: file, data: noise(bytes, seed) }]);
  return { plain, gzipped: gzipSync(plain), diffId: `sha256:${sha256(plain)}` };
}

function imageConfig(architecture: string, variant: string | undefined, user: string, layers: Layer[]): Buffer {
  return Buffer.from(JSON.stringify({
    architecture,
    ...(variant ? { variant } : {}),
    os: 'linux',
    created: '2024-05-01T00:00:00Z',
    config: { User: user, Env: ['PATH=/usr/local/bin:/usr/bin', `ARCH=${architecture}`], Entrypoint: ['/app'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
  }));
}

/**
 * `docker save` format: manifest.json, the config, and each layer as a plain tar. skopeo reads
 * even gzipped layers of an archive as plain tars and recompresses them with Go's gzip, whose
 * sizes we cannot predict; so the layers go in plain and are pushed with --preserve-digests.
 */
async function writeDockerArchive(file: string, tag: string, config: Buffer, layers: Layer[]): Promise<void> {
  const configName = `${sha256(config)}.json`;
  const layerNames = layers.map((l) => `${sha256(l.plain)}/layer.tar`);
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: layerNames }]);
  await fs.writeFile(file, tar([
    { name: 'manifest.json', data: Buffer.from(manifest) },
    { name: configName, data: config },
    ...layers.map((l, i) => ({ name: layerNames[i]!, data: l.plain })),
  ]));
}

/** An OCI layout whose index.json points at one image index listing an amd64 and an arm64 image. */
async function writeTwoPlatformLayout(dir: string, images: { architecture: string; variant?: string; config: Buffer; layers: Layer[] }[]): Promise<void> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  await fs.mkdir(blobs, { recursive: true });
  const put = async (data: Buffer): Promise<{ digest: string; size: number }> => {
    const hex = sha256(data);
    await fs.writeFile(path.join(blobs, hex), data);
    return { digest: `sha256:${hex}`, size: data.length };
  };
  const entries = [];
  for (const image of images) {
    const layers = [];
    for (const l of image.layers) layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...(await put(l.gzipped)) });
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...(await put(image.config)) },
      layers,
    }));
    entries.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...(await put(manifest)),
      platform: { architecture: image.architecture, os: 'linux', ...(image.variant ? { variant: image.variant } : {}) },
    });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: entries }));
  const top = await put(index);
  await fs.writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await fs.writeFile(path.join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...top, annotations: { 'org.opencontainers.image.ref.name': 'multi' } }],
  }));
}

// ---------------------------------------------------------------------------------------------
// The real registry and the servers in front of it.

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function startRegistry(dir: string): Promise<{ host: string; process: ChildProcess; log: () => string }> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const configFile = path.join(dir, 'config.yml');
  // No auth, no health checks, no debug server: a bare distribution server on one loopback port.
  await fs.writeFile(configFile, [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    '',
  ].join('\n'));
  const child = spawn('/usr/bin/docker-registry', ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`docker-registry exited with ${code}:\n${output}`);
  });
  exited.catch(() => undefined);
  // Bounded poll of /v2/: the registry says nothing on stdout when it is ready at level warn.
  const ready = (async () => {
    const until = Date.now() + 15000;
    while (Date.now() < until) {
      try {
        const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`docker-registry did not answer on ${host} within 15 s:\n${output}`);
  })();
  ready.catch(() => undefined);
  await Promise.race([ready, exited]);
  return { host, process: child, log: () => output };
}

async function skopeoCopy(args: string[]): Promise<void> {
  // --insecure-policy: no /etc/containers/policy.json is needed; --dest-tls-verify=false: plain HTTP.
  await run('skopeo', ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', ...args], { timeout: 60000 });
}

interface TestServer {
  readonly host: string;
  readonly requests: { method: string; url: string; authorization?: string }[];
  connections: number;
  close(): Promise<void>;
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, forward: () => void) => void;

/** An HTTP server on 127.0.0.1 that records what reaches it; `forward` passes a request to the registry. */
async function startServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = http.createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization });
    const forward = (): void => {
      const upstream = http.request(
        { host: '127.0.0.1', port: Number(registry.host.split(':')[1]), method: request.method, path: request.url, headers: { ...request.headers, host: registry.host } },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    };
    handler(request, response, forward);
  });
  const state: TestServer = {
    host: '',
    requests,
    connections: 0,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  server.on('connection', () => state.connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(state, { host: `127.0.0.1:${(server.address() as net.AddressInfo).port}` });
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ code, message, detail: null }] });
}

// ---------------------------------------------------------------------------------------------

let workDir: string;
let registry: Awaited<ReturnType<typeof startRegistry>>;
function testImage(architecture: string, variant: string | undefined, user: string, layers: Layer[]): { architecture: string; variant?: string; layers: Layer[]; config: Buffer } {
  return { architecture, ...(variant ? { variant } : {}), layers, config: imageConfig(architecture, variant, user, layers) };
}
const single = testImage('amd64', undefined, '65532:65532', [layer('app', 40_000, 1), layer('etc/app.conf', 3_000, 2)]);
const amd64 = testImage('amd64', undefined, 'nonroot', [layer('app', 30_000, 3)]);
const arm64 = testImage('arm64', 'v8', 'nonroot-arm', [layer('app', 20_000, 4), layer('lib', 5_000, 5)]);

before(async () => {
  await run('bash', [path.join(__dirname, 'setup.sh')], { timeout: 10 * 60 * 1000 });
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-registry-'));
  registry = await startRegistry(workDir);
  const archive = path.join(workDir, 'app.tar');
  await writeDockerArchive(archive, 'slim/app:1', single.config, single.layers);
  const layout = path.join(workDir, 'multi-layout');
  await writeTwoPlatformLayout(layout, [amd64, arm64]);
  await Promise.all([
    skopeoCopy(['--preserve-digests', `docker-archive:${archive}`, `docker://${registry.host}/slim/app:1`]),
    skopeoCopy(['--all', `oci:${layout}:multi`, `docker://${registry.host}/slim/multi:1`]),
  ]);
});

after(async () => {
  registry?.process.kill();
  if (registry) await once(registry.process, 'exit').catch(() => undefined);
  if (workDir) await fs.rm(workDir, { recursive: true, force: true });
});

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text);
  assert.ok(parsed, `reference ${text}`);
  return parsed;
}

function client(host: string, options: RegistryOptions = {}): RegistryClient {
  return new RegistryClient({ plainHttpHosts: [host], credentials: 'none', ...options });
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RegistryError, `expected a RegistryError, got ${String(error)}`);
    return error;
  }
  assert.fail('the lookup succeeded');
}

/** Sizes of the layer blobs as written: plain tars in the docker-archive, gzipped in the OCI layout. */
function sizes(layers: Layer[], form: 'plain' | 'gzipped' = 'gzipped'): number[] {
  return layers.map((l) => l[form].length);
}

/** The parts of an answer that do not depend on when or how it was fetched. */
function summary(image: RegistryImage): object {
  return {
    registry: image.registry,
    repository: image.repository,
    selected: image.selected.platform,
    platforms: image.platforms.map((p) => ({ platform: p.platform, compressedSize: p.compressedSize, layerSizes: p.layerSizes, user: p.user, env: p.env })),
  };
}

describe('against the real registry', () => {
  test('a single-platform tag: layer sizes as written, user and platform from the config', async () => {
    const image = await client(registry.host).lookup(ref(`${registry.host}/slim/app:1`));
    const sum = sizes(single.layers, 'plain').reduce((a, b) => a + b, 0);
    assert.deepStrictEqual(
      { ...image, fetchedAt: typeof image.fetchedAt, digest: /^sha256:[0-9a-f]{64}$/.test(image.digest), platforms: undefined, selected: { ...image.selected, manifestDigest: image.selected.manifestDigest === image.digest } },
      {
        reference: `${registry.host}/slim/app:1`,
        registry: registry.host,
        repository: 'slim/app',
        digest: true,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        platforms: undefined,
        selected: {
          platform: 'linux/amd64',
          manifestDigest: true,
          compressedSize: sum,
          layerSizes: sizes(single.layers, 'plain'),
          configDigest: `sha256:${sha256(single.config)}`,
          os: 'linux',
          architecture: 'amd64',
          user: '65532:65532',
          env: ['PATH=/usr/local/bin:/usr/bin', 'ARCH=amd64'],
          created: '2024-05-01T00:00:00Z',
        },
        fetchedAt: 'string',
      },
    );
    assert.deepStrictEqual(image.platforms, [image.selected]);
  });

  test('a two-platform index: both sizes, linux/amd64 by default, another platform on request', async () => {
    const lookup = client(registry.host);
    const byDefault = await lookup.lookup(ref(`${registry.host}/slim/multi:1`));
    const both = [
      { platform: 'linux/amd64', compressedSize: sizes(amd64.layers).reduce((a, b) => a + b, 0), layerSizes: sizes(amd64.layers) },
      { platform: 'linux/arm64/v8', compressedSize: sizes(arm64.layers).reduce((a, b) => a + b, 0), layerSizes: sizes(arm64.layers) },
    ];
    assert.equal(byDefault.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepStrictEqual(summary(byDefault), {
      registry: registry.host,
      repository: 'slim/multi',
      selected: 'linux/amd64',
      platforms: [
        { ...both[0], user: 'nonroot', env: ['PATH=/usr/local/bin:/usr/bin', 'ARCH=amd64'] },
        { ...both[1], user: undefined, env: undefined },
      ],
    });
    const arm = await lookup.lookup(ref(`${registry.host}/slim/multi:1`), { platform: 'linux/arm64' });
    assert.equal(arm.digest, byDefault.digest);
    assert.deepStrictEqual(summary(arm), {
      registry: registry.host,
      repository: 'slim/multi',
      selected: 'linux/arm64/v8',
      platforms: [
        { ...both[0], user: undefined, env: undefined },
        { ...both[1], user: 'nonroot-arm', env: ['PATH=/usr/local/bin:/usr/bin', 'ARCH=arm64'] },
      ],
    });
    assert.deepStrictEqual([arm.selected.os, arm.selected.architecture, arm.selected.variant], ['linux', 'arm64', 'v8']);

    const missing = await failure(lookup.lookup(ref(`${registry.host}/slim/multi:1`), { platform: 'linux/s390x' }));
    assert.equal(missing.kind, 'not-found');
    assert.equal(missing.message, `${registry.host} has no image ${registry.host}/slim/multi:1: no linux/s390x image in its index (it has: linux/amd64, linux/arm64/v8).`);
  });

  test('a digest-pinned reference is looked up by digest, for an index and for one platform', async () => {
    const lookup = client(registry.host);
    const byTag = await lookup.lookup(ref(`${registry.host}/slim/multi:1`));
    const byDigest = await lookup.lookup(ref(`${registry.host}/slim/multi@${byTag.digest}`));
    assert.equal(byDigest.digest, byTag.digest);
    assert.deepStrictEqual(summary(byDigest), summary(byTag));

    const armDigest = byTag.platforms[1]!.manifestDigest;
    const arm = await lookup.lookup(ref(`${registry.host}/slim/multi:ignored@${armDigest}`));
    assert.deepStrictEqual(
      [arm.digest, arm.selected.platform, arm.selected.compressedSize, arm.selected.user],
      [armDigest, 'linux/arm64/v8', byTag.platforms[1]!.compressedSize, 'nonroot-arm'],
    );
  });

  test('a missing tag and a missing repository are not-found, with the registry named', async () => {
    const lookup = client(registry.host);
    const tag = await failure(lookup.lookup(ref(`${registry.host}/slim/app:missing`)));
    assert.equal(tag.kind, 'not-found');
    assert.equal(tag.message, `${registry.host} has no image ${registry.host}/slim/app:missing (HTTP 404): manifest unknown.`);
    const repository = await failure(lookup.lookup(ref(`${registry.host}/nobody/here`)));
    assert.equal(repository.kind, 'not-found');
    assert.equal(repository.message, `${registry.host} has no image ${registry.host}/nobody/here:latest (HTTP 404): manifest unknown.`);
  });
});

describe('how the client talks to registries', () => {
  test('docker.io goes to registry-1.docker.io over HTTPS, with every manifest type accepted', async () => {
    const seen: { url: string; accept: string | null }[] = [];
    const fake = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), accept: new Headers(init?.headers).get('accept') });
      return new Response(errorBody('MANIFEST_UNKNOWN', 'manifest unknown'), { status: 404 });
    }) as typeof fetch;
    const error = await failure(new RegistryClient({ fetch: fake, credentials: 'none' }).lookup(ref('golang:1.22-alpine')));
    assert.equal(error.message, 'docker.io has no image golang:1.22-alpine (HTTP 404): manifest unknown.');
    assert.deepStrictEqual(seen, [{
      url: 'https://registry-1.docker.io/v2/library/golang/manifests/1.22-alpine',
      accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    }]);
  });

  test('a blob redirected to another host (as to a CDN) is followed', async () => {
    const proxy = await startServer((request, response, forward) => {
      if (request.url?.includes('/blobs/')) {
        response.writeHead(307, { location: `http://${registry.host}${request.url}` }).end();
        return;
      }
      forward();
    });
    try {
      const image = await client(proxy.host).lookup(ref(`${proxy.host}/slim/app:1`));
      assert.equal(image.selected.user, '65532:65532');
      assert.ok(proxy.requests.some((r) => r.url.includes('/blobs/')));
    } finally {
      await proxy.close();
    }
  });
});

describe('token-protected registry', () => {
  const TOKEN = 'test-token-1234';
  const CREDENTIALS = Buffer.from('alice:s3cret').toString('base64');

  /** The Docker Hub dance: 401 with a Bearer challenge, a token from /token, then the real answer. */
  async function tokenProxy(requireBasic: boolean): Promise<TestServer> {
    const proxy: TestServer = await startServer((request, response, forward) => {
      if (request.url?.startsWith('/token')) {
        const url = new URL(request.url, 'http://x');
        const scopeOk = url.searchParams.get('service') === 'test-registry' && url.searchParams.get('scope') === 'repository:slim/app:pull';
        const basicOk = !requireBasic || request.headers.authorization === `Basic ${CREDENTIALS}`;
        if (!scopeOk || !basicOk) {
          response.writeHead(401, { 'content-type': 'application/json' }).end(errorBody('UNAUTHORIZED', 'bad credentials'));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, expires_in: 300 }));
        return;
      }
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Bearer realm="http://${proxy.host}/token",service="test-registry",scope="repository:slim/app:pull"`,
        }).end(errorBody('UNAUTHORIZED', 'authentication required'));
        return;
      }
      forward();
    });
    return proxy;
  }

  async function dockerConfig(host: string): Promise<string> {
    const file = path.join(workDir, `docker-config-${host.replace(/\W/g, '-')}.json`);
    await fs.writeFile(file, JSON.stringify({ auths: { [`http://${host}`]: { auth: CREDENTIALS } }, credsStore: 'desktop' }));
    return file;
  }

  test('anonymous: the client fetches a token and retries with it', async () => {
    const proxy = await tokenProxy(false);
    try {
      const image = await client(proxy.host).lookup(ref(`${proxy.host}/slim/app:1`));
      assert.equal(image.selected.user, '65532:65532');
      const tokenRequests = proxy.requests.filter((r) => r.url.startsWith('/token'));
      assert.deepStrictEqual(tokenRequests, [{ method: 'GET', url: '/token?service=test-registry&scope=repository%3Aslim%2Fapp%3Apull', authorization: undefined }]);
      // One challenged request, then only authorised ones.
      const registryRequests = proxy.requests.filter((r) => !r.url.startsWith('/token'));
      assert.deepStrictEqual(registryRequests.map((r) => r.authorization), [undefined, ...registryRequests.slice(1).map(() => `Bearer ${TOKEN}`)]);
    } finally {
      await proxy.close();
    }
  });

  test('credentials from the Docker config reach the token endpoint as Basic auth', async () => {
    const proxy = await tokenProxy(true);
    try {
      const config = await dockerConfig(proxy.host);
      const image = await client(proxy.host, { credentials: 'docker-config', dockerConfigPath: config }).lookup(ref(`${proxy.host}/slim/app:1`));
      assert.equal(image.selected.compressedSize, sizes(single.layers, 'plain').reduce((a, b) => a + b, 0));
      assert.deepStrictEqual(proxy.requests.filter((r) => r.url.startsWith('/token')).map((r) => r.authorization), [`Basic ${CREDENTIALS}`]);
    } finally {
      await proxy.close();
    }
  });

  test("with credentials 'none' (untrusted workspace) the Docker config is not used", async () => {
    const proxy = await tokenProxy(true);
    try {
      const config = await dockerConfig(proxy.host);
      const error = await failure(client(proxy.host, { credentials: 'none', dockerConfigPath: config }).lookup(ref(`${proxy.host}/slim/app:1`)));
      assert.equal(error.kind, 'unauthorized');
      assert.equal(error.message, `${proxy.host} refused to show ${proxy.host}/slim/app:1 without valid credentials (HTTP 401): bad credentials; if the image is private, run docker login ${proxy.host}.`);
      assert.deepStrictEqual(proxy.requests.filter((r) => r.url.startsWith('/token')).map((r) => r.authorization), [undefined]);
    } finally {
      await proxy.close();
    }
  });

  test('credentials are not sent to a plain-HTTP token realm the user did not declare', async () => {
    const proxy = await tokenProxy(true);
    try {
      // The registry is reached as localhost (declared plain HTTP, credentials on file), but its
      // token realm names 127.0.0.1, which is not declared: the password must not go there.
      const alias = `localhost:${proxy.host.split(':')[1]}`;
      const config = await dockerConfig(alias);
      const error = await failure(client(alias, { credentials: 'docker-config', dockerConfigPath: config }).lookup(ref(`${alias}/slim/app:1`)));
      assert.equal(error.kind, 'unauthorized');
      assert.deepStrictEqual(proxy.requests.filter((r) => r.url.startsWith('/token')).map((r) => r.authorization), [undefined]);
    } finally {
      await proxy.close();
    }
  });
});

describe('failing registries end in a clear error within the deadline', () => {
  async function failingWith(handler: Handler, options: RegistryOptions = {}, image = 'slim/app:1'): Promise<{ error: RegistryError; ms: number; server: TestServer }> {
    const server = await startServer(handler);
    try {
      const started = Date.now();
      const error = await failure(client(server.host, options).lookup(ref(`${server.host}/${image}`)));
      return { error, ms: Date.now() - started, server };
    } finally {
      await server.close();
    }
  }

  test('a registry that never answers: timeout after timeoutMs', async () => {
    const { error, ms, server } = await failingWith(() => undefined, { timeoutMs: 300 });
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, `${server.host} did not answer in time for ${server.host}/slim/app:1: no complete manifest answer within 0.3 s.`);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  test('a registry that drips bytes: timeout at the total deadline', async () => {
    const { error, ms, server } = await failingWith((request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' });
      const drip = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(drip));
    }, { timeoutMs: 5000, totalTimeoutMs: 600 });
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, `${server.host} did not answer in time for ${server.host}/slim/app:1: the lookup took longer than 0.6 s.`);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  test('a huge manifest is cut off, not read into memory', async () => {
    const { error } = await failingWith((request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (response.write(chunk));
      };
      response.on('drain', pump);
      pump();
    });
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /its manifest answer is larger than 4 MB\.$/);
  });

  const statuses: [number, RegistryErrorKind, Record<string, string>, string][] = [
    [429, 'rate-limited', { 'retry-after': '30' }, 'is limiting requests and did not answer for {image} (HTTP 429): too many requests; it asks to wait 30 s; try again later.'],
    [500, 'server', {}, 'failed while answering for {image} (HTTP 500): too many requests.'],
    [503, 'server', {}, 'failed while answering for {image} (HTTP 503): too many requests.'],
    [403, 'forbidden', {}, 'denied access to {image} (HTTP 403): too many requests.'],
    [401, 'unauthorized', {}, 'refused to show {image} without valid credentials (HTTP 401): too many requests; if the image is private, run docker login {registry}.'],
  ];
  for (const [status, kind, headers, message] of statuses) {
    test(`HTTP ${status} is '${kind}'`, async () => {
      const { error, server } = await failingWith((request, response) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(errorBody('TOOMANYREQUESTS', 'too many requests'));
      });
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
      assert.equal(error.message, `${server.host} ${message.replace('{image}', `${server.host}/slim/app:1`).replace('{registry}', server.host)}`);
    });
  }

  const malformed: [string, string, string][] = [
    ['not JSON', '<html>oops</html>', 'its manifest is not valid JSON'],
    ['layers not a list', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: `sha256:${'a'.repeat(64)}`, size: 2 }, layers: 'none' }), 'its manifest has no layers list'],
    ['a layer without a size', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: `sha256:${'a'.repeat(64)}`, size: 2 }, layers: [{ digest: `sha256:${'b'.repeat(64)}` }] }), 'its manifest lists a layer without a valid digest and size'],
    ['an index entry with a bad digest', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ digest: 'nope', size: 1 }] }), 'its index lists a manifest without a valid digest and size'],
    ['schema 1', JSON.stringify({ schemaVersion: 1, name: 'slim/app', fsLayers: [] }), 'its manifest uses the old schema 1 format, which lists no layer sizes'],
  ];
  for (const [name, body, detail] of malformed) {
    test(`a malformed manifest (${name}) is 'malformed'`, async () => {
      const { error, server } = await failingWith((request, response) => {
        response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(body);
      });
      assert.equal(error.kind, 'malformed');
      assert.equal(error.message, registryErrorMessage('malformed', { registry: server.host, image: `${server.host}/slim/app:1`, detail }));
    });
  }

  test('a manifest that does not match the digest asked for is malformed', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const { error } = await failingWith((request, response, forward) => {
      request.url = '/v2/slim/app/manifests/1';
      forward();
    }, {}, `slim/app@${digest}`);
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /the manifest it sent for sha256:cccccccccccc… does not match that digest\.$/);
  });

  test('a dead registry (closed port) is unreachable, fast', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const error = await failure(client(host).lookup(ref(`${host}/slim/app:1`)));
    assert.equal(error.kind, 'unreachable');
    assert.equal(error.message, `Slimfile could not reach ${host} to look up ${host}/slim/app:1: the connection was refused.`);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  test('the caller can cancel a lookup', async () => {
    const controller = new AbortController();
    const server = await startServer(() => controller.abort());
    try {
      await assert.rejects(client(server.host).lookup(ref(`${server.host}/slim/app:1`), { signal: controller.signal }), { name: 'AbortError' });
    } finally {
      await server.close();
    }
  });
});

describe('offline and the disk cache', () => {
  test('offline never opens a connection', async () => {
    const server = await startServer((request, response, forward) => forward());
    try {
      let fetched = 0;
      const offline = client(server.host, { offline: true, fetch: (async () => (fetched++, new Response())) as typeof fetch });
      const error = await failure(offline.lookup(ref(`${server.host}/slim/app:1`)));
      assert.equal(error.kind, 'offline');
      assert.equal(error.message, `Slimfile is set to stay offline, so it did not look up ${server.host}/slim/app:1 on ${server.host}.`);
      const viaGlobalFetch = await failure(client(server.host, { offline: true }).lookup(ref(`${server.host}/slim/app:1`)));
      assert.equal(viaGlobalFetch.kind, 'offline');
      assert.deepStrictEqual([fetched, server.connections], [0, 0]);
    } finally {
      await server.close();
    }
  });

  test('a second lookup is served from the cache with the registry gone; offline uses it too', async () => {
    const cacheDir = await fs.mkdtemp(path.join(workDir, 'cache-'));
    const proxy = await startServer((request, response, forward) => forward());
    const reference = ref(`${proxy.host}/slim/multi:1`);
    const first = await client(proxy.host, { cacheDir }).lookup(reference);
    await proxy.close();
    const second = await client(proxy.host, { cacheDir }).lookup(reference);
    assert.deepStrictEqual(second, { ...first, fromCache: true });
    const offline = await client(proxy.host, { cacheDir, offline: true }).lookup(reference);
    assert.deepStrictEqual(offline, { ...first, fromCache: true });
    // Another platform is another entry.
    const arm = await failure(client(proxy.host, { cacheDir }).lookup(reference, { platform: 'linux/arm64' }));
    assert.equal(arm.kind, 'unreachable');
  });

  test('an expired entry is refreshed; a broken one is ignored', async () => {
    const cacheDir = await fs.mkdtemp(path.join(workDir, 'cache-'));
    const proxy = await startServer((request, response, forward) => forward());
    try {
      const reference = ref(`${proxy.host}/slim/app:1`);
      const first = await client(proxy.host, { cacheDir }).lookup(reference);
      const requestsAfterFirst = proxy.requests.length;
      const fresh = await client(proxy.host, { cacheDir }).lookup(reference);
      assert.equal(fresh.fromCache, true);
      assert.equal(proxy.requests.length, requestsAfterFirst);

      const refreshed = await client(proxy.host, { cacheDir, cacheTtlMs: 0 }).lookup(reference);
      assert.equal(refreshed.fromCache, undefined);
      assert.ok(proxy.requests.length > requestsAfterFirst);
      assert.ok(refreshed.fetchedAt >= first.fetchedAt);
      const rewritten = await client(proxy.host, { cacheDir }).lookup(reference);
      assert.deepStrictEqual(rewritten, { ...refreshed, fromCache: true });

      for (const file of await fs.readdir(cacheDir)) await fs.writeFile(path.join(cacheDir, file), '{ not json');
      const afterBreak = await client(proxy.host, { cacheDir }).lookup(reference);
      assert.equal(afterBreak.fromCache, undefined);
      assert.deepStrictEqual(summary(afterBreak), summary(first));
    } finally {
      await proxy.close();
    }
  });
});

describe('helpers', () => {
  test('Bearer challenges are parsed with quoted and bare values', () => {
    assert.deepStrictEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/golang:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/golang:pull' },
    });
    assert.deepStrictEqual(parseChallenge('Basic realm=registry'), { scheme: 'basic', params: { realm: 'registry' } });
  });

  test('Docker config credentials: per host, Docker Hub under its v1 address, helpers skipped', async () => {
    const file = path.join(workDir, 'config-helpers.json');
    await fs.writeFile(file, JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
        'ghcr.io': { username: 'gh', password: 'token' },
        'cgr.dev': {},
      },
      credHelpers: { 'gcr.io': 'gcloud' },
    }));
    assert.deepStrictEqual(await readRegistryCredentials('docker.io', file), { username: 'hub', password: 'pw' });
    assert.deepStrictEqual(await readRegistryCredentials('ghcr.io', file), { username: 'gh', password: 'token' });
    assert.equal(await readRegistryCredentials('cgr.dev', file), undefined);
    assert.equal(await readRegistryCredentials('gcr.io', file), undefined);
    assert.equal(await readRegistryCredentials('ghcr.io', path.join(workDir, 'no-such-config.json')), undefined);
  });
});

test('no unhandled rejections anywhere', () => {
  assert.deepStrictEqual(unhandled, []);
});
