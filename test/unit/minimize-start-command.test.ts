// The start command of a naive `FROM golang` Dockerfile on the small runtime: the built binary
// with its arguments runs the same way; `go run`, a shell, a script or shell syntax cannot run
// without a shell or a toolchain, so Minimize leaves the file and says why.
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { toMultiStage } from '../../server/src/analysis/languages/go/toMultiStage';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';

const WEB = 'package main\n\nimport "net/http"\n\nfunc main() {\n\t_ = http.ListenAndServe(":8080", nil)\n}\n';
const BUILD = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\n';

async function webProject(t: TestContext): Promise<ProjectFacts> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-start-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  await fs.writeFile(path.join(dir, 'main.go'), WEB);
  await fs.writeFile(path.join(dir, 'docker-entrypoint.sh'), '#!/bin/sh\nexec "$@"\n');
  return loadProject(dir, { maxGoFiles: 100 });
}

/** Minimize leaves the file, and the finding says why there is no fix. */
function assertRefused(dockerfile: string, project: ProjectFacts, reason: string): void {
  const conversion = toMultiStage(parseDockerfile(dockerfile), project);
  assert.ok(!conversion.ok, 'the conversion is refused');
  assert.equal(conversion.reason, reason);
  const result = minimize(dockerfile, project);
  assert.equal(result.text, dockerfile);
  assert.deepStrictEqual(result.remaining.find((r) => r.rule === 'go-toolchain-in-final-image')?.details, [`No automatic fix: ${reason}.`]);
}

/** Minimize converts the file to `expected`, which it then leaves alone. */
function assertMinimized(dockerfile: string, project: ProjectFacts, expected: string): void {
  const result = minimize(dockerfile, project);
  assert.equal(result.text, expected);
  assert.deepStrictEqual(result.remaining, []);
  assert.deepStrictEqual(analyze(parseDockerfile(result.text), project).map((f) => f.rule), []);
  assert.equal(minimize(result.text, project).text, result.text, 'minimize twice changes nothing');
}

test('go run at start needs the toolchain, in exec or shell form: refused', async (t) => {
  const project = await webProject(t);
  const reason = 'the CMD runs `go run`, which needs the Go toolchain, and the small runtime has none';
  assertRefused(`${BUILD}CMD ["go", "run", "./cmd/migrate"]\n`, project, reason);
  assertRefused(`${BUILD}CMD go run ./cmd/migrate\n`, project, reason);
  assertRefused(`${BUILD}ENTRYPOINT ["/usr/local/go/bin/go", "run", "."]\n`, project, 'the ENTRYPOINT runs `/usr/local/go/bin/go run`, which needs the Go toolchain, and the small runtime has none');
});

test('a start command that needs a shell is refused: a script, a shell, shell syntax, a variable', async (t) => {
  const project = await webProject(t);
  assertRefused(`${BUILD}ENTRYPOINT ["./docker-entrypoint.sh"]\nCMD ["./app"]\n`, project, 'the ENTRYPOINT runs the shell script ./docker-entrypoint.sh, and the small runtime has no shell');
  assertRefused(`${BUILD}ENTRYPOINT ["/bin/sh", "-c", "./app"]\n`, project, 'the ENTRYPOINT runs sh, and the small runtime has no shell');
  assertRefused(`${BUILD}CMD ./app migrate && ./app\n`, project, 'the CMD uses shell syntax, and the small runtime has no shell');
  assertRefused(`${BUILD}CMD ./app --port $PORT\n`, project, 'the CMD uses shell syntax, and the small runtime has no shell');
  assertRefused(`${BUILD}CMD ./app > /var/log/app.log\n`, project, 'the CMD uses shell syntax, and the small runtime has no shell');
  assertRefused(`${BUILD}HEALTHCHECK CMD ./app health || exit 1\nCMD ["./app"]\n`, project, 'the HEALTHCHECK runs through a shell, and the small runtime has no shell');
});

test('a shell-form CMD that is one plain command becomes the exec form of the same words', async (t) => {
  const project = await webProject(t);
  assertMinimized(`${BUILD}CMD ./app serve --port 8080\n`, project, `FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/app /app/app
CMD ["/app/app", "serve", "--port", "8080"]
`);
});

test('a shell-form ENTRYPOINT never passed the CMD on: the runtime keeps the ENTRYPOINT alone and says so', async (t) => {
  const project = await webProject(t);
  assertMinimized(`${BUILD}ENTRYPOINT ./app serve\nCMD ["--port", "8080"]\n`, project, `FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot
# The CMD is left out: the ENTRYPOINT was in shell form, which never passed the CMD to the program (in exec form it now receives the arguments of \`docker run IMAGE args…\`, which the shell dropped).
WORKDIR /app
COPY --from=build /app/app /app/app
ENTRYPOINT ["/app/app", "serve"]
`);
});

test('a shell-form CMD after an exec-form ENTRYPOINT reached the program as `/bin/sh -c …`: the same arguments, no shell needed', async (t) => {
  const project = await webProject(t);
  assertMinimized(`${BUILD}ENTRYPOINT ["./app"]\nCMD serve --port 8080\n`, project, `FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot
# The CMD was in shell form after an exec-form ENTRYPOINT, so the program receives \`/bin/sh -c …\` as its arguments; it is kept that way (write the CMD in exec form if that is not meant).
WORKDIR /app
COPY --from=build /app/app /app/app
ENTRYPOINT ["/app/app"]
CMD ["/bin/sh", "-c", "serve --port 8080"]
`);
});

test('a shell-form HEALTHCHECK that is one plain command of the binary runs the same in exec form', async (t) => {
  const project = await webProject(t);
  assertMinimized(`${BUILD}HEALTHCHECK --interval=30s CMD ./app -health\nCMD ["./app"]\n`, project, `FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/app /app/app
HEALTHCHECK --interval=30s CMD ["/app/app", "-health"]
CMD ["/app/app"]
`);
});

test('exec before a plain command is the same start; an assignment or env before it is not the program\'s words', async (t) => {
  const project = await webProject(t);
  assertMinimized(`${BUILD}CMD exec ./app serve\n`, project, `FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/app /app/app
CMD ["/app/app", "serve"]
`);
  assertRefused(`${BUILD}CMD GIN_MODE=release ./app\n`, project, 'the CMD uses shell syntax, and the small runtime has no shell');
  assertRefused(`${BUILD}CMD env GIN_MODE=release ./app\n`, project, 'the CMD uses shell syntax, and the small runtime has no shell');
});
