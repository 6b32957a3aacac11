// Java on a real engine: the naive single-stage example and its minimized form (build stage on
// the JDK, run on the JRE) print the same; the jlink runtime Slimfile offers runs it too and is
// smaller still; and classes newer than the runtime fail with the text the rule quotes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { ensureDockerReady, ROOT } from './helpers';
import { assertSizes, compareExample, record, runToEnd } from './languageExample';
import { loadProject } from '../../server/src/workspace/project';
import { analyze } from '../../server/src/analysis/analyze';
import { parseDockerfile } from '../../server/src/analysis';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { unsupportedClassVersionText } from '../../server/src/analysis/languages/java/java';

const EXAMPLE = path.join(ROOT, 'examples', 'java-hello');
let temp: string;

before(async () => {
  await ensureDockerReady();
  temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-java-'));
});
after(async () => {
  if (temp) await fs.rm(temp, { recursive: true, force: true });
});

describe('examples/java-hello', () => {
  let jreBytes = 0;
  it('builds as written and minimized (JDK -> JRE), both print the greeting, and the JRE image is smaller', async () => {
    const row = await compareExample('java-hello', 'Hello from Java 17\n');
    // Debian's openjdk-17-jre-headless keeps every module; the ratio is the stand-ins' (1.18x measured).
    assertSizes(row, 1.15, 2);
    jreBytes = row.minimizedBytes;
  });

  it('the offered jlink runtime builds, prints the same, and is smaller than the JRE image', async () => {
    const project = await loadProject(EXAMPLE, { maxGoFiles: 10 });
    const text = await fs.readFile(path.join(EXAMPLE, 'Dockerfile'), 'utf8');
    const finding = analyze(parseDockerfile(text), project).find((f) => f.rule === 'java-jdk-in-final-image');
    const jlink = finding?.fixes.find((f) => f.title.includes('jlink'));
    assert.ok(jlink && !jlink.safe, 'the jlink runtime is offered for review');
    const engine = await connectEngine();
    const built = await buildImage(engine, { contextDir: EXAMPLE, dockerfilePath: path.join(EXAMPLE, 'Dockerfile'), dockerfileText: applyEdits(text, jlink.edits), tag: 'slimfile-test/java-hello:jlink', noCache: true });
    assert.deepEqual(await runToEnd(built.id), { code: 0, output: 'Hello from Java 17\n' });
    assert.ok(jreBytes === 0 || built.bytes < jreBytes, `jlink ${built.bytes} bytes, JRE ${jreBytes}`);
    await record({ example: 'java-hello (jlink runtime)', minimizedBytes: built.bytes } as { example: string });
  });
});

describe('java-release-newer-than-runtime', () => {
  it('a class of a newer release fails on the Java 17 runtime with the text the rule quotes', async () => {
    // JDK 17 is the only one Debian bookworm packages: the class is compiled for 17 and its major
    // version set to 65 (Java 21), which is the first thing the JVM reads and checks.
    await fs.writeFile(path.join(temp, 'Main.java'), 'public class Main { public static void main(String[] a) { System.out.println("ran"); } }\n');
    await fs.writeFile(
      path.join(temp, 'Dockerfile'),
      [
        'FROM eclipse-temurin:17-jdk AS build',
        'WORKDIR /src',
        'COPY Main.java .',
        "RUN javac -d classes Main.java && printf '\\000\\101' | dd of=classes/Main.class bs=1 seek=6 count=2 conv=notrunc",
        'FROM eclipse-temurin:17-jre',
        'COPY --from=build /src/classes /app',
        'CMD ["java", "-cp", "/app", "Main"]',
        '',
      ].join('\n'),
    );
    const engine = await connectEngine();
    const built = await buildImage(engine, { contextDir: temp, dockerfilePath: path.join(temp, 'Dockerfile'), tag: 'slimfile-test/java-class-version' });
    const ran = await runToEnd(built.id);
    assert.notEqual(ran.code, 0);
    assert.ok(ran.output.includes(unsupportedClassVersionText('Main', 21, 17)), ran.output);
  });
});
