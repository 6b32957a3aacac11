// Node and Python programs with native code, on a real engine: the naive image and Minimize's
// conversion (a wheel stage or a build stage on the full image, the slim runtime of the same
// Debian release) are built, run and asked the same requests, and must answer the same without a
// compiler in the runtime. The build-stage link check must fail the build, naming the packages,
// when an extension links a library the slim image lacks.
//
// Build containers here reach neither PyPI nor the npm registry, so the fixtures need neither:
// Python's extension is a vendored source archive (pip --no-index --find-links=vendor), and the
// Node addon is a local package (file:native/wordhash) installed with npm ci --offline; nothing is
// installed on the host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { docker, ensureDockerReady, fetchOnceListening, run, slimfile, waitForContainerLog } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'languages');
const images: string[] = [];
const temps: string[] = [];

before(async () => {
  await ensureDockerReady();
});

after(async () => {
  for (const image of images) await docker('image', 'rm', '-f', image).catch(() => undefined);
  for (const temp of temps) await fs.rm(temp, { recursive: true, force: true });
});

async function copyOf(fixture: string): Promise<string> {
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-${fixture}-`));
  temps.push(temp);
  await fs.cp(path.join(FIXTURES, fixture), temp, { recursive: true });
  return temp;
}

async function build(dir: string, name: string, text: string, onLog?: (line: string) => void): Promise<string> {
  const file = path.join(dir, `Dockerfile.${name}`);
  await fs.writeFile(file, text);
  const tag = `slimfile-test/native-${path.basename(dir).toLowerCase().replace(/[^a-z0-9-]/g, '')}-${name}`;
  images.push(tag);
  await buildImage(await connectEngine(), { contextDir: dir, dockerfilePath: file, tag }, onLog ? { onLog } : {});
  return tag;
}

async function minimized(dir: string): Promise<string> {
  const ran = await slimfile(['minimize', path.join(dir, 'Dockerfile')]);
  assert.equal(ran.code, 0, ran.stderr);
  return ran.stdout.replace(/\n(applied|left as is)[^\n]*(\n {4}[^\n]*)*/g, '').trimEnd() + '\n';
}

/** Status and body of each request, and whether the image has a C compiler. */
async function answers(image: string, port: number, ready: RegExp, paths: readonly string[]): Promise<string[]> {
  const container = await docker('run', '-d', '-p', `127.0.0.1::${port}`, image);
  try {
    await waitForContainerLog(container, ready);
    const host = (await docker('port', container, `${port}/tcp`)).split('\n')[0]?.split(':').pop();
    const out: string[] = [];
    for (const p of paths) {
      const response = await fetchOnceListening(`http://127.0.0.1:${host}${p}`);
      out.push(`${p} ${response.status} ${(await response.text()).trim()}`);
    }
    const compiler = await run('docker', ['exec', container, 'sh', '-c', 'command -v gcc cc g++ || true']);
    out.push(`compiler: ${compiler.stdout.trim() || 'none'}`);
    return out;
  } finally {
    await docker('rm', '-f', container);
  }
}

describe('Python: a vendored C extension built into a wheel on python:3.11-bookworm, run on python:3.11-slim-bookworm', () => {
  it('answers the same pages, static file, checksum and 404, with no compiler in the runtime', { timeout: 20 * 60_000 }, async () => {
    const dir = await copyOf('python-native-wheels');
    const naive = await fs.readFile(path.join(dir, 'Dockerfile'), 'utf8');
    const converted = await minimized(dir);
    assert.match(converted, /^FROM python:3\.11-bookworm AS wheels$/m);
    assert.match(converted, /^RUN pip wheel --wheel-dir \/wheels --no-cache-dir --no-build-isolation --no-index --find-links=vendor -r requirements\.txt$/m);
    assert.match(converted, /^FROM python:3\.11-slim-bookworm$/m);
    const paths = ['/', '/static/site.css', '/checksum', '/nothing-here'];
    const before = await answers(await build(dir, 'naive', naive), 8080, /listening on :8080/, paths);
    assert.match(before[2] ?? '', /^\/checksum 200 [0-9a-f]{8}$/, 'the extension answers');
    assert.notEqual(before[4], 'compiler: none', 'the naive image has the compiler');
    const after = await answers(await build(dir, 'converted', converted), 8080, /listening on :8080/, paths);
    assert.deepEqual(after.slice(0, 4), before.slice(0, 4));
    assert.equal(after[4], 'compiler: none');
  });

  it('fails the wheel stage, naming the packages, when the extension links a library the slim image lacks (libcurl)', { timeout: 20 * 60_000 }, async () => {
    const dir = await copyOf('python-native-wheels');
    // The same extension, now also linking libcurl.so.4, which python:3.11 has and its slim image does not.
    const source = path.join(dir, 'vendor-src', 'fastcrc-1.0');
    await fs.writeFile(path.join(source, 'setup.py'), (await fs.readFile(path.join(source, 'setup.py'), 'utf8')).replace('"-l:libz.so.1"', '"-l:libz.so.1", "-l:libcurl.so.4"'));
    // It must call into libcurl, or the linker (--as-needed) drops the library.
    const c = await fs.readFile(path.join(source, 'fastcrc.c'), 'utf8');
    await fs.writeFile(
      path.join(source, 'fastcrc.c'),
      c.replace(/^unsigned long crc32.*$/m, (line) => `${line}\nconst char *curl_version(void);`).replace('return PyLong_FromUnsignedLong(value);', 'return curl_version() ? PyLong_FromUnsignedLong(value) : NULL;'),
    );
    await fs.rm(path.join(dir, 'vendor', 'fastcrc-1.0.tar.gz'));
    const tar = await run('tar', ['-czf', path.join(dir, 'vendor', 'fastcrc-1.0.tar.gz'), '-C', path.join(dir, 'vendor-src'), 'fastcrc-1.0']);
    assert.equal(tar.code, 0, tar.stderr);
    const log: string[] = [];
    await assert.rejects(build(dir, 'links-curl', await minimized(dir), (line) => log.push(line)));
    const lacking = log.find((line) => /slimfile: python:3\.11-slim-bookworm lacks .*libcurl4/.test(line));
    assert.ok(lacking, `the build names libcurl4:\n${log.filter((l) => l.includes('slimfile:')).join('\n')}`);
  });
});

describe('Node: a node-gyp addon built on node:18, run on node:18-slim with node_modules copied', () => {
  it('answers the same page, stylesheet, word of the day and 404; npm start became node server.js', { timeout: 20 * 60_000 }, async () => {
    const dir = await copyOf('node-native-addon');
    const naive = await fs.readFile(path.join(dir, 'Dockerfile'), 'utf8');
    const converted = await minimized(dir);
    assert.match(converted, /^FROM node:18 AS build$/m);
    assert.match(converted, /^FROM node:18-slim$/m);
    assert.match(converted, /^COPY --from=build \/usr\/src\/app \/usr\/src\/app$/m);
    assert.match(converted, /^CMD \["node", "server\.js"\]$/m);
    const paths = ['/', '/site.css', '/word', '/nothing-here'];
    const before = await answers(await build(dir, 'naive', naive), 3000, /listening on :3000/, paths);
    assert.equal(before[2], '/word 200 quartz', 'the addon picks the word');
    const after = await answers(await build(dir, 'converted', converted), 3000, /listening on :3000/, paths);
    assert.deepEqual(after.slice(0, 4), before.slice(0, 4));
    assert.equal(after[4], 'compiler: none');
  });
});
