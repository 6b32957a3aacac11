// Each final-stage package gets a class, and the Go conversion decides the runtime from it:
// build-only packages stay in the build stage, libraries follow the binary (a static one links
// none), and a program the image starts keeps the conversion from leaving it behind. Real Debian
// bookworm and Alpine 3.20 package names; Alpine's classes from the hand-written APKINDEX excerpt
// (see alpineIndex.test.ts for what it is and is not).
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyPackage } from '../../server/src/analysis/packages/classes';
import { parseAlpineIndex } from '../../server/src/analysis/packages/alpineIndex';
import type { PackageIndexes } from '../../server/src/analysis/packages/indexes';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { toMultiStage } from '../../server/src/analysis/languages/go/toMultiStage';
import { loadProject } from '../../server/src/workspace/project';

const FFMPEG = 'P:ffmpeg\nV:6.1.1-r8\nI:2260992\nD:so:libc.musl-x86_64.so.1 so:libavcodec.so.60\np:cmd:ffmpeg=6.1.1-r8 cmd:ffprobe=6.1.1-r8\n';
const alpine = parseAlpineIndex(`${readFileSync(path.join(__dirname, '..', 'fixtures', 'packages', 'alpine-v3.20-x86_64.APKINDEX'), 'utf8')}\n\n${FFMPEG}`);
const INDEXES: PackageIndexes = { alpine: (branch) => (branch === '3.20' ? { index: alpine, source: 'Alpine v3.20 x86_64 APKINDEX (test excerpt)' } : undefined) };

const classOf = (name: string, withIndex = false): string => {
  const c = classifyPackage(name, withIndex ? alpine : undefined);
  return c ? `${c.class}${c.programs.length > 0 ? ` (${c.programs.join(' ')})` : ''}${c.library ? ` links ${c.library}` : ''} from ${c.from}` : 'unknown';
};

test('Debian names: toolchains and -dev headers build, SONAME-named packages are libraries, other programs need Slimfile\'s list', () => {
  const names = ['build-essential', 'libpq-dev', 'python3-dev', 'linux-headers-amd64', 'golang-github-gin-gonic-gin-dev', 'libssl3', 'libpq5', 'libsqlite3-0', 'libgssapi-krb5-2', 'libldap-2.5-0', 'libcurl3t64', 'curl=7.88.1-10+deb12u15', 'bash:amd64', 'ca-certificates', 'libc6', 'ffmpeg', 'postgresql-client', 'libnss3-tools'];
  assert.equal(names.map((n) => `${n}: ${classOf(n)}`).join('\n'), [
    'build-essential: build (gcc cc g++ c++ make dpkg-buildpackage) from list',
    'libpq-dev: build links libpq from name',
    'python3-dev: build links python3 from name',
    'linux-headers-amd64: build from name',
    'golang-github-gin-gonic-gin-dev: build links golang-github-gin-gonic-gin from name',
    'libssl3: library links libssl3 from name',
    'libpq5: library links libpq5 from name',
    'libsqlite3-0: library links sqlite from list',
    'libgssapi-krb5-2: library links libgssapi-krb5-2 from name',
    'libldap-2.5-0: library links libldap-2.5-0 from name',
    'libcurl3t64: library links libcurl3t64 from name',
    'curl=7.88.1-10+deb12u15: program (curl) from list',
    'bash:amd64: program (bash) from list',
    'ca-certificates: files from list',
    'libc6: files from list',
    'ffmpeg: unknown',
    'postgresql-client: unknown',
    'libnss3-tools: unknown',
  ].join('\n'));
});

test('Alpine names, and Alpine\'s index: cmd: provides make a program with those commands, so: alone a library', () => {
  const names = ['alpine-sdk', 'sqlite-dev', 'busybox-static', 'sqlite-libs', 'ffmpeg', 'readline', 'libncursesw', 'ncurses-terminfo-base', 'make@edge'];
  assert.equal(names.map((n) => `${n}: ${classOf(n)} / ${classOf(n, true)}`).join('\n'), [
    'alpine-sdk: build (gcc cc g++ c++ make git abuild fakeroot) from list / build (gcc cc g++ c++ make git abuild fakeroot) from list',
    'sqlite-dev: build links sqlite from list / build links sqlite from list',
    'busybox-static: unknown / unknown',
    'sqlite-libs: library links sqlite from list / library links sqlite from list',
    'ffmpeg: unknown / program (ffmpeg ffprobe) from index',
    'readline: unknown / library links readline from index',
    'libncursesw: unknown / library links libncursesw from index',
    'ncurses-terminfo-base: unknown / unknown',
    'make@edge: build (make) from list / build (make) from list',
  ].join('\n'));
});

async function context(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-classes-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  return dir;
}

const WEB_MOD = 'module example.com/web\n\ngo 1.22\n';
const WEB_MAIN = 'package main\n\nimport "net/http"\n\nfunc main() {\n\t_ = http.ListenAndServe(":8080", nil)\n}\n';

test('-dev headers and SONAME libraries next to a static Go program, once "packages the program may use at run time", stay in the build stage', async (t) => {
  const dockerfile = `FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev libssl-dev libssl3 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /bin/web .
EXPOSE 8080
CMD ["/bin/web"]
`;
  const dir = await context(t, { 'go.mod': WEB_MOD, 'main.go': WEB_MAIN, Dockerfile: dockerfile });
  const result = minimize(dockerfile, await loadProject(dir, { maxGoFiles: 10 }));
  assert.equal(result.text, `FROM golang:1.22-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev libssl-dev libssl3 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /bin/web .

FROM gcr.io/distroless/static-debian12:nonroot
# Not in the runtime: libpq-dev, libssl-dev, used only to build.
# Not in the runtime: libssl3, a library the binary does not link (the binary is static).
WORKDIR /src
COPY --from=build /bin/web /bin/web
EXPOSE 8080
CMD ["/bin/web"]
`);
  assert.deepEqual(result.remaining, []);
});

test('the same headers beside the program\'s own cgo code: whether it links them is not known, so the conversion is for review', async (t) => {
  const main = 'package main\n\n// #cgo LDFLAGS: -lpq\n// #include <libpq-fe.h>\nimport "C"\n\nfunc main() {\n\t_ = C.PQlibVersion()\n}\n';
  const dockerfile = 'FROM golang:1.22-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/pq .\nCMD ["/bin/pq"]\n';
  const dir = await context(t, { 'go.mod': WEB_MOD, 'main.go': main, Dockerfile: dockerfile });
  const conversion = toMultiStage(parseDockerfile(dockerfile), await loadProject(dir, { maxGoFiles: 10 }));
  assert.ok(conversion.ok);
  assert.equal(conversion.conversion.safe, false);
  assert.ok(conversion.conversion.problems.includes('whether the binary links the library of libpq-dev is not known: the program\'s own cgo code (import "C") may link it'), conversion.conversion.problems.join('\n'));
});

test('on Alpine 3.20 with its index, ffmpeg that nothing starts is left behind; the HEALTHCHECK running ffprobe keeps it, by name', async (t) => {
  const dockerfile = (health: string): string => `FROM golang:1.22-alpine3.20
RUN apk add --no-cache ffmpeg
WORKDIR /src
COPY . .
RUN go build -o /bin/web .
${health}CMD ["/bin/web"]
`;
  const dir = await context(t, { 'go.mod': WEB_MOD, 'main.go': WEB_MAIN, Dockerfile: dockerfile('') });
  const project = await loadProject(dir, { maxGoFiles: 10 });
  const without = toMultiStage(parseDockerfile(dockerfile('')), project);
  assert.deepEqual(without, { ok: false, reason: 'the image installs packages the program may use at run time (ffmpeg), which the small runtime lacks' });
  const withIndex = toMultiStage(parseDockerfile(dockerfile('')), project, 'distroless', INDEXES);
  assert.ok(withIndex.ok);
  assert.ok(withIndex.conversion.notes.includes('Not in the runtime: ffmpeg, which neither the program nor its start command runs.'), withIndex.conversion.notes.join('\n'));
  const health = toMultiStage(parseDockerfile(dockerfile('HEALTHCHECK CMD ["ffprobe", "-version"]\n')), project, 'distroless', INDEXES);
  assert.deepEqual(health, { ok: false, reason: 'the HEALTHCHECK runs ffprobe, which the ffmpeg package installs and the small runtime lacks' });
});
