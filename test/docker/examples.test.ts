// The bundled examples, built for real as written and minimized (through `slimfile compare`), run
// side by side: the minimized image must behave the same, be at least 50x smaller, and match the
// estimate within 5%. As written they build on Go 1.19; each is also built on every release in
// GO_VERSIONS, from a copy whose FROM names that release's golang image (the stand-ins of
// test/e2e/docker-setup.sh). Sizes and build times go to test/docker/results.json.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { docker, ensureDockerReady, formatMB, ROOT, run, slimfile, fetchOnceListening, waitForContainerLog } from './helpers';
import { holdEngineTags } from './engineLock';

interface CompareJson {
  original: { bytes: number; estimate: number | null; image: string; seconds: number; builder: string };
  minimized: { bytes: number; estimate: number | null; image: string; seconds: number; builder: string };
  ratio: number;
}

/** The releases besides the examples' own Go 1.19: 1.22 (bookworm-backports), 1.24 (trixie), 1.27 (sid). SLIMFILE_EXAMPLE_GO=1.24 narrows it. */
const GO_VERSIONS = (process.env['SLIMFILE_EXAMPLE_GO'] ?? '1.22,1.24,1.27').split(',').map((v) => v.trim()).filter((v) => v !== '' && v !== '1.19');

interface Row {
  example: string;
  go: string;
  naiveBytes: number;
  minimizedBytes: number;
  ratio: number;
  estimateNaive: number | null;
  estimateMinimized: number | null;
  estimateOffPercent: number | null;
  naiveBuildSeconds: number;
  minimizedBuildSeconds: number;
  builder: string;
  behaviour: string;
}

const rows: Row[] = [];

/** The same example on scratch and on scratch with UPX, against its floor. */
interface ScratchRow {
  example: string;
  distrolessBytes: number;
  scratchBytes: number;
  upxBytes: number;
  /** The binary and the files the program needs: what Minimize adds to distroless, plus the base files it uses. */
  floorBytes: number;
  floorRatio: number;
  behaviour: string;
}

const scratchRows: ScratchRow[] = [];
const SCRATCH_RESULTS = path.join(ROOT, 'test', 'docker', 'scratch-results.json');

async function imageBytes(image: string): Promise<number> {
  return Number(await docker('image', 'inspect', '--format', '{{.Size}}', image));
}

/**
 * Builds the example minimized onto scratch (`compare --runtime scratch`) and packed with UPX
 * (`minimize --runtime scratch --upx`, built from a copy of the example), and measures the floor:
 * the bytes the distroless conversion adds to its base, plus the CA bundle when the scratch image
 * copies one (measured in the builder it comes from).
 */
async function scratchVariants(example: string, distroless: CompareJson['minimized']): Promise<{ scratch: string; upx: string; row: Omit<ScratchRow, 'behaviour'> }> {
  const dockerfile = path.join('examples', example, 'Dockerfile');
  const ran = await slimfile(['compare', '--format', 'json', '--runtime', 'scratch', '--tag', `slimfile-test/${example}-scratch`, dockerfile]);
  assert.equal(ran.code, 0, `slimfile compare --runtime scratch ${example} failed:\n${ran.stderr.slice(-4000)}`);
  const scratch = (JSON.parse(ran.stdout) as CompareJson).minimized;
  const copy = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-upx-${example}-`));
  try {
    await fs.cp(path.join(ROOT, 'examples', example), copy, { recursive: true });
    const packed = await slimfile(['minimize', '--runtime', 'scratch', '--upx', '--write', path.join(copy, 'Dockerfile')]);
    assert.equal(packed.code, 0, packed.stderr);
    assert.match(await fs.readFile(path.join(copy, 'Dockerfile'), 'utf8'), /^RUN upx --best --lzma \/app\/main$/m);
    const built = await slimfile(['build', '--format', 'json', '--tag', `slimfile-test/${example}-upx`, path.join(copy, 'Dockerfile')]);
    assert.equal(built.code, 0, `building ${example} with UPX failed:\n${built.stderr.slice(-4000)}`);
    const upx = JSON.parse(built.stdout) as { bytes: number; image: string };
    const scratchText = (await slimfile(['minimize', '--runtime', 'scratch', dockerfile])).stdout;
    const caBundle = scratchText.includes('/etc/ssl/certs/ca-certificates.crt') ? Number(await docker('run', '--rm', 'golang:1.19', 'stat', '-c', '%s', '/etc/ssl/certs/ca-certificates.crt')) : 0;
    const floorBytes = distroless.bytes - (await imageBytes('gcr.io/distroless/static-debian12:nonroot')) + caBundle;
    return {
      scratch: scratch.image,
      upx: upx.image,
      row: { example, distrolessBytes: distroless.bytes, scratchBytes: scratch.bytes, upxBytes: upx.bytes, floorBytes, floorRatio: Number((scratch.bytes / floorBytes).toFixed(3)) },
    };
  } finally {
    await fs.rm(copy, { recursive: true, force: true });
  }
}

function assertFloor(row: Omit<ScratchRow, 'behaviour'>): void {
  assert.ok(row.floorRatio <= 1.05, `${row.example}: scratch ${formatMB(row.scratchBytes)} is ${row.floorRatio}x its floor ${formatMB(row.floorBytes)}`);
  assert.ok(row.upxBytes < row.scratchBytes, `${row.example}: UPX ${formatMB(row.upxBytes)} is not smaller than ${formatMB(row.scratchBytes)}`);
}
const RESULTS = path.join(ROOT, 'test', 'docker', 'results.json');

async function compare(example: string): Promise<CompareJson> {
  const ran = await slimfile(['compare', '--format', 'json', '--no-cache', '--tag', `slimfile-test/${example}`, path.join('examples', example, 'Dockerfile')]);
  assert.equal(ran.code, 0, `slimfile compare ${example} failed:\n${ran.stderr.slice(-4000)}`);
  return JSON.parse(ran.stdout) as CompareJson;
}

async function estimateMinimized(example: string): Promise<number> {
  const ran = await slimfile(['estimate', '--format', 'json', path.join('examples', example, 'Dockerfile')]);
  assert.equal(ran.code, 0, ran.stderr);
  return (JSON.parse(ran.stdout) as { minimized: { bytes: number } }).minimized.bytes;
}

/** The example as its user has it, built on golang:<go>: a copy whose FROM names that release. */
async function exampleOn(example: string, go: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-example-${example}-go${go}-`));
  await fs.cp(path.join(ROOT, 'examples', example), dir, { recursive: true });
  const dockerfile = path.join(dir, 'Dockerfile');
  const text = await fs.readFile(dockerfile, 'utf8');
  assert.match(text, /^FROM golang:1\.19$/m, `examples/${example}/Dockerfile no longer builds FROM golang:1.19; update the test`);
  await fs.writeFile(dockerfile, text.replace(/^FROM golang:1\.19$/m, `FROM golang:${go}`));
  return dir;
}

/** compare and estimate on another Go release; the copy is removed after. */
async function compareOn(example: string, go: string): Promise<{ result: CompareJson; estimate: number }> {
  const dir = await exampleOn(example, go);
  try {
    const ran = await slimfile(['compare', '--format', 'json', '--no-cache', '--tag', `slimfile-test/${example}-go${go}`, path.join(dir, 'Dockerfile')]);
    assert.equal(ran.code, 0, `slimfile compare ${example} on Go ${go} failed:\n${ran.stderr.slice(-4000)}`);
    const estimated = await slimfile(['estimate', '--format', 'json', path.join(dir, 'Dockerfile')]);
    assert.equal(estimated.code, 0, estimated.stderr);
    return { result: JSON.parse(ran.stdout) as CompareJson, estimate: (JSON.parse(estimated.stdout) as { minimized: { bytes: number } }).minimized.bytes };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function record(example: string, result: CompareJson, estimate: number, behaviour: string, go = '1.19'): Row {
  const row: Row = {
    example,
    go,
    naiveBytes: result.original.bytes,
    minimizedBytes: result.minimized.bytes,
    ratio: Number((result.original.bytes / result.minimized.bytes).toFixed(1)),
    estimateNaive: result.original.estimate,
    estimateMinimized: estimate,
    estimateOffPercent: Number((((estimate - result.minimized.bytes) / result.minimized.bytes) * 100).toFixed(1)),
    naiveBuildSeconds: result.original.seconds,
    minimizedBuildSeconds: result.minimized.seconds,
    builder: result.minimized.builder,
    behaviour,
  };
  rows.push(row);
  return row;
}

function assertSizes(row: Row | undefined): void {
  assert.ok(row, 'no images to measure (the build failed)');
  const on = `${row.example} on Go ${row.go}`;
  assert.ok(row.ratio >= 50, `${on}: minimized is only ${row.ratio}x smaller (${formatMB(row.naiveBytes)} -> ${formatMB(row.minimizedBytes)})`);
  const off = Math.abs((row.estimateMinimized ?? 0) - row.minimizedBytes) / row.minimizedBytes;
  assert.ok(off <= 0.05, `${on}: estimate ${row.estimateMinimized} bytes is ${row.estimateOffPercent}% off the real ${row.minimizedBytes} bytes`);
}

async function runToEnd(image: string, args: readonly string[] = [], runOptions: readonly string[] = []): Promise<{ code: number | null; output: string }> {
  const ran = await run('docker', ['run', '--rm', ...runOptions, image, ...args], { timeoutMs: 60_000 });
  return { code: ran.code, output: `${ran.stdout}${ran.stderr}` };
}

async function askServer(image: string): Promise<string> {
  const container = await docker('run', '-d', '-p', '127.0.0.1::3000', image);
  try {
    await waitForContainerLog(container, /listening on :3000/);
    const port = (await docker('port', container, '3000/tcp')).split('\n')[0]?.split(':').pop();
    const response = await fetchOnceListening(`http://127.0.0.1:${port}/?name=Ahmed`);
    return (await response.text()).trim();
  } finally {
    await docker('rm', '-f', container);
  }
}

before(async () => {
  await ensureDockerReady();
});

after(async () => {
  if (scratchRows.length > 0) {
    await fs.writeFile(SCRATCH_RESULTS, `${JSON.stringify({ engine: await docker('version', '--format', '{{.Server.Version}}'), date: new Date().toISOString(), examples: scratchRows }, null, 2)}\n`);
    const lines = scratchRows.map((r) => [r.example.padEnd(13), formatMB(r.distrolessBytes).padStart(11), formatMB(r.scratchBytes).padStart(9), formatMB(r.upxBytes).padStart(9), formatMB(r.floorBytes).padStart(9), `${r.floorRatio}x`.padStart(7)].join(' '));
    process.stdout.write(`\n${'example'.padEnd(13)} ${'distroless'.padStart(11)} ${'scratch'.padStart(9)} ${'+UPX'.padStart(9)} ${'floor'.padStart(9)} ${'ratio'.padStart(7)}\n${lines.join('\n')}\n(results in ${path.relative(ROOT, SCRATCH_RESULTS)})\n`);
  }
  if (rows.length === 0) return;
  await fs.writeFile(RESULTS, `${JSON.stringify({ engine: await docker('version', '--format', '{{.Server.Version}}'), date: new Date().toISOString(), examples: rows }, null, 2)}\n`);
  const table = rows.map((r) =>
    [r.example.padEnd(13), r.go.padStart(5), formatMB(r.naiveBytes).padStart(11), formatMB(r.minimizedBytes).padStart(9), `${r.ratio}x`.padStart(7), formatMB(r.estimateMinimized ?? 0).padStart(9), `${r.estimateOffPercent}%`.padStart(7), `${r.naiveBuildSeconds}s`.padStart(8), `${r.minimizedBuildSeconds}s`.padStart(8)].join(' '),
  );
  process.stdout.write(`\n${'example'.padEnd(13)} ${'go'.padStart(5)} ${'naive'.padStart(11)} ${'minimized'.padStart(9)} ${'ratio'.padStart(7)} ${'estimate'.padStart(9)} ${'off'.padStart(7)} ${'t naive'.padStart(8)} ${'t min'.padStart(8)}\n${table.join('\n')}\n(results in ${path.relative(ROOT, RESULTS)})\n`);
});

describe('examples/hello', () => {
  let row: Row;
  it('builds as written and minimized, and both print the greeting', async () => {
    const result = await compare('hello');
    const naive = await runToEnd(result.original.image);
    const minimized = await runToEnd(result.minimized.image);
    assert.deepEqual({ code: minimized.code, output: minimized.output }, { code: 0, output: 'hello from a Slimfile example\n' });
    assert.deepEqual(naive, minimized);
    row = record('hello', result, await estimateMinimized('hello'), 'prints the greeting');
    distroless = result.minimized;
  });
  let distroless: CompareJson['minimized'] | undefined;
  it('on scratch and on scratch with UPX it prints the same greeting; scratch is within 1.05x its floor', { timeout: 30 * 60_000 }, async () => {
    assert.ok(distroless, 'no distroless image to compare with');
    const { scratch, upx, row: sizes } = await scratchVariants('hello', distroless);
    for (const image of [scratch, upx]) assert.deepEqual(await runToEnd(image), { code: 0, output: 'hello from a Slimfile example\n' });
    scratchRows.push({ ...sizes, behaviour: 'prints the greeting' });
    assertFloor(sizes);
  });
  it('is at least 50x smaller, and the estimate is within 5%', () => assertSizes(row));
  it('build --max-size checks the real size: 2GB passes, 500MB fails with one line', async () => {
    const file = path.join('examples', 'hello', 'Dockerfile');
    const within = await slimfile(['build', '--max-size', '2GB', '--tag', 'slimfile-test/hello-budget', file]);
    assert.equal(within.code, 0, within.stderr.slice(-3000));
    // The figure is the engine's own size of the image just built (the stand-in's size moves with
    // its recipe), rounded as the budget line rounds hundreds of MB.
    const bytes = Number(/: (\d+) bytes in /.exec(within.stderr)?.[1]);
    assert.ok(bytes > 100e6, within.stderr.slice(-3000));
    const mb = `${Math.round(bytes / 1e6)} MB`;
    assert.ok(within.stderr.endsWith(`\nexamples/hello/Dockerfile: built image ${mb} is within the budget of 2.00 GB\n`), within.stderr.slice(-500));
    const over = await slimfile(['build', '--max-size', '500MB', '--tag', 'slimfile-test/hello-budget', file]);
    assert.equal(over.code, 1, over.stderr.slice(-3000));
    assert.ok(over.stderr.endsWith(`\nexamples/hello/Dockerfile: error: built image ${mb} (${bytes} bytes) exceeds the budget of 500 MB\n`), over.stderr.slice(-500));
  });
});

describe('examples/http-server', () => {
  let row: Row;
  it('builds as written and minimized, and both answer "Hello Ahmed"', async () => {
    const result = await compare('http-server');
    assert.equal(await askServer(result.original.image), 'Hello Ahmed');
    assert.equal(await askServer(result.minimized.image), 'Hello Ahmed');
    row = record('http-server', result, await estimateMinimized('http-server'), 'answers Hello Ahmed');
    distroless = result.minimized;
  });
  let distroless: CompareJson['minimized'] | undefined;
  it('on scratch and on scratch with UPX it answers "Hello Ahmed"; scratch is within 1.05x its floor', { timeout: 30 * 60_000 }, async () => {
    assert.ok(distroless, 'no distroless image to compare with');
    const { scratch, upx, row: sizes } = await scratchVariants('http-server', distroless);
    for (const image of [scratch, upx]) assert.equal(await askServer(image), 'Hello Ahmed');
    scratchRows.push({ ...sizes, behaviour: 'answers Hello Ahmed' });
    assertFloor(sizes);
  });
  it('is at least 50x smaller, and the estimate is within 5%', () => assertSizes(row));
});

for (const go of GO_VERSIONS) {
  describe(`examples/hello and examples/http-server on Go ${go}`, () => {
    let hello: Row | undefined;
    let server: Row | undefined;
    it('hello: builds as written and minimized, and both print the greeting', async () => {
      const { result, estimate } = await compareOn('hello', go);
      const naive = await runToEnd(result.original.image);
      const minimized = await runToEnd(result.minimized.image);
      assert.deepEqual({ code: minimized.code, output: minimized.output }, { code: 0, output: 'hello from a Slimfile example\n' });
      assert.deepEqual(naive, minimized);
      hello = record('hello', result, estimate, 'prints the greeting', go);
    });
    it('hello: is at least 50x smaller, and the estimate is within 5%', () => assertSizes(hello));
    it('http-server: builds as written and minimized, and both answer "Hello Ahmed"', async () => {
      const { result, estimate } = await compareOn('http-server', go);
      assert.equal(await askServer(result.original.image), 'Hello Ahmed');
      assert.equal(await askServer(result.minimized.image), 'Hello Ahmed');
      server = record('http-server', result, estimate, 'answers Hello Ahmed', go);
    });
    it('http-server: is at least 50x smaller, and the estimate is within 5%', () => assertSizes(server));
  });
}

// The client must trust a local HTTPS server through the image's own roots: the test's CA goes
// into the CA bundle of the base images the Dockerfiles name (tags swapped for the test, restored after).
describe('examples/https-client', () => {
  const ORIGINAL_LABEL = 'org.slimfile.test.ca-original';
  // Every builder, and the runtime Minimize picks for each (static-debian13 for a trixie or newer builder).
  const BASES = ['golang:1.19', ...GO_VERSIONS.map((go) => `golang:${go}`), 'gcr.io/distroless/static-debian12:nonroot', 'gcr.io/distroless/static-debian13:nonroot'];
  let temp: string;
  let server: https.Server;
  let port: number;
  let row: Row;
  let releaseTags: (() => Promise<void>) | undefined;

  async function restoreBases(): Promise<void> {
    for (const tag of BASES) {
      const original = (await run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${ORIGINAL_LABEL}"}}`, tag])).stdout.trim();
      if (original !== '' && original !== '<no value>') await docker('tag', original, tag);
    }
  }

  async function openssl(...args: string[]): Promise<void> {
    await new Promise<void>((resolve, reject) => execFile('openssl', args, { cwd: temp }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve())));
  }

  before(async () => {
    // The tags stay swapped until after(): no other engine run's set-up may look at them meanwhile.
    releaseTags = await holdEngineTags('swapping base tags for copies with a test CA');
    await restoreBases(); // a run that died half-way left the derived images tagged
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-ca-'));
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Slimfile test CA');
    await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    await fs.writeFile(path.join(temp, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
    server = https.createServer({ key: await fs.readFile(path.join(temp, 'server.key')), cert: await fs.readFile(path.join(temp, 'server.crt')) }, (_req, res) => {
      res.end('trusted\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const engine = await connectEngine();
    // Each base gets the bundle it had plus the test CA (assembled in the golang image, which has a shell).
    for (const tag of BASES) {
      const id = await docker('image', 'inspect', '--format', '{{.Id}}', tag);
      const stash = `slimfile-test/ca-original:${id.slice(7, 19)}`;
      await docker('tag', id, stash);
      const dir = path.join(temp, tag.replace(/[^a-z0-9]+/g, '-'));
      await fs.mkdir(dir);
      await fs.copyFile(path.join(temp, 'ca.crt'), path.join(dir, 'test-ca.crt'));
      await fs.writeFile(
        path.join(dir, 'Dockerfile'),
        [
          `FROM ${stash} AS original`,
          `FROM golang:1.19 AS bundle`,
          `COPY --from=original /etc/ssl/certs/ca-certificates.crt /original.crt`,
          `COPY test-ca.crt /test-ca.crt`,
          `RUN cat /original.crt /test-ca.crt > /bundle.crt`,
          `FROM ${stash}`,
          `COPY --from=bundle /bundle.crt /etc/ssl/certs/ca-certificates.crt`,
          `LABEL ${ORIGINAL_LABEL}=${id}`,
          '',
        ].join('\n'),
      );
      await buildImage(engine, { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag });
    }
  });

  after(async () => {
    try {
      await restoreBases();
    } finally {
      await releaseTags?.();
    }
    server?.close();
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  it('builds as written and minimized, and both reach a local HTTPS server through the system roots', async () => {
    const result = await compare('https-client');
    const url = `https://localhost:${port}/`;
    const naive = await runToEnd(result.original.image, ['/app/main', url], ['--network', 'host']);
    const minimized = await runToEnd(result.minimized.image, ['/app/main', url], ['--network', 'host']);
    assert.deepEqual(minimized, { code: 0, output: '200 OK\n' });
    assert.deepEqual(naive, minimized);
    row = record('https-client', result, await estimateMinimized('https-client'), 'GET https://localhost -> 200 OK');
    distroless = result.minimized;
  });
  let distroless: CompareJson['minimized'] | undefined;
  it('on scratch and on scratch with UPX it reaches the HTTPS server through the copied CA bundle; scratch is within 1.05x its floor', { timeout: 30 * 60_000 }, async () => {
    assert.ok(distroless, 'no distroless image to compare with');
    const { scratch, upx, row: sizes } = await scratchVariants('https-client', distroless);
    const url = `https://localhost:${port}/`;
    for (const image of [scratch, upx]) assert.deepEqual(await runToEnd(image, ['/app/main', url], ['--network', 'host']), { code: 0, output: '200 OK\n' });
    scratchRows.push({ ...sizes, behaviour: 'GET https://localhost -> 200 OK' });
    assertFloor(sizes);
  });
  it('is at least 50x smaller, and the estimate is within 5%', () => assertSizes(row));
  const onOtherGo = new Map<string, Row>();
  for (const go of GO_VERSIONS) {
    it(`on Go ${go}: builds as written and minimized, and both reach a local HTTPS server through the system roots`, async () => {
      const { result, estimate } = await compareOn('https-client', go);
      const url = `https://localhost:${port}/`;
      const naive = await runToEnd(result.original.image, ['/app/main', url], ['--network', 'host']);
      const minimized = await runToEnd(result.minimized.image, ['/app/main', url], ['--network', 'host']);
      assert.deepEqual(minimized, { code: 0, output: '200 OK\n' });
      assert.deepEqual(naive, minimized);
      onOtherGo.set(go, record('https-client', result, estimate, 'GET https://localhost -> 200 OK', go));
    });
    it(`on Go ${go}: is at least 50x smaller, and the estimate is within 5%`, () => assertSizes(onOtherGo.get(go)));
  }
});
