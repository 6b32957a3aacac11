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
import { docker, ensureDockerReady, formatMB, ROOT, run, slimfile } from './helpers';

interface CompareJson {
  original: { bytes: number; image: string; seconds: number };
  minimized: { bytes: number; image: string; seconds: number };
}

const RESULTS = path.join(ROOT, 'test', 'docker', 'results-c.json');
const results: Record<string, unknown> = {};
const INPUT = 'the quick brown fox\njumps over\nthe lazy dog\n';

async function runWithInput(image: string, input: string): Promise<{ code: number | null; output: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-c-in-'));
  try {
    await fs.writeFile(path.join(dir, 'input'), input);
    // docker run -i reads the test's stdin; a shell redirect is the simplest way to give it one.
    const ran = await run('bash', ['-c', `docker run --rm -i ${image} < ${path.join(dir, 'input')}`], { timeoutMs: 60_000 });
    return { code: ran.code, output: `${ran.stdout}${ran.stderr}` };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function findingsOf(dir: string): Promise<Array<{ rule: string; message: string }>> {
  const ran = await slimfile(['check', '--format', 'json', path.join(dir, 'Dockerfile')]);
  return JSON.parse(ran.stdout) as Array<{ rule: string; message: string }>;
}

before(async () => {
  await ensureDockerReady();
});

after(async () => {
  if (Object.keys(results).length === 0) return;
  await fs.writeFile(RESULTS, `${JSON.stringify({ engine: await docker('version', '--format', '{{.Server.Version}}'), date: new Date().toISOString(), ...results }, null, 2)}\n`);
});

describe('examples/c-wordcount', () => {
  it('builds as written and minimized; both count the same; 20x smaller; estimate within 10%', async () => {
    const ran = await slimfile(['compare', '--format', 'json', '--no-cache', '--tag', 'slimfile-test/c-wordcount', path.join('examples', 'c-wordcount', 'Dockerfile')]);
    assert.equal(ran.code, 0, `slimfile compare failed:\n${ran.stderr.slice(-4000)}`);
    const result = JSON.parse(ran.stdout) as CompareJson;
    const naive = await runWithInput(result.original.image, INPUT);
    const minimized = await runWithInput(result.minimized.image, INPUT);
    assert.deepEqual(minimized, { code: 0, output: '3 lines, 9 words, 44 bytes\n' });
    assert.deepEqual(naive, minimized);
    const estimate = await slimfile(['estimate', '--format', 'json', path.join('examples', 'c-wordcount', 'Dockerfile')]);
    const estimated = JSON.parse(estimate.stdout) as { current: { bytes: number }; minimized: { bytes: number; unknowns: string[] } };
    const ratio = result.original.bytes / result.minimized.bytes;
    const off = (estimated.minimized.bytes - result.minimized.bytes) / result.minimized.bytes;
    results['c-wordcount'] = {
      naiveBytes: result.original.bytes,
      minimizedBytes: result.minimized.bytes,
      ratio: Number(ratio.toFixed(1)),
      estimateNaive: estimated.current.bytes,
      estimateNaiveOffPercent: Number((((estimated.current.bytes - result.original.bytes) / result.original.bytes) * 100).toFixed(1)),
      estimateMinimized: estimated.minimized.bytes,
      estimateOffPercent: Number((off * 100).toFixed(1)),
      estimateLeavesOut: estimated.minimized.unknowns,
      naiveBuildSeconds: result.original.seconds,
      minimizedBuildSeconds: result.minimized.seconds,
    };
    process.stdout.write(`c-wordcount: ${formatMB(result.original.bytes)} -> ${formatMB(result.minimized.bytes)} (${ratio.toFixed(1)}x), estimate ${formatMB(estimated.minimized.bytes)} (${(off * 100).toFixed(1)}% off)\n`);
    assert.ok(ratio >= 20, `only ${ratio.toFixed(1)}x smaller`);
    assert.ok(Math.abs(off) <= 0.1, `estimate ${estimated.minimized.bytes} is ${(off * 100).toFixed(1)}% off ${result.minimized.bytes}`);
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
    results.staticOnScratch = { bytes: Number(await docker('image', 'inspect', '--format', '{{.Size}}', built.id)) };
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
    results.glibcOnMusl = { printed, exitCode: ran.code };
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
    results.alpineWithoutBuildBase = { printed, exitCode: ran.code };
  });
});
