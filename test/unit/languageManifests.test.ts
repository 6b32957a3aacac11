// The Java, Node and Python manifests as projects write them: release levels in pom.xml and
// Gradle scripts, package.json with its lock file, requirements.txt and pyproject.toml. Bad input
// becomes a problem or "unknown", never an exception.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { classFileVersion, javacRelease, parseJavaRelease, readGradle, readPom, unsupportedClassVersionText } from '../../server/src/analysis/languages/java/java';
import { readNodeProject } from '../../server/src/analysis/languages/node/node';
import { installedDistributions, readPyproject, readRequirements } from '../../server/src/analysis/languages/python/python';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile } from '../../server/src/analysis';
import { loadProject } from '../../server/src/workspace/project';
import { languageImage, slimTag, temurinJre, type LanguageImage } from '../../server/src/analysis/languages/runtimeImages';
import { parseImageReference } from '../../server/src/analysis/imageRef';

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.2.0</version>
  </parent>
  <artifactId>orders</artifactId>
  <version>1.4.0</version>
  <properties>
    <!-- <java.version>11</java.version> was the old one -->
    <java.version>21</java.version>
  </properties>
  <dependencies>
    <dependency><artifactId>spring-boot-starter-web</artifactId><version>3.2.0</version></dependency>
  </dependencies>
</project>`;

test('pom.xml: java.version, the jar name, comments ignored', () => {
  assert.deepStrictEqual(readPom(POM), { manifest: 'pom.xml', release: { release: 21, source: 'pom.xml <java.version>' }, jar: 'target/orders-1.4.0.jar', dependencies: 1 });
});

test('pom.xml: the compiler plugin wins over properties, ${} references resolve', () => {
  const pom = `<project><artifactId>a</artifactId><version>1</version>
  <properties><maven.compiler.target>1.8</maven.compiler.target><jdk>17</jdk></properties>
  <build><finalName>app</finalName><plugins><plugin>
    <artifactId>maven-compiler-plugin</artifactId><configuration><release>\${jdk}</release></configuration>
  </plugin></plugins></build></project>`;
  assert.deepStrictEqual(readPom(pom), { manifest: 'pom.xml', release: { release: 17, source: 'pom.xml maven-compiler-plugin <release>' }, jar: 'target/app.jar', dependencies: 0 });
  assert.deepStrictEqual(readPom('<project><properties><maven.compiler.target>1.8</maven.compiler.target></properties></project>').release, { release: 8, source: 'pom.xml <maven.compiler.target>' });
});

test('pom.xml: unknown release and war packaging stay unknown', () => {
  assert.deepStrictEqual(readPom('<project><artifactId>w</artifactId><version>1</version><packaging>war</packaging><properties><maven.compiler.release>${x}</maven.compiler.release></properties></project>'), { manifest: 'pom.xml', release: undefined, jar: undefined, dependencies: 0 });
  assert.deepStrictEqual(readPom('not xml at all <<<'), { manifest: 'pom.xml', release: undefined, jar: undefined, dependencies: 0 });
});

test('Gradle: toolchains, options.release, compatibility in Groovy and Kotlin', () => {
  assert.deepStrictEqual(readGradle("java {\n  toolchain {\n    languageVersion = JavaLanguageVersion.of(21)\n  }\n}\n", false).release, { release: 21, source: 'build.gradle toolchain languageVersion' });
  assert.deepStrictEqual(readGradle('java { toolchain { languageVersion.set(JavaLanguageVersion.of(17)) } }', true).release, { release: 17, source: 'build.gradle.kts toolchain languageVersion' });
  assert.deepStrictEqual(readGradle("sourceCompatibility = '11'\n// targetCompatibility = 17\n", false).release, { release: 11, source: 'build.gradle sourceCompatibility' });
  assert.deepStrictEqual(readGradle('java { sourceCompatibility = JavaVersion.VERSION_1_8 }', true).release, { release: 8, source: 'build.gradle.kts sourceCompatibility' });
  assert.deepStrictEqual(readGradle('tasks.withType(JavaCompile) { options.release = 17 }', false).release, { release: 17, source: 'build.gradle options.release' });
  assert.equal(readGradle('plugins { id "java" }', false).release, undefined);
  assert.equal(readGradle("dependencies {\n  implementation 'com.google.guava:guava:33.0.0-jre'\n  testImplementation 'junit:junit:4.13'\n  runtimeOnly(\"org.postgresql:postgresql:42.7.1\")\n}\n", false).dependencies, 2);
});

test('javac flags, release parsing and class-file versions', () => {
  assert.equal(javacRelease(['javac', '--release', '21', '-d', 'out', 'Main.java']), 21);
  assert.equal(javacRelease(['javac', '-target', '1.8', 'Main.java']), 8);
  assert.equal(javacRelease(['javac', '--release=11', 'Main.java']), 11);
  assert.equal(javacRelease(['javac', '-d', 'out', 'Main.java']), undefined);
  assert.equal(parseJavaRelease('VERSION_17'), 17);
  assert.equal(parseJavaRelease('latest'), undefined);
  assert.equal(classFileVersion(17), 61);
  assert.equal(classFileVersion(21), 65);
  assert.equal(
    unsupportedClassVersionText('Main', 21, 17),
    'java.lang.UnsupportedClassVersionError: Main has been compiled by a more recent version of the Java Runtime (class file version 65.0), this version of the Java Runtime only recognizes class file versions up to 61.0',
  );
});

test('package.json with a lock file: dev dependencies, install scripts, the front-end build', () => {
  const project = readNodeProject({
    packageJson: JSON.stringify({ name: 'web', dependencies: { express: '^4', bcrypt: '^5' }, devDependencies: { vite: '^5', typescript: '^5' }, scripts: { build: 'tsc && vite build', start: 'node server.js' } }),
    lockFile: {
      name: 'package-lock.json',
      text: JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/express': {}, 'node_modules/bcrypt': { hasInstallScript: true }, 'node_modules/fsevents': { hasInstallScript: true, os: ['darwin'] }, 'node_modules/a/node_modules/esbuild': { hasInstallScript: true } } }),
    },
    bindingGyp: ['my-addon'],
  });
  assert.deepStrictEqual(project.dependencies, ['express', 'bcrypt']);
  assert.deepStrictEqual(project.devDependencies, ['vite', 'typescript']);
  assert.deepStrictEqual(project.nativeModules, [
    { name: 'bcrypt', why: 'a package known to build a native addon' },
    { name: 'esbuild', why: 'package-lock.json marks it as running an install script' },
    { name: 'my-addon', why: 'node_modules/my-addon/binding.gyp' },
  ]);
  assert.deepStrictEqual(project.frontendBuild, { script: 'tsc && vite build', tool: 'vite', output: 'dist' });
  assert.equal(project.lockFile, 'package-lock.json');
});

test('a local package (file:native/addon) with an install script is a native addon: npm records it under its own folder', () => {
  const project = readNodeProject({
    packageJson: JSON.stringify({ name: 'svc', dependencies: { wordhash: 'file:native/wordhash' } }),
    lockFile: {
      name: 'package-lock.json',
      text: JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { wordhash: 'file:native/wordhash' } }, 'native/wordhash': { version: '1.0.0', hasInstallScript: true }, 'node_modules/wordhash': { resolved: 'native/wordhash', link: true } } }),
    },
  });
  assert.deepStrictEqual(project.nativeModules, [{ name: 'native/wordhash', why: 'package-lock.json marks it as running an install script' }]);
});

test('yarn.lock names known native packages; broken JSON is a problem, not an exception', () => {
  const yarn = readNodeProject({ packageJson: '{"dependencies":{"db":"1"}}', lockFile: { name: 'yarn.lock', text: '"sqlite3@^5.1.0":\n  version "5.1.7"\n' } });
  assert.deepStrictEqual(yarn.nativeModules, [{ name: 'sqlite3', why: 'a package known to build a native addon (in yarn.lock)' }]);
  const broken = readNodeProject({ packageJson: '{"name": ', lockFile: { name: 'package-lock.json', text: '{' } });
  assert.equal(broken.problems.length, 2);
  assert.match(broken.problems[0] as string, /^package\.json is not valid JSON/);
  assert.deepStrictEqual(broken.dependencies, []);
});

test('requirements.txt: versions, extras, markers, options and comments', () => {
  const text = `# pinned
Flask==3.0.0
numpy>=1.26 ; python_version >= "3.9"
requests[socks]~=2.31  # http
-r base.txt
--index-url https://example.invalid/simple
-e .
Scikit_Learn \\
  ==1.4.0
pkg @ https://example.invalid/pkg.whl
`;
  assert.deepStrictEqual(readRequirements(text).requirements, ['flask', 'numpy', 'requests', 'scikit-learn', 'pkg']);
});

test('pyproject.toml: [project] dependencies over several lines, requires-python, Poetry', () => {
  const pep621 = `[build-system]
requires = ["setuptools"]

[project]
name = "svc"
requires-python = ">=3.11"
dependencies = [
  "pandas>=2",   # frames
  'uvicorn[standard]',
]
`;
  assert.deepStrictEqual(readPyproject(pep621), { manifest: 'pyproject.toml', requirements: ['pandas', 'uvicorn'], requiresPython: '>=3.11' });
  const poetry = '[tool.poetry.dependencies]\npython = "^3.10"\nfastapi = "^0.110"\n"Pillow" = { version = "^10" }\n';
  assert.deepStrictEqual(readPyproject(poetry), { manifest: 'pyproject.toml', requirements: ['fastapi', 'pillow'], requiresPython: '^3.10' });
});

test('Java, Node and Python images: kind, version, and the smaller tags the fixes name', () => {
  const image = (name: string) => languageImage(parseImageReference(name));
  assert.deepStrictEqual(
    ['eclipse-temurin:17-jdk', 'eclipse-temurin:21-jre-alpine', 'openjdk:11-jre-slim', 'maven:3.9-eclipse-temurin-17', 'gradle:8.5-jdk21-alpine', 'java:8'].map((n) => {
      const i = image(n);
      return [i?.kind, i?.version, i?.buildTool, i?.deprecated];
    }),
    [
      ['jdk', '17', undefined, false],
      ['jre', '21', undefined, false],
      ['jre', '11', undefined, true],
      ['jdk', '17', 'maven', false],
      ['jdk', '21', 'gradle', false],
      ['jdk', '8', undefined, true],
    ],
  );
  assert.deepStrictEqual(['node:20', 'node:20-bookworm', 'node:lts', 'python:3.12', 'python:3.11-bookworm'].map((n) => slimTag(image(n) as LanguageImage)), ['node:20-slim', 'node:20-bookworm-slim', 'node:lts-slim', 'python:3.12-slim', 'python:3.11-slim-bookworm']);
  assert.equal(slimTag(image('node:20-slim') as LanguageImage), undefined);
  assert.equal(slimTag(image('node:latest') as LanguageImage), 'node:slim');
  assert.equal(image('node:20-alpine3.19')?.kind, 'alpine');
  assert.equal(temurinJre(17, image('eclipse-temurin:17-jdk-jammy')), 'eclipse-temurin:17-jre-jammy');
  assert.equal(temurinJre(21, image('eclipse-temurin:21-jdk-alpine')), 'eclipse-temurin:21-jre-alpine');
  assert.equal(image('debian:bookworm'), undefined);
  assert.equal(image('bitnami/node:20'), undefined);
});

/** A context holding `files` (path -> text); what the final stage of a Dockerfile pip-installs from it. */
async function pipContext(t: { after(fn: () => void): void }, files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-requirements-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const project = await loadProject(dir, { maxGoFiles: 100 });
  return (dockerfile: string) => {
    const model = parseDockerfile(dockerfile);
    return installedDistributions(model, model.finalStage!, project);
  };
}

test('pip install -r reads the file the COPY brought to that path, in its stage or a stage it is built FROM; not the root one by name', async (t) => {
  const installed = await pipContext(t, { 'requirements.txt': 'flask\n', 'svc/requirements.txt': 'numpy==2.1.0\nrequests\n' });
  const pip = 'RUN pip install -r requirements.txt\n';
  assert.deepEqual(installed(`FROM python:3.12\nWORKDIR /srv\nCOPY svc/requirements.txt .\n${pip}`), { names: ['numpy', 'requests'], unknown: [] });
  assert.deepEqual(installed(`FROM python:3.12 AS base\nWORKDIR /srv\nCOPY svc/ /srv/\nFROM base\n${pip}`), { names: ['numpy', 'requests'], unknown: [] });
  assert.deepEqual(installed(`FROM python:3.12\nWORKDIR /srv\nCOPY . .\n${pip}`), { names: ['flask'], unknown: [] });
  // Copied after the RUN, or never: pip reads a file Slimfile cannot see.
  assert.deepEqual(installed(`FROM python:3.12\nWORKDIR /srv\n${pip}COPY svc/requirements.txt .\n`), { names: [], unknown: ['requirements.txt was not read'] });
});

test('pip install -r follows the files a requirements file includes, beside it; an include it cannot read is said, a constraints file is not installed', async (t) => {
  const installed = await pipContext(t, {
    'requirements.txt': '-r req/base.txt\n-c constraints.txt\nflask\n',
    // base.txt includes common.txt beside it (req/common.txt), which includes base.txt back: read once each.
    'req/base.txt': '--requirement common.txt\nrequests\n',
    'req/common.txt': '-rbase.txt\n-r missing.txt\nnumpy\n',
    'constraints.txt': 'psycopg2==2.9.9\n',
  });
  const pip = 'RUN pip install -r requirements.txt\n';
  assert.deepEqual(installed(`FROM python:3.12\nWORKDIR /srv\nCOPY . .\n${pip}`), {
    names: ['flask', 'requests', 'numpy'],
    unknown: ['missing.txt, which common.txt includes, was not read'],
  });
  // Only requirements.txt copied before the RUN: pip cannot find what it includes, and Slimfile says so.
  assert.deepEqual(installed(`FROM python:3.12\nWORKDIR /srv\nCOPY requirements.txt .\n${pip}COPY . .\n`), {
    names: ['flask'],
    unknown: ['req/base.txt, which requirements.txt includes, was not read'],
  });
});
