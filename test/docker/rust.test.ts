// Rust on the engine: examples/rust-primes built as written and minimized (through `slimfile
// compare`) must print the same, be much smaller and match the estimate; and the failures the Rust
// rules quote (a glibc binary on a musl runtime, a builder older than rust-version) must be what
// the engine really prints. Stand-ins: test/e2e/stand-ins/rust.sh and c.sh.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { docker, ensureDockerReady, formatMB, ROOT, run, slimfile } from './helpers';

interface CompareJson {
  original: { bytes: number; estimate: number | null; image: string; seconds: number };
  minimized: { bytes: number; estimate: number | null; image: string; seconds: number };
}

const RESULTS = path.join(ROOT, 'test', 'docker', 'results-rust.json');
const results: Record<string, unknown> = {};

async function runToEnd(image: string, args: readonly string[] = []): Promise<{ code: number | null; output: string }> {
  const ran = await run('docker', ['run', '--rm', image, ...args], { timeoutMs: 60_000 });
  return { code: ran.code, output: `${ran.stdout}${ran.stderr}` };
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

describe('examples/rust-primes', () => {
  it('builds as written and minimized; both print the same primes; 50x smaller; estimate within 10%', async () => {
    const ran = await slimfile(['compare', '--format', 'json', '--no-cache', '--tag', 'slimfile-test/rust-primes', path.join('examples', 'rust-primes', 'Dockerfile')]);
    assert.equal(ran.code, 0, `slimfile compare failed:\n${ran.stderr.slice(-4000)}`);
    const result = JSON.parse(ran.stdout) as CompareJson;
    const naive = await runToEnd(result.original.image);
    const minimized = await runToEnd(result.minimized.image);
    assert.deepEqual(minimized, { code: 0, output: '15 primes below 50: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]\n' });
    assert.deepEqual(naive, minimized);
    const estimate = await slimfile(['estimate', '--format', 'json', path.join('examples', 'rust-primes', 'Dockerfile')]);
    const estimated = (JSON.parse(estimate.stdout) as { current: { bytes: number }; minimized: { bytes: number } });
    const ratio = result.original.bytes / result.minimized.bytes;
    const off = (estimated.minimized.bytes - result.minimized.bytes) / result.minimized.bytes;
    const offNaive = (estimated.current.bytes - result.original.bytes) / result.original.bytes;
    results['rust-primes'] = {
      naiveBytes: result.original.bytes,
      minimizedBytes: result.minimized.bytes,
      ratio: Number(ratio.toFixed(1)),
      estimateNaive: estimated.current.bytes,
      estimateNaiveOffPercent: Number((offNaive * 100).toFixed(1)),
      estimateMinimized: estimated.minimized.bytes,
      estimateOffPercent: Number((off * 100).toFixed(1)),
      naiveBuildSeconds: result.original.seconds,
      minimizedBuildSeconds: result.minimized.seconds,
    };
    process.stdout.write(`rust-primes: ${formatMB(result.original.bytes)} -> ${formatMB(result.minimized.bytes)} (${ratio.toFixed(1)}x), estimate ${formatMB(estimated.minimized.bytes)} (${(off * 100).toFixed(1)}% off)\n`);
    assert.ok(ratio >= 50, `only ${ratio.toFixed(1)}x smaller`);
    assert.ok(Math.abs(off) <= 0.1, `estimate ${estimated.minimized.bytes} is ${(off * 100).toFixed(1)}% off ${result.minimized.bytes}`);
  });
});

describe('the failures the Rust rules quote', () => {
  let temp: string;
  before(async () => {
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-rust-'));
  });
  after(async () => {
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  async function project(name: string, dockerfile: string, cargoExtra = ''): Promise<string> {
    const dir = path.join(temp, name);
    await fs.mkdir(path.join(dir, 'src'), { recursive: true });
    await fs.writeFile(path.join(dir, 'Cargo.toml'), `[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2021"\n${cargoExtra}`);
    await fs.writeFile(path.join(dir, 'src', 'main.rs'), 'fn main() {\n    println!("hello");\n}\n');
    await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile);
    return dir;
  }

  it('a glibc binary on the musl runtime fails to start with the text rust-libc-mismatch quotes', async () => {
    const dir = await project('glibc-on-musl', 'FROM rust:1.63-bookworm AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n\nFROM alpine:3.20\nCOPY --from=build /app/target/release/hello /usr/local/bin/hello\nCMD ["/usr/local/bin/hello"]\n');
    const finding = (await findingsOf(dir)).find((f) => f.rule === 'rust-libc-mismatch');
    assert.ok(finding, 'rust-libc-mismatch fires');
    await buildImage(await connectEngine(), { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag: 'slimfile-test/rust-glibc-on-musl' });
    const ran = await runToEnd('slimfile-test/rust-glibc-on-musl');
    assert.notEqual(ran.code, 0);
    const printed = ran.output.trim();
    assert.equal(printed, 'exec /usr/local/bin/hello: no such file or directory');
    assert.ok(finding.message.includes(`\`${printed}\``), `the message quotes what the engine printed: ${finding.message}`);
    results.glibcOnMusl = { printed, exitCode: ran.code };
  });

  it('a builder older than rust-version fails with the text rust-builder-older-than-rust-version quotes', async () => {
    const dir = await project('too-old', 'FROM rust:1.63-bookworm\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n', 'rust-version = "1.70"\n');
    const finding = (await findingsOf(dir)).find((f) => f.rule === 'rust-builder-older-than-rust-version');
    assert.ok(finding, 'rust-builder-older-than-rust-version fires');
    const ran = await run('docker', ['run', '--rm', '-v', `${dir}:/app`, '-w', '/app', '-e', 'CARGO_TARGET_DIR=/tmp/target', 'rust:1.63-bookworm', 'cargo', 'build', '--release'], { timeoutMs: 120_000 });
    assert.notEqual(ran.code, 0);
    const line = ran.stderr.split('\n').find((l) => l.startsWith('error:')) ?? '';
    assert.match(line, /^error: package `hello v0\.1\.0 \(\/app\)` cannot be built because it requires rustc 1\.70 or newer, while the currently active rustc version is 1\.63\.0/);
    assert.ok(finding.message.includes('cannot be built because it requires rustc 1.70 or newer, while the currently active rustc version is 1.63'), finding.message);
    results.builderTooOld = { printed: line };
  });
});
