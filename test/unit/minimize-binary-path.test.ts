// Where a naive `FROM golang` Dockerfile leaves the binary its start command runs, followed through
// the steps after the go build (cp, mv, install), GOBIN and GOPATH: Minimize copies that file to
// that path in the runtime, or says it cannot tell.
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import type { MinimizeResult } from '../../server/src/analysis/fixes/minimize';
import { toMultiStage, type ConversionResult } from '../../server/src/analysis/languages/go/toMultiStage';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';
import { goBuildsIn } from '../../server/src/analysis/languages/go/goBuilds';

interface Story {
  readonly conversion: ConversionResult;
  readonly result: MinimizeResult;
  readonly project: ProjectFacts;
}

async function minimizeContext(t: TestContext, files: Record<string, string>): Promise<Story> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-binary-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  const project = await loadProject(dir, { maxGoFiles: 100 });
  const dockerfile = files['Dockerfile'] as string;
  return { conversion: toMultiStage(parseDockerfile(dockerfile), project), result: minimize(dockerfile, project), project };
}

/** Nothing is left to fix, and Minimize on its own result changes nothing. */
function assertSettled(story: Story): void {
  assert.deepStrictEqual(story.result.remaining, []);
  assert.deepStrictEqual(analyze(parseDockerfile(story.result.text), story.project).map((f) => f.rule), []);
  const again = minimize(story.result.text, story.project);
  assert.equal(again.text, story.result.text, 'minimize twice changes nothing');
  assert.deepStrictEqual(again.applied, []);
}

const WEB = 'package main\n\nimport "net/http"\n\nfunc main() {\n\t_ = http.ListenAndServe(":8080", nil)\n}\n';
const MOD = 'module example.com/cli\n\ngo 1.21\n';

test('RUN cp /build/cli . in WORKDIR /dist, then ENTRYPOINT ["/dist/cli"]: the runtime gets /dist/cli', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': MOD,
    'main.go': WEB,
    Dockerfile: `FROM golang:1.21
WORKDIR /build
COPY . .
RUN go build -o cli .
WORKDIR /dist
RUN cp /build/cli .
ENTRYPOINT ["/dist/cli"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.21 AS build
WORKDIR /build
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o cli .
WORKDIR /dist
RUN cp /build/cli .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /dist
COPY --from=build /dist/cli /dist/cli
ENTRYPOINT ["/dist/cli"]
`);
  assert.deepStrictEqual(story.result.applied, ['Convert to multi-stage build', 'Add -ldflags "-s -w" and -trimpath']);
  assertSettled(story);
});

test('go build && mv to /usr/local/bin, CMD by name: the moved binary, found on PATH', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': MOD,
    'main.go': WEB,
    Dockerfile: `FROM golang:1.21
WORKDIR /src
COPY . .
RUN go build -o /tmp/app . && mv /tmp/app /usr/local/bin/app
CMD ["app"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.21 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /tmp/app . && mv /tmp/app /usr/local/bin/app

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /usr/local/bin/app /usr/local/bin/app
CMD ["/usr/local/bin/app"]
`);
  assertSettled(story);
});

test('install -m 755 in a later RUN to a new file name: the installed file is the one that runs', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': MOD,
    'main.go': WEB,
    Dockerfile: `FROM golang:1.21
WORKDIR /src
COPY . .
RUN go build -o bin/cli .
RUN install -m 755 bin/cli /usr/local/bin/server
CMD ["server"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.21 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o bin/cli .
RUN install -m 755 bin/cli /usr/local/bin/server

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /usr/local/bin/server /usr/local/bin/server
CMD ["/usr/local/bin/server"]
`);
  assertSettled(story);
});

test('a copy the start command does not run leaves the original in place as the binary', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': MOD,
    'main.go': WEB,
    Dockerfile: `FROM golang:1.21
WORKDIR /src
COPY . .
RUN go build -o app . && cp app /usr/local/bin/
CMD ["/src/app"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.21 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app . && cp app /usr/local/bin/

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /src/app /src/app
CMD ["/src/app"]
`);
  assertSettled(story);
});

test('GOBIN set by ENV: go install puts the binary there', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': MOD,
    'cmd/api/main.go': WEB,
    Dockerfile: `FROM golang:1.21
ENV GOBIN=/opt/bin
WORKDIR /src
COPY . .
RUN go install ./cmd/api
CMD ["/opt/bin/api"]
`,
  });
  assert.equal(story.result.text, `FROM golang:1.21 AS build
ENV GOBIN=/opt/bin
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=build /opt/bin/api /opt/bin/api
CMD ["/opt/bin/api"]
`);
  assertSettled(story);
});

test('a mv from a path that holds a variable may take the binary away: its path is not known', async (t) => {
  const story = await minimizeContext(t, {
    'go.mod': MOD,
    'main.go': WEB,
    Dockerfile: `FROM golang:1.21
WORKDIR /src
COPY . .
RUN go build -o app .
RUN mv $OUT_DIR/* /usr/local/bin/
CMD ["/src/app"]
`,
  });
  assert.ok(!story.conversion.ok);
  assert.equal(story.conversion.reason, 'the binary\'s path is not known (add `-o /path/name` to the go build)');
});

test('GOPATH mode on golang:1.10 with no go.mod: go install -v ./... in /go/src/<path>/app makes /go/bin/app, which CMD ["app"] finds on PATH', async (t) => {
  const story = await minimizeContext(t, {
    'main.go': WEB,
    Dockerfile: `FROM golang:1.10
WORKDIR /go/src/github.com/acme/app
COPY . .
RUN go get -d -v ./...
RUN go install -v ./...
EXPOSE 8080
CMD ["app"]
`,
  });
  // Go 1.10 has no -trimpath (1.13 added it): only the linker flags are added.
  assert.equal(story.result.text, `FROM golang:1.10 AS build
WORKDIR /go/src/github.com/acme/app
COPY . .
RUN go get -d -v ./...
RUN CGO_ENABLED=0 go install -ldflags="-s -w" -v ./...

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /go/src/github.com/acme/app
COPY --from=build /go/bin/app /go/bin/app
EXPOSE 8080
CMD ["/go/bin/app"]
`);
  assertSettled(story);
});

test('GOPATH mode on golang:1.12: go get -v ./... (no -d) builds and installs; git for the download is left behind', async (t) => {
  const story = await minimizeContext(t, {
    'main.go': WEB,
    Dockerfile: `FROM golang:1.12-alpine
RUN apk add --no-cache git
WORKDIR /go/src/github.com/acme/app
COPY . .
RUN go get -v ./...
CMD ["app"]
`,
  });
  assert.ok(story.conversion.ok);
  assert.equal(story.result.text, `FROM golang:1.12-alpine AS build
RUN apk add --no-cache git
WORKDIR /go/src/github.com/acme/app
COPY . .
ENV CGO_ENABLED=0
RUN go get -v ./...

FROM gcr.io/distroless/static-debian12:nonroot
# Not in the runtime: git, used only to build; the program does not start it.
WORKDIR /go/src/github.com/acme/app
COPY --from=build /go/bin/app /go/bin/app
CMD ["/go/bin/app"]
`);
  // go get takes no -ldflags edit here; that finding stays, with nothing to apply.
  assert.deepStrictEqual(story.result.remaining.map((r) => r.rule), ['debug-info-not-stripped']);
  assert.equal(minimize(story.result.text, story.project).text, story.result.text, 'minimize twice changes nothing');
});

test('no go.mod on a golang image whose Go is not named: module or GOPATH mode is not known, so neither is the binary', async (t) => {
  const story = await minimizeContext(t, {
    'main.go': WEB,
    Dockerfile: 'FROM golang\nWORKDIR /go/src/github.com/acme/app\nCOPY . .\nRUN go install -v ./...\nCMD ["app"]\n',
  });
  assert.ok(!story.conversion.ok);
  assert.equal(story.conversion.reason, 'the binary\'s path is not known (add `-o /path/name` to the go build)');
});

test('go get of a library in GOPATH mode fetches it and leaves no binary to copy', () => {
  const model = parseDockerfile('FROM golang:1.10\nWORKDIR /go/src/github.com/acme/app\nRUN go get github.com/gorilla/mux\nCOPY . .\nRUN go build -o /bin/app .\n');
  assert.deepStrictEqual(goBuildsIn(model, model.finalStage!).map((b) => b.argv.join(' ')), ['go build -o /bin/app .']);
});

test('go build ./... writes a binary only when it builds one package: with a library package beside main, nothing is written', async (t) => {
  const dockerfile = 'FROM golang:1.21\nWORKDIR /app\nCOPY . .\nRUN go build -v ./...\nCMD ["./cli"]\n';
  const alone = await minimizeContext(t, { 'go.mod': MOD, 'main.go': WEB, Dockerfile: dockerfile });
  assert.equal(alone.result.text, `FROM golang:1.21 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -v ./...

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/cli /app/cli
CMD ["/app/cli"]
`);
  assertSettled(alone);
  const withLibrary = await minimizeContext(t, { 'go.mod': MOD, 'main.go': WEB, 'store/store.go': 'package store\n', Dockerfile: dockerfile });
  assert.ok(!withLibrary.conversion.ok);
  assert.equal(withLibrary.conversion.reason, 'the binary\'s path is not known (add `-o /path/name` to the go build)');
});
