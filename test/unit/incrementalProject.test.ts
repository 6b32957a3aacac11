// A build context kept up to date file by file gives the same facts, and so the same findings, as
// reading it again from nothing: after a saved edit that adds or drops a file the program reads
// or an import of crypto/tls, and after a Go file is made or deleted.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';
import { ProjectCache } from '../../server/src/workspace/projects';

// A naive single-stage build: Minimize's image on scratch copies exactly what the program needs
// at run time (the files it reads, CA certificates for TLS), so every need shows in its output.
const DOCKERFILE = `FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /out/server ./cmd/server
CMD ["/out/server"]
`;

const MAIN = (body: string, imports: string[] = []): string =>
  `package main\n\nimport (\n${['"fmt"', ...imports].map((i) => `\t${i}\n`).join('')})\n\nfunc main() {\n\tfmt.Println("up")\n${body}}\n`;

async function context(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-incremental-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  await fs.writeFile(path.join(dir, 'Dockerfile'), DOCKERFILE);
  await fs.mkdir(path.join(dir, 'cmd', 'server'), { recursive: true });
  await fs.writeFile(path.join(dir, 'cmd', 'server', 'main.go'), MAIN(''));
  await fs.mkdir(path.join(dir, 'internal', 'store'), { recursive: true });
  await fs.writeFile(path.join(dir, 'internal', 'store', 'store.go'), 'package store\n\nfunc Name() string { return "store" }\n');
  await fs.mkdir(path.join(dir, 'templates'));
  await fs.writeFile(path.join(dir, 'templates', 'x'), '<p>x</p>\n');
  return dir;
}

/** What the user sees: the findings on the Dockerfile (rule, line, message) and the Dockerfile Minimize makes. */
function findings(project: ProjectFacts): string {
  // On scratch, which has nothing the program does not bring: CA certificates show only when it makes TLS calls.
  const settings = { rules: {}, runtime: 'scratch' as const };
  const listed = analyze(parseDockerfile(DOCKERFILE), project, settings).map((f) => `${f.rule} ${f.range.start.line}: ${f.message}`);
  return [...listed, '--- minimized:', minimize(DOCKERFILE, project, settings).text].join('\n');
}

/** The facts and findings of the kept context against a fresh read of the same files. */
async function assertSameAsFreshRead(kept: ProjectFacts, dir: string, what: string): Promise<void> {
  const fresh = await loadProject(dir, { maxGoFiles: 100 });
  assert.equal(findings(kept), findings(fresh), `${what}: the findings are the fresh read's`);
  assert.deepEqual(kept, fresh, `${what}: every fact is the fresh read's`);
}

test('a saved Go file that starts or stops reading a file, or imports crypto/tls, gives the findings a fresh read gives', async (t) => {
  const dir = await context(t);
  const main = path.join(dir, 'cmd', 'server', 'main.go');
  const cache = new ProjectCache();
  t.after(() => cache.clear());
  const before = await cache.get(dir, { maxGoFiles: 100 });
  const quiet = findings(before);

  const edits: Array<{ what: string; text: string; shows: RegExp | undefined }> = [
    { what: 'os.ReadFile("templates/x") added', text: MAIN('\t_, _ = os.ReadFile("templates/x")\n', ['"os"']), shows: /templates\/x/ },
    { what: 'a TLS dial added (crypto/tls)', text: MAIN('\t_, _ = os.ReadFile("templates/x")\n\t_, _ = tls.Dial("tcp", "example.com:443", nil)\n', ['"crypto/tls"', '"os"']), shows: /ca-certificates/ },
    { what: 'the file read removed, TLS kept', text: MAIN('\t_, _ = tls.Dial("tcp", "example.com:443", nil)\n', ['"crypto/tls"']), shows: undefined },
    { what: 'back to the first text', text: MAIN(''), shows: undefined },
  ];
  let previous = quiet;
  for (const edit of edits) {
    await fs.writeFile(main, edit.text);
    assert.equal(cache.changed([{ path: main, kind: 'changed' }]), true, `${edit.what}: the context holds the file`);
    const kept = await cache.get(dir, { maxGoFiles: 100 });
    await assertSameAsFreshRead(kept, dir, edit.what);
    const now = findings(kept);
    assert.notEqual(now, previous, `${edit.what}: the findings moved`);
    if (edit.shows) assert.match(now, edit.shows, `${edit.what}: a finding says so`);
    previous = now;
  }
  assert.equal(previous, quiet, 'the first text gives the first findings again');
});

test('a Go file made, then deleted, gives the findings a fresh read gives', async (t) => {
  const dir = await context(t);
  const cache = new ProjectCache();
  t.after(() => cache.clear());
  const quiet = findings(await cache.get(dir, { maxGoFiles: 100 }));
  const made = path.join(dir, 'cmd', 'server', 'dial.go');
  await fs.writeFile(made, 'package main\n\nimport "crypto/tls"\n\nfunc dial() { _, _ = tls.Dial("tcp", "example.com:443", nil) }\n');
  assert.equal(cache.changed([{ path: made, kind: 'created' }]), true);
  const withFile = await cache.get(dir, { maxGoFiles: 100 });
  await assertSameAsFreshRead(withFile, dir, 'dial.go made');
  assert.notEqual(findings(withFile), quiet, 'the new file\'s TLS dial shows');

  await fs.rm(made);
  assert.equal(cache.changed([{ path: made, kind: 'deleted' }]), true);
  const without = await cache.get(dir, { maxGoFiles: 100 });
  await assertSameAsFreshRead(without, dir, 'dial.go deleted');
  assert.equal(findings(without), quiet);
});

test('a save reads that file again and does not walk the context', async (t) => {
  const dir = await context(t);
  const main = path.join(dir, 'cmd', 'server', 'main.go');
  const cache = new ProjectCache();
  t.after(() => cache.clear());
  await cache.get(dir, { maxGoFiles: 100 });
  // A file no watcher told of: only a walk would find it.
  await fs.writeFile(path.join(dir, 'untold.txt'), 'not announced\n');
  await fs.writeFile(main, MAIN('\t_, _ = os.ReadFile("templates/x")\n', ['"os"']));
  cache.changed([{ path: main, kind: 'changed' }]);
  const kept = await cache.get(dir, { maxGoFiles: 100 });
  assert.equal(kept.contextListing.files.has('untold.txt'), false, 'the save did not walk the context');
  assert.equal(kept.contextListing.files.get('cmd/server/main.go'), (await fs.stat(main)).size, 'the saved file\'s size is the new one');
  assert.match(findings(kept), /templates\/x/, 'the saved file was read again');
  // Told of it, the context is walked and has it.
  cache.changed([{ path: path.join(dir, 'untold.txt'), kind: 'created' }]);
  assert.equal((await cache.get(dir, { maxGoFiles: 100 })).contextListing.files.has('untold.txt'), true);
});

test('a saved file the engine does not receive (.dockerignore) keeps the facts a fresh read gives', async (t) => {
  const dir = await context(t);
  await fs.writeFile(path.join(dir, '.dockerignore'), 'notes.txt\n');
  const notes = path.join(dir, 'notes.txt');
  await fs.writeFile(notes, 'short\n');
  const cache = new ProjectCache();
  t.after(() => cache.clear());
  await cache.get(dir, { maxGoFiles: 100 });
  await fs.writeFile(notes, 'a longer note than before\n');
  cache.changed([{ path: notes, kind: 'changed' }]);
  const kept = await cache.get(dir, { maxGoFiles: 100 });
  assert.equal(kept.contextEntries.find((e) => e.name === 'notes.txt')?.size, 26, 'the top-level entry has the new size');
  await assertSameAsFreshRead(kept, dir, 'notes.txt saved');
});
