// What the Rust and C/C++ conversions do with the packages the final stage installs, from the
// package classes: build-only ones stay in the build stage, libraries stay there only when nothing
// at run time can need them or the build stage's link check proves the runtime has them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { decideCompiledPackages, type CompiledRuntimeFacts } from '../../server/src/analysis/packages/compiledPackages';

const decide = (packages: string, runtime: CompiledRuntimeFacts): ReturnType<typeof decideCompiledPackages> => {
  const model = parseDockerfile(`FROM rust:1.63-bookworm\nRUN apt-get update && apt-get install -y ${packages}\nRUN cargo build --release\n`);
  return decideCompiledPackages(model.stages[0] as NonNullable<(typeof model.stages)[0]>, runtime);
};
const distroless: CompiledRuntimeFacts = { linkage: 'glibc', runtimeImage: 'gcr.io/distroless/cc-debian12', linkProof: true };

test('libssl-dev and pkg-config on distroless with the link check: both stay in the build stage, each named with why', () => {
  assert.deepEqual(decide('libssl-dev pkg-config', distroless), {
    refusals: [],
    problems: [],
    notes: ['Not in the runtime: pkg-config, used only to build.', "Not in the runtime: libssl-dev: the build stage's link check fails the build if the binary links a library gcr.io/distroless/cc-debian12 does not have."],
  });
});

test('what the old name patterns accepted is still accepted: compilers, libc headers, musl tools, lld, ca-certificates', () => {
  const accepted = decide('gcc g++ clang lld make cmake musl-dev musl-tools libc6-dev linux-headers-amd64 pkgconf binutils ca-certificates git protobuf-compiler ninja-build meson autoconf automake libtool', { linkage: 'musl', runtimeImage: 'alpine:3.20', linkProof: false });
  assert.deepEqual([accepted.refusals, accepted.problems], [[], []]);
});

test('a static binary links no library: libpq-dev and libpq5 are left behind', () => {
  assert.deepEqual(decide('libpq-dev libpq5', { linkage: 'static', runtimeImage: 'scratch', linkProof: false }).notes, ['Not in the runtime: libpq-dev, libpq5: the binary is static and links no shared library.']);
});

test('a musl binary on Alpine with no link check: a library header set is left for review, not dropped silently', () => {
  const decided = decide('openssl-dev', { linkage: 'musl', runtimeImage: 'alpine:3.20', linkProof: false });
  assert.deepEqual(decided.problems, ['whether the binary links the library of openssl-dev is not known, and nothing checks that alpine:3.20 has it']);
  assert.deepEqual(decided.refusals, []);
});

test('programs, unknown packages and files the runtime lacks still refuse', () => {
  assert.deepEqual(decide('curl ffmpeg', distroless).refusals, ['the image installs packages the program may use at run time (curl, ffmpeg), which the small runtime lacks']);
  assert.deepEqual(decide('tzdata', { linkage: 'static', runtimeImage: 'scratch', linkProof: false }).refusals, ['the image installs tzdata, whose files scratch lacks']);
  assert.deepEqual(decide('tzdata', distroless).refusals, [], 'distroless has the zone files');
});
