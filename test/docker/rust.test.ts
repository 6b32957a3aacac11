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
import { ensureDockerReady, findingsOf, run } from './helpers';
import { assertSizes, compareExample, record, runToEnd } from './languageExample';

before(async () => {
  await ensureDockerReady();
});

describe('examples/rust-primes', () => {
  it('builds as written and minimized; both print the same primes; 50x smaller; estimate within 10%', async () => {
    const row = await compareExample('rust-primes', '15 primes below 50: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]\n');
    // The catalog has no byte-exact figure for distroless cc; the estimate names it as left out.
    assertSizes(row, 50, 10, 'gcr.io/distroless/cc-debian12:nonroot');
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
    await record({ example: 'rust: glibc binary on musl', printed, exitCode: ran.code });
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
    await record({ example: 'rust: builder older than rust-version', printed: line });
  });
});
