// Language detection: which language a Dockerfile builds decides which language rules run. A
// file with no recognizable language must get none of them, and Go files keep their findings.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, describeBase } from '../../server/src/analysis';
import { detectLanguages, languageEvidence } from '../../server/src/analysis/languages/detect';
import { parseImageReference } from '../../server/src/analysis/imageRef';
import { emptyProject, type ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';
import { RULES } from '../../server/src/analysis/rules';
import { cargoBuilds, readCargoToml } from '../../server/src/analysis/languages/rust/rust';
import { cBuilds } from '../../server/src/analysis/languages/c/c';

function languagesOf(dockerfile: string, project: ProjectFacts = emptyProject()): string[] {
  return [...detectLanguages(parseDockerfile(dockerfile), project)].sort();
}

function withManifests(files: Record<string, string>): ProjectFacts {
  return { ...emptyProject(), contextDir: '/ctx', manifests: new Map(Object.entries(files)) };
}

test('base images name their language', () => {
  assert.deepStrictEqual(languagesOf('FROM rust:1.79\nRUN echo hi\n'), ['rust']);
  assert.deepStrictEqual(languagesOf('FROM gcc:14 AS build\nFROM debian:bookworm-slim\n'), ['c']);
  assert.deepStrictEqual(languagesOf('FROM maven:3.9-eclipse-temurin-17 AS build\nFROM eclipse-temurin:17-jre\n'), ['java']);
  assert.deepStrictEqual(languagesOf('FROM node:20-slim\n'), ['node']);
  assert.deepStrictEqual(languagesOf('FROM python:3.12-alpine\n'), ['python']);
  assert.deepStrictEqual(languagesOf('FROM golang:1.22\nRUN go build -o /app .\n'), ['go']);
});

test('manifests in the context and build commands name their language', () => {
  assert.deepStrictEqual(languagesOf('FROM debian:bookworm\n', withManifests({ 'Cargo.toml': '[package]\nname = "x"\n' })), ['rust']);
  assert.deepStrictEqual(languagesOf('FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc\nRUN gcc -O2 -o /hello hello.c\n'), ['c']);
  assert.deepStrictEqual(languagesOf('FROM ubuntu:22.04\nRUN pip3 install --no-cache-dir flask\n'), ['python']);
  const evidence = languageEvidence(parseDockerfile('FROM rust:1.79\nRUN cargo build --release\n'), withManifests({ 'Cargo.toml': '' }));
  assert.deepStrictEqual(evidence.map((e) => e.why), ['FROM rust:1.79', 'Cargo.toml in the build context', 'RUN cargo']);
});

test('a file with no recognizable language has none', () => {
  assert.deepStrictEqual(languagesOf('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCMD ["curl", "--version"]\n'), []);
  assert.deepStrictEqual(languagesOf('FROM alpine:3.20\nRUN make\n'), []);
  assert.deepStrictEqual(languagesOf(''), []);
});

test('language images say what they provide', () => {
  const facts = (name: string) => describeBase(parseImageReference(name));
  assert.deepStrictEqual(
    [facts('rust:1.79-alpine3.20'), facts('rust:1.79-slim-bookworm'), facts('gcc:14')].map((f) => [f.kind, f.language, f.languageVersion, f.os, f.release, f.libc]),
    [
      ['toolchain', 'rust', '1.79', 'alpine', '3.20', 'musl'],
      ['toolchain', 'rust', '1.79', 'debian', '12', 'glibc'],
      ['toolchain', 'c', '14', 'debian', undefined, 'glibc'],
    ],
  );
  assert.equal(facts('eclipse-temurin:17-jre').kind, 'language-runtime');
  assert.equal(facts('node:20').kind, 'toolchain');
  assert.equal(facts('python:3.12-slim').kind, 'language-runtime');
  // Names that are not a language's keep what baseImage.ts knew.
  assert.equal(facts('debian:bookworm').kind, 'os');
  assert.equal(facts('example.com/rustacean:1').kind, 'unknown');
});

test('the workspace reads manifests the engine receives, not ignored ones', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-lang-'));
  try {
    writeFileSync(path.join(dir, 'Cargo.toml'), '[package]\nname = "hello"\n');
    writeFileSync(path.join(dir, 'package.json'), '{}');
    writeFileSync(path.join(dir, '.dockerignore'), 'package.json\n');
    const project = await loadProject(dir, { maxGoFiles: 10 });
    assert.deepStrictEqual([...project.manifests.keys()], ['Cargo.toml']);
    assert.equal(project.manifests.get('Cargo.toml'), '[package]\nname = "hello"\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every rule, of every language, has its section in docs/rules.md', () => {
  const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
  const missing = RULES.filter((r) => !new RegExp(`^## ${r.id}$`, 'm').test(docs)).map((r) => r.id);
  assert.deepStrictEqual(missing, []);
});

test('Cargo.toml: binaries from [[bin]] or the package name, rust-version, the release profile; a broken file says why', () => {
  const manifest = readCargoToml('[package]\nname = "tool"\nrust-version = "1.74"\n\n[[bin]]\nname = "tool-cli"\npath = "src/cli.rs"\n\n[profile.release]\nstrip = true\nlto = "thin"\n\n[dependencies]\nserde = "1"\n');
  assert.deepStrictEqual(
    { bins: manifest.binaries, rv: manifest.rustVersion, profile: { ...manifest.releaseProfile }, deps: manifest.dependencies, problem: manifest.problem },
    { bins: ['tool-cli'], rv: '1.74', profile: { strip: true, lto: 'thin' }, deps: ['serde'], problem: undefined },
  );
  assert.deepStrictEqual(readCargoToml('[package]\nname = "hello"\n').binaries, ['hello']);
  const broken = readCargoToml('[package\nname = ');
  assert.equal(broken.binaries.length, 0);
  assert.ok(broken.problem && broken.problem.length > 0);
});

test('cargo builds: where the binary lands and how it links', () => {
  const project = { ...withManifests({ 'Cargo.toml': '[package]\nname = "app"\n' }), contextListing: { files: new Map([['Cargo.toml', 20]]), directories: new Set<string>(), privateFiles: new Set<string>(), truncated: false } };
  const builds = (text: string) => cargoBuilds(parseDockerfile(text), project).map((b) => ({ binaries: b.binaries, linkage: b.linkage, unknown: b.unknownOutput }));
  assert.deepStrictEqual(builds('FROM rust:1.79-bookworm\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n'), [{ binaries: ['/src/target/release/app'], linkage: 'glibc', unknown: undefined }]);
  assert.deepStrictEqual(builds('FROM rust:1.79\nWORKDIR /src\nCOPY . .\nRUN RUSTFLAGS="-C target-feature=+crt-static" cargo build -r --target x86_64-unknown-linux-gnu --target-dir /out\n'), [{ binaries: ['/out/x86_64-unknown-linux-gnu/release/app'], linkage: 'static', unknown: undefined }]);
  assert.deepStrictEqual(builds('FROM rust:1.79-alpine\nWORKDIR /src\nCOPY . .\nRUN cargo install --path .\n'), [{ binaries: ['/usr/local/cargo/bin/app'], linkage: 'static', unknown: undefined }]);
  assert.deepStrictEqual(builds('FROM rust:1.79\nWORKDIR /src\nCOPY src src\nRUN cargo build\n'), [{ binaries: [], linkage: 'glibc', unknown: 'no COPY puts Cargo.toml into /src before the build' }]);
  assert.deepStrictEqual(builds('FROM rust:1.79\nRUN cargo install ripgrep\n'), []);
});

test('C compiler calls: output, static, C++, extra libraries; -c builds no program', () => {
  const builds = (text: string) => cBuilds(parseDockerfile(text)).map((b) => ({ binaries: b.binaries, linkage: b.linkage, cxx: b.needsGccRuntime, libraries: b.libraries }));
  assert.deepStrictEqual(builds('FROM gcc:14\nWORKDIR /src\nCOPY . .\nRUN gcc -c util.c && gcc -O2 -o app main.c util.o -lm -lssl\n'), [{ binaries: ['/src/app'], linkage: 'glibc', cxx: false, libraries: ['ssl'] }]);
  assert.deepStrictEqual(builds('FROM gcc:14\nRUN cd /src && g++ -static main.cpp\n'), [{ binaries: ['/src/a.out'], linkage: 'static', cxx: true, libraries: [] }]);
  assert.deepStrictEqual(builds('FROM gcc:14\nRUN musl-gcc -o /hello hello.c\n'), [{ binaries: ['/hello'], linkage: 'musl', cxx: false, libraries: [] }]);
});
