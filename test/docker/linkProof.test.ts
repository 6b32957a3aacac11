// The build-stage proof that C, C++ and Rust conversions add (languages/compiled.ts linkProof), run
// on the engine: on a binary that links only what distroless cc has, the build passes; on one that
// links libcrypt (Debian's libcrypt1, which distroless cc lacks), the build fails and says which
// library and package. Stand-ins: gcc:12 (Debian bookworm's gcc, test/e2e/stand-ins/c.sh).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { linkProof } from '../../server/src/analysis/languages/compiled';
import { docker, ensureDockerReady } from './helpers';

const PROGRAM = '#include <iostream>\n#include <unistd.h>\nint main() { std::cout << "hello" << std::endl; return 0; }\n';
const CRYPT = '#include <crypt.h>\n#include <stdio.h>\nint main() { puts(crypt("secret", "ab")); return 0; }\n';

describe('the build-stage proof of what a binary links (linkProof)', () => {
  let temp: string;
  const images: string[] = [];
  before(async () => {
    await ensureDockerReady();
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-link-proof-'));
    await fs.writeFile(path.join(temp, 'hello.cpp'), PROGRAM);
    await fs.writeFile(path.join(temp, 'crypt.c'), CRYPT);
  });
  after(async () => {
    for (const image of images) await docker('image', 'rm', '-f', image).catch(() => undefined);
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  async function build(name: string, compile: string, binary: string): Promise<void> {
    const proof = linkProof([binary], 'gcr.io/distroless/cc-debian12', '\n');
    assert.ok(proof, 'a proof for distroless cc on Debian 12');
    const text = ['FROM gcc:12 AS build', 'WORKDIR /app', 'COPY . .', `RUN ${compile}`, ...proof, ''].join('\n');
    await fs.writeFile(path.join(temp, `Dockerfile.${name}`), text);
    const tag = `slimfile-test/link-proof-${name}`;
    images.push(tag);
    await buildImage(await connectEngine(), { contextDir: temp, dockerfilePath: path.join(temp, `Dockerfile.${name}`), tag });
  }

  it('passes for a C++ program that links libstdc++, libgcc_s and libc', async () => {
    await build('cxx', 'g++ -O2 -o hello hello.cpp', '/app/hello');
  });

  it('fails the build naming libcrypt.so.1 and its package for a program that links it', async () => {
    await assert.rejects(build('crypt', 'gcc -O2 -o crypt crypt.c -lcrypt', '/app/crypt'), (error: Error) => {
      assert.match(error.message, /Slimfile: \/app\/crypt links \S*libcrypt\.so\.1 \(libcrypt1\), which gcr\.io\/distroless\/cc-debian12 does not have/);
      return true;
    });
  });
});
