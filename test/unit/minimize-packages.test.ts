// Packages a naive `FROM golang` Dockerfile installs, decided one by one when Minimize converts it:
// build tools and CLIs nobody starts stay in the build stage with a note naming each; a package
// whose program the code or the start command runs, or whose library the binary links, keeps the
// small runtime out, and the reason names it.
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import type { MinimizeResult } from '../../server/src/analysis/fixes/minimize';
import { toMultiStage, type ConversionResult } from '../../server/src/analysis/languages/go/toMultiStage';
import type { ProgramStart } from '../../server/src/analysis/languages/go/source/fileAccess';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';
import { goFacts } from '../../server/src/analysis/languages/go/source/facts';

interface Story {
  readonly conversion: ConversionResult;
  readonly result: MinimizeResult;
  readonly project: ProjectFacts;
}

/**
 * Writes the context, reads it as the server does, and runs Minimize on its Dockerfile. `execs`
 * stands in for the Go parser's report of started programs (the lexical scan reports none).
 */
async function minimizeContext(t: TestContext, files: Record<string, string>, execs?: ProgramStart[]): Promise<Story> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-packages-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  const loaded = await loadProject(dir, { maxGoFiles: 100 });
  const project = execs ? { ...loaded, own: { ...loaded.own, go: { ...goFacts(loaded), needs: { ...goFacts(loaded).needs, files: { ...goFacts(loaded).needs.files, execs } } } } } : loaded;
  const dockerfile = files['Dockerfile'] as string;
  return { conversion: toMultiStage(parseDockerfile(dockerfile), project), result: minimize(dockerfile, project), project };
}

/** The result is a whole Dockerfile Minimize has nothing more to do on. */
function assertSettled(story: Story): void {
  const again = minimize(story.result.text, story.project);
  assert.equal(again.text, story.result.text, 'minimize twice changes nothing');
  assert.deepStrictEqual(again.applied, []);
  assert.deepStrictEqual(analyze(parseDockerfile(story.result.text), story.project).filter((f) => f.rule === 'go-toolchain-in-final-image'), []);
}

function reasonOf(story: Story): string {
  assert.ok(!story.conversion.ok, 'the conversion is refused');
  return story.conversion.reason;
}

const SQLITE_MOD = 'module example.com/notes\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n';
const SQLITE_MAIN = 'package main\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/mattn/go-sqlite3"\n)\n\nfunc main() {\n\tdb, _ := sql.Open("sqlite3", "/data/notes.db")\n\t_ = db.Ping()\n}\n';
const WEB_MOD = 'module example.com/web\n\ngo 1.22\n';
const WEB_MAIN = 'package main\n\nimport "net/http"\n\nfunc main() {\n\t_ = http.ListenAndServe(":8080", nil)\n}\n';
const MIRROR_MAIN = 'package main\n\nimport (\n\t"os"\n\t"os/exec"\n)\n\nfunc main() {\n\tcmd := exec.Command("git", "clone", os.Args[1])\n\t_ = cmd.Run()\n}\n';
const MIRROR_DOCKERFILE = 'FROM golang:1.22-alpine\nRUN apk add --no-cache git\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/mirror .\nCMD ["/bin/mirror"]\n';

test('the sqlite3 CLI next to mattn/go-sqlite3 is left behind: the driver compiles its own SQLite and needs only libc', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': SQLITE_MOD,
    'main.go': SQLITE_MAIN,
    Dockerfile: `FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends sqlite3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN go build -o /usr/local/bin/notes .
CMD ["notes"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.22-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends sqlite3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /usr/local/bin/notes .
RUN mkdir -p /writable/data

FROM gcr.io/distroless/cc-debian12:nonroot
# Not in the runtime: sqlite3, which neither the program nor its start command runs.
WORKDIR /app
COPY --from=build /usr/local/bin/notes /usr/local/bin/notes
COPY --from=build --chown=65532:65532 /writable/data /data
CMD ["/usr/local/bin/notes"]
`);
  assert.deepStrictEqual(story.result.remaining, []);
  assertSettled(story);
});

test('on Alpine, build-base tools and the sqlite package (CLI and library) stay in the build stage of a cgo sqlite program', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': SQLITE_MOD,
    'main.go': SQLITE_MAIN,
    Dockerfile: `FROM golang:1.22-alpine
RUN apk add --no-cache gcc musl-dev sqlite
WORKDIR /app
COPY . .
RUN go build -o /usr/local/bin/notes .
CMD ["notes"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.22-alpine AS build
RUN apk add --no-cache gcc musl-dev sqlite
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /usr/local/bin/notes .
RUN mkdir -p /writable/data

FROM alpine:3
# Not in the runtime: gcc, musl-dev, used only to build; the program does not start them.
# Not in the runtime: sqlite, which neither the program nor its start command runs.
WORKDIR /app
COPY --from=build /usr/local/bin/notes /usr/local/bin/notes
COPY --from=build --chown=65532:65532 /writable/data /data
USER 65532:65532
CMD ["/usr/local/bin/notes"]
`);
  assert.deepStrictEqual(story.result.remaining, []);
  assertSettled(story);
});

test('alpine-sdk and bash in a static web server: both are named in the notes and the runtime is distroless static', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: `FROM golang:1.22-alpine
RUN apk add --no-cache alpine-sdk bash
WORKDIR /src
COPY . .
RUN go build -o /bin/web .
EXPOSE 8080
CMD ["/bin/web"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.22-alpine AS build
RUN apk add --no-cache alpine-sdk bash
WORKDIR /src
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /bin/web .

FROM gcr.io/distroless/static-debian12:nonroot
# Not in the runtime: alpine-sdk, used only to build; the program does not start it.
# Not in the runtime: bash, which neither the program nor its start command runs.
WORKDIR /src
COPY --from=build /bin/web /bin/web
EXPOSE 8080
CMD ["/bin/web"]
`);
  assert.ok(story.conversion.ok);
  assert.deepStrictEqual(story.conversion.conversion.notes, [
    'Not in the runtime: alpine-sdk, used only to build; the program does not start it.',
    'Not in the runtime: bash, which neither the program nor its start command runs.',
  ]);
  assertSettled(story);
});

test('a package installed after the build is decided the same way, not reported as a step left behind', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: `FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/web .
RUN apt-get update && apt-get install -y vim curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*
CMD ["/bin/web"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /bin/web .
RUN apt-get update && apt-get install -y vim curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*

FROM gcr.io/distroless/static-debian12:nonroot
# Not in the runtime: vim, curl=7.88.1-10+deb12u8, which neither the program nor its start command runs.
WORKDIR /src
COPY --from=build /bin/web /bin/web
CMD ["/bin/web"]
`);
  assertSettled(story);
});

test('git the Go code starts (as the parser reports it) refuses the conversion and names the package', async (t) => {
  const dockerfile = MIRROR_DOCKERFILE;
  const story = await minimizeContext(t, { 'go.mod': 'module example.com/mirror\n\ngo 1.22\n', 'main.go': MIRROR_MAIN, Dockerfile: dockerfile }, [
    { programs: ['git'], evidence: { file: 'main.go', line: 8, what: 'exec.Command' } },
  ]);
  assert.equal(reasonOf(story), 'the program starts git (main.go:9), which the git package installs and the small runtime lacks');
  assert.equal(story.result.text, dockerfile, 'Minimize leaves the file');
  assert.deepStrictEqual(story.result.remaining.find((r) => r.rule === 'go-toolchain-in-final-image')?.details, [
    'No automatic fix: the program starts git (main.go:9), which the git package installs and the small runtime lacks.',
  ]);
});

test('git that the Go code starts keeps distroless out: the conversion is refused and names git', async (t) => {
  // The parser reads exec.Command("git", ...) in MIRROR_MAIN.
  const story = await minimizeContext(t, { 'go.mod': 'module example.com/mirror\n\ngo 1.22\n', 'main.go': MIRROR_MAIN, Dockerfile: MIRROR_DOCKERFILE });
  assert.deepStrictEqual(goFacts(story.project).needs.files.execs.map((e) => e.programs), [['git']]);
  assert.ok(!story.conversion.ok);
  assert.match(story.conversion.reason, /\bgit\b/);
  assert.equal(story.result.text, MIRROR_DOCKERFILE, 'Minimize leaves the file');
});

test('git next to a program that imports os/exec without a report of what it starts: offered for review, not applied', async (t) => {
  // os/exec imported and no start reported (an exec.Cmd built field by field, say): which programs run is not known.
  const story = await minimizeContext(t, { 'go.mod': 'module example.com/mirror\n\ngo 1.22\n', 'main.go': MIRROR_MAIN, Dockerfile: MIRROR_DOCKERFILE }, []);
  assert.ok(story.conversion.ok);
  const problem = 'the git package installs git, and whether the program starts it is not known (the program imports os/exec and no start of a program was reported)';
  const anyProgram = 'the small runtime has no program besides /bin/mirror, and which programs the code starts is not known (the program imports os/exec and no start of a program was reported)';
  assert.deepStrictEqual(story.conversion.conversion.problems, [problem, anyProgram]);
  assert.equal(story.conversion.conversion.safe, false);
  const preview = applyEdits(MIRROR_DOCKERFILE, story.conversion.conversion.edits);
  assert.equal(preview, `FROM golang:1.22-alpine AS build
RUN apk add --no-cache git
WORKDIR /src
COPY . .
RUN go build -o /bin/mirror .

FROM gcr.io/distroless/static-debian12:nonroot
# Check before use: ${problem}.
# Check before use: ${anyProgram}.
WORKDIR /src
COPY --from=build /bin/mirror /bin/mirror
CMD ["/bin/mirror"]
`);
  assert.equal(story.result.text, MIRROR_DOCKERFILE, 'Minimize applies only what is proven');
  // A started program whose name is not a literal is as unknown.
  const named = await minimizeContext(t, { 'go.mod': 'module example.com/mirror\n\ngo 1.22\n', 'main.go': MIRROR_MAIN, Dockerfile: MIRROR_DOCKERFILE }, [
    { programs: undefined, evidence: { file: 'main.go', line: 8, what: 'exec.Command' } },
  ]);
  assert.ok(named.conversion.ok);
  assert.deepStrictEqual(named.conversion.conversion.problems, [
    'the git package installs git, and whether the program starts it is not known (exec.Command at main.go:9 starts a program whose name is not known)',
    'the small runtime has no program besides /bin/mirror, and which programs the code starts is not known (exec.Command at main.go:9 starts a program whose name is not known)',
  ]);
});

test('git the code does not start, by the parser\'s report, is left behind as a build tool (the code starts only the binary itself)', async (t) => {
  const story = await minimizeContext(t, { 'go.mod': 'module example.com/mirror\n\ngo 1.22\n', 'main.go': MIRROR_MAIN, Dockerfile: MIRROR_DOCKERFILE }, [
    { programs: ['/bin/mirror'], evidence: { file: 'main.go', line: 8, what: 'exec.Command' } },
  ]);
  assert.equal(story.result.text, `FROM golang:1.22-alpine AS build
RUN apk add --no-cache git
WORKDIR /src
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /bin/mirror .

FROM gcr.io/distroless/static-debian12:nonroot
# Not in the runtime: git, used only to build; the program does not start it.
WORKDIR /src
COPY --from=build /bin/mirror /bin/mirror
CMD ["/bin/mirror"]
`);
  assertSettled(story);
});

test('curl the HEALTHCHECK runs, and tini the ENTRYPOINT runs, keep their packages: the reason names each', async (t) => {
  const health = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: 'FROM golang:1.22-alpine\nRUN apk add --no-cache curl\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/web .\nHEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/"]\nCMD ["/bin/web"]\n',
  });
  assert.equal(reasonOf(health), 'the HEALTHCHECK runs curl, which the curl package installs and the small runtime lacks');
  const shellHealth = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: 'FROM golang:1.22-alpine\nRUN apk add --no-cache wget\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/web .\nHEALTHCHECK CMD wget -q -O- http://localhost:8080/ || exit 1\nCMD ["/bin/web"]\n',
  });
  assert.equal(reasonOf(shellHealth), 'the HEALTHCHECK runs wget, which the wget package installs and the small runtime lacks');
  const init = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: 'FROM golang:1.22-alpine\nRUN apk add --no-cache tini\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/web .\nENTRYPOINT ["/sbin/tini", "--"]\nCMD ["/bin/web"]\n',
  });
  assert.equal(reasonOf(init), 'the ENTRYPOINT runs tini, which the tini package installs and the small runtime lacks');
});

test('mattn/go-sqlite3 built with -tags libsqlite3 links the system library: the conversion is refused and says which package', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': SQLITE_MOD,
    'main.go': SQLITE_MAIN,
    Dockerfile: 'FROM golang:1.22-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nRUN go build -tags libsqlite3 -o /usr/local/bin/notes .\nCMD ["notes"]\n',
  });
  assert.equal(reasonOf(story), "github.com/mattn/go-sqlite3 is built with -tags libsqlite3, so the binary links the system's SQLite library, which the libsqlite3-dev package brings in and the small runtime lacks");
});

test('a package Slimfile does not know keeps the refusal, named next to the known ones it could leave', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: 'FROM golang:1.22\nRUN apt-get update && apt-get install -y --no-install-recommends ffmpeg git && rm -rf /var/lib/apt/lists/*\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/web .\nCMD ["/bin/web"]\n',
  });
  assert.equal(reasonOf(story), 'the image installs packages the program may use at run time (ffmpeg), which the small runtime lacks');
});

test('a program the code starts that no package installs came with the golang image: the small runtime has none, refused', async (t) => {
  const dockerfile = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/mirror .\nCMD ["/bin/mirror"]\n';
  const story = await minimizeContext(t, { 'go.mod': 'module example.com/mirror\n\ngo 1.22\n', 'main.go': MIRROR_MAIN, Dockerfile: dockerfile }, [
    { programs: ['git'], evidence: { file: 'main.go', line: 8, what: 'exec.Command' } },
  ]);
  assert.equal(reasonOf(story), 'the program starts git (main.go:9), and the small runtime has no program besides /bin/mirror');
  assert.equal(story.result.text, dockerfile);
});

test('a binary of the stage the code starts by name must be on the runtime\'s PATH', async (t) => {
  const files = { 'go.mod': 'module example.com/shop\n\ngo 1.22\n', 'main.go': MIRROR_MAIN, 'cmd/worker/main.go': 'package main\n\nfunc main() {}\n' };
  const worker = [{ programs: ['worker'], evidence: { file: 'main.go', line: 8, what: 'exec.Command' } }];
  const onPath = await minimizeContext(t, { ...files, Dockerfile: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/shop . && go build -o /usr/local/bin/worker ./cmd/worker\nCMD ["shop"]\n' }, worker);
  assert.ok(onPath.conversion.ok, onPath.conversion.ok ? "" : onPath.conversion.reason);
  assert.deepStrictEqual(onPath.conversion.conversion.problems, []);
  // /go/bin is on the golang image's PATH, not on distroless's.
  const gobin = await minimizeContext(t, { ...files, Dockerfile: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go install . && go install ./cmd/worker\nCMD ["shop"]\n' }, worker);
  assert.ok(gobin.conversion.ok, gobin.conversion.ok ? "" : gobin.conversion.reason);
  assert.deepStrictEqual(gobin.conversion.conversion.problems, ['the program starts worker by name (main.go:9), and the runtime\'s PATH holds no folder with /go/bin/worker']);
});

test('on the Alpine runtime of a musl cgo program, busybox\'s programs are there; a shell\'s commands and git are not known to be', async (t) => {
  const files = { 'go.mod': SQLITE_MOD, 'main.go': SQLITE_MAIN, Dockerfile: 'FROM golang:1.22-alpine\nRUN apk add --no-cache gcc musl-dev\nWORKDIR /app\nCOPY . .\nRUN go build -o /usr/local/bin/notes .\nCMD ["notes"]\n' };
  const starting = (programs: string[]): ProgramStart[] => [{ programs, evidence: { file: 'main.go', line: 9, what: 'exec.Command' } }];
  const ls = await minimizeContext(t, files, starting(['ls']));
  assert.ok(ls.conversion.ok);
  assert.equal(ls.conversion.conversion.runtimeImage, 'alpine:3');
  assert.deepStrictEqual(ls.conversion.conversion.problems, []);
  const sh = await minimizeContext(t, files, starting(['/bin/sh']));
  assert.ok(sh.conversion.ok);
  assert.deepStrictEqual(sh.conversion.conversion.problems, ["the program starts sh (main.go:10): alpine:3 has busybox's sh, but which programs its commands run is not known"]);
  const git = await minimizeContext(t, files, starting(['git']));
  assert.equal(reasonOf(git), "the program starts git (main.go:10), and alpine:3 has only busybox's programs besides /usr/local/bin/notes");
});

test('packages a stage the Go stage builds FROM installed are in the image too, and decided the same way', async (t) => {
  const refused = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: 'FROM golang:1.22 AS base\nRUN apt-get update && apt-get install -y ffmpeg\n\nFROM base\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n',
  });
  assert.equal(reasonOf(refused), 'the image installs packages the program may use at run time (ffmpeg), which the small runtime lacks');
  const converted = await minimizeContext(t, {
    'go.mod': WEB_MOD,
    'main.go': WEB_MAIN,
    Dockerfile: 'FROM golang:1.22-alpine AS base\nRUN apk add --no-cache build-base bash\n\nFROM base\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n',
  });
  assert.equal(converted.result.text, `FROM golang:1.22-alpine AS base
RUN apk add --no-cache build-base bash

FROM base AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot
# Not in the runtime: build-base, used only to build; the program does not start it.
# Not in the runtime: bash, which neither the program nor its start command runs.
WORKDIR /app
COPY --from=build /app/app /app/app
CMD ["/app/app"]
`);
  assertSettled(converted);
});
