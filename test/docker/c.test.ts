// C/C++ on the engine: examples/c-wordcount built as written and minimized (through `slimfile
// compare`) must give the same answer and be much smaller; a -static binary minimized onto scratch
// must run; and the failures the C rules quote (a glibc binary on a musl runtime, gcc on alpine
// without build-base) must be what the engine prints. Stand-ins: test/e2e/stand-ins/c.sh.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { parseDockerfile } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { loadProject } from '../../server/src/workspace/project';
import { docker, ensureDockerReady, fetchOnceListening, findingsOf, run, slimfile, waitForContainerLog } from './helpers';
import { assertSizes, compareExample, record } from './languageExample';

const INPUT = 'the quick brown fox\njumps over\nthe lazy dog\n';

before(async () => {
  await ensureDockerReady();
});

describe('examples/c-wordcount', () => {
  it('builds as written and minimized; both count the same; 20x smaller; estimate within 10%', async () => {
    const row = await compareExample('c-wordcount', '3 lines, 9 words, 44 bytes\n', INPUT);
    // The catalog has no byte-exact figure for distroless base; the estimate names it as left out.
    assertSizes(row, 20, 10, 'gcr.io/distroless/base-debian12:nonroot');
  });
});

describe('C binaries on other runtimes', () => {
  let temp: string;
  before(async () => {
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-c-'));
  });
  after(async () => {
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  async function project(name: string, dockerfile: string): Promise<string> {
    const dir = path.join(temp, name);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'hello.c'), '#include <stdio.h>\n\nint main(void) {\n    puts("hello from C");\n    return 0;\n}\n');
    await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile);
    return dir;
  }

  it('a -static binary minimized onto scratch runs and prints the same', async () => {
    const dir = await project('static', 'FROM gcc:12-bookworm\nWORKDIR /src\nCOPY hello.c .\nRUN gcc -O2 -static -o hello hello.c\nCMD ["./hello"]\n');
    const minimized = await slimfile(['minimize', path.join(dir, 'Dockerfile')]);
    assert.match(minimized.stdout, /^FROM scratch$/m, minimized.stdout);
    await fs.writeFile(path.join(dir, 'Dockerfile.min'), minimized.stdout.replace(/^applied:.*$/gm, ''));
    const engine = await connectEngine();
    const built = await buildImage(engine, { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile.min'), tag: 'slimfile-test/c-static-scratch' });
    const ran = await run('docker', ['run', '--rm', 'slimfile-test/c-static-scratch'], { timeoutMs: 60_000 });
    assert.deepEqual({ code: ran.code, out: ran.stdout }, { code: 0, out: 'hello from C\n' });
    await record({ example: 'c: -static on scratch', bytes: Number(await docker('image', 'inspect', '--format', '{{.Size}}', built.id)) });
  });

  it('a glibc binary on the musl runtime fails to start with the text c-libc-mismatch quotes', async () => {
    const dir = await project('glibc-on-musl', 'FROM gcc:12-bookworm AS build\nWORKDIR /src\nCOPY hello.c .\nRUN gcc -O2 -o /hello hello.c\n\nFROM alpine:3.20\nCOPY --from=build /hello /usr/local/bin/hello\nCMD ["/usr/local/bin/hello"]\n');
    const finding = (await findingsOf(dir)).find((f) => f.rule === 'c-libc-mismatch');
    assert.ok(finding, 'c-libc-mismatch fires');
    await buildImage(await connectEngine(), { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag: 'slimfile-test/c-glibc-on-musl' });
    const ran = await run('docker', ['run', '--rm', 'slimfile-test/c-glibc-on-musl'], { timeoutMs: 60_000 });
    assert.notEqual(ran.code, 0);
    const printed = `${ran.stdout}${ran.stderr}`.trim();
    assert.equal(printed, 'exec /usr/local/bin/hello: no such file or directory');
    assert.ok(finding.message.includes(`\`${printed}\``), finding.message);
    await record({ example: 'c: glibc binary on musl', printed, exitCode: ran.code });
  });

  it('gcc on the musl root without build-base fails with the text c-alpine-missing-build-base quotes', async () => {
    const dir = await project('alpine', 'FROM alpine:3.20\nWORKDIR /src\nCOPY hello.c .\nRUN gcc -O2 -o /hello hello.c\n');
    const finding = (await findingsOf(dir)).find((f) => f.rule === 'c-alpine-missing-build-base');
    assert.ok(finding, 'c-alpine-missing-build-base fires');
    // What the RUN step runs: the image's /bin/sh -c with the command.
    const ran = await run('docker', ['run', '--rm', 'alpine:3.20', '/bin/sh', '-c', 'gcc -O2 -o /hello hello.c'], { timeoutMs: 60_000 });
    assert.equal(ran.code, 127);
    const printed = ran.stderr.trim();
    assert.equal(printed, '/bin/sh: gcc: not found');
    assert.ok(finding.message.includes(`"${printed}"`), finding.message);
    await record({ example: 'c: gcc on alpine without build-base', printed, exitCode: ran.code });
  });
});

describe('a C++ server that serves ./www (test/fixtures/rules/c-compiler-in-final-image/cpp-serves-www)', () => {
  const FIXTURE = path.join(__dirname, '..', 'fixtures', 'rules', 'c-compiler-in-final-image', 'cpp-serves-www');
  let temp: string;
  const images: string[] = [];
  before(async () => {
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-cpp-www-'));
    await fs.cp(FIXTURE, temp, { recursive: true, filter: (source) => !/(case\.json|fixed\.Dockerfile)$/.test(source) });
  });
  after(async () => {
    for (const image of images) await docker('image', 'rm', '-f', image).catch(() => undefined);
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  async function build(name: string, text: string): Promise<string> {
    await fs.writeFile(path.join(temp, `Dockerfile.${name}`), text);
    const tag = `slimfile-test/cpp-www-${name}`;
    await buildImage(await connectEngine(), { contextDir: temp, dockerfilePath: path.join(temp, `Dockerfile.${name}`), tag });
    images.push(tag);
    return tag;
  }

  /** The answers to three requests: a page, a nested file and a missing one. */
  async function answers(image: string): Promise<string[]> {
    const container = await docker('run', '-d', '-p', '127.0.0.1::8080', image);
    try {
      await waitForContainerLog(container, /listening on :8080/);
      const port = (await docker('port', container, '8080/tcp')).split('\n')[0]?.split(':').pop();
      const out: string[] = [];
      for (const route of ['/', '/css/site.css', '/missing.html']) {
        const response = await fetchOnceListening(`http://127.0.0.1:${port}${route}`);
        out.push(`${route} ${response.status} ${(await response.text()).trim()}`);
      }
      return out;
    } finally {
      await docker('rm', '-f', container);
    }
  }

  it('the offered conversion keeps www/ and serves the same files; the binary alone answers 404', async () => {
    const naive = await fs.readFile(path.join(temp, 'Dockerfile'), 'utf8');
    const finding = analyze(parseDockerfile(naive), await loadProject(temp, { maxGoFiles: 10 })).find((f) => f.rule === 'c-compiler-in-final-image');
    const fix = finding?.fixes[0];
    assert.ok(fix, 'the rule offers a conversion');
    const converted = applyEdits(naive, fix.edits);
    assert.match(converted, /^COPY --from=build \/app\/www \/app\/www$/m);
    assert.doesNotMatch(converted, /README|docs|Makefile/, 'clutter and build inputs stay behind');
    assert.ok(finding.related.some((r) => r.message.startsWith('Keeps www/ at /app/www')), 'the preview says what was kept and why');

    const before = await answers(await build('naive', naive));
    assert.equal(before[0], '/ 200 <!doctype html>\n<title>Slimfile C++ www</title>\n<link rel="stylesheet" href="/css/site.css">\n<h1>served from ./www</h1>');
    assert.deepEqual(await answers(await build('converted', converted)), before);
    // What the conversion gave before it kept context files: every page is missing.
    const binaryOnly = await answers(await build('binary-only', converted.replace(/^COPY --from=build \/app\/www .*\n/m, '')));
    assert.match(binaryOnly[0] as string, /^\/ 404 /);
  });
});
