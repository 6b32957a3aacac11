// What the conversion keeps from a build context, on small real folders: the class of each entry
// and its reason, the files copied, the folders made writable, and when root must stay.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { toMultiStage, type Conversion } from '../../server/src/analysis/languages/go/toMultiStage';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { loadProject } from '../../server/src/workspace/project';
import type { ProjectFacts } from '../../server/src/analysis/project';

const NAIVE = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n';

async function convert(t: import('node:test').TestContext, files: Record<string, string>, dockerfile = NAIVE, modes: Record<string, number> = {}): Promise<{ conversion: Conversion; text: string; classes: Record<string, string>; project: ProjectFacts }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-runtime-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries({ 'go.mod': 'module example.com/app\n\ngo 1.22\n', Dockerfile: dockerfile, ...files })) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  for (const [name, mode] of Object.entries(modes)) await fs.chmod(path.join(dir, name), mode);
  const project = await loadProject(dir, { maxGoFiles: 100 });
  const result = toMultiStage(parseDockerfile(dockerfile), project);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return { conversion: result.conversion, text: applyEdits(dockerfile, result.conversion.edits), classes: Object.fromEntries(result.conversion.files.entries.map((e) => [e.name, e.class])), project };
}

const main = (body: string, ...imports: string[]): string => `package main\n\nimport (\n${imports.map((i) => `\t"${i}"`).join('\n')}\n)\n\nfunc main() {\n${body}\n}\n`;

test('a .env nothing loads is for compose: clutter when no env-file loader is imported, unread when the loader opens another file', async (t) => {
  const plain = await convert(t, { '.env': 'PORT=1\n', 'main.go': main('\t_ = os.Getenv("PORT")', 'os') });
  assert.equal(plain.classes['.env'], 'clutter');
  assert.equal(plain.conversion.safe, true);
  const loader = await convert(t, { '.env': 'PORT=1\n', 'prod.env': 'PORT=2\n', 'main.go': main('\t_ = godotenv.Load("prod.env")', 'github.com/joho/godotenv') });
  assert.deepEqual([loader.classes['.env'], loader.classes['prod.env']], ['unread', 'run-time']);
  assert.equal(loader.conversion.safe, true);
  assert.ok(loader.conversion.notes.includes('Not copied: .env: nothing reads it at run time.'), loader.conversion.notes.join('\n'));
});

test('SQL files are for tools outside the program unless a migration library is imported', async (t) => {
  const files = { 'db/migrations/001_init.sql': 'create table t (id int);\n', 'db/db.go': 'package db\n', 'queries.sql': 'select 1;\n' };
  const tools = await convert(t, { ...files, 'main.go': main('\t_ = http.ListenAndServe(":8080", nil)', 'net/http') });
  assert.deepEqual([tools.classes['db'], tools.classes['queries.sql']], ['go-source', 'build-input']);
  assert.equal(tools.conversion.safe, true);
  // With a migration library imported the .sql files may be its input; here no call of it reads them.
  const migrate = await convert(t, { ...files, 'main.go': main('\t_ = migrate.ErrNoChange', 'github.com/golang-migrate/migrate/v4') });
  assert.equal(migrate.classes['db'], 'unread');
});

test('deployment, CI and platform files, front-end sources and scripts are not needed at run time', async (t) => {
  const { classes, conversion } = await convert(t, {
    'main.go': main('', 'fmt'),
    'k8s.yaml': 'kind: Deployment\n',
    'cloudbuild.prod.yaml': 'steps: []\n',
    'buildspec.yml': 'version: 0.2\n',
    '.drone.yml': 'kind: pipeline\n',
    '.env_example': 'PORT=\n',
    'api.postman_collection.json': '{}\n',
    'wait-for-db.sh': '#!/bin/sh\n',
    'frontend/package.json': '{}\n',
    'frontend/src/app.js': '\n',
    'proto/greet.proto': 'syntax = "proto3";\n',
    'proto/greet.pb.go': 'package proto\n',
  });
  assert.deepEqual(classes, {
    '.drone.yml': 'clutter',
    '.env_example': 'clutter',
    'api.postman_collection.json': 'clutter',
    'buildspec.yml': 'clutter',
    'cloudbuild.prod.yaml': 'clutter',
    Dockerfile: 'build-input',
    frontend: 'build-input',
    'go.mod': 'build-input',
    'k8s.yaml': 'clutter',
    'main.go': 'go-source',
    proto: 'go-source',
    'wait-for-db.sh': 'build-input',
  });
  assert.equal(conversion.safe, true);
});

test('a program writing in its WORKDIR gets an empty owned folder, not the build folder with its sources', async (t) => {
  const { text, conversion } = await convert(t, {
    'main.go': main('\t_ = os.WriteFile("state.json", []byte("{}"), 0o644)\n\t_, _ = os.ReadFile("config.json")', 'os'),
    'config.json': '{}\n',
  });
  assert.equal(conversion.safe, true);
  assert.equal(
    text.slice(text.indexOf('RUN mkdir')),
    [
      'RUN mkdir -p /writable/app',
      '',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'COPY --from=build --chown=65532:65532 /writable/app /app',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/config.json /app/config.json',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
});

test('a file only its owner may read is copied owned by the runtime user', async (t) => {
  const { text } = await convert(t, { 'main.go': main('\t_ = godotenv.Load()', 'github.com/joho/godotenv'), '.env': 'TOKEN=x\n' }, NAIVE, { '.env': 0o600 });
  assert.ok(text.includes('\nCOPY --from=build --chown=65532:65532 /app/.env /app/.env\n'), text);
});

test('an image with action.yml is a GitHub container action and keeps root, through every Minimize round', async (t) => {
  const { text, conversion, project } = await convert(t, { 'main.go': main('', 'fmt'), 'action.yml': 'runs:\n  using: docker\n  image: Dockerfile\n' });
  assert.equal(conversion.safe, true);
  assert.equal(conversion.runtimeImage, 'gcr.io/distroless/static-debian12');
  assert.ok(text.includes('# Runs as root: the context holds action.yml: GitHub runs container actions as root.'), text);
  // runs-as-root offers the non-root image afterwards, but not as a safe fix: Minimize leaves root.
  const minimized = minimize(NAIVE, project);
  assert.match(minimized.text, /\nFROM gcr\.io\/distroless\/static-debian12\n/);
  assert.ok(!minimized.applied.some((a) => /nonroot|USER/.test(a)), minimized.applied.join('; '));
});

test('a file read from a folder two copies fill comes from the copy whose source holds it, not from the later copy', async (t) => {
  const dockerfile = 'FROM golang:1.22\nWORKDIR /app\nCOPY go.mod main.go ./\nCOPY static/ ./static/\nCOPY theme/ ./static/\nRUN go build -o app .\nCMD ["./app"]\n';
  const { conversion, text, classes } = await convert(t, { 'static/index.html': '<h1>hi</h1>\n', 'theme/theme.css': 'h1 {}\n', 'main.go': main('\t_, _ = os.ReadFile("static/index.html")', 'os') }, dockerfile);
  // Docker's later copy replaces only theme.css's path: index.html is static/'s, and it is read.
  assert.equal(classes['static'], 'run-time');
  // theme/ is kept by name, so /app/static comes whole, index.html with it.
  assert.ok(text.includes('\nCOPY --from=build /app/static /app/static\nCMD'), text);
  assert.deepEqual(conversion.notes.filter((n) => n.includes('index.html')), [], 'no note says the file the program reads is missing');
});

test('a path literal with `$` or `[` in the Go source is that file, not a variable or a pattern: only it is copied', async (t) => {
  const files = {
    'prices/$list.txt': 'basic 5\n',
    'prices/old.txt': 'basic 4\n',
    'static/[draft] notes.txt': 'todo\n',
    'static/logo.txt': 'logo\n',
    'main.go': main('\t_, _ = os.ReadFile("prices/$list.txt")\n\t_, _ = os.ReadFile("static/[draft] notes.txt")', 'os'),
  };
  const dockerfile = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n';
  const { text } = await convert(t, files, dockerfile);
  assert.equal(
    text.slice(text.lastIndexOf('FROM ')),
    [
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build ["/app/prices/\\\\$list.txt", "/app/prices/\\\\$list.txt"]',
      'COPY --from=build ["/app/static/[[]draft] notes.txt", "/app/static/[draft] notes.txt"]',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
});

test('a file read from a folder that is also kept whole is copied once, with the folder; with another owner it keeps its own COPY', async (t) => {
  const dockerfile = 'FROM golang:1.22\nWORKDIR /srv\nCOPY . .\nCOPY theme/ ./site/\nRUN go build -o app .\nCMD ["./app"]\n';
  const files = { 'site/index.html': '<h1>hi</h1>\n', 'theme/site.css': 'h1 {}\n', 'main.go': main('\t_, _ = os.ReadFile("site/index.html")', 'os') };
  const runtime = (copies: string): string =>
    `FROM golang:1.22 AS build\nWORKDIR /srv\nCOPY . .\nCOPY theme/ ./site/\nRUN CGO_ENABLED=0 go build -o app .\n\nFROM gcr.io/distroless/static-debian12:nonroot\nWORKDIR /srv\nCOPY --from=build /srv/app /srv/app\n${copies}CMD ["/srv/app"]\n`;
  // theme/ is kept by name and lands in /srv/site, so the whole folder is copied: index.html with it.
  const plain = await convert(t, files, dockerfile);
  assert.equal(plain.text, runtime('COPY --from=build /srv/site /srv/site\n'));
  // index.html only its owner may read: the folder comes as it is, then the file owned by the runtime user.
  const private_ = await convert(t, files, dockerfile, { 'site/index.html': 0o600 });
  assert.equal(private_.text, runtime('COPY --from=build /srv/site /srv/site\nCOPY --from=build --chown=65532:65532 /srv/site/index.html /srv/site/index.html\n'));
});

test('a folder whose copy lands in a folder copied whole is not said to be left out', async (t) => {
  const dockerfile = 'FROM golang:1.22\nWORKDIR /srv\nCOPY go.mod main.go ./\nCOPY assets/ ./site/\nCOPY theme/ ./site/\nRUN go build -o app .\nCMD ["./app"]\n';
  const { conversion, text } = await convert(t, { 'assets/logo.png': 'png\n', 'theme/site.css': 'h1 {}\n', 'main.go': main('\tfmt.Println("hi")', 'fmt') }, dockerfile);
  // assets/ is kept by name into /srv/site, and theme/'s files are in that folder of the build stage.
  assert.ok(text.includes('\nCOPY --from=build /srv/site /srv/site\n'), text);
  assert.equal(conversion.files.entries.map((e) => `${e.name}: ${e.class}: ${e.reason}`).join('\n') + '\n' + conversion.notes.join('\n'),
    'assets: run-time: the Dockerfile copies assets into the image by name\ngo.mod: build-input: build input\nmain.go: go-source: Go source, compiled into the binary\ntheme: run-time: its copy lands in /srv/site, which is copied whole\n',
  );
  // A later copy of override/ replaces theme/'s only file: nothing of theme/ is in the image.
  const files = { 'assets/logo.png': 'png\n', 'theme/site.css': 'h1 {}\n', 'override/site.css': 'p {}\n', 'main.go': main('\tfmt.Println("hi")', 'fmt') };
  const replaced = await convert(t, files, dockerfile.replace('COPY theme/ ./site/\n', 'COPY theme/ ./site/\nCOPY override/ ./site/\n'));
  assert.equal(replaced.conversion.notes.join('\n'), 'Not copied: theme/: nothing reads it at run time.');
});
