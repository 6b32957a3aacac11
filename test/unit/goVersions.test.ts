// Modern Go toolchains: which Go a Dockerfile builds with, which calibration the estimate uses for
// it, where a floating golang tag points, and the runtime Minimize picks for a trixie builder.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as os from 'node:os';
import { promises as fs } from 'node:fs';
import { analyze } from '../../server/src/analysis/analyze';
import { parseDockerfile, describeBase, minimize } from '../../server/src/analysis';
import { builderGo } from '../../server/src/analysis/languages/go/builderGo';
import { CALIBRATIONS, calibrationFor, estimateBuildCache, estimateGoBinarySize } from '../../server/src/analysis/languages/go/binarySize';
import { parseImageReference } from '../../server/src/analysis/imageRef';
import { findCatalogEntry } from '../../server/src/images/catalog';
import { baseImageHover } from '../../server/src/analysis/estimate/present';
import { loadProject } from '../../server/src/workspace/project';
import { emptyProject } from '../../server/src/analysis/project';
import { goBuildsIn } from '../../server/src/analysis/languages/go/goBuilds';

const root = path.resolve(__dirname, '../..');

function goOf(text: string): ReturnType<typeof builderGo> {
  const model = parseDockerfile(text);
  return builderGo(model, model.stages[0]!);
}

test('the builder\'s Go comes from the golang tag, the Debian package or the tarball the Dockerfile installs', () => {
  assert.deepEqual(goOf('FROM golang:1.24\nRUN go build -o /app .\n'), { version: '1.24', source: 'golang:1.24' });
  assert.deepEqual(goOf('FROM golang:1.22.5-bookworm AS build\nRUN go build -o /app .\n'), { version: '1.22.5', source: 'golang:1.22.5-bookworm' });
  assert.deepEqual(goOf('FROM debian:bookworm\nRUN apt-get update && apt-get install -y golang-1.22-go\nRUN go build -o /app .\n'), { version: '1.22', source: 'apt golang-1.22-go' });
  assert.deepEqual(goOf('FROM debian:trixie\nRUN apt-get update && apt-get install -y golang-go\nRUN go build -o /app .\n'), { version: '1.24', source: 'apt golang-go on Debian 13' });
  assert.deepEqual(
    goOf('FROM debian:12\nRUN curl -fsSL https://dl.google.com/go/go1.23.4.linux-amd64.tar.gz | tar -C /usr/local -xz\nRUN go build -o /app .\n'),
    { version: '1.23.4', source: 'go1.23.4 tarball' },
  );
  assert.equal(goOf('FROM golang:latest\nRUN go build -o /app .\n'), undefined);
  assert.equal(goOf('FROM ubuntu:24.04\nRUN go build -o /app .\n'), undefined);
});

test('each calibrated release gets its own figures; another release the nearest, said so', () => {
  const releases = CALIBRATIONS.map((c) => c.go.split('.').slice(0, 2).join('.'));
  assert.deepEqual(releases, ['1.19', '1.22', '1.24', '1.27']);
  for (const release of releases) {
    const chosen = calibrationFor({ version: release, source: `golang:${release}` });
    assert.equal(chosen.approximate, false);
    assert.equal(chosen.note, undefined);
    assert.ok(chosen.data.go.startsWith(`${release}.`), `${release} -> ${chosen.data.go}`);
  }
  const between = calibrationFor({ version: '1.23', source: 'golang:1.23' });
  assert.ok(between.data.go.startsWith('1.24.'), 'a tie goes to the newer release');
  assert.equal(between.approximate, true);
  assert.equal(between.note, `golang:1.23 has Go 1.23, not calibrated; nearest calibrated release Go ${between.data.go} used`);
  assert.ok(calibrationFor({ version: '1.29', source: 'golang:1.29' }).data.go.startsWith('1.27.'));
  assert.ok(calibrationFor(undefined).approximate);
});

test('the binary model of each release reproduces that release\'s measured http server, and says which Go measured it', async () => {
  const project = await loadProject(path.join(root, 'examples/http-server'), { maxGoFiles: 10 });
  for (const calibration of CALIBRATIONS) {
    const release = calibration.go.split('.').slice(0, 2).join('.');
    const model = parseDockerfile(`FROM golang:${release}\nRUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app .\n`);
    const go = builderGo(model, model.stages[0]!);
    const estimate = estimateGoBinarySize(goBuildsIn(model, model.stages[0]!)[0]!, project, go);
    const programs = (calibration as unknown as { programs: Record<string, Record<string, number>> }).programs;
    assert.equal(estimate.bytes, programs['http-server']!['strippedTrimpath'], `Go ${release}`);
    assert.match(estimate.provenance.detail, new RegExp(`calibrated with Go ${calibration.go.replace(/\./g, '\\.')} on `));
    assert.equal(estimate.provenance.confidence, 'medium');
  }
  const model = parseDockerfile('FROM golang:1.26\nRUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app .\n');
  const approximate = estimateGoBinarySize(goBuildsIn(model, model.stages[0]!)[0]!, project, builderGo(model, model.stages[0]!));
  assert.equal(approximate.provenance.confidence, 'low');
  assert.match(approximate.provenance.detail, /golang:1\.26 has Go 1\.26, not calibrated; nearest calibrated release Go 1\.27\.\d+ used/);
});

test('from Go 1.20 the naive build cache holds the standard library the program compiles; Go 1.19 shipped it precompiled', async () => {
  const project = await loadProject(path.join(root, 'examples/http-server'), { maxGoFiles: 10 });
  const cacheOn = (release: string): number => {
    const model = parseDockerfile(`FROM golang:${release}\nRUN go build -o main .\n`);
    return estimateBuildCache(goBuildsIn(model, model.stages[0]!)[0]!, project, builderGo(model, model.stages[0]!)).bytes;
  };
  const old = cacheOn('1.19');
  for (const release of ['1.22', '1.24', '1.27']) {
    // net/http and its ~200 std packages, compiled: tens of MB against Go 1.19's few hundred kB.
    assert.ok(cacheOn(release) > 20 * old, `Go ${release}: ${cacheOn(release)} bytes vs Go 1.19's ${old}`);
  }
});

test('an unsuffixed golang tag says where it points now and since when; a suffixed one does not float', () => {
  const floating = describeBase(parseImageReference('golang:1.24'));
  assert.equal(floating.release, '13');
  assert.deepEqual(floating.floating, { codename: 'trixie', since: '2025-08', before: 'bookworm' });
  assert.equal(describeBase(parseImageReference('golang:1.22')).release, '12');
  const pinned = describeBase(parseImageReference('golang:1.24-bookworm'));
  assert.equal(pinned.release, '12');
  assert.equal(pinned.floating, undefined);

  const model = parseDockerfile('FROM golang:1.24\nRUN go build -o /app .\n');
  const hover = baseImageHover(model, { line: 0, character: 8 }, emptyProject(), { size: () => undefined });
  const text = (hover?.contents as { value: string }).value;
  assert.match(text, /\| Tag \| golang:1\.24 → trixie since 2025-08 \(bookworm before\) \|/);
});

test('Minimize runs a trixie builder\'s static binary on distroless debian13, a bookworm builder\'s on debian12', async () => {
  const project = await loadProject(path.join(root, 'examples/hello'), { maxGoFiles: 10 });
  const on = (tag: string): string | undefined => {
    const text = minimize(`FROM ${tag}\nWORKDIR /app\nADD . .\nRUN go build -o main .\nCMD ["/app/main"]\n`, project).text;
    return /^FROM (\S+)\s*$/m.exec(text.split('\n').filter((l) => l.startsWith('FROM')).at(-1) ?? '')?.[1];
  };
  assert.equal(on('golang:1.24'), 'gcr.io/distroless/static-debian13:nonroot');
  assert.equal(on('golang:1.27'), 'gcr.io/distroless/static-debian13:nonroot');
  assert.equal(on('golang:1.24-bookworm'), 'gcr.io/distroless/static-debian12:nonroot');
  assert.equal(on('golang:1.22'), 'gcr.io/distroless/static-debian12:nonroot');
  assert.equal(on('golang:1.19'), 'gcr.io/distroless/static-debian12:nonroot');
});

async function projectOf(files: Record<string, string>): Promise<Awaited<ReturnType<typeof loadProject>>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-go-'));
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  const project = await loadProject(dir, { maxGoFiles: 10 });
  await fs.rm(dir, { recursive: true, force: true });
  return project;
}

function messagesOf(rule: string, text: string, project: Awaited<ReturnType<typeof loadProject>>): string[] {
  return analyze(parseDockerfile(text), project)
    .filter((f) => f.rule === rule)
    .map((f) => f.message);
}

test('go.mod asking for a newer patch: the message says the golang image stops the build, or downloads under GOTOOLCHAIN=auto', async () => {
  const project = await projectOf({ 'go.mod': 'module example.com/tc\n\ngo 1.23.6\n', 'main.go': 'package main\n\nfunc main() { println("hi") }\n' });
  const build = 'WORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n';
  assert.deepEqual(messagesOf('builder-older-than-go-mod', `FROM golang:1.23.5\n${build}`, project), [
    'The builder golang:1.23.5 is older than go.mod\'s `go 1.23.6`: with GOTOOLCHAIN=local, which the golang images set, the build stops with "go: go.mod requires go >= 1.23.6 (running go 1.23.5; GOTOOLCHAIN=local)". Build with golang:1.23.6 or newer.',
  ]);
  assert.deepEqual(messagesOf('builder-older-than-go-mod', `FROM golang:1.23.5\nENV GOTOOLCHAIN=auto\n${build}`, project), [
    "The builder golang:1.23.5 is older than go.mod's `go 1.23.6`: GOTOOLCHAIN allows a switch, so go downloads go1.23.6 from the module proxy during the build: the toolchain is no longer part of the pinned base image, and the build fails offline or with GOPROXY=off. Build with golang:1.23.6 or newer.",
  ]);
  assert.deepEqual(messagesOf('builder-older-than-go-mod', `FROM golang:1.23\n${build}`, project), [], 'golang:1.23 is the newest 1.23.x');
});

test('a newer toolchain line is reported only where the stage lets go download it', async () => {
  const project = await projectOf({ 'go.mod': 'module example.com/tc\n\ngo 1.23\n\ntoolchain go1.24.1\n', 'main.go': 'package main\n\nfunc main() { println("hi") }\n' });
  const build = 'WORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n';
  assert.deepEqual(messagesOf('builder-older-than-go-mod', `FROM golang:1.23\n${build}`, project), []);
  assert.deepEqual(messagesOf('builder-older-than-go-mod', `FROM golang:1.23\n${build.replace('RUN go build', 'RUN GOTOOLCHAIN=auto go build')}`, project), [
    "go.mod's `toolchain go1.24.1` is newer than golang:1.23, and the stage sets GOTOOLCHAIN to switch: go downloads go1.24.1 from the module proxy during the build, so the toolchain is not the one the base image pins, and the build fails offline or with GOPROXY=off. Build with golang:1.24 or newer, or set GOTOOLCHAIN=local.",
  ]);
});

test('golang 1.19 and 1.20 moved to bookworm in June 2023; a patch tag from before the move, and older releases, stay where their last image was built', () => {
  const release = (tag: string): string | undefined => describeBase(parseImageReference(tag)).release;
  assert.deepEqual(describeBase(parseImageReference('golang:1.19')).floating, { codename: 'bookworm', since: '2023-06', before: 'bullseye' });
  assert.equal(release('golang:1.19'), '12');
  assert.equal(release('golang:1.20'), '12');
  assert.equal(release('golang:1.19.13'), '12');
  assert.equal(release('golang:1.19.10'), '12');
  assert.equal(release('golang:1.19.9'), '11');
  assert.equal(release('golang:1.20.4'), '11');
  assert.equal(release('golang:1.24.5'), '12');
  assert.equal(release('golang:1.24.6'), '13');
  assert.equal(release('golang:1.19-bullseye'), '11');
  assert.equal(release('golang:1.17'), '11');
  assert.equal(release('golang:1.14'), '10');
  assert.equal(release('golang:1.10'), undefined);
});

test('a bare golang tag is sized as the image it pulls, or like the variant of the release it points at, said so', () => {
  const sized = (tag: string): string | undefined => {
    const match = findCatalogEntry(parseImageReference(tag)!);
    return match && (match.standIn ?? match.entry.id);
  };
  assert.equal(sized('golang:1.19'), 'golang:1.19-bookworm');
  assert.equal(sized('golang:1.19.13'), 'golang:1.19-bookworm');
  assert.equal(sized('golang:1.19.11'), 'golang:1.19.11 sized like golang:1.19-bookworm');
  assert.equal(sized('golang:1.19.5'), 'golang:1.19.5 sized like golang:1.19-bullseye');
  assert.equal(sized('golang:1.20'), 'golang:1.20-bookworm');
  // 1.20.3 was bullseye, whose variant the catalog has no figure for: the bookworm one stands in, said so.
  assert.equal(sized('golang:1.20.3'), 'golang:1.20.3 sized like golang:1.20-bookworm');
});

test('a cgo binary from golang:1.19 (bookworm now) on a bullseye runtime is the glibc mismatch; from golang:1.19-bullseye it is not', async () => {
  const project = await projectOf({ 'go.mod': 'module example.com/web\n\ngo 1.19\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n' });
  const text = 'FROM golang:1.19 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n\nFROM debian:bullseye-slim\nCOPY --from=build /out/app /usr/local/bin/app\nENTRYPOINT ["app"]\n';
  const [message] = messagesOf('runtime-glibc-older-than-builder', text, project);
  assert.match(message ?? '', /built on golang:1\.19 \(glibc 2\.36\) but runs on debian:bullseye-slim \(glibc 2\.31\)/);
  assert.deepEqual(messagesOf('runtime-glibc-older-than-builder', text.replace('golang:1.19', 'golang:1.19-bullseye'), project), []);
});

test('a cgo binary from a trixie golang image on a bookworm runtime: the message quotes the failure seen on the engine', async () => {
  const project = await projectOf({ 'go.mod': 'module example.com/web\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n' });
  const text = 'FROM golang:1.24 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /out/app /usr/local/bin/app\nENTRYPOINT ["app"]\n';
  assert.deepEqual(messagesOf('runtime-glibc-older-than-builder', text, project), [
    'The cgo binary is built on golang:1.24 (glibc 2.41) but runs on gcr.io/distroless/base-debian12 (glibc 2.36): if its C code links any glibc symbol newer than 2.36, it stops at start, as seen on a Docker Engine for a strtol call built on golang:1.24 and run on distroless base-debian12: "/usr/local/bin/app: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38\' not found (required by /usr/local/bin/app)". Use the same release in both stages.',
  ]);
  assert.deepEqual(messagesOf('runtime-glibc-older-than-builder', text.replace('golang:1.24', 'golang:1.24-bookworm'), project), []);
});

test('the hover\'s smaller base follows the release of the stage that builds the binary', async () => {
  const project = await loadProject(path.join(root, 'examples/hello'), { maxGoFiles: 10 });
  const smaller = (builder: string): string | undefined => {
    const text = `FROM ${builder} AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM debian:trixie-slim\nCOPY --from=build /out/app /app\nCMD ["/app"]\n`;
    const model = parseDockerfile(text);
    const hover = baseImageHover(model, { line: 5, character: 8 }, project, { size: () => undefined });
    return /\*\*Smaller:\*\* `([^`]+)`/.exec((hover?.contents as { value: string }).value)?.[1];
  };
  assert.equal(smaller('golang:1.24'), 'gcr.io/distroless/static-debian13:nonroot');
  assert.equal(smaller('golang:1.22'), 'gcr.io/distroless/static-debian12:nonroot');
});
