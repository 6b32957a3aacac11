// `slimfile compare --run` on the engine: one correct conversion and five broken on purpose, each
// compared with the image as written. The correct ones are "same" (exit 0); each broken one is
// "different" (exit 1) on the probe it breaks, with the cause named on the minimized side. A run
// cancelled with Ctrl+C leaves no container and no image behind. The web fixture's TLS server uses
// a CA made here, so no key is kept in the repository.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunComparison } from '../../server/src/protocol';
import { CLI, docker, ensureDockerReady, ROOT, run, slimfile, waitForLine } from './helpers';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'compare-run');
const RUN_LABEL = 'org.slimfile.run';

interface RunJson {
  verdict: 'same' | 'different';
  seconds: number;
  routes: string[];
  behaviour: RunComparison;
}

/** A copy of a fixture in a temporary folder (the CA and the server certificate go into web's). */
async function copyOf(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-compare-run-${name}-`));
  await fs.cp(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

async function openssl(cwd: string, ...args: string[]): Promise<void> {
  const ran = await run('openssl', args, { cwd });
  assert.equal(ran.code, 0, `openssl ${args.join(' ')}:\n${ran.stderr}`);
}

/** certs/ca.crt (trusted by the images that keep the bundle) and certs/server.{crt,key} for localhost. */
async function makeCertificates(context: string): Promise<void> {
  const keys = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-ca-'));
  const certs = path.join(context, 'certs');
  await fs.mkdir(certs);
  try {
    await openssl(keys, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', path.join(certs, 'ca.crt'), '-days', '2', '-subj', '/CN=Slimfile test CA');
    await openssl(keys, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(certs, 'server.key'), '-out', 'server.csr', '-subj', '/CN=localhost');
    await fs.writeFile(path.join(keys, 'ext'), 'subjectAltName=DNS:localhost\n');
    await openssl(keys, 'x509', '-req', '-in', 'server.csr', '-CA', path.join(certs, 'ca.crt'), '-CAkey', 'ca.key', '-set_serial', '1', '-out', path.join(certs, 'server.crt'), '-days', '2', '-extfile', 'ext');
    // The nonroot user of the converted images reads the key.
    await fs.chmod(path.join(certs, 'server.key'), 0o644);
  } finally {
    await fs.rm(keys, { recursive: true, force: true });
  }
}

async function compareRun(context: string, other: string, tag: string): Promise<{ code: number | null; json: RunJson; stderr: string }> {
  const ran = await slimfile(['compare', '--run', '--format', 'json', '--tag', tag, path.join(context, 'Dockerfile'), path.join(context, other)]);
  assert.ok(ran.code === 0 || ran.code === 1, `compare --run ${other} failed (${ran.code}):\n${ran.stderr.slice(-4000)}`);
  return { code: ran.code, json: JSON.parse(ran.stdout) as RunJson, stderr: ran.stderr };
}

/** The rows that differ, as "check: as written | other". */
function differing(behaviour: RunComparison): string[] {
  return behaviour.rows.filter((r) => !r.same).map((r) => `${r.check}: ${r.asWritten} | ${r.minimized}`);
}

/** The causes named on the converted side only: "name: cause". */
function causes(behaviour: RunComparison): string[] {
  return behaviour.signatures.filter((s) => s.side === 'minimized' && !s.onBothSides).map((s) => `${s.name}: ${s.cause}`);
}

/**
 * Containers of runs (the run label) made from this repository's images, and the repository's
 * images. Other runs on a shared engine do not count: a container's Config.Image keeps the name it
 * was created from even once the image is gone.
 */
async function leftovers(repository: string): Promise<{ containers: string; images: string }> {
  const ids = (await docker('ps', '-a', '--filter', `label=${RUN_LABEL}`, '--format', '{{.ID}}')).split('\n').filter((id) => id !== '');
  // A container of another run may be gone by now: inspect reports it missing and lists the rest.
  const made = ids.length === 0 ? [] : (await run('docker', ['inspect', '--format', '{{.Id}} {{.Config.Image}} {{.State.Status}}', ...ids])).stdout.trim().split('\n');
  return {
    containers: made.filter((line) => line.split(' ')[1]?.startsWith(`${repository}:`)).join('\n'),
    images: await docker('images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', repository),
  };
}

const timings: string[] = [];

before(async () => {
  await ensureDockerReady();
});

after(() => {
  if (timings.length > 0) process.stdout.write(`\ncompare --run times:\n${timings.join('\n')}\n`);
});

describe('compare --run on a web service that reads templates and .env, writes data and dials TLS', () => {
  let context = '';
  const tag = 'slimfile-test/compare-run-web';

  before(async () => {
    context = await copyOf('web');
    await makeCertificates(context);
  });

  after(async () => {
    if (context) await fs.rm(context, { recursive: true, force: true });
  });

  it('a correct conversion behaves the same: every route the sources register answers alike, and the same file is written', { timeout: 30 * 60_000 }, async () => {
    const { code, json } = await compareRun(context, 'converted.Dockerfile', tag);
    timings.push(`  web converted: ${json.seconds} s`);
    const source = (await fs.readFile(path.join(context, 'main.go'), 'utf8')).split('\n');
    const lineOf = (route: string): number => source.findIndex((line) => line.includes(`http.HandleFunc("${route}"`)) + 1;
    assert.deepEqual(json.routes, ['/', '/greeting', '/visit', '/upstream'].map((route) => `main.go:${lineOf(route)} ${route}`));
    assert.deepEqual(
      json.behaviour.rows.map((r) => `${r.check}: ${r.asWritten} | ${r.minimized} | ${r.same}`),
      [
        'server started: answered | answered | true',
        'GET :8080/greeting: 200 hello from .env | 200 hello from .env | true',
        'GET :8080/: 200 <!doctype html> <title>Corner Shop</tit… | 200 <!doctype html> <title>Corner Shop</tit… | true',
        'GET :8080/visit: 200 counted | 200 counted | true',
        'GET :8080/upstream: 200 hello over TLS | 200 hello over TLS | true',
        'files written (docker diff): 1 path(s), the same | 1 path(s), the same | true',
      ],
    );
    assert.equal(json.verdict, 'same');
    assert.equal(code, 0);
    assert.deepEqual(await leftovers(tag), { containers: '', images: '' });
  });

  // A row given as a pattern may read two ways: the TLS case logs two errors at once, the client's
  // x509 error and the TLS server's handshake error, and which one the log holds first is a race.
  const broken: ReadonlyArray<{ file: string; what: string; rows: Array<string | RegExp>; causes: string[] }> = [
    {
      file: 'no-template.Dockerfile',
      what: 'the template left out',
      rows: ['GET :8080/: 200 <!doctype html> <title>Corner Shop</tit… | 500 open templates/index.html: no such file…', 'first error line: (none) | <date> error: open templates/index.html: no such file or directory'],
      causes: ['no such file or directory: templates/index.html is not in the image: a file the program reads at run time (template, config, .env, data) or the loader of a dynamically linked binary was left out of the final stage.'],
    },
    {
      file: 'no-env.Dockerfile',
      what: '.env left out',
      rows: ['GET :8080/greeting: 200 hello from .env | 500 open .env: no such file or directory', 'first error line: (none) | <date> error: open .env: no such file or directory'],
      causes: ['no such file or directory: .env is not in the image: a file the program reads at run time (template, config, .env, data) or the loader of a dynamically linked binary was left out of the final stage.'],
    },
    {
      file: 'root-data.Dockerfile',
      what: 'a data folder the nonroot user cannot write',
      rows: [
        'GET :8080/visit: 200 counted | 500 open data/visits.txt: permission denied',
        'first error line: (none) | <date> error: open data/visits.txt: permission denied',
        'files written (docker diff): 1 path(s); only here: +/app/data/visits.txt | none',
      ],
      causes: ["permission denied: data/visits.txt cannot be used by the image's user: a folder the program writes is owned by root, or a file is not readable by a non-root user."],
    },
    {
      file: 'no-ca-bundle.Dockerfile',
      what: 'the CA bundle left out, against the local TLS server',
      rows: [
        'GET :8080/upstream: 200 hello over TLS | 500 Get "https://localhost:8443/": x509: ce…',
        /^first error line: \(none\) \| <date> (http: TLS handshake error from 127\.0\.0\.1:<port>: remote error: tls: bad certificate|error: Get "https:\/\/localhost:8443\/": x509: certificate signed by unknown authority)$/,
      ],
      causes: ['x509: certificate signed by unknown authority: the image has no CA bundle (or not the one that trusts this server): TLS connections fail.'],
    },
  ];

  for (const c of broken) {
    it(`${c.what}: different, on that probe, with the cause named`, { timeout: 30 * 60_000 }, async () => {
      const { code, json } = await compareRun(context, c.file, tag);
      timings.push(`  web ${c.file}: ${json.seconds} s`);
      const rows = differing(json.behaviour);
      assert.equal(rows.length, c.rows.length, rows.join('\n'));
      c.rows.forEach((expected, i) => (typeof expected === 'string' ? assert.equal(rows[i], expected) : assert.match(rows[i] as string, expected)));
      assert.deepEqual(causes(json.behaviour), c.causes);
      assert.equal(json.verdict, 'different');
      assert.equal(code, 1);
    });
  }

  it('cancelled with Ctrl+C while the images run, it leaves no container and no image behind', { timeout: 30 * 60_000 }, async () => {
    const before = await leftovers(tag);
    const child = spawn(process.execPath, [CLI, 'compare', '--run', '--tag', tag, path.join(context, 'Dockerfile'), path.join(context, 'converted.Dockerfile')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitForLine(child, /^Running slimfile-test\/compare-run-web:original/);
    // The container exists once the line is printed; it is what must not survive the cancel.
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.deepEqual(await leftovers(tag), before);
    assert.deepEqual(before, { containers: '', images: '' });
  });
});

describe('compare --run on a C program linked against zlib, which exits by itself', () => {
  let context = '';
  const tag = 'slimfile-test/compare-run-zlib';

  before(async () => {
    context = await copyOf('zlib');
  });

  after(async () => {
    if (context) await fs.rm(context, { recursive: true, force: true });
  });

  it('with the library copied: same exit code and output', { timeout: 30 * 60_000 }, async () => {
    const { code, json } = await compareRun(context, 'converted.Dockerfile', tag);
    timings.push(`  zlib converted: ${json.seconds} s`);
    assert.deepEqual(
      json.behaviour.rows.map((r) => `${r.check}: ${r.asWritten} | ${r.minimized} | ${r.same}`),
      ['exit code: exit 0 | exit 0 | true', 'stdout: zlib 1.2.13 | zlib 1.2.13 | true', 'files written (docker diff): none | none | true'],
    );
    assert.equal(code, 0);
  });

  it('with the shared library left out: different, with the library named', { timeout: 30 * 60_000 }, async () => {
    const { code, json } = await compareRun(context, 'no-libz.Dockerfile', tag);
    timings.push(`  zlib no-libz: ${json.seconds} s`);
    assert.deepEqual(differing(json.behaviour), [
      'exit code: exit 0 | exit 127',
      'stdout: zlib 1.2.13 | (empty)',
      'stderr: (empty) | /app/zversion: error while loading shared libraries: libz.s…',
      'first error line: (none) | /app/zversion: error while loading shared libraries: libz.so.1: cannot open shared object file: No such file or directory',
    ]);
    assert.deepEqual(causes(json.behaviour), ['error while loading shared libraries: libz.so.1 is not in the runtime image: the binary is dynamically linked against it.']);
    assert.equal(code, 1);
  });
});
