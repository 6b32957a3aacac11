// What a Go program reads and writes at run time, learned from its sources: string paths (and
// constants, filepath.Join/path.Join/fmt.Sprintf of them) passed to the os, io/ioutil, template,
// net/http, gin/echo/fiber, godotenv, viper, database, migration, logging and flag APIs; //go:embed
// patterns; and every call whose path the scan cannot see, recorded as unknown and never guessed.
// Pure: it is handed file contents.
import type { Evidence } from './needs';
import type { GoFile, SourceFile } from './source';

// Interim: the lexical scan still reads the text until it is ported onto the syntax tree.
interface ImportSiteText {
  readonly path: string;
  readonly line: number;
  readonly alias: string | undefined;
}
function readImports(text: string): ImportSiteText[] {
  const code = stripComments(text);
  const bare = blankStrings(code);
  const sites: ImportSiteText[] = [];
  const lineAt = (offset: number): number => code.slice(0, offset).split('\n').length - 1;
  const single = /^\s*import\s+(?:([\w.]+)\s+)?"[^"\n]*"/gm;
  for (let m = single.exec(bare); m; m = single.exec(bare)) {
    const written = /import\s+(?:([\w.]+)\s+)?"([^"]+)"/.exec(code.slice(m.index, m.index + m[0].length));
    if (!written) continue;
    sites.push({ alias: written[1], path: written[2] as string, line: lineAt(m.index + m[0].indexOf('"')) });
  }
  const block = /^\s*import\s*\(([^)]*)\)/gm;
  for (let m = block.exec(bare); m; m = block.exec(bare)) {
    const bodyStart = m.index + m[0].indexOf('(') + 1;
    const body = code.slice(bodyStart, bodyStart + (m[1] as string).length);
    const entry = /(?:([\w.]+)\s+)?"([^"]+)"/g;
    for (let e = entry.exec(body); e; e = entry.exec(body)) sites.push({ alias: e[1], path: e[2] as string, line: lineAt(bodyStart + e.index) });
  }
  return sites;
}
const LEXICAL = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*'/g;
function stripComments(text: string): string {
  return text.replace(LEXICAL, (m) => (m.startsWith('/') ? m.replace(/[^\n]/g, ' ') : m));
}
function blankStrings(code: string): string {
  return code.replace(LEXICAL, (m) => (m.startsWith('/') ? m : `${m[0]}${m.slice(1, -1).replace(/[^\n]/g, ' ')}${m[m.length - 1]}`));
}

/** The access of already parsed files (analyzeGoSources parses once for every question). */
export function analyzeParsedFileAccess(files: readonly GoFile[], options: FileAccessOptions = {}): FileAccess {
  return analyzeFileAccess(files.map((f) => f.source), options);
}


export interface PathUse {
  /**
   * The path as the program names it, after constants and Join are resolved: relative paths are
   * relative to the process's working directory ("templates/*.html", ".env", "data"), absolute
   * ones as written. Glob patterns keep their `*?[`. A part read from the environment is written
   * `${NAME}` (filepath.Join(os.Getenv("DATA_DIR"), "x.db") -> "${DATA_DIR}/x.db").
   */
  readonly path: string;
  /** The call names a folder (ReadDir, DirFS, http.Dir, Static, Walk, MkdirAll, viper.AddConfigPath). */
  readonly directory: boolean;
  readonly evidence: Evidence;
  /**
   * The program uses this path only when the environment variable is set and not empty
   * (`if p := os.Getenv("LOG_FILE"); p != "" { ... }`): an image that never sets it never touches
   * the path.
   */
  readonly onlyWhenSet?: string;
}

/** A read or write whose path the analysis cannot resolve. */
export interface UnknownUse extends Evidence {
  /**
   * The resolved leading part of the path, when there is one ("/etc/", "data/", "${HOME}/"):
   * it tells an unknown file under the working directory from one under a system folder.
   */
  readonly prefix?: string;
}

/** A program the Go code starts (exec.Command, exec.CommandContext, os.StartProcess, syscall.Exec). */
export interface ProgramStart {
  /** Every value the program argument can take; undefined when any of them is not a literal. */
  readonly programs: readonly string[] | undefined;
  readonly evidence: Evidence;
}

export interface FileAccess {
  readonly reads: readonly PathUse[];
  /**
   * Files created or written, and folders made. For a file, its folder must be writable; a
   * database (sqlite, bolt, badger) also writes beside its file, so its folder is recorded too.
   */
  readonly writes: readonly PathUse[];
  /** //go:embed patterns, relative to the build context (the package folder joined on). */
  readonly embeds: readonly PathUse[];
  /** Reads whose path the scan cannot see: "unknown path at file:line". */
  readonly unknownReads: readonly UnknownUse[];
  readonly unknownWrites: readonly UnknownUse[];
  /** os.CreateTemp, os.MkdirTemp, ioutil.TempFile/TempDir with the default folder: a writable /tmp. */
  readonly tempFiles: readonly Evidence[];
  /** Programs the code starts. */
  readonly execs: readonly ProgramStart[];
}

export function noFileAccess(): FileAccess {
  return { reads: [], writes: [], embeds: [], unknownReads: [], unknownWrites: [], tempFiles: [], execs: [] };
}

export interface FileAccessOptions {
  /** go.mod's module path: `<module>/<folder>` imports are packages of `files`, whose calls are followed. */
  readonly module?: string;
  /** Not every source was read: a function without callers may be called from one that was not. */
  readonly truncated?: boolean;
}

/**
 * Reads, writes, embeds and temp files of the program whose (non-test) sources are `files`. The
 * scan is lexical: calls are found in the code with comments and string contents blanked, and only
 * when the file imports the package; a path argument is resolved from string literals, constants,
 * never-reassigned variables, Join, Sprintf and `+` of those, os.Getenv (as `${NAME}`), flag
 * defaults, and one level of parameter passing (into another package of the module too). Anything
 * else is unknown, except inside a function that nothing calls.
 */
export function analyzeFileAccess(files: readonly SourceFile[], options: FileAccessOptions = {}): FileAccess {
  const scans: FileScan[] = [];
  files.forEach((file, order) => {
    if (!file.path.endsWith('_test.go')) scans.push(scanFile(file, order));
  });
  const program: Program = { scans, packages: groupPackages(scans), module: options.module, complete: !options.truncated };
  const access = new AccessScan(program);
  for (const scan of scans) access.scanFile(scan);
  return access.result();
}

// ---------------------------------------------------------------------------------------------
// Packages the scan knows, by import path.

type PackageKey =
  | 'os' | 'ioutil' | 'filepath' | 'path' | 'template' | 'http' | 'gin' | 'echo' | 'fiber'
  | 'godotenv' | 'viper' | 'sql' | 'gormSqlite' | 'bolt' | 'badger' | 'flag' | 'fmt'
  | 'lumberjack' | 'zap' | 'golangMigrate' | 'goose' | 'sqlMigrate';

interface KnownPackage {
  readonly key: PackageKey;
  /** Names the package is used by when imported without an alias (coreos/bbolt says `package bolt`). */
  readonly names: readonly string[];
}

const PACKAGES: ReadonlyMap<string, KnownPackage> = new Map<string, KnownPackage>([
  ['os', { key: 'os', names: ['os'] }],
  ['io/ioutil', { key: 'ioutil', names: ['ioutil'] }],
  ['path/filepath', { key: 'filepath', names: ['filepath'] }],
  ['path', { key: 'path', names: ['path'] }],
  ['html/template', { key: 'template', names: ['template'] }],
  ['text/template', { key: 'template', names: ['template'] }],
  ['net/http', { key: 'http', names: ['http'] }],
  ['github.com/gin-gonic/gin', { key: 'gin', names: ['gin'] }],
  ['github.com/joho/godotenv', { key: 'godotenv', names: ['godotenv'] }],
  ['github.com/spf13/viper', { key: 'viper', names: ['viper'] }],
  ['database/sql', { key: 'sql', names: ['sql'] }],
  ['github.com/jmoiron/sqlx', { key: 'sql', names: ['sqlx'] }],
  ['gorm.io/driver/sqlite', { key: 'gormSqlite', names: ['sqlite'] }],
  ['github.com/glebarez/sqlite', { key: 'gormSqlite', names: ['sqlite'] }],
  ['go.etcd.io/bbolt', { key: 'bolt', names: ['bbolt'] }],
  ['github.com/boltdb/bolt', { key: 'bolt', names: ['bolt'] }],
  ['github.com/coreos/bbolt', { key: 'bolt', names: ['bolt', 'bbolt'] }],
  ['flag', { key: 'flag', names: ['flag'] }],
  ['fmt', { key: 'fmt', names: ['fmt'] }],
  ['gopkg.in/natefinch/lumberjack.v2', { key: 'lumberjack', names: ['lumberjack'] }],
  ['github.com/natefinch/lumberjack', { key: 'lumberjack', names: ['lumberjack'] }],
  ['go.uber.org/zap', { key: 'zap', names: ['zap'] }],
  // Its package is `migrate`, not the folder's name.
  ['github.com/rubenv/sql-migrate', { key: 'sqlMigrate', names: ['migrate'] }],
]);

const VERSIONED_PACKAGES: ReadonlyArray<readonly [RegExp, KnownPackage]> = [
  [/^github\.com\/labstack\/echo(\/v\d+)?$/, { key: 'echo', names: ['echo'] }],
  [/^github\.com\/gofiber\/fiber(\/v\d+)?$/, { key: 'fiber', names: ['fiber'] }],
  [/^github\.com\/dgraph-io\/badger(\/v\d+)?$/, { key: 'badger', names: ['badger'] }],
  [/^github\.com\/golang-migrate\/migrate(\/v\d+)?$/, { key: 'golangMigrate', names: ['migrate'] }],
  [/^github\.com\/pressly\/goose(\/v\d+)?$/, { key: 'goose', names: ['goose'] }],
];

const GODOTENV_AUTOLOAD = 'github.com/joho/godotenv/autoload';

function knownPackage(importPath: string): KnownPackage | undefined {
  return PACKAGES.get(importPath) ?? VERSIONED_PACKAGES.find(([re]) => re.test(importPath))?.[1];
}

/** The name an import is used by when it has no alias: the last element, without a /vN or .vN. */
function defaultName(importPath: string): string {
  const parts = importPath.split('/');
  const last = parts[parts.length - 1] ?? importPath;
  const element = /^v\d+$/.test(last) && parts.length > 1 ? (parts[parts.length - 2] as string) : last;
  return element.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/-go$/, '').replace(/[^\w]/g, '');
}

/** goose's functions that run the migrations in a folder, and the index of that folder's argument. */
const GOOSE_DIR_ARG: ReadonlyMap<string, number> = new Map([
  ...['Up', 'UpByOne', 'UpTo', 'Down', 'DownTo', 'Redo', 'Reset', 'Status', 'Version'].flatMap((n): Array<[string, number]> => [[n, 1], [`${n}Context`, 2]]),
  ['Run', 2], ['RunWithOptions', 2], ['RunContext', 3], ['RunWithOptionsContext', 3],
]);

/** Method names worth looking at; anything else is skipped before the receiver is read. */
const CALL_NAMES = new Set([
  'Open', 'OpenFile', 'ReadFile', 'ReadDir', 'Stat', 'Lstat', 'DirFS', 'Create', 'WriteFile', 'Mkdir', 'MkdirAll',
  'MkdirTemp', 'CreateTemp', 'TempDir', 'TempFile', 'Rename', 'Remove', 'RemoveAll',
  'Glob', 'Walk', 'WalkDir', 'ParseFiles', 'ParseGlob', 'Dir', 'ServeFile',
  'LoadHTMLGlob', 'LoadHTMLFiles', 'Static', 'StaticFile', 'File', 'SendFile',
  'Load', 'Overload', 'Read', 'SetConfigFile', 'SetConfigName', 'AddConfigPath',
  'Connect', 'MustConnect', 'MustOpen', 'DefaultOptions', 'LSMOnlyOptions', 'String', 'StringVar',
  'SaveUploadedFile', 'SaveFile', 'New', 'NewWithDatabaseInstance', 'SetBaseFS', 'OpenDBWithDriver',
  ...GOOSE_DIR_ARG.keys(),
]);

const SQLITE_DRIVERS = new Set(['sqlite3', 'sqlite']);
/** Extensions of data and configuration files: a flag default ending in one names a file. */
const DATA_EXTENSION = /\.(ya?ml|json|toml|ini|conf|env|db|sqlite3?|html|tmpl|sql|pem|crt|key|txt|csv)$/i;
/** Paths that are not files of the image. */
const NOT_A_FILE = /^\/(proc|sys|dev)(\/|$)/;
/** At most this many values for one expression (a parameter called with several paths, Join of those). */
const MAX_VALUES = 16;

// ---------------------------------------------------------------------------------------------
// One file, lexed once: code with comments blanked (strings kept), and code with string contents
// blanked too; calls and statements are found in the second and read from the first at the same offsets.

interface Range {
  readonly start: number;
  readonly end: number;
}

interface Param {
  readonly name: string;
  readonly index: number;
  readonly variadic: boolean;
  readonly offset: number;
}

interface FuncInfo {
  /** Undefined for a function literal. */
  readonly name: string | undefined;
  readonly kind: 'func' | 'method' | 'literal';
  readonly start: number;
  readonly bodyEnd: number;
  readonly params: readonly Param[];
  readonly receiver: readonly Param[];
}

interface FileScan {
  readonly source: SourceFile;
  readonly order: number;
  /** The package folder, "" for the context root. */
  readonly folder: string;
  readonly packageName: string | undefined;
  readonly code: string;
  readonly bare: string;
  /** For every bracket, the offset of its partner (-1 when unbalanced). */
  readonly pairs: Int32Array;
  readonly lineStarts: readonly number[];
  /** Local name -> known package. */
  readonly packages: ReadonlyMap<string, PackageKey>;
  /** Local names of other imports: `other.Open(...)` is not a method call on a value. */
  readonly otherImports: ReadonlySet<string>;
  readonly imported: ReadonlySet<PackageKey>;
  readonly imports: ReturnType<typeof readImports>;
  /** Functions whose range is not inside another function, in source order. */
  readonly topFuncs: readonly FuncInfo[];
  readonly funcs: readonly FuncInfo[];
}

function scanFile(source: SourceFile, order: number): FileScan {
  const code = stripComments(source.text);
  const bare = blankStrings(code);
  const pairs = matchBrackets(bare);
  const imports = readImports(source.text);
  const packages = new Map<string, PackageKey>();
  const otherImports = new Set<string>();
  const imported = new Set<PackageKey>();
  for (const site of imports) {
    const known = knownPackage(site.path);
    if (site.alias === '_' || site.alias === '.') {
      if (known) imported.add(known.key);
      continue;
    }
    if (known) {
      imported.add(known.key);
      for (const name of site.alias ? [site.alias] : known.names) packages.set(name, known.key);
    } else otherImports.add(site.alias ?? defaultName(site.path));
  }
  const funcs = findFunctions(bare, pairs);
  const topFuncs: FuncInfo[] = [];
  for (const fn of funcs) {
    const last = topFuncs[topFuncs.length - 1];
    if (!last || fn.start > last.bodyEnd) topFuncs.push(fn);
  }
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const slash = source.path.lastIndexOf('/');
  return {
    source,
    order,
    folder: slash < 0 ? '' : source.path.slice(0, slash),
    packageName: /^\s*package\s+(\w+)/m.exec(bare)?.[1],
    code,
    bare,
    pairs,
    lineStarts,
    packages,
    otherImports,
    imported,
    imports,
    topFuncs,
    funcs,
  };
}

function matchBrackets(bare: string): Int32Array {
  const pairs = new Int32Array(bare.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < bare.length; i++) {
    const c = bare.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) stack.push(i);
    else if (c === 41 || c === 93 || c === 125) {
      const open = stack.pop();
      if (open !== undefined) {
        pairs[open] = i;
        pairs[i] = open;
      }
    }
  }
  return pairs;
}

function lineOf(scan: FileScan, offset: number): number {
  let lo = 0;
  let hi = scan.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((scan.lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The outermost function (declaration or literal) around `offset`, if any. */
function topFuncAt(scan: FileScan, offset: number): FuncInfo | undefined {
  const funcs = scan.topFuncs;
  let lo = 0;
  let hi = funcs.length - 1;
  let found: FuncInfo | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const fn = funcs[mid] as FuncInfo;
    if (fn.start <= offset) {
      found = fn;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset <= found.bodyEnd ? found : undefined;
}

const IDENT = /^[A-Za-z_]\w*$/;
const IDENT_AT = /[A-Za-z_]\w*/y;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function identifierAt(text: string, i: number): string | undefined {
  IDENT_AT.lastIndex = i;
  return IDENT_AT.exec(text)?.[0];
}

function trimRange(bare: string, start: number, end: number): Range {
  while (start < end && isSpace(bare.charCodeAt(start))) start++;
  while (end > start && isSpace(bare.charCodeAt(end - 1))) end--;
  return { start, end };
}

/**
 * Splits [start, end) at top-level commas, or at binary `+`. Brackets are jumped with `pairs`, so
 * the walk is linear. A trailing comma leaves no empty last part.
 */
function splitTopLevel(bare: string, pairs: Int32Array, start: number, end: number, at: 'comma' | 'plus'): Range[] {
  const parts: Range[] = [];
  let from = start;
  let lastOperand = -1;
  for (let i = start; i < end; ) {
    const c = bare.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      const close = pairs[i] as number;
      if (close < 0 || close >= end) return [trimRange(bare, start, end)];
      i = close + 1;
      lastOperand = close;
      continue;
    }
    if (at === 'comma' && c === 44) {
      parts.push(trimRange(bare, from, i));
      from = i + 1;
    } else if (at === 'plus' && c === 43 && bare[i + 1] !== '+' && bare[i + 1] !== '=' && bare[i - 1] !== '+' && lastOperand >= from) {
      parts.push(trimRange(bare, from, i));
      from = i + 1;
      lastOperand = -1;
    } else if (!isSpace(c)) {
      // An operand ends in a name, a closing bracket or a string's closing quote.
      lastOperand = isIdentChar(c) || c === 34 || c === 96 || c === 41 || c === 93 ? i : -1;
    }
    i++;
  }
  const last = trimRange(bare, from, end);
  if (last.start < last.end || parts.length === 0) parts.push(last);
  return parts;
}

/** The arguments of the call whose `(` is at `open`; undefined when the parentheses do not close. */
function splitArgs(scan: FileScan, open: number): Range[] | undefined {
  const close = scan.pairs[open] as number;
  if (close < 0) return undefined;
  const args = splitTopLevel(scan.bare, scan.pairs, open + 1, close, 'comma');
  return args.length === 1 && args[0]!.start === args[0]!.end ? [] : args;
}

/**
 * Where the statement around `from` ends: at `;`, at a closing bracket of an enclosing group, or
 * at a line break that Go's semicolon rule would end it at (not after a binary operator or comma).
 */
function statementEnd(bare: string, pairs: Int32Array, from: number, limit: number): number {
  for (let i = from; i < limit; ) {
    const c = bare.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      const close = pairs[i] as number;
      if (close < 0 || close >= limit) return limit;
      i = close + 1;
      continue;
    }
    if (c === 59 || c === 41 || c === 93 || c === 125) return i;
    if (c === 10 && !lineContinues(bare, from, i)) return i;
    i++;
  }
  return limit;
}

function lineContinues(bare: string, from: number, newline: number): boolean {
  let j = newline - 1;
  while (j >= from && isSpace(bare.charCodeAt(j))) j--;
  if (j < from) return true;
  const c = bare[j] as string;
  if (c === '+' || c === '-') return bare[j - 1] !== c;
  return '*/%&|^,=.<>!'.includes(c);
}

/** Where the statement that ends at `before` starts (its left-hand side of an assignment). */
function statementStart(bare: string, pairs: Int32Array, before: number): number {
  let i = before - 1;
  while (i >= 0) {
    const c = bare[i];
    if (c === ')' || c === ']') {
      const open = pairs[i] as number;
      if (open < 0) break;
      i = open - 1;
      continue;
    }
    if (c === '\n' || c === ';' || c === '{' || c === '}' || c === '(' || c === '[') break;
    i--;
  }
  return i + 1;
}

function findFunctions(bare: string, pairs: Int32Array): FuncInfo[] {
  const funcs: FuncInfo[] = [];
  const keyword = /\bfunc\b/g;
  for (let m = keyword.exec(bare); m; m = keyword.exec(bare)) {
    const i = skipSpaces(bare, m.index + 4);
    let name: string | undefined;
    let kind: FuncInfo['kind'] = 'literal';
    let receiver: Range | undefined;
    let params: Range | undefined;
    if (bare[i] === '(') {
      const close = pairs[i] as number;
      if (close < 0) continue;
      const j = skipSpaces(bare, close + 1);
      const id = identifierAt(bare, j);
      if (id && id !== 'func') {
        let k = skipSpaces(bare, j + id.length);
        if (bare[k] === '[' && (pairs[k] as number) > 0) k = skipSpaces(bare, (pairs[k] as number) + 1);
        if (bare[k] === '(' && (pairs[k] as number) > 0) {
          kind = 'method';
          name = id;
          receiver = { start: i + 1, end: close };
          params = { start: k + 1, end: pairs[k] as number };
        }
      }
      params ??= { start: i + 1, end: close };
    } else {
      const id = identifierAt(bare, i);
      if (!id) continue;
      let k = skipSpaces(bare, i + id.length);
      if (bare[k] === '[' && (pairs[k] as number) > 0) k = skipSpaces(bare, (pairs[k] as number) + 1);
      if (bare[k] !== '(' || (pairs[k] as number) < 0) continue;
      kind = 'func';
      name = id;
      params = { start: k + 1, end: pairs[k] as number };
    }
    const body = findBody(bare, pairs, params.end + 1);
    if (body < 0) continue;
    funcs.push({
      name,
      kind,
      start: m.index,
      bodyEnd: pairs[body] as number,
      params: parseParams(bare, pairs, params),
      receiver: receiver ? parseParams(bare, pairs, receiver) : [],
    });
  }
  return funcs;
}

/** The `{` of the body after a signature, or -1 for a function type (no body). */
function findBody(bare: string, pairs: Int32Array, from: number): number {
  for (let i = from; i < bare.length; ) {
    const c = bare[i];
    if (c === '\n' || c === ';' || c === ',' || c === ')' || c === ']' || c === '}' || c === '=') return -1;
    if (c === '(' || c === '[' || c === '{') {
      const close = pairs[i] as number;
      if (close < 0) return -1;
      if (c === '{' && !/\b(interface|struct)\s*$/.test(bare.slice(Math.max(0, i - 12), i))) return i;
      i = close + 1;
      continue;
    }
    i++;
  }
  return -1;
}

const TYPE_WORDS = new Set(['chan', 'func', 'map', 'struct', 'interface']);

/** Names of a parameter list; unnamed lists (`func(string, int)`) have none. */
function parseParams(bare: string, pairs: Int32Array, list: Range): Param[] {
  if (list.end <= list.start) return [];
  const items = splitTopLevel(bare, pairs, list.start, list.end, 'comma');
  const named = items.some((r) => {
    const m = /^([A-Za-z_]\w*)\s+\S/.exec(bare.slice(r.start, r.end));
    return m !== null && !TYPE_WORDS.has(m[1] as string);
  });
  if (!named) return [];
  return items.flatMap((r, index) => {
    const name = identifierAt(bare, r.start);
    if (!name || name === '_') return [];
    return [{ name, index, variadic: bare.slice(r.start, r.end).includes('...'), offset: r.start }];
  });
}

// ---------------------------------------------------------------------------------------------
// Names of a package folder: every place a name gets a value (declarations, assignments,
// parameters, &name), so a use resolves only when exactly one of them can reach it.

interface Binding {
  readonly name: string;
  /**
   * value: `= expr` or `:= expr`; zero: `var x string`; param: a function parameter; flagVar:
   * flag.StringVar(&x, name, default, usage); opaque: anything the scan cannot follow (`x, err := f()`,
   * `x += y`, `&x` passed on, `*x = y`); elements: the value variable of `range []string{...}`, whose
   * expr is the literal's element list or the ranged name; result: the first result of a call that
   * returns paths (filepath.Glob, os.CreateTemp, os.MkdirTemp), whose expr is the call.
   */
  readonly kind: 'value' | 'zero' | 'param' | 'flagVar' | 'elements' | 'result' | 'opaque';
  /** Introduces the name in its scope (var, const, :=, parameter) rather than assigning it. */
  readonly declares: boolean;
  readonly scan: FileScan;
  readonly expr?: Range;
  /** The outermost function it is in; undefined at package level. */
  readonly top: FuncInfo | undefined;
  readonly func?: FuncInfo;
  readonly param?: Param;
}

/** The bindings of one name in a package, indexed so a lookup does not walk them all. */
interface NameBindings {
  readonly all: Binding[];
  readonly byTop: Map<FuncInfo | undefined, Binding[]>;
  /** Functions that declare the name (a use inside one sees only that function's bindings). */
  readonly declaring: Set<FuncInfo>;
  /** What reaches a use outside every declaring function, computed on first use. */
  outside?: Binding[];
}

interface GoPackage {
  /** "" for the context root. */
  readonly folder: string;
  /** The package clause's name, when every file agrees. */
  readonly name: string | undefined;
  readonly files: FileScan[];
  readonly bindings: Map<string, NameBindings>;
  /** Top-level functions by name (more than one when build tags pick between files). */
  readonly functions: Map<string, FuncInfo[]>;
  readonly isMain: boolean;
  /** Unqualified calls of the package's functions by name (undefined: the name is also used as a value); built on first use. */
  callSites?: Map<string, CallSite[] | undefined>;
  /** Functions named by `//export` or `//go:linkname`: called from outside Go's sight; built on first use. */
  externallyCalled?: Set<string>;
}

interface CallSite {
  readonly scan: FileScan;
  /** The package the call is in, whose names its arguments use. */
  readonly pkg: GoPackage;
  readonly args: readonly Range[];
}

/** Every scanned package, and what is known of the module they belong to. */
interface Program {
  readonly scans: readonly FileScan[];
  /** By folder. */
  readonly packages: ReadonlyMap<string, GoPackage>;
  readonly module: string | undefined;
  /** Every source was read, so a function no file calls is never called. */
  readonly complete: boolean;
  /** The files importing each package of the module, and their calls; built on first use. */
  importers?: Map<GoPackage, Importers>;
}

interface Importers {
  /** Some importer's calls cannot be followed: a dot import, or an import path more than one folder could be. */
  unfollowed: boolean;
  /** `alias.Func(...)` calls by function name; undefined when `alias.Func` is also used as a value. */
  readonly uses: Map<string, CallSite[] | undefined>;
}

function groupPackages(scans: readonly FileScan[]): Map<string, GoPackage> {
  const byFolder = new Map<string, FileScan[]>();
  for (const scan of scans) {
    const files = byFolder.get(scan.folder);
    if (files) files.push(scan);
    else byFolder.set(scan.folder, [scan]);
  }
  const packages = new Map<string, GoPackage>();
  for (const [folder, files] of byFolder) {
    const names = new Set(files.map((f) => f.packageName));
    const name = names.size === 1 ? files[0]!.packageName : undefined;
    const pkg: GoPackage = { folder, name, files, bindings: new Map(), functions: new Map(), isMain: name === 'main' };
    const add = (b: Binding): void => {
      let named = pkg.bindings.get(b.name);
      if (!named) pkg.bindings.set(b.name, (named = { all: [], byTop: new Map(), declaring: new Set() }));
      named.all.push(b);
      const inTop = named.byTop.get(b.top);
      if (inTop) inTop.push(b);
      else named.byTop.set(b.top, [b]);
      if (b.top && b.declares) named.declaring.add(b.top);
    };
    for (const scan of files) {
      collectBindings(scan, add);
      for (const fn of scan.funcs) {
        if (fn.kind !== 'func' || !fn.name) continue;
        const same = pkg.functions.get(fn.name);
        if (same) same.push(fn);
        else pkg.functions.set(fn.name, [fn]);
      }
    }
    packages.set(folder, pkg);
  }
  return packages;
}

/** Assignment operators: `:=`, `=` and the compound ones, never `==`, `!=`, `<=`, `>=`. */
const ASSIGNMENT = /(?:<<|>>|&\^|[-+*/%&|^:])=(?!=)|(?<![=!<>&|^%*/+\-:])=(?!=)/g;
const STATEMENT_KEYWORDS = /^\s*(?:(?:if|for|switch|select|case|else|go|defer|type)\s+)*/;

function collectBindings(scan: FileScan, add: (b: Binding) => void): void {
  const { bare, pairs } = scan;
  for (const fn of scan.funcs) {
    const top = topFuncAt(scan, fn.start);
    for (const param of fn.params) add({ name: param.name, kind: 'param', declares: true, scan, top, func: fn, param });
    for (const param of fn.receiver) add({ name: param.name, kind: 'opaque', declares: true, scan, top });
  }

  // var and const, single and grouped; their `=` are not assignments.
  const declared = new Set<number>();
  const declaration = /\b(const|var)\b/g;
  for (let m = declaration.exec(bare); m; m = declaration.exec(bare)) {
    let before = m.index - 1;
    while (before >= 0 && (bare[before] === ' ' || bare[before] === '\t')) before--;
    if (before >= 0 && !'\n;{}'.includes(bare[before] as string)) continue;
    const isConst = m[1] === 'const';
    const top = topFuncAt(scan, m.index);
    const i = skipSpaces(bare, m.index + (m[1] as string).length);
    if (bare[i] === '(') {
      const close = pairs[i] as number;
      if (close < 0) continue;
      let previous: Range[] = [];
      for (let s = i + 1; s < close; ) {
        const e = statementEnd(bare, pairs, s, close);
        const spec = trimRange(bare, s, e);
        if (spec.start < spec.end) previous = declareSpec(scan, spec, isConst, previous, top, declared, add);
        s = e + 1;
      }
    } else {
      declareSpec(scan, trimRange(bare, i, statementEnd(bare, pairs, i, bare.length)), isConst, [], top, declared, add);
    }
  }

  for (let m = ASSIGNMENT.exec(bare); m; m = ASSIGNMENT.exec(bare)) {
    const op = m[0];
    if (declared.has(m.index + op.length - 1)) continue;
    const lhsStart = statementStart(bare, pairs, m.index);
    const keywords = STATEMENT_KEYWORDS.exec(bare.slice(lhsStart, m.index)) as RegExpExecArray;
    const items = splitTopLevel(bare, pairs, lhsStart + keywords[0].length, m.index, 'comma');
    const simple = op === ':=' || op === '=';
    const rhsStart = m.index + op.length;
    const values = simple ? splitTopLevel(bare, pairs, rhsStart, statementEnd(bare, pairs, rhsStart, bare.length), 'comma') : [];
    const top = topFuncAt(scan, m.index);
    // `files, err := filepath.Glob(p)`, `f, err := os.CreateTemp("", p)`: the first result is a path (or paths).
    const call = values.length === 1 && items.length === 2 ? pathResultCall(scan, values[0] as Range) : undefined;
    if (call) {
      const first = bare.slice((items[0] as Range).start, (items[0] as Range).end);
      if (IDENT.test(first) && first !== '_') add({ name: first, kind: 'result', declares: op === ':=', scan, top, expr: values[0] as Range });
      continue;
    }
    // `for _, dir := range []string{a, b}` or `range files`: the value variable takes each element in turn.
    const ranged = op === ':=' && items.length <= 2 ? rangeOverLiteral(bare, pairs, rhsStart) : undefined;
    if (ranged) {
      items.forEach((item, k) => {
        const text = bare.slice(item.start, item.end);
        if (!IDENT.test(text) || text === '_') return;
        add({ name: text, kind: k === items.length - 1 && items.length === 2 ? 'elements' : 'opaque', declares: true, scan, top, expr: ranged });
      });
      continue;
    }
    items.forEach((item, k) => {
      const text = bare.slice(item.start, item.end);
      const pointee = /^\*\s*([A-Za-z_]\w*)$/.exec(text);
      if (pointee) {
        add({ name: pointee[1] as string, kind: 'opaque', declares: false, scan, top });
        return;
      }
      if (!IDENT.test(text) || text === '_') return;
      const expr = values.length === items.length ? values[k] : undefined;
      add({ name: text, kind: expr ? 'value' : 'opaque', declares: op === ':=', scan, top, expr });
    });
  }

  // &name lets someone else set the variable; flag.StringVar(&name, ...) sets it to a known default.
  const address = /&[ \t]*([A-Za-z_]\w*)/g;
  for (let m = address.exec(bare); m; m = address.exec(bare)) {
    let j = m.index - 1;
    while (j >= 0 && isSpace(bare.charCodeAt(j))) j--;
    if (j >= 0 && /[\w)\]&]/.test(bare[j] as string)) {
      let w = j;
      while (w >= 0 && isIdentChar(bare.charCodeAt(w))) w--;
      if (!/^(return|case)$/.test(bare.slice(w + 1, j + 1))) continue; // binary & (or &&)
    }
    const after = bare[skipSpaces(bare, m.index + m[0].length)];
    if (after === '.' || after === '[' || after === '{' || after === '(') continue; // &x.f, &x[i], &T{}
    const name = m[1] as string;
    const top = topFuncAt(scan, m.index);
    const flagDefault = j >= 0 && bare[j] === '(' ? flagStringVarDefault(scan, j) : undefined;
    if (flagDefault) add({ name, kind: 'flagVar', declares: false, scan, top, expr: flagDefault });
    else add({ name, kind: 'opaque', declares: false, scan, top });
  }
}

/** Calls whose first result is a path or paths. */
const PATH_RESULTS = new Set(['filepath.Glob', 'os.CreateTemp', 'ioutil.TempFile', 'os.MkdirTemp', 'ioutil.TempDir']);

function pathResultCall(scan: FileScan, value: Range): string | undefined {
  const { start, end } = trimRange(scan.bare, value.start, value.end);
  if (scan.bare[end - 1] !== ')') return undefined;
  const open = scan.pairs[end - 1] as number;
  const callee = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(scan.bare.slice(start, open).replace(/\s+/g, ''));
  const call = callee ? `${scan.packages.get(callee[1] as string)}.${callee[2]}` : undefined;
  return call && PATH_RESULTS.has(call) ? call : undefined;
}

/** A Glob's pattern (each match), or a temporary file or folder: `*` inside the folder it is made in. */
function evaluateResult(binding: Binding, state: EvalState): string[] | undefined {
  if (!binding.expr) return undefined;
  const { start, end } = trimRange(binding.scan.bare, binding.expr.start, binding.expr.end);
  const open = binding.scan.pairs[end - 1] as number;
  const args = splitArgs(binding.scan, open);
  const call = pathResultCall(binding.scan, { start, end });
  if (!args || !call || !args[0]) return undefined;
  const first = evaluate(binding.scan, args[0], state);
  if (call === 'filepath.Glob') return first;
  return first?.map((dir) => joinPaths([dir === '' ? '/tmp' : dir, '*']));
}

/** The one binding of `name` that reaches `offset`, if exactly one does. */
function resolveBinding(name: string, scan: FileScan, offset: number, state: EvalState): Binding | undefined {
  const named = state.pkg.bindings.get(name);
  if (!named) return undefined;
  const candidates = named.all.filter((b: Binding) => b.scan === scan && b.top === topFuncAt(scan, offset) && b.kind !== 'zero');
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** The element list of `range []string{...}`, or the name in `range files`, starting at `from`; undefined for any other range. */
function rangeOverLiteral(bare: string, pairs: Int32Array, from: number): Range | undefined {
  const named = /^\s*range\s+([A-Za-z_]\w*)\s*(?=[{\n;])/.exec(bare.slice(from, from + 96));
  if (named) {
    const start = from + named[0].indexOf(named[1] as string);
    return { start, end: start + (named[1] as string).length };
  }
  const m = /^\s*range\s+\[\]string\s*\{/.exec(bare.slice(from, from + 64));
  if (!m) return undefined;
  const open = from + m[0].length - 1;
  const close = pairs[open] as number;
  return close > open ? { start: open + 1, end: close } : undefined;
}

/** `names [type] [= values]` of a var or const; returns the values, which a const group repeats. */
function declareSpec(
  scan: FileScan,
  spec: Range,
  isConst: boolean,
  previous: Range[],
  top: FuncInfo | undefined,
  declared: Set<number>,
  add: (b: Binding) => void,
): Range[] {
  const { bare, pairs } = scan;
  let eq = -1;
  for (let i = spec.start; i < spec.end; ) {
    const c = bare[i];
    if (c === '(' || c === '[' || c === '{') {
      const close = pairs[i] as number;
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (c === '=' && bare[i + 1] !== '=' && !'=!<>:'.includes(bare[i - 1] as string)) {
      eq = i;
      break;
    }
    i++;
  }
  if (eq >= 0) declared.add(eq);
  const names = splitTopLevel(bare, pairs, spec.start, eq >= 0 ? eq : spec.end, 'comma').map((r) => identifierAt(bare, r.start));
  const values = eq >= 0 ? splitTopLevel(bare, pairs, eq + 1, spec.end, 'comma') : isConst ? previous : [];
  names.forEach((name, k) => {
    if (!name || name === '_') return;
    if (eq < 0 && !isConst) {
      add({ name, kind: 'zero', declares: true, scan, top });
      return;
    }
    const expr = values.length === names.length ? values[k] : undefined;
    add({ name, kind: expr ? 'value' : 'opaque', declares: true, scan, top, expr });
  });
  return values;
}

/** The default argument of `flag.StringVar(&x, name, default, usage)` whose `(` is at `open`. */
function flagStringVarDefault(scan: FileScan, open: number): Range | undefined {
  const callee = receiverBefore(scan, open);
  if (!callee || !/^[A-Za-z_]\w*\.StringVar$/.test(callee.bareText)) return undefined;
  if (scan.packages.get(callee.bareText.slice(0, callee.bareText.indexOf('.'))) !== 'flag') return undefined;
  const args = splitArgs(scan, open);
  return args?.length === 4 ? args[2] : undefined;
}

interface Receiver {
  readonly start: number;
  /** As written (strings kept), whitespace collapsed. */
  readonly text: string;
  readonly bareText: string;
  readonly simple: boolean;
}

/** The expression a `.Name(` is called on: `r`, `template.New("x")`, `a.b.c`. */
function receiverBefore(scan: FileScan, dot: number): Receiver | undefined {
  const { bare, pairs } = scan;
  let i = dot - 1;
  while (i >= 0 && isSpace(bare.charCodeAt(i))) i--;
  const end = i + 1;
  for (;;) {
    while (i >= 0 && (bare[i] === ')' || bare[i] === ']')) {
      const open = pairs[i] as number;
      if (open < 0) return undefined;
      i = open - 1;
    }
    const idEnd = i + 1;
    while (i >= 0 && isIdentChar(bare.charCodeAt(i))) i--;
    if (i + 1 === idEnd) return undefined;
    let j = i;
    while (j >= 0 && isSpace(bare.charCodeAt(j))) j--;
    if (j < 0 || bare[j] !== '.') break;
    i = j - 1;
    while (i >= 0 && isSpace(bare.charCodeAt(i))) i--;
  }
  const start = i + 1;
  const bareText = bare.slice(start, end).replace(/\s+/g, '');
  return { start, text: compact(scan.code.slice(start, end)), bareText, simple: IDENT.test(bareText) };
}

// ---------------------------------------------------------------------------------------------
// Values of expressions. Each resolves to the strings it can be (a parameter called with several),
// or undefined when the scan cannot see it.

interface EvalState {
  readonly program: Program;
  /** The package whose names the expression uses. */
  readonly pkg: GoPackage;
  readonly paramDepth: number;
  readonly depth: number;
  readonly visiting: ReadonlySet<Binding>;
}

function evaluate(scan: FileScan, range: Range, state: EvalState, deref = false): string[] | undefined {
  if (state.depth > 24) return undefined;
  const { bare, pairs, code } = scan;
  const { start: s, end: e } = trimRange(bare, range.start, range.end);
  if (s >= e) return undefined;
  const next: EvalState = { ...state, depth: state.depth + 1 };
  const first = bare[s];
  if (first === '(' && pairs[s] === e - 1) return evaluate(scan, { start: s + 1, end: e - 1 }, next, deref);
  const terms = splitTopLevel(bare, pairs, s, e, 'plus');
  if (terms.length > 1) return deref ? undefined : concatenate(terms.map((t) => () => evaluate(scan, t, next)));
  if ((first === '"' || first === '`') && bare.indexOf(first, s + 1) === e - 1) return deref ? undefined : [unquote(code.slice(s, e))];
  if (first === '*') return deref ? undefined : evaluate(scan, { start: s + 1, end: e }, next, true);
  const text = bare.slice(s, e);
  if (IDENT.test(text)) return resolveName(text, scan, s, next, deref);
  if (bare[e - 1] === ')' && (pairs[e - 1] as number) > s) return evaluateCall(scan, s, pairs[e - 1] as number, next, deref);
  return undefined;
}

function evaluateCall(scan: FileScan, start: number, open: number, state: EvalState, deref: boolean): string[] | undefined {
  const callee = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(scan.bare.slice(start, open).replace(/\s+/g, ''));
  const args = splitArgs(scan, open);
  if (!callee || !args || args.some((a) => isSpread(scan, a))) return undefined;
  const call = `${scan.packages.get(callee[1] as string)}.${callee[2]}`;
  const arg = (i: number): string[] | undefined => (args[i] ? evaluate(scan, args[i] as Range, state) : undefined);
  // f.Name() of a file from os.CreateTemp is that file's path.
  if (!scan.packages.has(callee[1] as string) && callee[2] === 'Name' && args.length === 0 && !deref) {
    const file = resolveName(callee[1] as string, scan, start, state, false);
    return file?.every((p) => p.endsWith('/*')) ? file : undefined;
  }
  if (deref) return call === 'flag.String' && args.length === 3 ? arg(1) : undefined;
  switch (call) {
    case 'filepath.Join':
    case 'path.Join': {
      const parts = args.map((a) => evaluate(scan, a, state));
      const known = combine(parts, joinPaths);
      if (known) return known;
      // Join(dataDir, id+".json"): the folder is known and the name is chosen at run time; `*`
      // stands for that name, so the folder is still read or made writable, and nothing is guessed.
      const firstUnknown = parts.findIndex((p) => p === undefined);
      if (firstUnknown <= 0) return undefined;
      return combine([...parts.slice(0, firstUnknown), ['*']], joinPaths);
    }
    case 'filepath.Dir':
    case 'path.Dir':
      return arg(0)?.map(parentFolder);
    case 'filepath.Clean':
    case 'path.Clean':
    case 'filepath.FromSlash':
    case 'filepath.ToSlash':
      return arg(0)?.map(cleanPath);
    case 'os.Getenv': {
      const name = arg(0);
      return name?.length === 1 && /^\w+$/.test(name[0] as string) ? [`\${${name[0]}}`] : undefined;
    }
    case 'os.ExpandEnv':
      return arg(0)?.map(expandEnvMarkers);
    case 'os.TempDir':
      return ['/tmp'];
    case 'fmt.Sprintf': {
      const results: string[] = [];
      for (const format of arg(0) ?? []) {
        const result = sprintf(format, args.slice(1), (a) => evaluate(scan, a, state));
        if (!result) return undefined;
        results.push(...result);
      }
      return results.length > 0 ? unique(results) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * `a + b + …`: every term known is their concatenation; an unknown term after a known part that
 * names a folder (`"uploads/" + name`, `dir + "/log_" + day`) is a name chosen at run time in that
 * folder, `uploads/*`. Terms are evaluated only up to the first unknown one.
 */
function concatenate(terms: ReadonlyArray<() => string[] | undefined>): string[] | undefined {
  let prefixes: string[] | undefined = [''];
  for (const term of terms) {
    const values = term();
    if (!values) return runTimeName(prefixes);
    prefixes = combine([prefixes, values], (parts) => parts.join(''));
    if (!prefixes) return undefined;
  }
  return prefixes;
}

/**
 * fmt.Sprintf's result: `%s` and `%v` of known arguments are written in, `%%` is `%`; at the first
 * verb that is not (`%d`, a width, an unknown argument) the rest is a name chosen at run time in the
 * folder written so far, and there is no folder in `"out-%d.txt"`.
 */
function sprintf(format: string, args: readonly Range[], value: (arg: Range) => string[] | undefined): string[] | undefined {
  let prefixes: string[] | undefined = [''];
  let next = 0;
  const verb = /%(%|[^a-zA-Z%]*[a-zA-Z])/g;
  let literalFrom = 0;
  for (let m = verb.exec(format); m; m = verb.exec(format)) {
    const literal = format.slice(literalFrom, m.index);
    literalFrom = m.index + m[0].length;
    if (m[1] === '%') {
      prefixes = prefixes.map((p) => `${p}${literal}%`);
      continue;
    }
    prefixes = prefixes.map((p) => p + literal);
    const arg = args[next++];
    const values = (m[1] === 's' || m[1] === 'v') && arg ? value(arg) : undefined;
    if (!values) return runTimeName(prefixes);
    prefixes = combine([prefixes, values], (parts) => parts.join(''));
    if (!prefixes) return undefined;
  }
  return prefixes.map((p) => p + format.slice(literalFrom));
}

/**
 * A path whose known start is `prefixes` and whose rest is chosen at run time: `*` in the folder
 * the start names (up to its last `/`). No folder, or a URL or DSN (`file:`, `http://`), is unknown.
 */
function runTimeName(prefixes: readonly string[] | undefined): string[] | undefined {
  if (!prefixes) return undefined;
  const paths: string[] = [];
  for (const prefix of prefixes) {
    const slash = prefix.lastIndexOf('/');
    if (slash < 0 || /^[A-Za-z][\w+.-]*:/.test(prefix)) return undefined;
    paths.push(joinPaths([prefix.slice(0, slash + 1), '*']));
  }
  return unique(paths);
}

/**
 * A name's value where it is used at `offset`: inside a function that declares the name, only that
 * function's bindings (and a package-level one, which then makes it ambiguous) can reach it;
 * elsewhere the package-level declaration and assignments from functions that do not declare it.
 */
function resolveName(name: string, scan: FileScan, offset: number, state: EvalState, deref: boolean): string[] | undefined {
  const named = state.pkg.bindings.get(name);
  if (!named) return undefined;
  const top = topFuncAt(scan, offset);
  const reaching = top && named.declaring.has(top)
    ? [...(named.byTop.get(top) ?? []), ...(named.byTop.get(undefined) ?? []).filter((b) => b.declares)]
    : (named.outside ??= named.all.filter((b) => b.top === undefined || (!b.declares && !named.declaring.has(b.top))));
  // `var x string` followed by one assignment (or flag.StringVar) is that assignment.
  const set = reaching.some((b) => b.kind !== 'zero') ? reaching.filter((b) => b.kind !== 'zero') : reaching;
  const binding = set.length === 1 ? (set[0] as Binding) : undefined;
  if (!binding || state.visiting.has(binding)) return undefined;
  const inner: EvalState = { ...state, visiting: new Set([...state.visiting, binding]) };
  switch (binding.kind) {
    case 'value':
      return binding.expr ? evaluate(binding.scan, binding.expr, inner, deref) : undefined;
    case 'zero':
      return deref ? undefined : [''];
    case 'flagVar':
      return deref || !binding.expr ? undefined : evaluate(binding.scan, binding.expr, inner);
    case 'result':
      return deref ? undefined : evaluateResult(binding, inner);
    case 'param':
      return parameterValues(binding, inner, deref);
    case 'elements': {
      if (deref || !binding.expr) return undefined;
      const ranged = binding.scan.bare.slice(binding.expr.start, binding.expr.end);
      // Ranging over a name: only the paths of filepath.Glob are followed (its pattern stands for each match).
      if (IDENT.test(ranged)) {
        const source = resolveBinding(ranged, binding.scan, binding.expr.start, inner);
        return source?.kind === 'result' && source.expr && /Glob\s*\($/.test(source.scan.bare.slice(source.expr.start, source.scan.bare.indexOf('(', source.expr.start) + 1))
          ? evaluateResult(source, inner)
          : undefined;
      }
      const elements = splitTopLevel(binding.scan.bare, binding.scan.pairs, binding.expr.start, binding.expr.end, 'comma');
      const values = elements.map((el) => evaluate(binding.scan, el, inner));
      return values.every((v) => v !== undefined) ? unique(values.flat() as string[]) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * One level of parameter passing: the values a plain function's parameter gets at every call in
 * its package and, for an exported one, in every package of the module that imports it. A function
 * used as a value may be called with anything, and one exported from a package whose importers the
 * scan cannot see may be called from elsewhere: both are unknown.
 */
function parameterValues(binding: Binding, state: EvalState, deref: boolean): string[] | undefined {
  const fn = binding.func;
  const param = binding.param;
  if (!fn || !param || fn.kind !== 'func' || !fn.name || param.variadic || state.paramDepth >= 1) return undefined;
  if (state.pkg.functions.get(fn.name)?.length !== 1) return undefined;
  const sites = callSitesOf(state.program, state.pkg, fn.name);
  if (!sites || sites.length === 0) return undefined;
  const values: string[] = [];
  for (const site of sites) {
    const arg = site.args[param.index];
    if (!arg) return undefined;
    if (site.args.some((a) => isSpread(site.scan, a))) return undefined;
    const value = evaluate(site.scan, arg, { ...state, pkg: site.pkg, paramDepth: state.paramDepth + 1 }, deref);
    if (!value) return undefined;
    values.push(...value);
  }
  return unique(values);
}

function isExported(name: string): boolean {
  return /^[A-Z]/.test(name);
}

/**
 * Every call of a package function: unqualified in its package, and `alias.Func(...)` in the
 * importers of an exported one. Undefined when the name is also used as a value, or when a call
 * may come from where the scan cannot see.
 */
function callSitesOf(program: Program, pkg: GoPackage, name: string): CallSite[] | undefined {
  pkg.callSites ??= indexCallSites(pkg);
  const local = pkg.callSites.has(name) ? pkg.callSites.get(name) : [];
  if (!local || !isExported(name) || pkg.isMain) return local;
  const importers = importersOf(program, pkg);
  if (!importers || importers.unfollowed) return undefined;
  const remote = importers.uses.has(name) ? importers.uses.get(name) : [];
  return remote && [...local, ...remote];
}

/**
 * Whether the top-level function around `offset` never runs: no file calls it or uses it as a
 * value (nor names it in //export or //go:linkname), and it is not main, init or a method. An
 * exported function of a package that no scanned file imports may be called from a module the
 * scan did not read, so it counts as called.
 */
function neverRuns(program: Program, scan: FileScan, offset: number): boolean {
  if (!program.complete) return false;
  const fn = topFuncAt(scan, offset);
  if (!fn || fn.kind !== 'func' || !fn.name || fn.name === 'main' || fn.name === 'init') return false;
  const pkg = program.packages.get(scan.folder) as GoPackage;
  pkg.callSites ??= indexCallSites(pkg);
  pkg.externallyCalled ??= externallyCalled(pkg);
  if (pkg.callSites.has(fn.name) || pkg.externallyCalled.has(fn.name)) return false;
  if (!isExported(fn.name) || pkg.isMain) return true;
  const importers = importersOf(program, pkg);
  return importers !== undefined && !importers.unfollowed && !importers.uses.has(fn.name);
}

function externallyCalled(pkg: GoPackage): Set<string> {
  const names = new Set<string>();
  const directive = /^\/\/(?:export|go:linkname)[ \t]+(\w+)/gm;
  for (const scan of pkg.files) for (let m = directive.exec(scan.source.text); m; m = directive.exec(scan.source.text)) names.add(m[1] as string);
  return names;
}

function importersOf(program: Program, pkg: GoPackage): Importers | undefined {
  program.importers ??= indexImporters(program);
  return program.importers.get(pkg);
}

/**
 * One pass over the files that import packages of the module, for their qualified uses. An import
 * path `<module>/<rest>` is the folder `<rest>` (go.mod at the context root) or, when there is
 * none, the one folder ending in `/<rest>` (go.mod further down).
 */
function indexImporters(program: Program): Map<GoPackage, Importers> {
  const index = new Map<GoPackage, Importers>();
  const module = program.module;
  if (!module) return index;
  const byRest = new Map<string, GoPackage[]>();
  const importersOfTarget = (target: GoPackage): Importers => {
    let entry = index.get(target);
    if (!entry) index.set(target, (entry = { unfollowed: false, uses: new Map() }));
    return entry;
  };
  for (const scan of program.scans) {
    const aliases = new Map<string, GoPackage>();
    for (const site of scan.imports) {
      const rest = site.path === module ? '' : site.path.startsWith(`${module}/`) ? site.path.slice(module.length + 1) : undefined;
      if (rest === undefined) continue;
      let targets = byRest.get(rest);
      if (!targets) byRest.set(rest, (targets = packagesAt(program, rest)));
      for (const target of targets) {
        const entry = importersOfTarget(target);
        if (targets.length > 1 || site.alias === '.') entry.unfollowed = true;
      }
      const target = targets[0];
      if (targets.length === 1 && target && site.alias !== '_' && site.alias !== '.') aliases.set(site.alias ?? target.name ?? defaultName(site.path), target);
    }
    if (aliases.size === 0) continue;
    const from = program.packages.get(scan.folder) as GoPackage;
    const qualified = /(?<![\w.])([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)/g;
    for (let m = qualified.exec(scan.bare); m; m = qualified.exec(scan.bare)) {
      const target = aliases.get(m[1] as string);
      const name = m[2] as string;
      if (!target || !target.functions.has(name)) continue;
      const uses = importersOfTarget(target).uses;
      if (uses.has(name) && uses.get(name) === undefined) continue;
      const open = skipSpaces(scan.bare, m.index + m[0].length);
      const args = scan.bare[open] === '(' ? splitArgs(scan, open) : undefined;
      if (!args) uses.set(name, undefined);
      else {
        const sites = uses.get(name);
        if (sites) sites.push({ scan, pkg: from, args });
        else uses.set(name, [{ scan, pkg: from, args }]);
      }
    }
  }
  return index;
}

/** The importable packages an import path's `<rest>` can be; a main package cannot be imported. */
function packagesAt(program: Program, rest: string): GoPackage[] {
  const exact = program.packages.get(rest);
  if (exact) return exact.isMain ? [] : [exact];
  if (rest === '') return [];
  return [...program.packages.values()].filter((p) => !p.isMain && p.folder.endsWith(`/${rest}`));
}

/** One pass over the package for the uses of all its function names, so the scan stays linear. */
function indexCallSites(pkg: GoPackage): Map<string, CallSite[] | undefined> {
  const index = new Map<string, CallSite[] | undefined>();
  const word = /(?<![\w.])[A-Za-z_]\w*/g;
  for (const scan of pkg.files) {
    for (let m = word.exec(scan.bare); m; m = word.exec(scan.bare)) {
      const name = m[0];
      if (!pkg.functions.has(name) || (index.has(name) && index.get(name) === undefined)) continue;
      if (/\bfunc\s+$/.test(scan.bare.slice(Math.max(0, m.index - 12), m.index))) continue;
      const open = skipSpaces(scan.bare, m.index + name.length);
      const args = scan.bare[open] === '(' ? splitArgs(scan, open) : undefined;
      if (!args) index.set(name, undefined);
      else {
        const sites = index.get(name);
        if (sites) sites.push({ scan, pkg, args });
        else index.set(name, [{ scan, pkg, args }]);
      }
    }
  }
  return index;
}

function isSpread(scan: FileScan, arg: Range): boolean {
  return scan.bare.slice(arg.start, arg.end).endsWith('...');
}

function combine(parts: ReadonlyArray<string[] | undefined>, join: (values: string[]) => string): string[] | undefined {
  let results: string[][] = [[]];
  for (const values of parts) {
    if (!values) return undefined;
    // One value (the usual case) extends every result in place: a long `a + b + ...` stays linear.
    if (values.length === 1) for (const r of results) r.push(values[0] as string);
    else results = results.flatMap((prefix) => values.map((v) => [...prefix, v]));
    if (results.length > MAX_VALUES) return undefined;
  }
  return unique(results.map(join));
}

function unique(values: string[]): string[] | undefined {
  const set = [...new Set(values)];
  return set.length > MAX_VALUES ? undefined : set;
}

function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  if (literal.startsWith('`')) return body.replace(/\r/g, '');
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, e: string) => {
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * Go's path.Clean, without making relative paths absolute: "./a/../b/" -> "b", "" -> ".". A `${NAME}`
 * segment may stand for several folders, so `..` never removes it.
 */
function cleanPath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      const last = out[out.length - 1];
      if (last !== undefined && last !== '..' && !last.includes('${')) out.pop();
      else if (!absolute || last !== undefined) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** filepath.Join: empty parts are skipped, the result is cleaned, all empty is "". */
function joinPaths(parts: string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : cleanPath(kept.join('/'));
}

function expandEnvMarkers(value: string): string {
  return value.replace(/\$\{?([A-Za-z_]\w*)\}?/g, '${$1}');
}

function parentFolder(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
}

/** Whitespace collapsed, long text cut, for evidence. */
function compact(text: string): string {
  const one = text.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s*,?\s+\)/g, ')').trim();
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}

// ---------------------------------------------------------------------------------------------
// The calls, and what each records.

interface Call {
  readonly scan: FileScan;
  readonly pkg: GoPackage;
  /** Offset of the called name: the evidence line. */
  readonly offset: number;
  readonly callee: string;
  readonly receiver: Receiver;
  readonly name: string;
  readonly args: readonly Range[];
}

/** Where a use is: its file and the offset of its line. */
interface Site {
  readonly scan: FileScan;
  readonly offset: number;
}

/** A composite literal's field: the value expression, undefined when the literal does not set it. */
interface FieldValue extends Site {
  readonly pkg: GoPackage;
  readonly expr: Range | undefined;
  readonly evidence: Evidence;
}

interface Entry<T> {
  readonly value: T;
  readonly order: number;
  readonly offset: number;
  readonly seq: number;
}

interface ViperGroup {
  readonly names: Array<string[] | undefined>;
  readonly paths: Array<{ readonly dirs: string[] | undefined; readonly evidence: Evidence; readonly call: Call }>;
}

type PathList = 'reads' | 'writes';

class AccessScan {
  private readonly lists = {
    reads: [] as Entry<PathUse>[],
    writes: [] as Entry<PathUse>[],
    embeds: [] as Entry<PathUse>[],
    unknownReads: [] as Entry<Evidence>[],
    unknownWrites: [] as Entry<Evidence>[],
    tempFiles: [] as Entry<Evidence>[],
  };
  private seq = 0;
  /** viper's SetConfigName and AddConfigPath calls, per instance (the package one is shared program-wide). */
  private readonly viper = new Map<string, ViperGroup>();
  /** goose's migration folders, read from disk unless goose.SetBaseFS gave it a file system. */
  private readonly gooseDirs: Array<{ readonly call: Call; readonly index: number }> = [];
  private gooseBaseFS = false;

  constructor(private readonly program: Program) {}

  scanFile(scan: FileScan): void {
    this.embeds(scan);
    for (const site of scan.imports) {
      if (site.path === GODOTENV_AUTOLOAD) {
        const evidence = { file: scan.source.path, line: site.line, what: `import _ "${GODOTENV_AUTOLOAD}"` };
        this.push('reads', { path: '.env', directory: false, evidence }, scan, scan.lineStarts[site.line] ?? 0);
      }
    }
    if (scan.imported.size === 0) return;
    const pkg = this.program.packages.get(scan.folder) as GoPackage;
    if (scan.imported.has('lumberjack')) this.fields(scan, pkg, 'lumberjack', 'Logger', 'Filename', (value) => this.fieldPaths('writes', value, false));
    if (scan.imported.has('sqlMigrate')) this.fields(scan, pkg, 'sqlMigrate', 'FileMigrationSource', 'Dir', (value) => this.fieldPaths('reads', value, true));
    if (scan.imported.has('zap')) this.zapOutputPaths(scan, pkg);
    const call = /\.\s*([A-Za-z_]\w*)\s*\(/g;
    for (let m = call.exec(scan.bare); m; m = call.exec(scan.bare)) {
      const name = m[1] as string;
      if (!CALL_NAMES.has(name)) continue;
      const receiver = receiverBefore(scan, m.index);
      const args = splitArgs(scan, m.index + m[0].length - 1);
      if (!receiver || !args) continue;
      this.dispatch({ scan, pkg, offset: m.index + m[0].indexOf(name, 1), callee: `${receiver.text}.${name}`, receiver, name, args });
    }
  }

  result(): FileAccess {
    for (const group of this.viper.values()) this.viperReads(group);
    if (!this.gooseBaseFS) for (const { call, index } of this.gooseDirs) this.paths('reads', call, index, true);
    const sorted = <T>(list: Entry<T>[], key: (v: T) => string): T[] => {
      const seen = new Set<string>();
      return [...list]
        .sort((a, b) => a.order - b.order || a.offset - b.offset || a.seq - b.seq)
        .filter((e) => !seen.has(key(e.value)) && seen.add(key(e.value)) !== undefined)
        .map((e) => e.value);
    };
    const use = (u: PathUse): string => `${u.path}\n${u.directory}`;
    const evidence = (e: Evidence): string => `${e.file}\n${e.line}\n${e.what}`;
    return {
      reads: sorted(this.lists.reads, use),
      writes: sorted(this.lists.writes, use),
      embeds: sorted(this.lists.embeds, use),
      unknownReads: sorted(this.lists.unknownReads, evidence),
      unknownWrites: sorted(this.lists.unknownWrites, evidence),
      tempFiles: sorted(this.lists.tempFiles, evidence),
      // The lexical scan does not look for started programs; the parser-based analysis does.
      execs: [],
    };
  }

  /** An unknown path in a function that never runs is dropped: it cannot happen. */
  private push<T>(list: keyof AccessScan['lists'], value: T, scan: FileScan, offset: number): void {
    if ((list === 'unknownReads' || list === 'unknownWrites') && neverRuns(this.program, scan, offset)) return;
    (this.lists[list] as Entry<T>[]).push({ value, order: scan.order, offset, seq: this.seq++ });
  }

  /** //go:embed lines: line comments only (the code has them blanked), patterns joined onto the folder. */
  private embeds(scan: FileScan): void {
    const directive = /^[ \t]*\/\/go:embed[ \t]+([^\n]*)$/gm;
    for (let m = directive.exec(scan.source.text); m; m = directive.exec(scan.source.text)) {
      if (scan.code[m.index + m[0].indexOf('//')] !== ' ') continue;
      const line = lineOf(scan, m.index);
      const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
      const patterns = (m[1] as string).trim();
      for (let p = pattern.exec(patterns); p; p = pattern.exec(patterns)) {
        const written = p[0];
        const value = (p[3] ?? (p[1] !== undefined ? unquote(`"${p[1]}"`) : p[2]) ?? '').replace(/^all:/, '');
        const path = scan.folder ? `${scan.folder}/${value}` : value;
        this.push('embeds', { path, directory: false, evidence: { file: scan.source.path, line, what: `//go:embed ${written}` } }, scan, m.index + p.index);
      }
    }
  }

  private dispatch(call: Call): void {
    const { scan, receiver, name } = call;
    const pkg = receiver.simple ? scan.packages.get(receiver.bareText) : undefined;
    if (pkg) {
      this.packageCall(pkg, call);
      return;
    }
    if (receiver.simple && scan.otherImports.has(receiver.bareText)) return;
    // Methods on values: template sets, viper instances, routers and contexts.
    const has = (key: PackageKey): boolean => scan.imported.has(key);
    if (has('template') && (name === 'ParseFiles' || name === 'ParseGlob')) this.template(call);
    else if (has('viper') && (name === 'SetConfigFile' || name === 'SetConfigName' || name === 'AddConfigPath')) this.viperCall(call, `${scan.folder}\n${receiver.bareText}`);
    else if (has('gin') && name === 'LoadHTMLGlob') this.paths('reads', call, 0, false);
    else if (has('gin') && name === 'LoadHTMLFiles') this.allArgs('reads', call);
    else if (has('gin') && name === 'StaticFile') this.paths('reads', call, 1, false);
    else if ((has('gin') || has('echo') || has('fiber')) && name === 'Static') this.paths('reads', call, 1, true);
    // gin's and echo's c.File(path), echo's e.File(prefix, path).
    else if ((has('gin') || has('echo')) && name === 'File' && call.args.length <= 2) this.paths('reads', call, call.args.length - 1, false);
    else if (has('fiber') && name === 'SendFile') this.paths('reads', call, 0, false);
    // Uploads: gin's c.SaveUploadedFile(file, dst) (≥1.10 makes dst's folder too), fiber's c.SaveFile(file, path).
    else if (has('gin') && name === 'SaveUploadedFile') this.paths('writes', call, 1, false);
    else if (has('fiber') && name === 'SaveFile') this.paths('writes', call, 1, false);
  }

  private packageCall(pkg: PackageKey, call: Call): void {
    switch (`${pkg}.${call.name}`) {
      case 'os.Open':
      case 'os.ReadFile':
      case 'os.Stat':
      case 'os.Lstat':
      case 'ioutil.ReadFile':
      case 'filepath.Glob':
      case 'template.ParseGlob':
        return this.paths('reads', call, 0, false);
      case 'os.ReadDir':
      case 'os.DirFS':
      case 'ioutil.ReadDir':
      case 'filepath.Walk':
      case 'filepath.WalkDir':
      case 'http.Dir':
      case 'gin.Dir':
        return this.paths('reads', call, 0, true);
      case 'template.ParseFiles':
        return this.allArgs('reads', call);
      case 'http.ServeFile':
        return this.paths('reads', call, 2, false);
      case 'os.OpenFile':
        return this.openFile(call);
      case 'os.Create':
      case 'os.WriteFile':
      case 'ioutil.WriteFile':
      case 'os.Remove':
      case 'os.RemoveAll':
        return this.paths('writes', call, 0, false);
      case 'os.Rename':
        this.paths('writes', call, 0, false);
        return this.paths('writes', call, 1, false);
      case 'os.Mkdir':
      case 'os.MkdirAll':
        return this.paths('writes', call, 0, true);
      case 'os.MkdirTemp':
      case 'os.CreateTemp':
      case 'ioutil.TempDir':
      case 'ioutil.TempFile':
        return this.tempFolder(call);
      case 'godotenv.Load':
      case 'godotenv.Overload':
      case 'godotenv.Read':
        if (call.args.length > 0) return this.allArgs('reads', call);
        return this.push('reads', { path: '.env', directory: false, evidence: this.evidence(call, -1) }, call.scan, call.offset);
      case 'viper.SetConfigFile':
      case 'viper.SetConfigName':
      case 'viper.AddConfigPath':
        return this.viperCall(call, 'viper');
      case 'sql.Open':
      case 'sql.Connect':
      case 'sql.MustConnect':
      case 'sql.MustOpen': {
        const driver = call.args[0] ? evaluate(call.scan, call.args[0], this.state(call)) : undefined;
        if (driver && driver.every((d) => SQLITE_DRIVERS.has(d))) this.database(call, 1, 'sqlite');
        return;
      }
      case 'gormSqlite.Open':
        return this.database(call, 0, 'sqlite');
      case 'bolt.Open':
        return this.database(call, 0, 'file');
      case 'badger.DefaultOptions':
      case 'badger.LSMOnlyOptions':
        return this.database(call, 0, 'folder');
      case 'flag.String':
        return this.flag(call, 0, 1);
      case 'flag.StringVar':
        return this.flag(call, 1, 2);
      case 'zap.Open':
        call.args.forEach((arg, i) => this.zapSinks(call.scan, call.pkg, [arg], this.evidence(call, i), call.offset));
        return;
      case 'golangMigrate.New':
      case 'golangMigrate.NewWithDatabaseInstance':
        return this.migrateSource(call);
      case 'goose.SetBaseFS':
        if (call.args[0] && call.scan.bare.slice(call.args[0].start, call.args[0].end) !== 'nil') this.gooseBaseFS = true;
        return;
      case 'goose.OpenDBWithDriver': {
        const driver = this.value(call, 0);
        if (driver && driver.every((d) => SQLITE_DRIVERS.has(d))) this.database(call, 1, 'sqlite');
        return;
      }
      default: {
        const gooseDir = pkg === 'goose' ? GOOSE_DIR_ARG.get(call.name) : undefined;
        if (gooseDir !== undefined && call.args[gooseDir]) this.gooseDirs.push({ call, index: gooseDir });
        return undefined;
      }
    }
  }

  /**
   * golang-migrate's source URL: `file://migrations` (or `file://./x`, `file:///abs`) reads that
   * folder; another scheme (github://, s3://) reads nothing from disk; a URL whose scheme the scan
   * cannot see (`${MIGRATIONS_URL}`) is unknown.
   */
  private migrateSource(call: Call): void {
    if (!call.args[0]) return;
    const evidence = this.evidence(call, 0);
    for (const url of this.value(call, 0) ?? ['']) {
      if (url.startsWith('file://')) {
        const folder = url.slice('file://'.length).replace(/\?.*$/, '');
        this.record('reads', [folder === '' ? '.' : folder], true, evidence, call);
      } else if (!/^[A-Za-z][\w+.-]*:\/\//.test(url)) this.push('unknownReads', evidence, call.scan, call.offset);
    }
  }

  /**
   * Composite literals `pkg.Type{Key: value}` (or `&pkg.Type{value, …}` with the key first):
   * `onValue` gets the key's value, or undefined when the literal does not set it (it may be set
   * later, so the caller records it as unknown).
   */
  private fields(scan: FileScan, pkg: GoPackage, key: PackageKey, type: string, field: string, onValue: (value: FieldValue) => void): void {
    const { bare, pairs } = scan;
    const literal = /([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)\s*\{/g;
    for (let m = literal.exec(bare); m; m = literal.exec(bare)) {
      if (m[2] !== type || scan.packages.get(m[1] as string) !== key) continue;
      // `func f() *lumberjack.Logger {` is a result type before a body, not a literal.
      let before = m.index - 1;
      while (before >= 0 && (isSpace(bare.charCodeAt(before)) || bare[before] === '*')) before--;
      if (bare[before] === ')') continue;
      const open = m.index + m[0].length - 1;
      const close = pairs[open] as number;
      if (close < 0) continue;
      const items = splitTopLevel(bare, pairs, open + 1, close, 'comma').filter((r) => r.start < r.end);
      const keyed = items.some((r) => /^[A-Za-z_]\w*\s*:/.test(bare.slice(r.start, r.end)));
      const item = keyed ? items.find((r) => new RegExp(`^${field}\\s*:`).test(bare.slice(r.start, r.end))) : items[0];
      const written = `${compact(scan.code.slice(m.index, m.index + m[0].length - 1))}{${field}: `;
      const at = item?.start ?? m.index;
      const site = { scan, pkg, offset: at, evidence: { file: scan.source.path, line: lineOf(scan, at), what: `${written}…}` } };
      if (!item) {
        onValue({ ...site, expr: undefined });
        continue;
      }
      const expr = keyed ? trimRange(bare, bare.indexOf(':', item.start) + 1, item.end) : item;
      onValue({ ...site, expr, evidence: { ...site.evidence, what: `${written}${compact(scan.code.slice(expr.start, expr.end))}}` } });
    }
  }

  private fieldPaths(list: PathList, value: FieldValue, directory: boolean): void {
    const values = value.expr ? evaluate(value.scan, value.expr, this.siteState(value.pkg)) : undefined;
    this.record(list, values, directory, value.evidence, value);
  }

  /**
   * zap's `OutputPaths` and `ErrorOutputPaths`, set in a zap.Config literal or assigned (also by
   * append): each is a file written, except stdout, stderr and URLs of another scheme than file.
   */
  private zapOutputPaths(scan: FileScan, pkg: GoPackage): void {
    const { bare, pairs } = scan;
    const setting = /\b((?:Error)?OutputPaths)\s*(?::(?!=)|=(?!=))/g;
    for (let m = setting.exec(bare); m; m = setting.exec(bare)) {
      // A field: `cfg.OutputPaths =`, or a key of a literal after `{` or `,`.
      let before = m.index - 1;
      while (before >= 0 && isSpace(bare.charCodeAt(before))) before--;
      const assigned = bare[before] === '.';
      if (!assigned && bare[before] !== '{' && bare[before] !== ',') continue;
      const from = m.index + m[0].length;
      const value = splitTopLevel(bare, pairs, from, statementEnd(bare, pairs, from, bare.length), 'comma')[0];
      if (!value || value.start === value.end) continue;
      const setter = assigned ? `${compact(scan.code.slice(statementStart(bare, pairs, m.index), m.index + (m[1] as string).length))} =` : `${m[1]}:`;
      const evidence = { file: scan.source.path, line: lineOf(scan, m.index), what: `${setter} ${compact(scan.code.slice(value.start, value.end))}` };
      this.zapSinks(scan, pkg, this.zapElements(scan, value), evidence, m.index);
    }
  }

  /** The elements of `[]string{…}`, or the added ones of `append(cfg.OutputPaths, …)`; undefined for anything else. */
  private zapElements(scan: FileScan, value: Range): Range[] | undefined {
    const { bare, pairs } = scan;
    const text = bare.slice(value.start, value.end);
    const list = /^\[\]string\s*\{/.exec(text);
    if (list && pairs[value.start + list[0].length - 1] === value.end - 1) {
      return splitTopLevel(bare, pairs, value.start + list[0].length, value.end - 1, 'comma').filter((r) => r.start < r.end);
    }
    const append = /^append\s*\(/.exec(text);
    if (!append || pairs[value.start + append[0].length - 1] !== value.end - 1) return undefined;
    const args = splitArgs(scan, value.start + append[0].length - 1);
    if (!args || !args[0] || args.some((a) => isSpread(scan, a))) return undefined;
    const onto = bare.slice(args[0].start, args[0].end).replace(/\s+/g, '');
    if (/^[A-Za-z_][\w.]*\.(Error)?OutputPaths$/.test(onto)) return args.slice(1);
    const inner = this.zapElements(scan, args[0]);
    return inner && [...inner, ...args.slice(1)];
  }

  private zapSinks(scan: FileScan, pkg: GoPackage, elements: Range[] | undefined, evidence: Evidence, offset: number): void {
    const site = { scan, offset };
    if (!elements) return this.push('unknownWrites', evidence, scan, offset);
    for (const element of elements) {
      const values = evaluate(scan, element, this.siteState(pkg));
      if (!values) {
        this.push('unknownWrites', evidence, scan, offset);
        continue;
      }
      for (const sink of values) {
        if (sink === 'stdout' || sink === 'stderr') continue;
        const scheme = /^([A-Za-z][\w+.-]*):/.exec(sink);
        if (scheme && scheme[1]!.toLowerCase() !== 'file') continue;
        this.record('writes', [scheme ? sink.replace(/^file:(\/\/(localhost)?)?/i, '') : sink], false, evidence, site);
      }
    }
  }

  private state(call: Call): EvalState {
    return this.siteState(call.pkg);
  }

  private siteState(pkg: GoPackage): EvalState {
    return { program: this.program, pkg, paramDepth: 0, depth: 0, visiting: new Set() };
  }

  private value(call: Call, index: number): string[] | undefined {
    const arg = call.args[index];
    return arg && !isSpread(call.scan, arg) ? evaluate(call.scan, arg, this.state(call)) : undefined;
  }

  /** `callee(args up to the path one, …)`, as written. */
  private evidence(call: Call, upTo: number): Evidence {
    const shown = call.args.slice(0, upTo + 1).map((a) => compact(call.scan.code.slice(a.start, a.end)));
    const more = call.args.length > upTo + 1 ? (shown.length > 0 ? ', …' : '…') : '';
    return { file: call.scan.source.path, line: lineOf(call.scan, call.offset), what: `${call.callee}(${shown.join(', ')}${more})` };
  }

  private paths(list: PathList, call: Call, index: number, directory: boolean): void {
    if (!call.args[index]) return;
    this.record(list, this.value(call, index), directory, this.evidence(call, index), call);
  }

  private allArgs(list: PathList, call: Call): void {
    call.args.forEach((_, i) => this.paths(list, call, i, false));
  }

  /** Known paths are recorded (those of /proc, /sys, /dev dropped); unknown or empty ones as unknown. */
  private record(list: PathList, values: string[] | undefined, directory: boolean, evidence: Evidence, site: Site): void {
    const unknown = list === 'reads' ? 'unknownReads' : 'unknownWrites';
    if (!values) return this.push(unknown, evidence, site.scan, site.offset);
    for (const value of values) {
      if (value === '') this.push(unknown, evidence, site.scan, site.offset);
      else {
        const path = cleanPath(value);
        if (!NOT_A_FILE.test(path)) this.push(list, { path, directory, evidence }, site.scan, site.offset);
      }
    }
  }

  /** os.OpenFile reads, writes or both by its flags; flags the scan cannot see mean both. */
  private openFile(call: Call): void {
    const flagsArg = call.args[1];
    let flags = flagsArg ? call.scan.bare.slice(flagsArg.start, flagsArg.end) : '';
    if (IDENT.test(flags)) {
      const only = call.pkg.bindings.get(flags)?.all.filter((b) => b.kind !== 'zero');
      if (only?.length === 1 && only[0]!.expr) flags = only[0]!.scan.bare.slice(only[0]!.expr.start, only[0]!.expr.end);
    }
    const visible = /\bO_[A-Z]+\b/.test(flags) || flags.trim() === '0';
    const writes = /\bO_(WRONLY|RDWR|CREATE|APPEND|TRUNC)\b/.test(flags);
    const reads = /\bO_(RDONLY|RDWR)\b/.test(flags) || !writes;
    if (reads || !visible) this.paths('reads', call, 0, false);
    if (writes || !visible) this.paths('writes', call, 0, false);
  }

  /** MkdirTemp/CreateTemp/TempDir/TempFile: "" (or os.TempDir()) is the system temp folder, else a folder written. */
  private tempFolder(call: Call): void {
    const arg = call.args[0];
    if (!arg) return;
    const evidence = this.evidence(call, 0);
    const written = call.scan.bare.slice(arg.start, arg.end).replace(/\s+/g, '');
    const os = /^([A-Za-z_]\w*)\.TempDir\(\)$/.exec(written);
    if (os && call.scan.packages.get(os[1] as string) === 'os') return this.push('tempFiles', evidence, call.scan, call.offset);
    const values = this.value(call, 0);
    if (!values) return this.push('unknownWrites', evidence, call.scan, call.offset);
    for (const value of values) {
      if (value === '') this.push('tempFiles', evidence, call.scan, call.offset);
      else this.record('writes', [value], true, evidence, call);
    }
  }

  /**
   * A database is read and written, and its folder written (journals, lock files). sqlite DSNs lose
   * `file:` and `?query`; in-memory ones are nothing, `mode=ro` only reads. badger's path is a folder.
   */
  private database(call: Call, index: number, kind: 'sqlite' | 'file' | 'folder'): void {
    if (!call.args[index]) return;
    const evidence = this.evidence(call, index);
    const values = this.value(call, index);
    if (!values) {
      this.push('unknownReads', evidence, call.scan, call.offset);
      this.push('unknownWrites', evidence, call.scan, call.offset);
      return;
    }
    for (const value of values) {
      let path = value;
      let readOnly = false;
      if (kind === 'sqlite') {
        if (path.startsWith('file:')) path = path.slice(5);
        const q = path.indexOf('?');
        const query = q < 0 ? '' : path.slice(q + 1);
        if (q >= 0) path = path.slice(0, q);
        if (path === ':memory:' || /(^|&)mode=memory(&|$)/.test(query)) continue;
        if (path === '' && q >= 0) continue;
        readOnly = /(^|&)(mode=ro|immutable=1)(&|$)/.test(query);
      }
      const directory = kind === 'folder';
      this.record('reads', [path], directory, evidence, call);
      if (readOnly) continue;
      this.record('writes', [path], directory, evidence, call);
      if (!directory && path !== '') this.record('writes', [parentFolder(cleanPath(path))], true, evidence, call);
    }
  }

  /** A string flag whose default names a file or folder is a read of that default. */
  private flag(call: Call, nameIndex: number, defaultIndex: number): void {
    if (!call.args[defaultIndex]) return;
    const names = this.value(call, nameIndex);
    const name = names?.length === 1 ? (names[0] as string) : '';
    const words = name.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/).map((w) => w.toLowerCase());
    const namesPath = /config|file|path|dir|template|static/i.test(name) || words.includes('db');
    const evidence = this.evidence(call, defaultIndex);
    const defaults = this.value(call, defaultIndex);
    if (!defaults) {
      if (namesPath) this.push('unknownReads', evidence, call.scan, call.offset);
      return;
    }
    for (const value of defaults) {
      if (value === '' || value.includes(':')) continue; // no default, or an address, URL or DSN
      if (!value.includes('/') && !DATA_EXTENSION.test(value) && !namesPath) continue;
      const last = value.slice(value.lastIndexOf('/') + 1);
      const directory =
        !/file/i.test(name) &&
        (/dir|folder/i.test(name) || value.endsWith('/') || (/static|root|templates/i.test(name) && !/\.\w+$|[*?[]/.test(last)));
      this.record('reads', [value], directory, evidence, call);
    }
  }

  private viperCall(call: Call, instance: string): void {
    if (call.name === 'SetConfigFile') return this.paths('reads', call, 0, false);
    let group = this.viper.get(instance);
    if (!group) this.viper.set(instance, (group = { names: [], paths: [] }));
    if (call.name === 'SetConfigName') group.names.push(this.value(call, 0));
    // viper expands `$HOME` and environment variables in config paths.
    else group.paths.push({ dirs: this.value(call, 0)?.map(expandEnvMarkers), evidence: this.evidence(call, 0), call });
  }

  /**
   * viper reads `<dir>/<name>.<ext>` for each AddConfigPath; the name is "config" until
   * SetConfigName, and an unknown name leaves only the folder.
   */
  private viperReads(group: ViperGroup): void {
    const names = group.names.length > 0 ? group.names : [['config']];
    for (const { dirs, evidence, call } of group.paths) {
      if (!dirs) {
        this.push('unknownReads', evidence, call.scan, call.offset);
        continue;
      }
      for (const dir of dirs) {
        for (const name of names) {
          if (!name) this.record('reads', [dir || '.'], true, evidence, call);
          else this.record('reads', name.map((n) => `${dir || '.'}/${n}.*`), false, evidence, call);
        }
      }
    }
  }

  private template(call: Call): void {
    if (call.name === 'ParseGlob') this.paths('reads', call, 0, false);
    else this.allArgs('reads', call);
  }
}
