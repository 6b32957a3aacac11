// The build-stage proofs that conversions add, run on the engine. C, C++ and Rust
// (languages/compiled.ts linkProof): on a binary that links only what distroless cc has, the build
// passes; on one that links libcrypt (Debian's libcrypt1, which distroless cc lacks), the build
// fails and says which library and package. Java (languages/java/java.ts jdepsProof): a jar whose nested
// library asks javax.tools for the system compiler fails the build naming java.compiler; a plain
// one passes. Stand-ins: gcc:12 and eclipse-temurin:17 (Debian bookworm's packages, test/e2e/stand-ins).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { linkProof } from '../../server/src/analysis/languages/compiled';
import { jdepsProof } from '../../server/src/analysis/languages/java/java';
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

const HELLO_JAVA = 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n';
const COMPILES_JAVA = 'public class Compiles { public static Object compiler() { return javax.tools.ToolProvider.getSystemJavaCompiler(); } }\n';

describe('the build-stage proof of the modules a jar needs (jdepsProof)', () => {
  let temp: string;
  const images: string[] = [];
  before(async () => {
    await ensureDockerReady();
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-jdeps-proof-'));
    await fs.writeFile(path.join(temp, 'Hello.java'), HELLO_JAVA);
    await fs.writeFile(path.join(temp, 'Compiles.java'), COMPILES_JAVA);
  });
  after(async () => {
    for (const image of images) await docker('image', 'rm', '-f', image).catch(() => undefined);
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  /** A Spring-Boot-like jar: the program's classes at the top, its libraries as jars inside it. */
  async function build(name: string, nested: boolean): Promise<void> {
    const pack = nested
      ? 'javac -d lib Compiles.java && jar cf Compiles.jar -C lib . && mkdir -p BOOT-INF/lib && mv Compiles.jar BOOT-INF/lib/ && javac -d classes Hello.java && jar cfe app.jar Hello -C classes . BOOT-INF'
      : 'javac -d classes Hello.java && jar cfe app.jar Hello -C classes .';
    const text = ['FROM eclipse-temurin:17 AS build', 'WORKDIR /app', 'COPY . .', `RUN ${pack}`, ...jdepsProof(['/app/app.jar'], 'eclipse-temurin:17-jre', '\n'), ''].join('\n');
    await fs.writeFile(path.join(temp, `Dockerfile.${name}`), text);
    const tag = `slimfile-test/jdeps-proof-${name}`;
    images.push(tag);
    await buildImage(await connectEngine(), { contextDir: temp, dockerfilePath: path.join(temp, `Dockerfile.${name}`), tag });
  }

  it('passes for a jar that needs only java.base', async () => {
    await build('plain', false);
  });

  it('fails the build naming java.compiler for a jar whose nested library asks for the system compiler', async () => {
    await assert.rejects(build('compiler', true), (error: Error) => {
      assert.match(error.message, /Slimfile: the program needs java\.compiler, a JDK tool module that eclipse-temurin:17-jre does not have/);
      return true;
    });
  });
});
