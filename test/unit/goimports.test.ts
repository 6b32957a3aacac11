// What a Go program needs at run time, learned from its sources and go.mod, each need with the
// line that causes it. Comments, strings and _test.go files must not count.
import * as assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzeGoSources, mainPackageFolders, readImports, unknownNeeds, type SourceFile } from '../../server/src/analysis/languages/go/source/needs';
import { loadGrammars } from '../../server/src/workspace/grammars';
import { GO_GRAMMARS } from '../../server/src/analysis/languages/go/source/parser';
import { parseGoMod } from '../../server/src/analysis/languages/go/gomod';
import { goFacts } from '../../server/src/analysis/languages/go/source/facts';

// The parser's wasm loads once; every test after it parses synchronously.
before(() => loadGrammars(GO_GRAMMARS));

function go(path: string, ...lines: string[]): SourceFile {
  return { path, text: lines.join('\n') };
}

/** 0-based line of the first line of `file` that contains `needle`. */
function lineOf(file: SourceFile, needle: string): number {
  const i = file.text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file.path}`);
  return i;
}

const HTTP_SERVER = go(
  'main.go',
  'package main',
  '',
  'import (',
  '\t"fmt"',
  '\t"net/http"',
  ')',
  '',
  'func main() {',
  '\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hi") })',
  '\t_ = http.ListenAndServe(":8080", nil)',
  '}',
);

test('an HTTP server alone needs no CA certificates', () => {
  const needs = analyzeGoSources([HTTP_SERVER], undefined);
  assert.equal(needs.tls.needed, false);
  assert.equal(needs.zoneinfo.needed, false);
  assert.equal(needs.cgo.needed, false);
  assert.equal(needs.userLookup.needed, false);
  assert.deepStrictEqual([...needs.imports].sort(), ['fmt', 'net/http']);
  // net/http links the cgo resolver when cgo is on.
  assert.equal(needs.libcWhenCgo.needed, true);
  assert.equal(needs.filesScanned, 1);
});

test('http.Get needs CA certificates, with the call as evidence', () => {
  const client = go('cmd/fetch/main.go', 'package main', '', 'import "net/http"', '', 'func main() {', '\tresp, _ := http.Get("https://example.com")', '\t_ = resp', '}');
  const needs = analyzeGoSources([client], undefined);
  assert.equal(needs.tls.needed, true);
  assert.deepStrictEqual(needs.tls.evidence, [{ file: 'cmd/fetch/main.go', line: lineOf(client, 'http.Get'), what: 'http client call' }]);
});

test('time.LoadLocation needs zoneinfo; time/tzdata embeds it', () => {
  const tz = go('tz.go', 'package main', '', 'import "time"', '', 'func zone() *time.Location {', '\tloc, _ := time.LoadLocation("Europe/Berlin")', '\treturn loc', '}');
  const needs = analyzeGoSources([tz], undefined);
  assert.equal(needs.zoneinfo.needed, true);
  assert.deepStrictEqual(needs.zoneinfo.evidence, [{ file: 'tz.go', line: lineOf(tz, 'LoadLocation'), what: 'time.LoadLocation' }]);
  assert.equal(needs.embeddedTzdata.needed, false);

  const embed = go('embed.go', 'package main', '', 'import _ "time/tzdata"');
  const both = analyzeGoSources([tz, embed], undefined);
  assert.equal(both.zoneinfo.needed, true);
  assert.equal(both.embeddedTzdata.needed, true);
  assert.deepStrictEqual(both.embeddedTzdata.evidence, [{ file: 'embed.go', line: 2, what: 'import _ "time/tzdata"' }]);

  assert.equal(analyzeGoSources([tz], undefined, { buildTags: ['timetzdata'] }).embeddedTzdata.needed, true);
});

test('import "C" needs cgo', () => {
  const cgo = go('c.go', 'package main', '', '// #include <stdio.h>', 'import "C"', '', 'func main() {}');
  const needs = analyzeGoSources([cgo], undefined);
  assert.equal(needs.cgo.needed, true);
  assert.deepStrictEqual(needs.cgo.evidence, [{ file: 'c.go', line: 3, what: 'import "C"' }]);
  assert.equal(needs.libcWhenCgo.needed, true);
});

test('go.mod requiring mattn/go-sqlite3 needs cgo, an indirect requirement too (a dependency such as gorm.io/driver/sqlite links it)', () => {
  const mod = parseGoMod('module example.com/db\n\ngo 1.22\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n)\n');
  const needs = analyzeGoSources([HTTP_SERVER], mod);
  assert.equal(needs.cgo.needed, true);
  assert.deepStrictEqual(needs.cgo.evidence, [{ file: 'go.mod', line: 5, what: 'requires github.com/mattn/go-sqlite3, which needs cgo' }]);

  const indirect = parseGoMod('module example.com/db\n\nrequire github.com/mattn/go-sqlite3 v1.14.22 // indirect\n');
  assert.deepStrictEqual(analyzeGoSources([HTTP_SERVER], indirect).cgo, {
    needed: true,
    evidence: [{ file: 'go.mod', line: 2, what: 'requires github.com/mattn/go-sqlite3 (indirect: a dependency may link it), which needs cgo' }],
  });

  // Imported in the sources: the import is the evidence, go.mod does not add a second line.
  const src = go('db.go', 'package main', '', 'import (', '\t"database/sql"', '\t_ "github.com/mattn/go-sqlite3"', ')', 'var _ = sql.Open');
  const both = analyzeGoSources([src], mod);
  assert.deepStrictEqual(both.cgo.evidence, [{ file: 'db.go', line: 4, what: 'import "github.com/mattn/go-sqlite3" needs cgo' }]);
});

test('os/user with user.Lookup reads users', () => {
  const users = go('u.go', 'package main', '', 'import (', '\t"fmt"', '\t"os/user"', ')', '', 'func main() {', '\tu, _ := user.Lookup("nobody")', '\tfmt.Println(u)', '}');
  const needs = analyzeGoSources([users], undefined);
  assert.equal(needs.userLookup.needed, true);
  assert.deepStrictEqual(needs.userLookup.evidence, [{ file: 'u.go', line: lineOf(users, 'user.Lookup'), what: 'os/user lookup' }]);
});

test('comments and strings that mention imports or calls do not count', () => {
  const quiet = go(
    'quiet.go',
    'package main',
    '',
    '// import "C"',
    '/*',
    'import "time/tzdata"',
    'http.Get("https://example.com")',
    '*/',
    'import (',
    '\t"fmt"',
    '\t// "os/user"',
    ')',
    '',
    'const doc = `',
    'import "C"',
    '`',
    '',
    'func main() {',
    '\tfmt.Println("import \\"C\\" and http.Get(url) and time.LoadLocation(x)") // http.Get(url)',
    '}',
  );
  const needs = analyzeGoSources([quiet], undefined);
  assert.deepStrictEqual([...needs.imports], ['fmt']);
  assert.equal(needs.cgo.needed, false);
  assert.equal(needs.embeddedTzdata.needed, false);
  assert.equal(needs.tls.needed, false);
  assert.equal(needs.zoneinfo.needed, false);
  assert.equal(needs.userLookup.needed, false);
});

test('a call in a string is not a call, even when the package is imported', () => {
  const file = go('s.go', 'package main', '', 'import (', '\t"fmt"', '\t"net/http"', ')', '', 'var _ = http.StatusOK', 'func main() { fmt.Println("use http.Get(url) to fetch") }');
  assert.equal(analyzeGoSources([file], undefined).tls.needed, false);
});

test("a rune literal holding a quote does not hide the code after it", () => {
  const file = go('r.go', 'package main', '', 'import "net/http"', '', "var quote = '\"'", 'var tick = \'`\'', 'func main() { http.Get("https://example.com") }');
  const needs = analyzeGoSources([file], undefined);
  assert.deepStrictEqual(needs.tls.evidence, [{ file: 'r.go', line: lineOf(file, 'http.Get'), what: 'http client call' }]);
});

test('_test.go files are ignored', () => {
  const testFile = go('main_test.go', 'package main', '', 'import (', '\t"net/http"', '\t"time"', ')', 'func TestX() { http.Get("https://x"); time.LoadLocation("UTC") }');
  const needs = analyzeGoSources([HTTP_SERVER, testFile], undefined);
  assert.equal(needs.tls.needed, false);
  assert.equal(needs.zoneinfo.needed, false);
  assert.deepStrictEqual([...needs.imports].sort(), ['fmt', 'net/http']);
});

test('readImports: single, grouped, aliased, dot and blank imports with their lines', () => {
  const file = ['package main', '', 'import "fmt"', 'import str "strings"', '', 'import (', '\t. "math"', '\t_ "embed"', '', '\tfoo "example.com/foo"', ')'].join('\n');
  assert.deepStrictEqual(
    readImports(file).map((s) => [s.path, s.line, s.alias]),
    [
      ['fmt', 2, undefined],
      ['strings', 3, 'str'],
      ['math', 6, '.'],
      ['embed', 7, '_'],
      ['example.com/foo', 9, 'foo'],
    ],
  );
});

test('no sources: nothing is claimed', () => {
  const needs = unknownNeeds();
  assert.equal(needs.tls.needed || needs.zoneinfo.needed || needs.cgo.needed || needs.userLookup.needed, false);
  assert.equal(analyzeGoSources([], undefined).filesScanned, 0);
});

test('loadProject reads go.mod and the sources, skipping tests, vendor and testdata, and says when it stops early', async () => {
  const { promises: fs } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { loadProject, findBuildContext } = await import('../../server/src/workspace/project');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-project-'));
  try {
    const write = async (rel: string, text: string): Promise<void> => {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), text);
    };
    await write('go.mod', 'module example.com/app\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n');
    await write('main.go', 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("https://example.com") }\n');
    await write('main_test.go', 'package main\n\nimport "time"\n\nvar _, _ = time.LoadLocation("UTC")\n');
    await write('vendor/x/x.go', 'package x\n\nimport "os/user"\n\nvar _, _ = user.Current()\n');
    await write('testdata/t.go', 'package t\n\nimport "C"\n');
    await write('deploy/Dockerfile', 'FROM scratch\n');

    assert.equal(await findBuildContext(path.join(dir, 'deploy', 'Dockerfile'), dir), dir);
    const facts = await loadProject(dir, { maxGoFiles: 100 });
    assert.equal(facts.contextDir, dir);
    assert.equal(goFacts(facts).goMod?.module, 'example.com/app');
    assert.equal(goFacts(facts).hasGoSources, true);
    assert.equal(goFacts(facts).needs.filesScanned, 1);
    assert.equal(goFacts(facts).needs.tls.needed, true);
    assert.deepStrictEqual(goFacts(facts).needs.tls.evidence, [{ file: 'main.go', line: 4, what: 'http client call' }]);
    assert.equal(goFacts(facts).needs.cgo.needed, true, 'go.mod requires go-sqlite3');
    assert.equal(goFacts(facts).needs.zoneinfo.needed, false, 'main_test.go is not read');
    assert.equal(goFacts(facts).needs.userLookup.needed, false, 'vendor/ is not read');
    assert.equal(facts.dockerignore.present, false);
    assert.deepStrictEqual(facts.notes, []);
    assert.deepStrictEqual(facts.contextEntries.map((e) => e.name).sort(), ['deploy', 'go.mod', 'main.go', 'main_test.go', 'testdata', 'vendor']);

    await write('pkg/a.go', 'package pkg\n');
    await write('pkg/b.go', 'package pkg\n');
    const capped = await loadProject(dir, { maxGoFiles: 1 });
    assert.equal(goFacts(capped).needs.truncated, true);
    assert.equal(capped.notes.length, 1);
    assert.match(capped.notes[0]!, /stopped after 1 files/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Read as Go reads it: aliases, dot imports, build constraints

test('an aliased net/http client needs CA certificates: the alias is followed', () => {
  const file = go('main.go', 'package main', '', 'import nethttp "net/http"', '', 'func main() {', '\tc := &nethttp.Client{}', '\tc.Get("https://example.com")', '\tnethttp.Post("https://example.com", "text/plain", nil)', '}');
  assert.deepStrictEqual(analyzeGoSources([file], undefined).tls, {
    needed: true,
    evidence: [
      { file: 'main.go', line: lineOf(file, 'nethttp.Client'), what: 'http.Client' },
      { file: 'main.go', line: lineOf(file, 'nethttp.Post'), what: 'http client call' },
    ],
  });
});

test('a dot-imported net/http and time are followed; a local package named http is not net/http', () => {
  const dotted = go('main.go', 'package main', '', 'import (', '\t. "net/http"', '\t. "time"', ')', '', 'func main() {', '\tGet("https://example.com")', '\tLoadLocation("Europe/Paris")', '}');
  const needs = analyzeGoSources([dotted], undefined);
  assert.deepStrictEqual([needs.tls.evidence, needs.zoneinfo.evidence], [
    [{ file: 'main.go', line: lineOf(dotted, 'Get('), what: 'http client call' }],
    [{ file: 'main.go', line: lineOf(dotted, 'LoadLocation'), what: 'time.LoadLocation' }],
  ]);
  const other = go('main.go', 'package main', '', 'import "example.com/app/http"', '', 'func main() { http.Get("x") }');
  assert.equal(analyzeGoSources([other], undefined).tls.needed, false);
});

test('an HTTP client module imported under an alias (resty) needs CA certificates', () => {
  const file = go('main.go', 'package main', '', 'import rest "github.com/go-resty/resty/v2"', '', 'func main() { rest.New().R().Get("https://api.example.com") }');
  assert.deepStrictEqual(analyzeGoSources([file], undefined).tls, {
    needed: true,
    evidence: [{ file: 'main.go', line: 2, what: 'import "github.com/go-resty/resty/v2" calls remote services' }],
  });
});

test('files go build leaves out of a linux/amd64 image say nothing: _windows.go, //go:build and // +build', () => {
  const windows = go('tz_windows.go', 'package main', '', 'import "time"', '', 'var _, _ = time.LoadLocation("Local")');
  const darwinArm = go('user_darwin_arm64.go', 'package main', '', 'import "os/user"', '', 'var _, _ = user.Current()');
  const constrained = go('fetch.go', '//go:build !linux', '', 'package main', '', 'import "net/http"', '', 'var _, _ = http.Get("https://example.com")');
  const oldStyle = go('cgo.go', '// +build windows darwin', '', 'package main', '', 'import "C"');
  const needs = analyzeGoSources([HTTP_SERVER, windows, darwinArm, constrained, oldStyle], undefined);
  assert.deepStrictEqual(
    [needs.zoneinfo.needed, needs.userLookup.needed, needs.tls.needed, needs.cgo.needed, [...needs.imports].sort()],
    [false, false, false, false, ['fmt', 'net/http']],
  );
  const linux = go('fetch_linux.go', '//go:build linux && (amd64 || arm64)', '', 'package main', '', 'import "net/http"', '', 'var _, _ = http.Get("https://example.com")');
  assert.deepStrictEqual(analyzeGoSources([linux], undefined).tls.evidence, [{ file: 'fetch_linux.go', line: lineOf(linux, 'http.Get'), what: 'http client call' }]);
});

test('a cgo constraint counts with cgo on or off unless CGO_ENABLED is known', () => {
  const pureGo = go('resolve_nocgo.go', '//go:build linux && !cgo', '', 'package main', '', 'import "time"', '', 'var _, _ = time.LoadLocation("UTC")');
  const line = lineOf(pureGo, 'LoadLocation');
  assert.deepStrictEqual(analyzeGoSources([pureGo], undefined).zoneinfo.evidence, [{ file: 'resolve_nocgo.go', line, what: 'time.LoadLocation' }]);
  assert.equal(analyzeGoSources([pureGo], undefined, { cgo: false }).zoneinfo.needed, true);
  assert.equal(analyzeGoSources([pureGo], undefined, { cgo: true }).zoneinfo.needed, false);
  const tagged = go('extra.go', '//go:build extra', '', 'package main', '', 'import "time"', '', 'var _, _ = time.LoadLocation("UTC")');
  assert.deepStrictEqual([analyzeGoSources([tagged], undefined).zoneinfo.needed, analyzeGoSources([tagged], undefined, { buildTags: ['extra'] }).zoneinfo.needed], [false, true]);
});

test('main packages are found from the package clause of the files that build', () => {
  const files = [go('cmd/api/main.go', '// Package main serves.', 'package main'), go('cmd/win/main.go', '//go:build windows', '', 'package main'), go('lib/lib.go', 'package lib')];
  assert.deepStrictEqual(mainPackageFolders(files), ['cmd/api']);
});

test('a local variable named like an imported package is not that package', () => {
  const file = go('main.go', 'package main', '', 'import (', '\t"net/http"', '\t"time"', ')', '', 'type fake struct{}', '', 'func (fake) Get(string) {}', 'func (fake) LoadLocation(string) {}', '', 'func main() {', '\thttp := fake{}', '\thttp.Get("https://example.com")', '\ttime := fake{}', '\ttime.LoadLocation("UTC")', '}');
  const needs = analyzeGoSources([file], undefined);
  assert.deepStrictEqual([needs.tls, needs.zoneinfo], [{ needed: false, evidence: [] }, { needed: false, evidence: [] }]);
});

test('importing gorm.io/driver/sqlite needs cgo: it links mattn/go-sqlite3, and the import is the evidence', () => {
  const db = go('db.go', 'package main', '', 'import (', '\t"gorm.io/driver/sqlite"', '\t"gorm.io/gorm"', ')', '', 'func open() (*gorm.DB, error) { return gorm.Open(sqlite.Open("app.db"), &gorm.Config{}) }');
  const needs = analyzeGoSources([db], undefined);
  assert.deepStrictEqual(needs.cgo, { needed: true, evidence: [{ file: 'db.go', line: 3, what: 'import "gorm.io/driver/sqlite" needs cgo' }] });
});
