// go.mod as Go writes it and as people hand-edit it: directives, blocks, comments, // indirect,
// replaces with and without versions; a malformed line becomes a problem, never an exception.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseGoMod, goVersionParts, compareGoVersions } from '../../server/src/analysis/languages/go/gomod';

const GO_MOD = `// Service module.
module github.com/acme/service // the module path

go 1.22.3

toolchain go1.23.1

require github.com/spf13/cobra v1.8.0

require (
	github.com/mattn/go-sqlite3 v1.14.22
	golang.org/x/sys v0.20.0 // indirect
	// a comment inside the block
	github.com/google/uuid v1.6.0 // pinned; indirect
	"github.com/quoted/module" v0.1.0
)

replace github.com/acme/lib => ../lib

replace (
	golang.org/x/net v0.25.0 => golang.org/x/net v0.26.0
	github.com/old/thing => github.com/new/thing v1.2.3
)

exclude github.com/bad/thing v1.0.0

retract v0.9.0 // published by mistake
`;

test('module, go, toolchain', () => {
  const mod = parseGoMod(GO_MOD);
  assert.equal(mod.module, 'github.com/acme/service');
  assert.equal(mod.go, '1.22.3');
  assert.deepStrictEqual(mod.goRange, { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } });
  assert.equal(mod.toolchain, 'go1.23.1');
  assert.deepStrictEqual(mod.problems, []);
});

test('requires, single and in blocks, with // indirect', () => {
  const mod = parseGoMod(GO_MOD);
  assert.deepStrictEqual(
    mod.requires.map((r) => [r.path, r.version, r.indirect, r.range.start.line]),
    [
      ['github.com/spf13/cobra', 'v1.8.0', false, 7],
      ['github.com/mattn/go-sqlite3', 'v1.14.22', false, 10],
      ['golang.org/x/sys', 'v0.20.0', true, 11],
      ['github.com/google/uuid', 'v1.6.0', true, 13],
      ['github.com/quoted/module', 'v0.1.0', false, 14],
    ],
  );
  const sqlite = mod.requires[1]!;
  assert.deepStrictEqual(sqlite.range, { start: { line: 10, character: 1 }, end: { line: 10, character: 37 } });
});

test('replaces with and without versions', () => {
  assert.deepStrictEqual(parseGoMod(GO_MOD).replaces, [
    { from: 'github.com/acme/lib', to: '../lib', toVersion: undefined },
    { from: 'golang.org/x/net', to: 'golang.org/x/net', toVersion: 'v0.26.0' },
    { from: 'github.com/old/thing', to: 'github.com/new/thing', toVersion: 'v1.2.3' },
  ]);
});

test('CRLF line endings read the same', () => {
  const lf = parseGoMod(GO_MOD);
  const crlf = parseGoMod(GO_MOD.replace(/\n/g, '\r\n'));
  assert.deepStrictEqual(crlf, lf);
});

test('malformed lines are reported as problems and the rest is still read', () => {
  const text = [
    'module example.com/broken',
    'go 1.21',
    'require github.com/only/path',
    'replace github.com/a/b',
    'frobnicate everything',
    'require (',
    '\tgithub.com/ok/one v1.0.0',
    '\tgithub.com/missing/version',
    ')',
  ].join('\n');
  let mod: ReturnType<typeof parseGoMod> | undefined;
  assert.doesNotThrow(() => {
    mod = parseGoMod(text);
  });
  assert.equal(mod!.module, 'example.com/broken');
  assert.equal(mod!.go, '1.21');
  assert.deepStrictEqual(mod!.requires.map((r) => r.path), ['github.com/ok/one']);
  assert.deepStrictEqual(mod!.problems.map((p) => p.line), [2, 3, 4, 7]);
  for (const p of mod!.problems) assert.ok(p.message.length > 0);
});

test('empty and garbage input never throw', () => {
  for (const text of ['', '\n\n', '// only a comment', 'require (', ')', '(((', 'module', '\u0000\u0001']) {
    assert.doesNotThrow(() => parseGoMod(text), JSON.stringify(text));
  }
  assert.deepStrictEqual(parseGoMod(''), { module: undefined, go: undefined, goRange: undefined, toolchain: undefined, requires: [], replaces: [], problems: [] });
});

test('Go versions compare numerically', () => {
  assert.deepStrictEqual(goVersionParts('1.22'), [1, 22, 0]);
  assert.deepStrictEqual(goVersionParts('go1.23.1'), [1, 23, 1]);
  assert.deepStrictEqual(goVersionParts('1.21rc2'), [1, 21, 0]);
  assert.equal(goVersionParts('latest'), undefined);
  assert.equal(goVersionParts(undefined), undefined);
  assert.ok(compareGoVersions([1, 9, 0], [1, 10, 0]) < 0);
  assert.ok(compareGoVersions([1, 22, 3], [1, 22, 0]) > 0);
  assert.equal(compareGoVersions([1, 22, 0], [1, 22, 0]), 0);
});
