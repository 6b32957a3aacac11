// The Go sources of a build context parsed once and kept: a save parses the file whose text
// changed and keeps every other file's tree; what comes out is what a fresh parse gives.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadGrammars } from '../../server/src/workspace/grammars';
import { GO_GRAMMARS } from '../../server/src/analysis/languages/go/source/parser';
import { ParsedSourceCache, parseSources, type SourceFile } from '../../server/src/analysis/languages/go/source/source';

before(() => loadGrammars(GO_GRAMMARS));

const summary = (files: ReturnType<typeof parseSources>['files']): string[] =>
  files.map((f) => `${f.order} ${f.source.path} package ${f.packageName} imports ${f.imports.map((i) => i.path).join(',')}`);

test('a changed file is parsed again, the others keep their trees, and the result is a fresh parse', () => {
  const cache = new ParsedSourceCache();
  const files: SourceFile[] = [
    { path: 'main.go', text: 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(store.Name()) }\n' },
    { path: 'store/store.go', text: 'package store\n\nfunc Name() string { return "s" }\n' },
    { path: 'store/store_windows.go', text: 'package store\n\nimport "syscall"\n' },
    { path: 'store/store_test.go', text: 'package store\n\nimport "testing"\n' },
  ];
  const first = cache.parse(files);
  const fresh = parseSources(files);
  assert.deepEqual(summary(first.files), summary(fresh.files), 'tests and other platforms are left out as go build leaves them');
  fresh.dispose();

  const saved = [{ path: 'main.go', text: 'package main\n\nimport "crypto/tls"\n\nfunc main() { _, _ = tls.Dial("tcp", "x:443", nil) }\n' }, ...files.slice(1)];
  const second = cache.parse(saved);
  const again = parseSources(saved);
  assert.deepEqual(summary(second.files), summary(again.files));
  again.dispose();
  assert.notEqual(second.files[0]!.root.tree, first.files[0]!.root.tree, 'the saved file has a new tree');
  assert.equal(second.files[1]!.root.tree, first.files[1]!.root.tree, 'the unchanged file keeps its tree');

  // A file gone from the context leaves the cache; the rest move up in order.
  const third = cache.parse(saved.slice(1));
  assert.deepEqual(summary(third.files), ['0 store/store.go package store imports ']);
  cache.dispose();
});
