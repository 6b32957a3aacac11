// Where a Go build leaves its binary when the Dockerfile does not say with -o: go install's GOBIN
// and GOPATH, go build's package and file names, GOPATH-mode go get, and ./... with one main package.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { binaryLocations, binaryPath } from '../../server/src/analysis/languages/go/binaries';
import { emptyProject, type ProjectFacts } from '../../server/src/analysis/project';
import { parseGoMod } from '../../server/src/analysis/languages/go/gomod';
import { goBuilds } from '../../server/src/analysis/languages/go/goBuilds';
import { emptyGoFacts } from '../../server/src/analysis/languages/go/source/facts';

function project(module: string | undefined, mainPackages: string[] = [''], goModPath = 'go.mod'): ProjectFacts {
  return { ...emptyProject(), own: { go: { ...emptyGoFacts(), goMod: module ? parseGoMod(`module ${module}\n\ngo 1.19\n`) : undefined, goModPath: module ? goModPath : undefined, mainPackages } } };
}

function binaryOf(dockerfile: string, facts: ProjectFacts): string | undefined {
  const model = parseDockerfile(dockerfile);
  const build = goBuilds(model).find((b) => b.stage === model.finalStage?.index);
  assert.ok(build, 'the Dockerfile has a go build');
  return binaryPath(build, facts);
}

test('go install without -o puts the binary in /go/bin under the package folder name', () => {
  assert.equal(binaryOf('FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/api\n', project('example.com/shop')), '/go/bin/api');
});

test('go install respects GOBIN, then the first GOPATH entry, set by ENV', () => {
  assert.equal(binaryOf('FROM golang:1.19\nENV GOBIN=/usr/local/bin\nRUN go install ./cmd/api\n', project('example.com/shop')), '/usr/local/bin/api');
  assert.equal(binaryOf('FROM golang:1.19\nENV GOPATH=/work:/usr/share/gocode\nRUN go install ./cmd/api\n', project('example.com/shop')), '/work/bin/api');
});

test('go install of a remote package at a version is named after its path, without a major version suffix', () => {
  assert.equal(binaryOf('FROM golang:1.19\nRUN go install example.com/tools/cmd/migrate/v2@latest\n', project(undefined)), '/go/bin/migrate');
});

test('go build without -o names the binary after the module for ".", the folder for ./cmd/x, the file for main.go', () => {
  assert.equal(binaryOf('FROM golang:1.19\nWORKDIR /app\nRUN go build .\n', project('github.com/acme/notes/v3')), '/app/notes');
  assert.equal(binaryOf('FROM golang:1.19\nWORKDIR /app\nRUN go build ./cmd/worker\n', project('github.com/acme/notes')), '/app/worker');
  assert.equal(binaryOf('FROM golang:1.19\nWORKDIR /app\nRUN go build main.go util.go\n', project('github.com/acme/notes')), '/app/main');
});

test('GOPATH mode: go get without -d installs, named after the working folder', () => {
  const dockerfile = 'FROM golang:1.19\nENV GO111MODULE=off\nWORKDIR /go/src/github.com/acme/greeter\nCOPY . .\nRUN go get -v .\n';
  assert.equal(binaryOf(dockerfile, project(undefined)), '/go/bin/greeter');
  // In module mode, go get only edits go.mod: nothing is built.
  assert.equal(goBuilds(parseDockerfile('FROM golang:1.19\nWORKDIR /src\nRUN go get -v ./...\n')).length, 0);
  // -d downloads without building, in either mode.
  assert.equal(goBuilds(parseDockerfile('FROM golang:1.19\nENV GO111MODULE=off\nRUN go get -d -v ./...\n')).length, 0);
});

test('./... names its binary only when the context holds one main package', () => {
  const dockerfile = 'FROM golang:1.19\nENV GO111MODULE=off\nWORKDIR /go/src/github.com/acme/greeter\nRUN go install -v ./...\n';
  assert.equal(binaryOf(dockerfile, project(undefined, [''])), '/go/bin/greeter');
  assert.equal(binaryOf(dockerfile, project(undefined, ['cmd/greet'])), '/go/bin/greet');
  assert.equal(binaryOf(dockerfile, project(undefined, ['cmd/a', 'cmd/b'])), undefined);
});

function locationsOf(dockerfile: string, facts: ProjectFacts): readonly string[] | undefined {
  const parsed = parseDockerfile(dockerfile);
  const build = goBuilds(parsed).find((b) => b.stage === parsed.finalStage?.index);
  assert.ok(build, 'the Dockerfile has a go build');
  return binaryLocations(build, facts)?.paths;
}

test('cp, mv and install after the build: a copy adds a path, a move replaces it, a folder keeps the name', () => {
  const facts = project('example.com/shop');
  const head = 'FROM golang:1.21\nWORKDIR /src\nRUN go build -o bin/shop .\n';
  assert.deepEqual(locationsOf(`${head}WORKDIR /dist\nRUN cp /src/bin/shop .\n`, facts), ['/src/bin/shop', '/dist/shop']);
  assert.deepEqual(locationsOf(`${head}RUN mv bin/shop /usr/local/bin\n`, facts), ['/usr/local/bin/shop']);
  assert.deepEqual(locationsOf(`${head}RUN mv bin/shop /app\n`, facts), ['/app'], '/app is not a folder the stage has: the file is renamed');
  assert.deepEqual(locationsOf(`${head}RUN mkdir -p /app && mv bin/shop /app\n`, facts), ['/app/shop']);
  assert.deepEqual(locationsOf(`${head}RUN install -D -m 0755 bin/shop /opt/shop/server\n`, facts), ['/src/bin/shop', '/opt/shop/server']);
  assert.deepEqual(locationsOf(`${head}RUN cp -t /usr/bin bin/shop README.md\n`, facts), ['/src/bin/shop', '/usr/bin/shop']);
  assert.deepEqual(locationsOf(`${head}RUN cp bin/* /usr/local/bin/\n`, facts), ['/src/bin/shop', '/usr/local/bin/shop']);
  assert.deepEqual(locationsOf(`${head}RUN cp -r bin /release\n`, facts), ['/src/bin/shop', '/release/shop'], 'a folder copied to a new name');
  assert.deepEqual(locationsOf(`${head}RUN cp -r bin /usr/local/\n`, facts), ['/src/bin/shop', '/usr/local/bin/shop'], 'a folder copied into a folder');
  assert.deepEqual(locationsOf(`${head}RUN cp config.yaml /etc/shop.yaml\n`, facts), ['/src/bin/shop']);
  // Copies before the build do not move what it makes.
  assert.deepEqual(locationsOf('FROM golang:1.21\nWORKDIR /src\nRUN cp -r /seed /usr/local/bin/\nRUN go build -o bin/shop .\n', facts), ['/src/bin/shop']);
  assert.equal(locationsOf(`${head}RUN mv $OUT/shop /usr/local/bin/\n`, facts), undefined, 'a move from an unknown path may take the binary');
});

test('a folder made by COPY . /app takes a moved binary inside it', () => {
  const facts = project('example.com/shop');
  assert.deepEqual(locationsOf('FROM golang:1.21\nCOPY . /app\nWORKDIR /src\nRUN go build -o shop . && mv shop /app\n', facts), ['/app/shop']);
});

test('cp -r of a folder\'s contents (. or dir/.) puts them in the destination without the folder\'s name', () => {
  const facts = project('example.com/shop');
  assert.deepEqual(locationsOf('FROM golang:1.21\nWORKDIR /src\nRUN go build -o bin/shop .\nRUN cp -r bin/. /usr/local/bin\n', facts), ['/src/bin/shop', '/usr/local/bin/shop']);
  assert.deepEqual(locationsOf('FROM golang:1.21\nWORKDIR /src\nRUN go build -o bin/shop .\nRUN cp -r . /release\n', facts), ['/src/bin/shop', '/release/bin/shop']);
});

test('go build of several packages without -o writes no binary; into an -o folder it does', () => {
  const facts = project('example.com/shop', ['cmd/api', 'cmd/worker']);
  assert.equal(binaryOf('FROM golang:1.21\nWORKDIR /src\nRUN go build ./cmd/api ./cmd/worker\n', facts), undefined);
  assert.equal(binaryOf('FROM golang:1.21\nWORKDIR /src\nRUN go build -o /out/ ./cmd/api ./cmd/worker\n', facts), '/out/api');
  assert.equal(binaryOf('FROM golang:1.21\nWORKDIR /src\nRUN go build main.go util.go\n', facts), '/src/main');
});
