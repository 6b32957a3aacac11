// What a Go program reads, writes and embeds, learned from its sources with the line of each call.
// Every recognised API form has a test; comments, strings, missing imports and _test.go never count,
// and a path the scan cannot see is unknown, never guessed.
import * as assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzeFileAccess, noFileAccess, type FileAccess, type PathUse } from '../../server/src/analysis/languages/go/source/fileAccess';
import { analyzeGoSources, unknownNeeds, type Evidence, type SourceFile } from '../../server/src/analysis/languages/go/source/needs';
import { loadGrammars } from '../../server/src/workspace/grammars';
import { GO_GRAMMARS } from '../../server/src/analysis/languages/go/source/parser';
import { parseGoMod } from '../../server/src/analysis/languages/go/gomod';

// The parser's wasm loads once; every test after it parses synchronously.
before(() => loadGrammars(GO_GRAMMARS));

function go(path: string, ...lines: string[]): SourceFile {
  return { path, text: lines.join('\n') };
}

/** A main.go that imports `imports` and runs `body` in main(). */
function mainGo(imports: string[], ...body: string[]): SourceFile {
  return go('main.go', 'package main', '', 'import (', ...imports.map((i) => `\t${i}`), ')', '', 'func main() {', ...body.map((l) => `\t${l}`), '}');
}

/** 0-based line of the first line of `file` that contains `needle`. */
function lineOf(file: SourceFile, needle: string): number {
  const i = file.text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file.path}`);
  return i;
}

function at(file: SourceFile, needle: string, what: string): Evidence {
  return { file: file.path, line: lineOf(file, needle), what };
}

function use(path: string, directory: boolean, file: SourceFile, needle: string, what: string): PathUse {
  return { path, directory, evidence: at(file, needle, what) };
}

function access(...files: SourceFile[]): FileAccess {
  return analyzeFileAccess(files);
}

const MODULE = 'example.com/app';

/** The access of a program whose go.mod says `module example.com/app`. */
function moduleAccess(...files: SourceFile[]): FileAccess {
  return analyzeFileAccess(files, { module: MODULE });
}

const NOTHING: FileAccess = noFileAccess();

// ---------------------------------------------------------------------------------------------
// Reads

test('os.ReadFile of a string literal is a read, with the call as evidence', () => {
  const file = mainGo(['"os"'], 'data, _ := os.ReadFile("config/app.yaml")', '_ = data');
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('config/app.yaml', false, file, 'os.ReadFile', 'os.ReadFile("config/app.yaml")')],
  });
});

test('os.Open, os.Stat and os.Lstat read files', () => {
  const file = mainGo(['"os"'], 'f, _ := os.Open("data/words.txt")', '_ = f', 'os.Stat("VERSION")', 'os.Lstat("/etc/app/link")');
  assert.deepStrictEqual(access(file).reads, [
    use('data/words.txt', false, file, 'os.Open', 'os.Open("data/words.txt")'),
    use('VERSION', false, file, 'os.Stat', 'os.Stat("VERSION")'),
    use('/etc/app/link', false, file, 'os.Lstat', 'os.Lstat("/etc/app/link")'),
  ]);
});

test('os.OpenFile reads with read-only flags, writes with O_CREATE/O_WRONLY/O_APPEND, does both with O_RDWR', () => {
  const file = mainGo(
    ['"os"'],
    'a, _ := os.OpenFile("in.csv", os.O_RDONLY, 0)',
    'b, _ := os.OpenFile("logs/app.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)',
    'c, _ := os.OpenFile("state.json", os.O_RDWR, 0o600)',
    '_, _, _ = a, b, c',
  );
  const result = access(file);
  assert.deepStrictEqual(result.reads, [
    use('in.csv', false, file, '"in.csv"', 'os.OpenFile("in.csv", …)'),
    use('state.json', false, file, '"state.json"', 'os.OpenFile("state.json", …)'),
  ]);
  assert.deepStrictEqual(result.writes, [
    use('logs/app.log', false, file, '"logs/app.log"', 'os.OpenFile("logs/app.log", …)'),
    use('state.json', false, file, '"state.json"', 'os.OpenFile("state.json", …)'),
  ]);
});

test('os.OpenFile flags held in a constant are read through it', () => {
  const file = go(
    'log.go',
    'package main',
    'import "os"',
    'const appendFlags = os.O_APPEND | os.O_CREATE | os.O_WRONLY',
    'func openLog() { os.OpenFile("app.log", appendFlags, 0o644) }',
  );
  const result = access(file);
  assert.deepStrictEqual(result.reads, []);
  assert.deepStrictEqual(result.writes, [use('app.log', false, file, 'os.OpenFile', 'os.OpenFile("app.log", …)')]);
});

test('os.ReadDir and os.DirFS read folders', () => {
  const file = mainGo(['"os"'], 'os.ReadDir("migrations")', 'fsys := os.DirFS("./web/dist")', '_ = fsys');
  assert.deepStrictEqual(access(file).reads, [
    use('migrations', true, file, 'os.ReadDir', 'os.ReadDir("migrations")'),
    use('web/dist', true, file, 'os.DirFS', 'os.DirFS("./web/dist")'),
  ]);
});

test('ioutil.ReadFile reads a file, ioutil.ReadDir a folder', () => {
  const file = mainGo(['"io/ioutil"'], 'ioutil.ReadFile("keys/server.pem")', 'ioutil.ReadDir("plugins")');
  assert.deepStrictEqual(access(file).reads, [
    use('keys/server.pem', false, file, 'ioutil.ReadFile', 'ioutil.ReadFile("keys/server.pem")'),
    use('plugins', true, file, 'ioutil.ReadDir', 'ioutil.ReadDir("plugins")'),
  ]);
});

test('filepath.Glob reads a pattern; filepath.Walk and WalkDir read folders', () => {
  const file = mainGo(
    ['"io/fs"', '"os"', '"path/filepath"'],
    'filepath.Glob("data/*.json")',
    'filepath.Walk("assets", func(p string, info os.FileInfo, err error) error { return nil })',
    'filepath.WalkDir("content", func(p string, d fs.DirEntry, err error) error { return nil })',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('data/*.json', false, file, 'filepath.Glob', 'filepath.Glob("data/*.json")'),
    use('assets', true, file, 'filepath.Walk(', 'filepath.Walk("assets", …)'),
    use('content', true, file, 'filepath.WalkDir', 'filepath.WalkDir("content", …)'),
  ]);
});

test('html/template ParseFiles and ParseGlob, aliased, inside Must, and as methods', () => {
  const file = go(
    'web/render.go',
    'package web',
    '',
    'import tmpl "html/template"',
    '',
    'var pages = tmpl.Must(tmpl.ParseGlob("templates/*.html"))',
    'var layout = tmpl.Must(tmpl.ParseFiles("templates/base.html", "templates/nav.html"))',
    '',
    'func mails() *tmpl.Template {',
    '\tt := tmpl.New("mail")',
    '\tt.ParseGlob("mail/*.tmpl")',
    '\treturn tmpl.Must(tmpl.New("x").ParseFiles("errors/404.html"))',
    '}',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('templates/*.html', false, file, 'ParseGlob("templates', 'tmpl.ParseGlob("templates/*.html")'),
    use('templates/base.html', false, file, 'base.html', 'tmpl.ParseFiles("templates/base.html", …)'),
    use('templates/nav.html', false, file, 'nav.html', 'tmpl.ParseFiles("templates/base.html", "templates/nav.html")'),
    use('mail/*.tmpl', false, file, 't.ParseGlob', 't.ParseGlob("mail/*.tmpl")'),
    use('errors/404.html', false, file, '404.html', 'tmpl.New("x").ParseFiles("errors/404.html")'),
  ]);
});

test('text/template ParseFiles whose argument list spans lines has the line of the call', () => {
  const file = mainGo(
    ['"text/template"'],
    't := template.Must(template.New("report").',
    '\tParseFiles(',
    '\t\t"reports/daily.tmpl",',
    '\t\t"reports/weekly.tmpl",',
    '\t))',
    '_ = t',
  );
  const line = lineOf(file, 'ParseFiles(');
  assert.deepStrictEqual(access(file).reads, [
    { path: 'reports/daily.tmpl', directory: false, evidence: { file: 'main.go', line, what: 'template.New("report").ParseFiles("reports/daily.tmpl", …)' } },
    {
      path: 'reports/weekly.tmpl',
      directory: false,
      evidence: { file: 'main.go', line, what: 'template.New("report").ParseFiles("reports/daily.tmpl", "reports/weekly.tmpl")' },
    },
  ]);
});

test('http.Dir reads a folder and http.ServeFile a file', () => {
  const file = mainGo(
    ['"net/http"'],
    'http.Handle("/", http.FileServer(http.Dir("./static")))',
    'http.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {',
    '\thttp.ServeFile(w, r, "public/robots.txt")',
    '})',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('static', true, file, 'http.Dir', 'http.Dir("./static")'),
    use('public/robots.txt', false, file, 'http.ServeFile', 'http.ServeFile(w, r, "public/robots.txt")'),
  ]);
});

test('gin: LoadHTMLGlob, LoadHTMLFiles, Static, StaticFile and StaticFS(http.Dir)', () => {
  const file = mainGo(
    ['"net/http"', '"github.com/gin-gonic/gin"'],
    'r := gin.Default()',
    'r.LoadHTMLGlob("templates/**/*")',
    'r.LoadHTMLFiles("views/index.html", "views/about.html")',
    'r.Static("/assets", "./assets")',
    'r.StaticFile("/favicon.ico", "./resources/favicon.ico")',
    'r.StaticFS("/more", http.Dir("my_file_system"))',
    'r.GET("/dl", func(c *gin.Context) { c.File("downloads/report.pdf") })',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('templates/**/*', false, file, 'LoadHTMLGlob', 'r.LoadHTMLGlob("templates/**/*")'),
    use('views/index.html', false, file, 'LoadHTMLFiles', 'r.LoadHTMLFiles("views/index.html", …)'),
    use('views/about.html', false, file, 'LoadHTMLFiles', 'r.LoadHTMLFiles("views/index.html", "views/about.html")'),
    use('assets', true, file, 'r.Static(', 'r.Static("/assets", "./assets")'),
    use('resources/favicon.ico', false, file, 'StaticFile', 'r.StaticFile("/favicon.ico", "./resources/favicon.ico")'),
    use('my_file_system', true, file, 'StaticFS', 'http.Dir("my_file_system")'),
    use('downloads/report.pdf', false, file, 'c.File', 'c.File("downloads/report.pdf")'),
  ]);
});

test('echo (v4): Static and File', () => {
  const file = mainGo(['"github.com/labstack/echo/v4"'], 'e := echo.New()', 'e.Static("/static", "assets")', 'e.File("/", "public/index.html")');
  assert.deepStrictEqual(access(file).reads, [
    use('assets', true, file, 'e.Static', 'e.Static("/static", "assets")'),
    use('public/index.html', false, file, 'e.File', 'e.File("/", "public/index.html")'),
  ]);
});

test('fiber (v2): Static', () => {
  const file = mainGo(['"github.com/gofiber/fiber/v2"'], 'app := fiber.New()', 'app.Static("/", "./public")');
  assert.deepStrictEqual(access(file).reads, [use('public', true, file, 'app.Static', 'app.Static("/", "./public")')]);
});

test('router methods do not count without the framework import', () => {
  const file = mainGo(['"example.com/router"'], 'r := router.New()', 'r.Static("/assets", "./assets")', 'r.LoadHTMLGlob("templates/*")', 'r.File("x", "y.html")');
  assert.deepStrictEqual(access(file), NOTHING);
});

test('godotenv.Load() reads .env; Load, Overload and Read with names read those; autoload reads .env', () => {
  const file = mainGo(
    ['"github.com/joho/godotenv"'],
    'godotenv.Load()',
    'godotenv.Load(".env.local", "config/.env")',
    'godotenv.Overload("override.env")',
    'env, _ := godotenv.Read("secrets.env")',
    '_ = env',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('.env', false, file, 'godotenv.Load()', 'godotenv.Load()'),
    use('.env.local', false, file, '.env.local', 'godotenv.Load(".env.local", …)'),
    use('config/.env', false, file, 'config/.env', 'godotenv.Load(".env.local", "config/.env")'),
    use('override.env', false, file, 'Overload', 'godotenv.Overload("override.env")'),
    use('secrets.env', false, file, 'godotenv.Read', 'godotenv.Read("secrets.env")'),
  ]);

  const autoload = go('env.go', 'package main', '', 'import _ "github.com/joho/godotenv/autoload"');
  assert.deepStrictEqual(access(autoload).reads, [use('.env', false, autoload, 'autoload', 'import _ "github.com/joho/godotenv/autoload"')]);
});

// ---------------------------------------------------------------------------------------------
// viper

test('viper.SetConfigFile reads that file', () => {
  const file = mainGo(['"github.com/spf13/viper"'], 'viper.SetConfigFile("./config/settings.toml")', 'viper.ReadInConfig()');
  assert.deepStrictEqual(access(file).reads, [use('config/settings.toml', false, file, 'SetConfigFile', 'viper.SetConfigFile("./config/settings.toml")')]);
});

test('viper.SetConfigName with AddConfigPath reads dir/name.* once per path, across files', () => {
  const config = go('config.go', 'package main', '', 'import "github.com/spf13/viper"', '', 'func init() { viper.SetConfigName("app") }');
  const main = mainGo(['"github.com/spf13/viper"'], 'viper.AddConfigPath("/etc/app/")', 'viper.AddConfigPath("$HOME/.app")', 'viper.AddConfigPath(".")', 'viper.ReadInConfig()');
  assert.deepStrictEqual(access(config, main).reads, [
    use('/etc/app/app.*', false, main, '/etc/app/', 'viper.AddConfigPath("/etc/app/")'),
    use('${HOME}/.app/app.*', false, main, '$HOME', 'viper.AddConfigPath("$HOME/.app")'),
    use('app.*', false, main, 'AddConfigPath(".")', 'viper.AddConfigPath(".")'),
  ]);
});

test('viper without AddConfigPath reads nothing; an unknown config name reads the folder', () => {
  assert.deepStrictEqual(access(mainGo(['"github.com/spf13/viper"'], 'viper.SetConfigName("app")', 'viper.ReadInConfig()')), NOTHING);

  const file = mainGo(['"os"', '"github.com/spf13/viper"'], 'viper.SetConfigName(os.Args[1])', 'viper.AddConfigPath("conf")');
  assert.deepStrictEqual(access(file).reads, [use('conf', true, file, 'AddConfigPath', 'viper.AddConfigPath("conf")')]);
});

test('viper without SetConfigName looks for its default name, config', () => {
  const file = mainGo(['"github.com/spf13/viper"'], 'viper.AddConfigPath("conf")', 'viper.ReadInConfig()');
  assert.deepStrictEqual(access(file).reads, [use('conf/config.*', false, file, 'AddConfigPath', 'viper.AddConfigPath("conf")')]);
});

test('a viper.New() instance keeps its own name and paths', () => {
  const file = mainGo(
    ['"github.com/spf13/viper"'],
    'v := viper.New()',
    'v.SetConfigName("service")',
    'v.AddConfigPath("/etc/service")',
    'viper.SetConfigName("global")',
    'viper.AddConfigPath("/etc/global")',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('/etc/service/service.*', false, file, 'v.AddConfigPath', 'v.AddConfigPath("/etc/service")'),
    use('/etc/global/global.*', false, file, 'viper.AddConfigPath', 'viper.AddConfigPath("/etc/global")'),
  ]);
});

// ---------------------------------------------------------------------------------------------
// Databases

test('sql.Open("sqlite3", dsn) reads and writes the file and writes its folder; file: and ?query are dropped', () => {
  const file = mainGo(['"database/sql"', '_ "github.com/mattn/go-sqlite3"'], 'db, _ := sql.Open("sqlite3", "file:data/app.db?cache=shared&_fk=1")', '_ = db');
  const what = 'sql.Open("sqlite3", "file:data/app.db?cache=shared&_fk=1")';
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('data/app.db', false, file, 'sql.Open', what)],
    writes: [use('data/app.db', false, file, 'sql.Open', what), use('data', true, file, 'sql.Open', what)],
  });
});

test('sql.Open("sqlite", ...) beside the binary writes the working directory; :memory: and other drivers are nothing', () => {
  const file = mainGo(
    ['"database/sql"', '_ "modernc.org/sqlite"'],
    'a, _ := sql.Open("sqlite", "app.db")',
    'b, _ := sql.Open("sqlite", ":memory:")',
    'c, _ := sql.Open("sqlite3", "file::memory:?cache=shared")',
    'd, _ := sql.Open("postgres", "host=db user=app")',
    '_, _, _, _ = a, b, c, d',
  );
  const what = 'sql.Open("sqlite", "app.db")';
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('app.db', false, file, 'app.db', what)],
    writes: [use('app.db', false, file, 'app.db', what), use('.', true, file, 'app.db', what)],
  });
});

test("gorm's sqlite.Open is a database file", () => {
  const file = mainGo(['"gorm.io/gorm"', '"gorm.io/driver/sqlite"'], 'db, _ := gorm.Open(sqlite.Open("/var/lib/app/gorm.db"), &gorm.Config{})', '_ = db');
  const what = 'sqlite.Open("/var/lib/app/gorm.db")';
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('/var/lib/app/gorm.db', false, file, 'sqlite.Open', what)],
    writes: [use('/var/lib/app/gorm.db', false, file, 'sqlite.Open', what), use('/var/lib/app', true, file, 'sqlite.Open', what)],
  });
});

test('bolt.Open (bbolt, boltdb, coreos) is a database file', () => {
  for (const imp of ['bolt "go.etcd.io/bbolt"', '"github.com/boltdb/bolt"', '"github.com/coreos/bbolt"']) {
    const file = mainGo([imp], 'db, _ := bolt.Open("store/my.db", 0600, nil)', '_ = db');
    const what = 'bolt.Open("store/my.db", …)';
    assert.deepStrictEqual(
      access(file),
      { ...NOTHING, reads: [use('store/my.db', false, file, 'bolt.Open', what)], writes: [use('store/my.db', false, file, 'bolt.Open', what), use('store', true, file, 'bolt.Open', what)] },
      imp,
    );
  }
  const plain = mainGo(['"go.etcd.io/bbolt"'], 'db, _ := bbolt.Open("x.db", 0600, nil)', '_ = db');
  assert.deepStrictEqual(access(plain).reads, [use('x.db', false, plain, 'bbolt.Open', 'bbolt.Open("x.db", …)')]);
});

test('badger.Open(badger.DefaultOptions(dir)) reads and writes the folder', () => {
  const file = mainGo(['badger "github.com/dgraph-io/badger/v4"'], 'db, _ := badger.Open(badger.DefaultOptions("/data/badger"))', '_ = db');
  const what = 'badger.DefaultOptions("/data/badger")';
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('/data/badger', true, file, 'DefaultOptions', what)],
    writes: [use('/data/badger', true, file, 'DefaultOptions', what)],
  });
});

test('a database path the scan cannot see is an unknown read and an unknown write', () => {
  const file = mainGo(['"database/sql"', '"os"'], 'db, _ := sql.Open("sqlite3", os.Args[1])', '_ = db');
  const evidence = at(file, 'sql.Open', 'sql.Open("sqlite3", os.Args[1])');
  assert.deepStrictEqual(access(file), { ...NOTHING, unknownReads: [evidence], unknownWrites: [evidence] });
});

// ---------------------------------------------------------------------------------------------
// flag defaults

test('flag.String and flag.StringVar defaults that name files or folders are reads', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import "flag"',
    '',
    'var templateDir string',
    '',
    'func main() {',
    '\tconfigPath := flag.String("config", "config.yaml", "config file")',
    '\tflag.StringVar(&templateDir, "templates", "web/templates", "template folder")',
    '\tdbPath := flag.String("db", "app", "database")',
    '\tdataDir := flag.String("data-dir", "/var/lib/app", "data folder")',
    '\taddr := flag.String("addr", ":8080", "listen address")',
    '\tlevel := flag.String("log-level", "info", "log level")',
    '\tapi := flag.String("upstream", "http://backend/api", "upstream URL")',
    '\tflag.Parse()',
    '\t_, _, _, _, _, _ = configPath, dbPath, dataDir, addr, level, api',
    '}',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('config.yaml', false, file, '"config"', 'flag.String("config", "config.yaml", …)'),
    use('web/templates', true, file, 'StringVar', 'flag.StringVar(&templateDir, "templates", "web/templates", …)'),
    use('app', false, file, '"db"', 'flag.String("db", "app", …)'),
    use('/var/lib/app', true, file, 'data-dir', 'flag.String("data-dir", "/var/lib/app", …)'),
  ]);
});

test('a flag value that flows into a call reads the default once; an empty default is unknown', () => {
  const file = mainGo(
    ['"flag"', '"os"'],
    'configPath := flag.String("config", "config/app.yaml", "config file")',
    'keyPath := flag.String("key", "", "TLS key")',
    'flag.Parse()',
    'os.ReadFile(*configPath)',
    'os.ReadFile(*keyPath)',
  );
  const result = access(file);
  assert.deepStrictEqual(result.reads, [use('config/app.yaml', false, file, '"config"', 'flag.String("config", "config/app.yaml", …)')]);
  assert.deepStrictEqual(result.unknownReads, [at(file, 'os.ReadFile(*keyPath)', 'os.ReadFile(*keyPath)')]);
});

// ---------------------------------------------------------------------------------------------
// //go:embed

test('//go:embed patterns, several per line, quoted and all:, join the package folder', () => {
  const file = go(
    'web/assets.go',
    'package web',
    '',
    'import "embed"',
    '',
    '//go:embed static/* templates',
    '//go:embed "docs/read me.md" `licenses` all:.well-known',
    'var Assets embed.FS',
    '',
    '// go:embed not-a-directive.txt',
    'var s = `',
    '//go:embed in-a-raw-string.txt',
    '`',
  );
  const first = lineOf(file, 'static/*');
  const second = lineOf(file, 'read me');
  const embed = (path: string, line: number, pattern: string): PathUse => ({ path, directory: false, evidence: { file: 'web/assets.go', line, what: `//go:embed ${pattern}` } });
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    embeds: [
      embed('web/static/*', first, 'static/*'),
      embed('web/templates', first, 'templates'),
      embed('web/docs/read me.md', second, '"docs/read me.md"'),
      embed('web/licenses', second, '`licenses`'),
      embed('web/.well-known', second, 'all:.well-known'),
    ],
  });

  const root = go('main.go', 'package main', 'import _ "embed"', '//go:embed VERSION', 'var version string');
  assert.deepStrictEqual(access(root).embeds, [{ path: 'VERSION', directory: false, evidence: { file: 'main.go', line: 2, what: '//go:embed VERSION' } }]);
});

// ---------------------------------------------------------------------------------------------
// Writes

test('os.Create, os.WriteFile and ioutil.WriteFile write files; os.Mkdir and os.MkdirAll write folders', () => {
  const file = mainGo(
    ['"io/ioutil"', '"os"'],
    'f, _ := os.Create("out/report.csv")',
    '_ = f',
    'os.WriteFile("cache/index.json", nil, 0o644)',
    'ioutil.WriteFile("pid", nil, 0o644)',
    'os.Mkdir("uploads", 0o755)',
    'os.MkdirAll("/var/lib/app/blobs", 0o755)',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    writes: [
      use('out/report.csv', false, file, 'os.Create', 'os.Create("out/report.csv")'),
      use('cache/index.json', false, file, 'os.WriteFile', 'os.WriteFile("cache/index.json", …)'),
      use('pid', false, file, 'ioutil.WriteFile', 'ioutil.WriteFile("pid", …)'),
      use('uploads', true, file, 'os.Mkdir(', 'os.Mkdir("uploads", …)'),
      use('/var/lib/app/blobs', true, file, 'os.MkdirAll', 'os.MkdirAll("/var/lib/app/blobs", …)'),
    ],
  });
});

test('temp files in the default folder are tempFiles; in a named folder they write that folder', () => {
  const file = mainGo(
    ['"io/ioutil"', '"os"'],
    'os.MkdirTemp("", "build-*")',
    'os.CreateTemp(os.TempDir(), "upload-*")',
    'ioutil.TempFile("", "x")',
    'ioutil.TempDir("scratch", "job-")',
    'os.CreateTemp("spool", "msg-*")',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    tempFiles: [
      at(file, 'os.MkdirTemp', 'os.MkdirTemp("", …)'),
      at(file, 'os.CreateTemp(os.TempDir()', 'os.CreateTemp(os.TempDir(), …)'),
      at(file, 'ioutil.TempFile', 'ioutil.TempFile("", …)'),
    ],
    writes: [
      use('scratch', true, file, 'ioutil.TempDir', 'ioutil.TempDir("scratch", …)'),
      use('spool', true, file, '"spool"', 'os.CreateTemp("spool", …)'),
    ],
  });
});

test('os.Rename, os.Remove and os.RemoveAll write their targets', () => {
  const file = mainGo(['"os"'], 'os.Rename("data/tmp.json", "data/state.json")', 'os.Remove("app.pid")', 'os.RemoveAll("cache")');
  assert.deepStrictEqual(access(file).writes, [
    use('data/tmp.json', false, file, 'os.Rename', 'os.Rename("data/tmp.json", …)'),
    use('data/state.json', false, file, 'os.Rename', 'os.Rename("data/tmp.json", "data/state.json")'),
    use('app.pid', false, file, 'os.Remove(', 'os.Remove("app.pid")'),
    use('cache', false, file, 'os.RemoveAll', 'os.RemoveAll("cache")'),
  ]);
});

// ---------------------------------------------------------------------------------------------
// Resolving paths

test('constants: single, grouped, typed, repeated in a group, and from another file of the package folder', () => {
  const consts = go(
    'internal/store/paths.go',
    'package store',
    '',
    'type Path string',
    '',
    'const dataDir = "data"',
    'const (',
    '\tindexFile Path = "index.json"',
    '\tbackupA = "backup.json"',
    '\tbackupB',
    ')',
  );
  const use1 = go(
    'internal/store/store.go',
    'package store',
    '',
    'import (',
    '\t"os"',
    '\t"path/filepath"',
    ')',
    '',
    'func load() {',
    '\tos.ReadDir(dataDir)',
    '\tos.ReadFile(filepath.Join(dataDir, string(indexFile)))',
    '\tos.ReadFile(backupB)',
    '}',
  );
  const other = go('cmd/app/main.go', 'package main', '', 'import "os"', '', 'func main() { os.ReadFile(dataDir) }');
  const result = access(consts, use1, other);
  assert.deepStrictEqual(result.reads, [
    use('data', true, use1, 'os.ReadDir', 'os.ReadDir(dataDir)'),
    // string(indexFile) is a conversion the scan does not follow: the name inside data/ is chosen at run time.
    use('data/*', false, use1, 'indexFile', 'os.ReadFile(filepath.Join(dataDir, string(indexFile)))'),
    use('backup.json', false, use1, 'backupB', 'os.ReadFile(backupB)'),
  ]);
  // dataDir is not a name in cmd/app.
  assert.deepStrictEqual(result.unknownReads, [at(other, 'dataDir', 'os.ReadFile(dataDir)')]);
});

// Values are followed through the code: what reaches a use is every definition on some path to
// it. A later assignment replaces an earlier one; an assignment in another function (init) may
// have run before any use of a package variable, so it joins the declared value.
test('var and := take every value that reaches the use: a reassignment replaces, an assignment elsewhere joins', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import "os"',
    '',
    'var certFile = "certs/tls.crt"',
    'var keyFile = "certs/tls.key"',
    '',
    'func init() {',
    '\tif v := os.Getenv("KEY"); v != "" {',
    '\t\tkeyFile = v',
    '\t}',
    '}',
    '',
    'func main() {',
    '\tstatic := "public/index.html"',
    '\tlogPath := "logs/app.log"',
    '\tlogPath = "/tmp/app.log"',
    '\tos.ReadFile(certFile)',
    '\tos.ReadFile(keyFile)',
    '\tos.ReadFile(static)',
    '\tos.Create(logPath)',
    '}',
  );
  const result = access(file);
  assert.deepStrictEqual(result, {
    ...NOTHING,
    reads: [
      use('certs/tls.crt', false, file, 'os.ReadFile(certFile)', 'os.ReadFile(certFile)'),
      use('certs/tls.key', false, file, 'os.ReadFile(keyFile)', 'os.ReadFile(keyFile)'),
      use('${KEY}', false, file, 'os.ReadFile(keyFile)', 'os.ReadFile(keyFile)'),
      use('public/index.html', false, file, 'os.ReadFile(static)', 'os.ReadFile(static)'),
    ],
    writes: [use('/tmp/app.log', false, file, 'os.Create(logPath)', 'os.Create(logPath)')],
  });
});

test('a local := in one function does not shadow or resolve a name in another', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import "os"',
    '',
    'func a() { p := "a.txt"; os.ReadFile(p) }',
    'func b() { p := "b.txt"; os.ReadFile(p) }',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('a.txt', false, file, 'func a', 'os.ReadFile(p)'),
    use('b.txt', false, file, 'func b', 'os.ReadFile(p)'),
  ]);
});

test('filepath.Join, path.Join and + of resolvable parts; os.Getenv becomes ${NAME}', () => {
  const file = mainGo(
    ['"os"', '"path"', '"path/filepath"'],
    'const base = "/srv/app"',
    'os.ReadFile(filepath.Join(base, "conf", "app.ini"))',
    'os.ReadFile(path.Join("web", "../shared", "site.css"))',
    'os.ReadFile(base + "/" + "motd.txt")',
    'os.ReadFile(filepath.Join(os.Getenv("DATA_DIR"), "x.db"))',
    'os.ReadFile(os.Getenv("CONFIG_FILE"))',
  );
  assert.deepStrictEqual(
    access(file).reads.map((u) => u.path),
    ['/srv/app/conf/app.ini', 'shared/site.css', '/srv/app/motd.txt', '${DATA_DIR}/x.db', '${CONFIG_FILE}'],
  );
  assert.deepStrictEqual(access(file).reads[3], use('${DATA_DIR}/x.db', false, file, 'DATA_DIR', 'os.ReadFile(filepath.Join(os.Getenv("DATA_DIR"), "x.db"))'));
});

test('one level of parameter passing: a function called with paths reads each of them', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import "os"',
    '',
    'func loadConfig(p string) ([]byte, error) {',
    '\treturn os.ReadFile(p)',
    '}',
    '',
    'func main() {',
    '\tloadConfig("config.yaml")',
    '\tloadConfig(',
    '\t\t"defaults.yaml",',
    '\t)',
    '}',
  );
  assert.deepStrictEqual(access(file).reads, [
    use('config.yaml', false, file, 'os.ReadFile(p)', 'os.ReadFile(p)'),
    use('defaults.yaml', false, file, 'os.ReadFile(p)', 'os.ReadFile(p)'),
  ]);
});

test('a parameter is unknown when any call is unresolvable, the function is passed as a value, or exported outside main', () => {
  const unresolvable = go('main.go', 'package main', 'import "os"', 'func load(p string) { os.ReadFile(p) }', 'func main() { load("a.yaml"); load(os.Args[1]) }');
  assert.deepStrictEqual(access(unresolvable), { ...NOTHING, unknownReads: [at(unresolvable, 'os.ReadFile(p)', 'os.ReadFile(p)')] });

  const asValue = go('main.go', 'package main', 'import "os"', 'func load(p string) { os.ReadFile(p) }', 'func main() { load("a.yaml"); run(load) }', 'func run(f func(string)) {}');
  assert.deepStrictEqual(access(asValue), { ...NOTHING, unknownReads: [at(asValue, 'os.ReadFile(p)', 'os.ReadFile(p)')] });

  const exported = go('config/config.go', 'package config', 'import "os"', 'func Load(p string) { os.ReadFile(p) }', 'func Default() { Load("a.yaml") }');
  assert.deepStrictEqual(access(exported), { ...NOTHING, unknownReads: [at(exported, 'os.ReadFile(p)', 'os.ReadFile(p)')] });
});

test('unresolvable paths are unknown reads and writes with their lines; os.Args is never a path', () => {
  const file = mainGo(
    ['"fmt"', '"os"'],
    'cfgPath := configLocation()',
    'os.ReadFile(cfgPath)',
    'os.Open(os.Args[1])',
    'os.WriteFile(fmt.Sprintf("out-%d.txt", 1), nil, 0o644)',
    'os.MkdirAll(os.Args[2], 0o755)',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    unknownReads: [at(file, 'os.ReadFile(cfgPath)', 'os.ReadFile(cfgPath)'), at(file, 'os.Open', 'os.Open(os.Args[1])')],
    unknownWrites: [at(file, 'os.WriteFile', 'os.WriteFile(fmt.Sprintf("out-%d.txt", 1), …)'), at(file, 'os.MkdirAll', 'os.MkdirAll(os.Args[2], …)')],
  });
});

test('/proc, /sys and /dev are not files of the image', () => {
  const file = mainGo(['"os"'], 'os.ReadFile("/proc/self/cgroup")', 'os.ReadDir("/sys/fs/cgroup")', 'os.OpenFile("/dev/null", os.O_WRONLY, 0)', 'os.ReadFile("/procedures.txt")');
  assert.deepStrictEqual(access(file), { ...NOTHING, reads: [use('/procedures.txt', false, file, 'procedures', 'os.ReadFile("/procedures.txt")')] });
});

test('paths are normalised: ./ dropped, a/../b collapsed, absolute kept, "." kept', () => {
  const file = mainGo(['"os"'], 'os.ReadFile("./config/../conf/app.yaml")', 'os.ReadFile("/etc//app/./x.conf")', 'os.ReadDir(".")', 'os.ReadDir("./")', 'os.ReadFile("../shared/x.json")');
  assert.deepStrictEqual(
    access(file).reads.map((u) => [u.path, u.directory]),
    [['conf/app.yaml', false], ['/etc/app/x.conf', false], ['.', true], ['../shared/x.json', false]],
  );
});

test('identical uses are kept once with the first evidence, in file order then line order', () => {
  const a = go('a.go', 'package main', 'import "os"', 'func a() {', '\tos.ReadFile("x.json")', '\tos.ReadFile("y.json")', '}');
  const b = go('b.go', 'package main', 'import "os"', 'func b() { os.ReadFile("x.json"); os.ReadDir("x.json") }');
  assert.deepStrictEqual(access(a, b).reads, [
    use('x.json', false, a, 'x.json', 'os.ReadFile("x.json")'),
    use('y.json', false, a, 'y.json', 'os.ReadFile("y.json")'),
    use('x.json', true, b, 'ReadDir', 'os.ReadDir("x.json")'),
  ]);
});

// ---------------------------------------------------------------------------------------------
// What never counts

test('calls in comments and strings do not count', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"fmt"',
    '\t"os"',
    ')',
    '',
    '// os.ReadFile("commented.yaml")',
    '/*',
    'os.Create("block.txt")',
    '*/',
    'const help = `call os.ReadFile("raw.txt") to read`',
    '',
    'func main() {',
    '\tfmt.Println("os.WriteFile(\\"quoted.txt\\", nil, 0)") // os.Remove("x")',
    '\tfmt.Println(\'"\', help)',
    '}',
  );
  assert.deepStrictEqual(access(file), NOTHING);
});

test('calls without the import do not count', () => {
  const file = go('main.go', 'package main', '', 'import "example.com/os"', '', 'func main() { os.ReadFile("x.yaml"); template.ParseGlob("t/*"); godotenv.Load() }');
  assert.deepStrictEqual(access(file), NOTHING);
});

test('_test.go files do not count', () => {
  const file = go('store_test.go', 'package main', 'import "os"', 'func TestX() { os.ReadFile("testdata/in.json"); os.Create("out.txt") }');
  assert.deepStrictEqual(access(file), NOTHING);
});

test('a 5,000-line file of ordinary Go is scanned correctly (the scan is linear)', () => {
  const lines = ['package main', '', 'import (', '\t"fmt"', '\t"os"', '\t"strings"', ')', ''];
  const expected: string[] = [];
  for (let i = 0; lines.length < 5000; i++) {
    lines.push(
      `// handler${i} does things with "quotes" and (parens`,
      `func handler${i}(w *strings.Builder, n int) error {`,
      `\tname := fmt.Sprintf("item-%d", n) + "/" + strings.Repeat("(", n%3)`,
      `\tif n > ${i} && n != 0 || n <= 2 {`,
      `\t\tw.WriteString(\`raw ) string { with os.ReadFile("no.txt")\`)`,
      '\t}',
      `\tdata, err := os.ReadFile("data/file${i}.json")`,
      '\tif err != nil {',
      `\t\treturn fmt.Errorf("read %s: %w", name, err)`,
      '\t}',
      '\t_ = data',
      '\treturn nil',
      '}',
      '',
    );
    expected.push(`data/file${i}.json`);
  }
  const file = go('big.go', ...lines);
  const result = access(file);
  assert.deepStrictEqual(result.reads.map((u) => u.path), expected);
  assert.deepStrictEqual(result.reads[7], use('data/file7.json', false, file, 'data/file7.json', 'os.ReadFile("data/file7.json")'));
  assert.deepStrictEqual([result.unknownReads, result.writes], [[], []]);
});

// ---------------------------------------------------------------------------------------------
// Wiring

test('analyzeGoSources reports file access under needs.files; unknownNeeds claims none', () => {
  const file = mainGo(['"os"'], 'os.ReadFile("config.yaml")');
  assert.deepStrictEqual(analyzeGoSources([file], undefined).files, access(file));
  assert.deepStrictEqual(unknownNeeds().files, NOTHING);
});

test('Join of a known folder and a name chosen at run time reads or writes inside that folder', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"path/filepath"',
    ')',
    '',
    'const dataDir = "data"',
    '',
    'func save(id string, body []byte) error {',
    '\treturn os.WriteFile(filepath.Join(dataDir, id+".json"), body, 0o644)',
    '}',
    '',
    'func load(dir string) { os.ReadFile(filepath.Join(dir, "x")) }',
    '',
    'func main() { load(os.Args[1]) }',
  );
  const result = access(file);
  assert.deepStrictEqual(result.writes, [use('data/*', false, file, 'os.WriteFile', 'os.WriteFile(filepath.Join(dataDir, id+".json"), …)')]);
  // A folder the scan cannot see stays unknown: a known tail does not make the path known.
  assert.deepStrictEqual(result.unknownReads, [at(file, 'os.ReadFile(filepath.Join(dir', 'os.ReadFile(filepath.Join(dir, "x"))')]);
});

test('range over a literal list of paths takes each of them', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"path/filepath"',
    ')',
    '',
    'const pidFile = "/var/run/app.pid"',
    '',
    'func main() {',
    '\tfor _, dir := range []string{filepath.Dir(pidFile), "/var/log/app"} {',
    '\t\tos.MkdirAll(dir, 0o755)',
    '\t}',
    '}',
  );
  const result = access(file);
  assert.deepStrictEqual(result.writes, [
    use('/var/run', true, file, 'os.MkdirAll', 'os.MkdirAll(dir, …)'),
    use('/var/log/app', true, file, 'os.MkdirAll', 'os.MkdirAll(dir, …)'),
  ]);
  assert.deepStrictEqual(result.unknownWrites, []);
});

test('a loop over filepath.Glob reads what the pattern matches', () => {
  const file = go(
    'cmd/server/main.go',
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"path/filepath"',
    ')',
    '',
    'func migrate() error {',
    '\tfiles, err := filepath.Glob("migrations/*.sql")',
    '\tif err != nil {',
    '\t\treturn err',
    '\t}',
    '\tfor _, file := range files {',
    '\t\tif _, err := os.ReadFile(file); err != nil {',
    '\t\t\treturn err',
    '\t\t}',
    '\t}',
    '\treturn nil',
    '}',
  );
  const result = access(file);
  assert.deepStrictEqual(result.reads, [
    use('migrations/*.sql', false, file, 'filepath.Glob', 'filepath.Glob("migrations/*.sql")'),
  ]);
  assert.deepStrictEqual(result.unknownReads, []);
});

test('the name of a temporary file is a path under /tmp', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import "os"',
    '',
    'func report() error {',
    '\tout, err := os.CreateTemp("", "report-*.txt")',
    '\tif err != nil {',
    '\t\treturn err',
    '\t}',
    '\tdefer os.Remove(out.Name())',
    '\t_, err = os.ReadFile(out.Name())',
    '\treturn err',
    '}',
  );
  const result = access(file);
  assert.deepStrictEqual(result.unknownReads, []);
  assert.deepStrictEqual(result.unknownWrites, []);
  assert.deepStrictEqual(result.tempFiles, [at(file, 'CreateTemp', 'os.CreateTemp("", …)')]);
  assert.deepStrictEqual(result.writes.map((w) => w.path), ['/tmp/*']);
});

// ---------------------------------------------------------------------------------------------
// Writes through framework and library helpers

test("gin's c.SaveUploadedFile and fiber's c.SaveFile write their destination; one from the request is unknown", () => {
  const gin = mainGo(
    ['"path/filepath"', '"github.com/gin-gonic/gin"'],
    'r := gin.Default()',
    'r.POST("/upload", func(c *gin.Context) {',
    '\tfile, _ := c.FormFile("file")',
    '\tc.SaveUploadedFile(file, filepath.Join("uploads", filepath.Base(file.Filename)))',
    '\tc.SaveUploadedFile(file, "avatars/"+file.Filename)',
    '\tc.SaveUploadedFile(file, c.PostForm("dst"))',
    '})',
  );
  assert.deepStrictEqual(access(gin), {
    ...NOTHING,
    writes: [
      use('uploads/*', false, gin, '"uploads"', 'c.SaveUploadedFile(file, filepath.Join("uploads", filepath.Base(file.Filename)))'),
      use('avatars/*', false, gin, '"avatars/"', 'c.SaveUploadedFile(file, "avatars/"+file.Filename)'),
    ],
    unknownWrites: [at(gin, 'PostForm', 'c.SaveUploadedFile(file, c.PostForm("dst"))')],
  });

  const fiber = mainGo(
    ['"fmt"', '"github.com/gofiber/fiber/v2"'],
    'app := fiber.New()',
    'app.Post("/", func(c *fiber.Ctx) error {',
    '\tfile, _ := c.FormFile("document")',
    '\treturn c.SaveFile(file, fmt.Sprintf("./uploads/%s", file.Filename))',
    '})',
  );
  assert.deepStrictEqual(access(fiber), {
    ...NOTHING,
    writes: [use('uploads/*', false, fiber, 'SaveFile', 'c.SaveFile(file, fmt.Sprintf("./uploads/%s", file.Filename))')],
  });

  const neither = mainGo(['"example.com/web"'], 'web.Handle(func(c *web.Context) { c.SaveUploadedFile(nil, "x/y"); c.SaveFile(nil, "x/z") })');
  assert.deepStrictEqual(access(neither), NOTHING);
});

test('lumberjack.Logger{Filename: …} writes the file (and so its folder); without a Filename it is unknown', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"log"',
    '\t"os"',
    '',
    '\t"gopkg.in/natefinch/lumberjack.v2"',
    ')',
    '',
    'func main() {',
    '\tlog.SetOutput(&lumberjack.Logger{',
    '\t\tFilename:   "./logs/app.log",',
    '\t\tMaxSize:    10,',
    '\t\tMaxBackups: 3,',
    '\t})',
    '\t_ = newAuditLog()',
    '\t_ = lumberjack.Logger{MaxSize: 5}',
    '}',
    '',
    'func newAuditLog() *lumberjack.Logger {',
    '\treturn &lumberjack.Logger{Filename: os.Getenv("AUDIT_LOG"), MaxAge: 28}',
    '}',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    writes: [
      use('logs/app.log', false, file, 'Filename:   "./logs/app.log"', 'lumberjack.Logger{Filename: "./logs/app.log"}'),
      use('${AUDIT_LOG}', false, file, 'AUDIT_LOG', 'lumberjack.Logger{Filename: os.Getenv("AUDIT_LOG")}'),
    ],
    unknownWrites: [at(file, 'MaxSize: 5', 'lumberjack.Logger{Filename: …}')],
  });
});

test('zap OutputPaths and ErrorOutputPaths, assigned, appended or in a zap.Config, write each file but stdout, stderr and other URLs', () => {
  const file = go(
    'logger.go',
    'package main',
    '',
    'import "go.uber.org/zap"',
    '',
    'var devConfig = zap.Config{',
    '\tEncoding:         "console",',
    '\tOutputPaths:      []string{"stderr", "logs/dev.log"},',
    '\tErrorOutputPaths: []string{"stderr"},',
    '}',
    '',
    'func main() {',
    '\tcfg := zap.NewProductionConfig()',
    '\tcfg.OutputPaths = []string{"./logs/app.log", "stdout"}',
    '\tcfg.ErrorOutputPaths = append(cfg.ErrorOutputPaths, "file:///var/log/app/error.log", "sentry://key@host")',
    '\tsink, _, _ := zap.Open("logs/audit.log")',
    '\t_ = sink',
    '}',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    writes: [
      use('logs/dev.log', false, file, 'logs/dev.log', 'OutputPaths: []string{"stderr", "logs/dev.log"}'),
      use('logs/app.log', false, file, 'cfg.OutputPaths', 'cfg.OutputPaths = []string{"./logs/app.log", "stdout"}'),
      use('/var/log/app/error.log', false, file, 'cfg.ErrorOutputPaths', 'cfg.ErrorOutputPaths = append(cfg.ErrorOutputPaths, "file:///var/log/app/error.log…'),
      use('logs/audit.log', false, file, 'zap.Open', 'zap.Open("logs/audit.log")'),
    ],
  });

  const unknown = mainGo(['"os"', '"go.uber.org/zap"'], 'cfg := zap.NewDevelopmentConfig()', 'cfg.OutputPaths = []string{os.Args[1]}', 'cfg.ErrorOutputPaths = outputs()');
  assert.deepStrictEqual(access(unknown), {
    ...NOTHING,
    unknownWrites: [at(unknown, 'cfg.OutputPaths', 'cfg.OutputPaths = []string{os.Args[1]}'), at(unknown, 'cfg.ErrorOutputPaths', 'cfg.ErrorOutputPaths = outputs()')],
  });
});

// ---------------------------------------------------------------------------------------------
// Names chosen at run time: fmt.Sprintf and +

test('fmt.Sprintf: known %s/%v arguments are written in; at the first other verb, the folder written so far holds a name chosen at run time', () => {
  const file = mainGo(
    ['"fmt"', '"os"', '"time"'],
    'const dir = "/var/lib/app"',
    'day := time.Now().Format("2006-01-02")',
    'os.Create(fmt.Sprintf("logs/log_%s.log", day))',
    'os.WriteFile(fmt.Sprintf("uploads/%s%s", newID(), ".png"), nil, 0o644)',
    'os.ReadFile(fmt.Sprintf("%s/settings.json", dir))',
    'os.ReadFile(fmt.Sprintf("%v/cache/%d.json", dir, 7))',
    'os.Create(fmt.Sprintf("100%%/%s", day))',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [
      use('/var/lib/app/settings.json', false, file, 'settings.json', 'os.ReadFile(fmt.Sprintf("%s/settings.json", dir))'),
      use('/var/lib/app/cache/*', false, file, '%d.json', 'os.ReadFile(fmt.Sprintf("%v/cache/%d.json", dir, 7))'),
    ],
    writes: [
      use('logs/*', false, file, 'log_%s', 'os.Create(fmt.Sprintf("logs/log_%s.log", day))'),
      use('uploads/*', false, file, 'uploads/%s', 'os.WriteFile(fmt.Sprintf("uploads/%s%s", newID(), ".png"), …)'),
      use('100%/*', false, file, '100%%', 'os.Create(fmt.Sprintf("100%%/%s", day))'),
    ],
  });
});

test('fmt.Sprintf whose folder part is not literal or known stays unknown', () => {
  const file = mainGo(
    ['"fmt"', '"os"'],
    'os.MkdirAll(fmt.Sprintf("%s/cache", os.Args[1]), 0o755)',
    'os.Create(fmt.Sprintf("report-%s.txt", os.Args[2]))',
    'os.ReadFile(fmt.Sprintf(os.Args[3], "x"))',
    'os.ReadFile(fmt.Sprintf("%[1]s/x.json", "data"))',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    unknownReads: [at(file, 'os.Args[3]', 'os.ReadFile(fmt.Sprintf(os.Args[3], "x"))'), at(file, '%[1]s', 'os.ReadFile(fmt.Sprintf("%[1]s/x.json", "data"))')],
    unknownWrites: [at(file, 'MkdirAll', 'os.MkdirAll(fmt.Sprintf("%s/cache", os.Args[1]), …)'), at(file, 'report-', 'os.Create(fmt.Sprintf("report-%s.txt", os.Args[2]))')],
  });
});

test('+ with an unknown part: the folder the known start names holds a name chosen at run time; no folder, or a URL, is unknown', () => {
  const file = mainGo(
    ['"os"'],
    'const dataDir = "data"',
    'name := os.Args[1]',
    'os.Create("uploads/" + name)',
    'os.WriteFile(dataDir+"/"+name+".json", nil, 0o644)',
    'os.Create("logs/app-" + name + ".log")',
    'os.Create(name + ".bak")',
    'os.ReadFile("file://" + name)',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [],
    writes: [
      use('uploads/*', false, file, '"uploads/"', 'os.Create("uploads/" + name)'),
      use('data/*', false, file, 'dataDir+', 'os.WriteFile(dataDir+"/"+name+".json", …)'),
      use('logs/*', false, file, 'logs/app-', 'os.Create("logs/app-" + name + ".log")'),
    ],
    unknownReads: [at(file, 'file://', 'os.ReadFile("file://" + name)')],
    unknownWrites: [at(file, '.bak', 'os.Create(name + ".bak")')],
  });
});

// ---------------------------------------------------------------------------------------------
// Migrations

test('golang-migrate reads the folder of a file:// source; other sources read nothing from disk; an unseen scheme is unknown', () => {
  const file = mainGo(
    ['"os"', '"github.com/golang-migrate/migrate/v4"', '_ "github.com/golang-migrate/migrate/v4/source/file"'],
    'm, _ := migrate.New("file://migrations", os.Getenv("DATABASE_URL"))',
    'm, _ = migrate.NewWithDatabaseInstance("file://./db/migrations", "postgres", driver)',
    'm, _ = migrate.New("github://owner/repo/migrations", "postgres://db")',
    'm, _ = migrate.New(os.Getenv("MIGRATIONS_URL"), "postgres://db")',
    '_ = m',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [
      use('migrations', true, file, 'file://migrations', 'migrate.New("file://migrations", …)'),
      use('db/migrations', true, file, 'NewWithDatabaseInstance', 'migrate.NewWithDatabaseInstance("file://./db/migrations", …)'),
    ],
    unknownReads: [at(file, 'MIGRATIONS_URL', 'migrate.New(os.Getenv("MIGRATIONS_URL"), …)')],
  });
});

test('golang-migrate from an embed.FS (iofs) reads nothing from disk', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"embed"',
    '',
    '\t"github.com/golang-migrate/migrate/v4"',
    '\t"github.com/golang-migrate/migrate/v4/source/iofs"',
    ')',
    '',
    '//go:embed migrations/*.sql',
    'var migrationsFS embed.FS',
    '',
    'func main() {',
    '\td, _ := iofs.New(migrationsFS, "migrations")',
    '\tm, _ := migrate.NewWithSourceInstance("iofs", d, "postgres://db")',
    '\t_ = m',
    '}',
  );
  assert.deepStrictEqual(access(file), { ...NOTHING, embeds: [use('migrations/*.sql', false, file, '//go:embed', '//go:embed migrations/*.sql')] });
});

test("goose's Up, UpContext and Run read the migrations folder; OpenDBWithDriver opens a sqlite file", () => {
  const file = mainGo(
    ['"context"', '"github.com/pressly/goose/v3"'],
    'const migrationsDir = "db/migrations"',
    'db, _ := goose.OpenDBWithDriver("sqlite3", "data/app.db")',
    'goose.Up(db, "migrations")',
    'goose.UpContext(context.Background(), db, migrationsDir)',
    'goose.Run("status", db, "./sql")',
  );
  const open = 'goose.OpenDBWithDriver("sqlite3", "data/app.db")';
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [
      use('data/app.db', false, file, 'OpenDBWithDriver', open),
      use('migrations', true, file, 'goose.Up(', 'goose.Up(db, "migrations")'),
      use('db/migrations', true, file, 'UpContext', 'goose.UpContext(context.Background(), db, migrationsDir)'),
      use('sql', true, file, 'goose.Run', 'goose.Run("status", db, "./sql")'),
    ],
    writes: [use('data/app.db', false, file, 'OpenDBWithDriver', open), use('data', true, file, 'OpenDBWithDriver', open)],
  });
});

test('goose with SetBaseFS(embed.FS) reads its migrations from the binary, not from disk', () => {
  const file = go(
    'migrate.go',
    'package main',
    '',
    'import (',
    '\t"embed"',
    '',
    '\t"github.com/pressly/goose/v3"',
    ')',
    '',
    '//go:embed migrations/*.sql',
    'var embedMigrations embed.FS',
    '',
    'func main() {',
    '\tgoose.SetBaseFS(embedMigrations)',
    '\tgoose.Up(db, "migrations")',
    '}',
  );
  assert.deepStrictEqual(access(file), { ...NOTHING, embeds: [use('migrations/*.sql', false, file, '//go:embed', '//go:embed migrations/*.sql')] });
});

test("sql-migrate's FileMigrationSource{Dir: …} reads that folder; an embedded source reads nothing", () => {
  const file = mainGo(
    ['"embed"', 'migrate "github.com/rubenv/sql-migrate"'],
    'source := &migrate.FileMigrationSource{',
    '\tDir: "db/migrations",',
    '}',
    'migrate.Exec(db, "postgres", source, migrate.Up)',
    'embedded := &migrate.EmbedFileSystemMigrationSource{FileSystem: migrationsFS, Root: "migrations"}',
    'migrate.Exec(db, "postgres", embedded, migrate.Up)',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('db/migrations', true, file, 'Dir:', 'migrate.FileMigrationSource{Dir: "db/migrations"}')],
  });
});

// ---------------------------------------------------------------------------------------------
// Calls across the packages of the module

/** config/config.go: an exported LoadConfig(path) that reads its parameter. */
function configPackage(folder = 'config'): SourceFile {
  return go(
    `${folder}/config.go`,
    'package config',
    '',
    'import "os"',
    '',
    'func LoadConfig(path string) ([]byte, error) {',
    '\treturn os.ReadFile(path)',
    '}',
  );
}

test('an exported function reads the paths that every package importing it passes', () => {
  const config = configPackage();
  const main = go('main.go', 'package main', '', 'import "example.com/app/config"', '', 'func main() { config.LoadConfig("./config/config.json") }');
  const tool = go(
    'cmd/tool/main.go',
    'package main',
    '',
    'import cfg "example.com/app/config"',
    '',
    'const defaults = "config/defaults.json"',
    '',
    'func main() {',
    '\tcfg.LoadConfig(defaults)',
    '}',
  );
  const read = (path: string): PathUse => use(path, false, config, 'os.ReadFile(path)', 'os.ReadFile(path)');
  assert.deepStrictEqual(moduleAccess(config, main, tool), { ...NOTHING, reads: [read('config/config.json'), read('config/defaults.json')] });
  // go.mod further down than the context root: the one folder ending in config/.
  const deeper = configPackage('backend/config');
  const deeperMain = { ...main, path: 'backend/main.go' };
  assert.deepStrictEqual(moduleAccess(deeper, deeperMain), {
    ...NOTHING,
    reads: [use('config/config.json', false, deeper, 'os.ReadFile(path)', 'os.ReadFile(path)')],
  });
});

test('analyzeGoSources passes go.mod\'s module, so calls into the module\'s packages are followed', () => {
  const config = configPackage();
  const main = go('main.go', 'package main', '', 'import "example.com/app/config"', '', 'func main() { config.LoadConfig("app.json") }');
  const goMod = parseGoMod(`module ${MODULE}\n\ngo 1.22\n`);
  assert.deepStrictEqual(analyzeGoSources([config, main], goMod).files, { ...NOTHING, reads: [use('app.json', false, config, 'os.ReadFile(path)', 'os.ReadFile(path)')] });
});

test('across packages a parameter is unknown when any call is unresolvable, the function is a value, the import is dotted, or the module is not known', () => {
  const config = configPackage();
  const unknown: FileAccess = { ...NOTHING, unknownReads: [at(config, 'os.ReadFile(path)', 'os.ReadFile(path)')] };
  const main = go('main.go', 'package main', '', 'import "example.com/app/config"', '', 'func main() { config.LoadConfig("app.json") }');

  const unresolvable = go('cmd/tool/main.go', 'package main', 'import (', '\t"os"', '\t"example.com/app/config"', ')', 'func main() { config.LoadConfig(os.Args[1]) }');
  assert.deepStrictEqual(moduleAccess(config, main, unresolvable), unknown);

  const asValue = go('cmd/tool/main.go', 'package main', 'import "example.com/app/config"', 'func main() { run(config.LoadConfig) }', 'func run(f func(string) ([]byte, error)) {}');
  assert.deepStrictEqual(moduleAccess(config, main, asValue), unknown);

  const dotted = go('cmd/tool/main.go', 'package main', 'import . "example.com/app/config"', 'func main() { LoadConfig(os.Args[1]) }');
  assert.deepStrictEqual(moduleAccess(config, main, dotted), unknown);

  assert.deepStrictEqual(access(config, main), unknown);
});

// ---------------------------------------------------------------------------------------------
// Functions that never run

test('an unknown path in a function that nothing calls is dropped; main, init, methods, values and //export are kept', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"C"',
    '\t"net/http"',
    '\t"os"',
    ')',
    '',
    'type server struct{ root string }',
    '',
    'func init() { os.ReadFile(os.Args[0] + ".yaml") }',
    '',
    'func main() {',
    '\tos.ReadFile(os.Args[1])',
    '\thttp.HandleFunc("/", serve)',
    '}',
    '',
    'func serve(w http.ResponseWriter, r *http.Request) { os.ReadFile(r.URL.Path) }',
    '',
    'func (s *server) load(name string) { os.ReadFile(s.root + name) }',
    '',
    '//export goOpen',
    'func goOpen(p *C.char) { os.Open(C.GoString(p)) }',
    '',
    'func unused(p string) { os.Create(p) }',
    '',
    'func alsoUnused() {',
    '\tgo func() { os.ReadFile(os.Args[2]) }()',
    '}',
  );
  const expected: FileAccess = {
    ...NOTHING,
    unknownReads: [
      at(file, 'func init', 'os.ReadFile(os.Args[0] + ".yaml")'),
      at(file, 'os.Args[1]', 'os.ReadFile(os.Args[1])'),
      at(file, 'r.URL.Path', 'os.ReadFile(r.URL.Path)'),
      at(file, 's.root', 'os.ReadFile(s.root + name)'),
      at(file, 'os.Open', 'os.Open(C.GoString(p))'),
    ],
  };
  assert.deepStrictEqual(access(file), expected);
  // With sources missing, a caller may be in one that was not read: nothing is dropped.
  assert.deepStrictEqual(analyzeFileAccess([file], { truncated: true }), {
    ...expected,
    unknownReads: [...expected.unknownReads, at(file, 'os.Args[2]', 'os.ReadFile(os.Args[2])')],
    unknownWrites: [at(file, 'os.Create(p)', 'os.Create(p)')],
  });
});

test('exported functions of an imported package that no file calls are dropped; of a package nothing imports, kept', () => {
  const fileutil = go(
    'util/fileutil/fileutil.go',
    'package fileutil',
    '',
    'import "os"',
    '',
    'func Read(p string) ([]byte, error) { return os.ReadFile(p) }',
    'func Write(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }',
    'func remove(p string) error { return os.Remove(p) }',
  );
  const tools = go('tools/dump.go', 'package tools', '', 'import "os"', '', 'func Dump(p string) { os.Create(p) }');
  const main = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"example.com/app/util/fileutil"',
    ')',
    '',
    'func main() { fileutil.Read(os.Args[1]) }',
  );
  const toolsDump = at(tools, 'os.Create', 'os.Create(p)');
  assert.deepStrictEqual(moduleAccess(fileutil, tools, main), {
    ...NOTHING,
    unknownReads: [at(fileutil, 'os.ReadFile', 'os.ReadFile(p)')],
    unknownWrites: [toolsDump],
  });
  // Without the module, who imports fileutil is not known: only the unexported remove is dropped.
  assert.deepStrictEqual(access(fileutil, tools, main), {
    ...NOTHING,
    unknownReads: [at(fileutil, 'os.ReadFile', 'os.ReadFile(p)')],
    unknownWrites: [at(fileutil, 'os.WriteFile', 'os.WriteFile(p, …)'), toolsDump],
  });
});

// ---------------------------------------------------------------------------------------------
// Read as Go reads it: method values, dot imports, build constraints, generics

test('a function value is a call of that function: read := os.ReadFile; read("config.yaml")', () => {
  const file = mainGo(['"os"'], 'read := os.ReadFile', 'data, _ := read("config.yaml")', '_ = data');
  assert.deepStrictEqual(access(file), { ...NOTHING, reads: [use('config.yaml', false, file, 'read("', 'read("config.yaml")')] });
});

test('a dot-imported os and an aliased os are followed; a local variable named os is not the package', () => {
  const dotted = go('main.go', 'package main', '', 'import (', '\t. "path/filepath"', '\t. "os"', ')', '', 'func main() { ReadFile(Join("conf", "dot.yaml")) }');
  const aliased = go('alias.go', 'package main', '', 'import sys "os"', '', 'func init() { sys.Create("out.log") }');
  const shadow = go('shadow.go', 'package main', '', 'import "os"', '', 'type fake struct{}', 'func (fake) ReadFile(string) {}', 'func run() {', '\tos := fake{}', '\tos.ReadFile("not-a-file.yaml")', '}');
  assert.deepStrictEqual(access(dotted, aliased, shadow), {
    ...NOTHING,
    reads: [use('conf/dot.yaml', false, dotted, 'ReadFile', 'ReadFile(Join("conf", "dot.yaml"))')],
    writes: [use('out.log', false, aliased, 'sys.Create', 'sys.Create("out.log")')],
  });
});

test('files built only for another platform read nothing in the image', () => {
  const windows = go('paths_windows.go', 'package main', '', 'import "os"', '', 'func init() { os.ReadFile(`C:\\app\\config.yaml`) }');
  const constrained = go('paths_other.go', '//go:build darwin || windows', '', 'package main', '', 'import "os"', '', 'func init() { os.ReadFile("/Library/app.plist") }');
  const linux = go('paths_linux.go', '//go:build linux', '', 'package main', '', 'import "os"', '', 'func init() { os.ReadFile("/etc/app.conf") }');
  assert.deepStrictEqual(access(windows, constrained, linux), { ...NOTHING, reads: [use('/etc/app.conf', false, linux, 'os.ReadFile', 'os.ReadFile("/etc/app.conf")')] });
});

test('a generic function reads the paths its callers pass', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"encoding/json"',
    '\t"os"',
    ')',
    '',
    'func load[T any](path string) (T, error) {',
    '\tvar v T',
    '\tdata, err := os.ReadFile(path)',
    '\tif err != nil {',
    '\t\treturn v, err',
    '\t}',
    '\treturn v, json.Unmarshal(data, &v)',
    '}',
    '',
    'type settings struct{ Port int }',
    '',
    'func main() { load[settings]("settings.json") }',
  );
  assert.deepStrictEqual(access(file), { ...NOTHING, reads: [use('settings.json', false, file, 'os.ReadFile', 'os.ReadFile(path)')] });
});

// ---------------------------------------------------------------------------------------------
// Values followed through the code

test('a DSN from the environment with a default when empty opens both: ${SQLITE_DSN} and the default', () => {
  const file = go(
    'db.go',
    'package main',
    '',
    'import (',
    '\t"database/sql"',
    '\t"os"',
    '',
    '\t_ "modernc.org/sqlite"',
    ')',
    '',
    'const DefaultDSN = "data/tracker.db"',
    '',
    'func main() {',
    '\tdsn := os.Getenv("SQLITE_DSN")',
    '\tif dsn == "" {',
    '\t\tdsn = DefaultDSN',
    '\t}',
    '\tdb, _ := sql.Open("sqlite", dsn)',
    '\t_ = db',
    '}',
  );
  const open = (path: string): PathUse => use(path, false, file, 'sql.Open', 'sql.Open("sqlite", dsn)');
  const folder = (path: string): PathUse => use(path, true, file, 'sql.Open', 'sql.Open("sqlite", dsn)');
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [open('${SQLITE_DSN}'), open('data/tracker.db')],
    writes: [open('${SQLITE_DSN}'), folder('.'), open('data/tracker.db'), folder('data')],
  });
});

test('a switch gives every value its cases assign; one case unknown makes the whole unknown', () => {
  const known = mainGo(['"os"'], 'var theme string', 'switch os.Getenv("THEME") {', 'case "dark":', '\ttheme = "themes/dark.css"', 'default:', '\ttheme = "themes/light.css"', '}', 'os.ReadFile(theme)');
  assert.deepStrictEqual(access(known).reads.map((u) => u.path), ['themes/dark.css', 'themes/light.css']);
  const unknown = mainGo(['"os"'], 'theme := "themes/light.css"', 'switch len(os.Args) {', 'case 2:', '\ttheme = os.Args[1]', '}', 'os.ReadFile(theme)');
  assert.deepStrictEqual(access(unknown), { ...NOTHING, unknownReads: [at(unknown, 'os.ReadFile', 'os.ReadFile(theme)')] });
});

test('a loop that reassigns a path reaches the use at its top too', () => {
  const file = mainGo(['"os"'], 'dir := "cache"', 'for i := 0; i < 2; i++ {', '\tos.MkdirAll(dir, 0o755)', '\tdir = "cache/old"', '}');
  assert.deepStrictEqual(access(file).writes.map((u) => u.path), ['cache', 'cache/old']);
});

test('struct literal fields and map literal values give every value they hold', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import "os"',
    '',
    'type Config struct {',
    '\tTemplates string',
    '\tDataDir   string',
    '}',
    '',
    'var fonts = map[string]string{',
    '\t"sans": "fonts/Inter.ttf",',
    '\t"mono": "fonts/JetBrainsMono.ttf",',
    '}',
    '',
    'func main() {',
    '\tcfg := Config{Templates: "web/templates", DataDir: "/var/lib/app"}',
    '\tos.ReadDir(cfg.Templates)',
    '\tos.MkdirAll(cfg.DataDir, 0o755)',
    '\tf, _ := os.Open(fonts[os.Args[1]])',
    '\t_ = f',
    '}',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [
      use('web/templates', true, file, 'os.ReadDir', 'os.ReadDir(cfg.Templates)'),
      use('fonts/Inter.ttf', false, file, 'os.Open', 'os.Open(fonts[os.Args[1]])'),
      use('fonts/JetBrainsMono.ttf', false, file, 'os.Open', 'os.Open(fonts[os.Args[1]])'),
    ],
    writes: [use('/var/lib/app', true, file, 'os.MkdirAll', 'os.MkdirAll(cfg.DataDir, …)')],
  });
});

test('a struct handed on whole (it may be changed there) has unknown fields', () => {
  const file = mainGo(['"encoding/json"', '"os"'], 'cfg := &struct{ Path string }{Path: "config.json"}', 'json.Unmarshal([]byte(os.Args[1]), cfg)', 'os.ReadFile(cfg.Path)');
  assert.deepStrictEqual(access(file), { ...NOTHING, unknownReads: [at(file, 'os.ReadFile', 'os.ReadFile(cfg.Path)')] });
});

test('a helper called from three places two calls deep reads each literal', () => {
  const file = go(
    'words.go',
    'package main',
    '',
    'import (',
    '\t"bufio"',
    '\t"os"',
    ')',
    '',
    'func readLines(filePath string) []string {',
    '\tf, _ := os.Open(filePath)',
    '\tdefer f.Close()',
    '\tvar lines []string',
    '\tfor s := bufio.NewScanner(f); s.Scan(); {',
    '\t\tlines = append(lines, s.Text())',
    '\t}',
    '\treturn lines',
    '}',
    '',
    'func loadList(name string) []string { return readLines("lists/" + name + ".txt") }',
    '',
    'func main() {',
    '\tloadList("adjectives")',
    '\tloadList("nouns")',
    '\treadLines("lists/extra.txt")',
    '}',
  );
  const open = (path: string): PathUse => use(path, false, file, 'os.Open', 'os.Open(filePath)');
  assert.deepStrictEqual(access(file), { ...NOTHING, reads: [open('lists/adjectives.txt'), open('lists/nouns.txt'), open('lists/extra.txt')] });
});

test('a method reads the constant its caller passes; an exported method (callable through an interface) stays unknown', () => {
  const file = go(
    'store.go',
    'package main',
    '',
    'import "os"',
    '',
    'const defaultFile = "state.json"',
    '',
    'type store struct{}',
    '',
    'func (s *store) load(filename string) ([]byte, error) { return os.ReadFile(filename) }',
    'func (s *store) Save(filename string) error { return os.WriteFile(filename, nil, 0o600) }',
    '',
    'func main() {',
    '\ts := &store{}',
    '\ts.load(defaultFile)',
    '\ts.Save(defaultFile)',
    '}',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('state.json', false, file, 'os.ReadFile', 'os.ReadFile(filename)')],
    unknownWrites: [at(file, 'os.WriteFile', 'os.WriteFile(filename, …)')],
  });
});

test("a function's return values are the path: every return is followed", () => {
  const file = go(
    'config.go',
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"path/filepath"',
    ')',
    '',
    'func configPath() string {',
    '\tif v := os.Getenv("CONFIG_DIR"); v != "" {',
    '\t\treturn filepath.Join(v, "app.yaml")',
    '\t}',
    '\treturn "config/app.yaml"',
    '}',
    '',
    'func main() { os.ReadFile(configPath()) }',
  );
  assert.deepStrictEqual(access(file).reads.map((u) => u.path), ['${CONFIG_DIR}/app.yaml', 'config/app.yaml']);
});

test('a YAML fixture loaded through a helper of the module is a read', () => {
  const loader = go(
    'internal/fixtures/fixtures.go',
    'package fixtures',
    '',
    'import (',
    '\t"os"',
    '',
    '\t"gopkg.in/yaml.v3"',
    ')',
    '',
    'func Load(name string, into any) error {',
    '\tdata, err := os.ReadFile(name)',
    '\tif err != nil {',
    '\t\treturn err',
    '\t}',
    '\treturn yaml.Unmarshal(data, into)',
    '}',
  );
  const main = go('main.go', 'package main', '', 'import "example.com/app/internal/fixtures"', '', 'var seed struct{ Users []string }', '', 'func main() { fixtures.Load("fixtures/seed.yaml", &seed) }');
  assert.deepStrictEqual(moduleAccess(loader, main), { ...NOTHING, reads: [use('fixtures/seed.yaml', false, loader, 'os.ReadFile', 'os.ReadFile(name)')] });
});

test('an unknown path keeps the folder it is known to start in', () => {
  const file = go('main.go', 'package main', '', 'import (', '\t"os"', '\t"path/filepath"', ')', '', 'func main() {', '\tos.ReadFile(filepath.Join("/etc/app", os.Args[1:]...))', '\tos.ReadFile(os.Args[2])', '}');
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    unknownReads: [{ ...at(file, 'filepath.Join', 'os.ReadFile(filepath.Join("/etc/app", os.Args[1:]...))'), prefix: '/etc/app/' }, at(file, 'os.Args[2]', 'os.ReadFile(os.Args[2])')],
  });
});

// ---------------------------------------------------------------------------------------------
// Paths used only when the environment sets them

test('a path used only inside `if p := os.Getenv("LOG_FILE"); p != ""` is only used when LOG_FILE is set', () => {
  const file = mainGo(
    ['"os"'],
    'if p := os.Getenv("LOG_FILE"); p != "" {',
    '\tf, _ := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)',
    '\t_ = f',
    '}',
    'if dir, ok := os.LookupEnv("CACHE_DIR"); ok {',
    '\tos.MkdirAll(dir, 0o755)',
    '}',
    'os.ReadFile(os.Getenv("ALWAYS"))',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [use('${ALWAYS}', false, file, 'ALWAYS', 'os.ReadFile(os.Getenv("ALWAYS"))')],
    writes: [
      { ...use('${LOG_FILE}', false, file, 'os.OpenFile', 'os.OpenFile(p, …)'), onlyWhenSet: 'LOG_FILE' },
      { ...use('${CACHE_DIR}', true, file, 'os.MkdirAll', 'os.MkdirAll(dir, …)'), onlyWhenSet: 'CACHE_DIR' },
    ],
  });
});

// ---------------------------------------------------------------------------------------------
// Programs the code starts

test('exec.Command, CommandContext, LookPath, os.StartProcess and syscall.Exec start programs: literal sets, or undefined', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import (',
    '\t"context"',
    '\t"os"',
    '\t"os/exec"',
    '\t"syscall"',
    ')',
    '',
    'type Task struct{ Command string }',
    '',
    'const git = "git"',
    '',
    'func run(task Task) {',
    '\texec.Command("ffmpeg", "-i", "in.mp4").Run()',
    '\texec.CommandContext(context.Background(), git, "pull").Run()',
    '\texec.LookPath("convert")',
    '\texec.Command(task.Command).Run()',
    '\tos.StartProcess("/bin/sh", []string{"sh"}, &os.ProcAttr{})',
    '\tsyscall.Exec(os.Getenv("SHELL"), nil, nil)',
    '}',
    '',
    'func main() { run(Task{}) }',
  );
  const start = (programs: string[] | undefined, needle: string, what: string) => ({ programs, evidence: at(file, needle, what) });
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    execs: [
      start(['ffmpeg'], 'ffmpeg', 'exec.Command("ffmpeg", …)'),
      start(['git'], 'CommandContext', 'exec.CommandContext(context.Background(), git, …)'),
      start(['convert'], 'LookPath', 'exec.LookPath("convert")'),
      start(undefined, 'task.Command', 'exec.Command(task.Command)'),
      start(['/bin/sh'], 'StartProcess', 'os.StartProcess("/bin/sh", …)'),
      start(undefined, 'syscall.Exec', 'syscall.Exec(os.Getenv("SHELL"), …)'),
    ],
  });
});

test('a program chosen between literals is each of them; in a function nothing calls, an unknown one is dropped', () => {
  const file = mainGo(['"os/exec"'], 'tool := "gzip"', 'if len(os.Args) > 1 {', '\ttool = "zstd"', '}', 'exec.Command(tool).Run()');
  const withOs = { ...file, text: file.text.replace('"os/exec"', '"os"\n\t"os/exec"') };
  assert.deepStrictEqual(access(withOs).execs, [{ programs: ['gzip', 'zstd'], evidence: at(withOs, 'exec.Command', 'exec.Command(tool)') }]);
  const unused = go('main.go', 'package main', '', 'import "os/exec"', '', 'func main() {}', '', 'func never(name string) { exec.Command(name).Run() }');
  assert.deepStrictEqual(access(unused), NOTHING);
});

// ---------------------------------------------------------------------------------------------
// Shapes that must not stall or break the analysis

test('a sum of 4,000 strings is one path (no recursion as deep as the sum)', () => {
  const terms = Array.from({ length: 4000 }, () => '"a/"').join(' + ');
  const file = mainGo(['"os"'], `os.ReadFile(${terms} + "x.txt")`);
  assert.deepStrictEqual(access(file).reads.map((u) => u.path), [`${'a/'.repeat(4000)}x.txt`]);
});

test('a helper reached through five callers at each of seven levels is followed once per parameter', () => {
  const lines = ['package main', '', 'import "os"', '', 'func f0(p string) { os.ReadFile(p) }'];
  for (let i = 1; i <= 7; i++) lines.push(`func f${i}(p string) { ${Array.from({ length: 5 }, () => `f${i - 1}(p)`).join('; ')} }`);
  lines.push('func main() { f7("deep.txt") }');
  const file = go('main.go', ...lines);
  assert.deepStrictEqual(access(file), { ...NOTHING, reads: [use('deep.txt', false, file, 'func f0', 'os.ReadFile(p)')] });
});

test('a file with syntax errors does not throw; what the parser recovers still counts', () => {
  const broken = go('broken.go', 'package main', '', 'import "os"', '', 'func main() {', '\tos.ReadFile("a.txt"', '\tif x { os.Create("b.txt")', '}', '', 'func other() { os.ReadFile("c.txt") }');
  // The unclosed call swallows its ReadFile; the parser recovers at the if and at func other.
  assert.deepStrictEqual(access(broken), {
    ...NOTHING,
    reads: [use('c.txt', false, broken, 'c.txt', 'os.ReadFile("c.txt")')],
    writes: [use('b.txt', false, broken, 'b.txt', 'os.Create("b.txt")')],
  });
});

test('a path used after `if p == "" { return }`, or in the else of `if !ok`, is only used when its variable is set', () => {
  const file = go(
    'main.go',
    'package main',
    '',
    'import "os"',
    '',
    'func openAudit() {',
    '\tpath := os.Getenv("AUDIT_LOG")',
    '\tif path == "" {',
    '\t\treturn',
    '\t}',
    '\tos.Create(path)',
    '}',
    '',
    'func loadPlugins() {',
    '\tif dir, ok := os.LookupEnv("PLUGIN_DIR"); !ok {',
    '\t\tprintln("no plugins")',
    '\t} else {',
    '\t\tos.ReadDir(dir)',
    '\t}',
    '}',
    '',
    'func main() {',
    '\topenAudit()',
    '\tloadPlugins()',
    '\tcfg := os.Getenv("CONFIG")',
    '\tif cfg == "" {',
    '\t\tcfg = "config.yaml"',
    '\t}',
    '\tos.ReadFile(cfg)',
    '}',
  );
  assert.deepStrictEqual(access(file), {
    ...NOTHING,
    reads: [
      { ...use('${PLUGIN_DIR}', true, file, 'os.ReadDir', 'os.ReadDir(dir)'), onlyWhenSet: 'PLUGIN_DIR' },
      // A default when empty: the use is reached whether or not CONFIG is set, so it is not marked.
      use('${CONFIG}', false, file, 'os.ReadFile(cfg)', 'os.ReadFile(cfg)'),
      use('config.yaml', false, file, 'os.ReadFile(cfg)', 'os.ReadFile(cfg)'),
    ],
    writes: [{ ...use('${AUDIT_LOG}', false, file, 'os.Create', 'os.Create(path)'), onlyWhenSet: 'AUDIT_LOG' }],
  });
});

test('a function literal held in a variable reads what its calls pass; handed on as a value, it is unknown', () => {
  const file = mainGo(['"os"'], 'load := func(name string) { os.ReadFile("locales/" + name + ".json") }', 'load("en")', 'load("de")');
  assert.deepStrictEqual(access(file).reads.map((u) => u.path), ['locales/en.json', 'locales/de.json']);
  const handedOn = mainGo(['"net/http"', '"os"'], 'serve := func(p string) { os.ReadFile(p) }', 'serve("index.html")', 'register(serve)');
  assert.deepStrictEqual(access(handedOn), { ...NOTHING, unknownReads: [at(handedOn, 'os.ReadFile', 'os.ReadFile(p)')] });
});

test('a function literal defined inside a loop is still one function', () => {
  const file = mainGo(['"os"'], 'for _, lang := range []string{"en", "de"} {', '\tload := func(name string) { os.ReadFile("locales/" + name + ".json") }', '\tload(lang)', '}');
  assert.deepStrictEqual(access(file).reads.map((u) => u.path), ['locales/en.json', 'locales/de.json']);
});

test('a path literal is that path: its `$` is no variable and its `[` no pattern, unless os.ExpandEnv or a glob call reads it so', () => {
  const file = mainGo(
    ['"os"', '"path/filepath"'],
    '_, _ = os.ReadFile("prices/$list.txt")',
    '_, _ = os.ReadFile("static/[draft].txt")',
    '_, _ = filepath.Glob("static/[ab].txt")',
    '_, _ = os.ReadFile(os.ExpandEnv("$HOME/.app.yaml"))',
  );
  assert.deepEqual(
    access(file).reads.map((r) => r.path),
    ['prices/\\$list.txt', 'static/\\[draft].txt', 'static/[ab].txt', '${HOME}/.app.yaml'],
  );
});
