// What a Go program reads and writes at run time, learned from its syntax trees: paths passed to
// the os, io/ioutil, template, net/http, gin/echo/fiber, godotenv, viper, database, migration,
// logging and flag APIs, resolved through the program by values.ts; //go:embed patterns; the
// programs it starts; and every call whose path cannot be resolved, recorded as unknown with its
// line and never guessed. Pure: it is handed parsed files.
import type { Node } from './parser';
import { argumentsOf, listItems, Program, type GoPackage } from './program';
import { parseSources, unquote, walk, type Evidence, type GoFile, type SourceFile } from './source';
import { cleanPath, evalContext, evaluate, expandEnvMarkers, globValue, hasVariable, importedMember, isPattern, knownPrefix, parentFolder, plainValue, type EvalContext } from './values';

export interface PathUse {
  /**
   * The path as the program names it, after constants and Join are resolved: relative paths are
   * relative to the process's working directory ("templates/*.html", ".env", "data"), absolute
   * ones as written. It is a value of values.ts's language: glob patterns keep their `*?[`, a
   * name chosen at run time is `*`, a part read from the environment is written `${NAME}`
   * (filepath.Join(os.Getenv("DATA_DIR"), "x.db") -> "${DATA_DIR}/x.db"), and a literal `\`, `$`,
   * `*`, `?` or `[` of a path stands behind a `\` ("prices/\$list.txt").
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

type PackageKey =
  | 'os' | 'ioutil' | 'filepath' | 'path' | 'template' | 'http' | 'gin' | 'echo' | 'fiber'
  | 'godotenv' | 'viper' | 'sql' | 'gormSqlite' | 'bolt' | 'badger' | 'flag' | 'fmt'
  | 'lumberjack' | 'zap' | 'golangMigrate' | 'goose' | 'sqlMigrate' | 'exec' | 'syscall';

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
  ['os/exec', { key: 'exec', names: ['exec'] }],
  ['syscall', { key: 'syscall', names: ['syscall'] }],
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
  'Command', 'CommandContext', 'StartProcess', 'Exec', 'LookPath',
  ...GOOSE_DIR_ARG.keys(),
]);

const SQLITE_DRIVERS = new Set(['sqlite3', 'sqlite']);
/** Extensions of data and configuration files: a flag default ending in one names a file. */
const DATA_EXTENSION = /\.(ya?ml|json|toml|ini|conf|env|db|sqlite3?|html|tmpl|sql|pem|crt|key|txt|csv)$/i;
/** Paths that are not files of the image. */
const NOT_A_FILE = /^\/(proc|sys|dev)(\/|$)/;

/**
 * Reads, writes, embeds, temp files and started programs of the program whose sources are
 * `files` (files `go build` leaves out for linux/amd64 say nothing). The Go parser must be loaded.
 */
export function analyzeFileAccess(files: readonly SourceFile[], options: FileAccessOptions = {}): FileAccess {
  const parsed = parseSources(files);
  try {
    return analyzeParsedFileAccess(parsed.files, options);
  } finally {
    parsed.dispose();
  }
}

/** The access of already parsed files (analyzeGoSources parses once for every question). */
export function analyzeParsedFileAccess(files: readonly GoFile[], options: FileAccessOptions = {}): FileAccess {
  return programFileAccess(new Program(files, options.module, !options.truncated));
}

/** The access of a program whose names are already resolved (analyzeGoSources resolves them once). */
export function programFileAccess(program: Program): FileAccess {
  const access = new AccessScan(program);
  for (const file of program.files) access.scanFile(file);
  return access.result();
}

// ---------------------------------------------------------------------------------------------
// The calls, and what each records.

interface Receiver {
  readonly node: Node;
  /** As written, whitespace collapsed. */
  readonly text: string;
  readonly simple: boolean;
}

interface Call {
  readonly file: GoFile;
  readonly pkg: GoPackage;
  readonly node: Node;
  /** The called name: its line is the evidence line. */
  readonly nameNode: Node;
  /** As written before the arguments: `os.ReadFile`, `t.ParseGlob`, `read`. */
  readonly callee: string;
  readonly receiver: Receiver | undefined;
  readonly name: string;
  readonly args: readonly Node[];
}

/** Where a use is: its file and node. */
interface Site {
  readonly file: GoFile;
  readonly node: Node;
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

/** Local import names of a file that stand for the packages the analysis knows. */
function knownNames(file: GoFile): { packages: Map<string, PackageKey>; imported: Set<PackageKey>; other: Set<string> } {
  const packages = new Map<string, PackageKey>();
  const imported = new Set<PackageKey>();
  const other = new Set<string>();
  for (const site of file.imports) {
    const known = knownPackage(site.path);
    if (site.alias === '_' || site.alias === '.') {
      if (known) imported.add(known.key);
      continue;
    }
    if (known) {
      imported.add(known.key);
      for (const name of site.alias ? [site.alias] : known.names) packages.set(name, known.key);
    }
  }
  for (const [name, path] of file.importNames) if (!knownPackage(path)) other.add(name);
  return { packages, imported, other };
}

/** The nodes the scan looks at: calls, literals (lumberjack, sql-migrate) and zap's OutputPaths settings. */
const SCANNED = new Set(['call_expression', 'composite_literal']);
/** Statements after which the rest of a block does not run. */
const EXITS = new Set(['return_statement', 'continue_statement', 'break_statement']);
const SCANNED_WITH_ZAP = new Set([...SCANNED, 'keyed_element', 'assignment_statement']);

class AccessScan {
  private readonly lists = {
    reads: [] as Entry<PathUse>[],
    writes: [] as Entry<PathUse>[],
    embeds: [] as Entry<PathUse>[],
    unknownReads: [] as Entry<UnknownUse>[],
    unknownWrites: [] as Entry<UnknownUse>[],
    tempFiles: [] as Entry<Evidence>[],
    execs: [] as Entry<ProgramStart>[],
  };
  private seq = 0;
  /** viper's SetConfigName and AddConfigPath calls, per instance (the package one is shared program-wide). */
  private readonly viper = new Map<string, ViperGroup>();
  /** goose's migration folders, read from disk unless goose.SetBaseFS gave it a file system. */
  private readonly gooseDirs: Array<{ readonly call: Call; readonly index: number }> = [];
  private gooseBaseFS = false;
  private names!: ReturnType<typeof knownNames>;

  constructor(private readonly program: Program) {}

  /** Each value gets its own step budget. */
  private get ctx(): EvalContext {
    return evalContext(this.program);
  }

  scanFile(file: GoFile): void {
    this.embeds(file);
    for (const site of file.imports) {
      if (site.path === GODOTENV_AUTOLOAD) {
        const evidence = { file: file.source.path, line: site.line, what: `import _ "${GODOTENV_AUTOLOAD}"` };
        this.push('reads', { path: '.env', directory: false, evidence }, file, file.root, site.line);
      }
    }
    this.names = knownNames(file);
    if (this.names.imported.size === 0) return;
    const pkg = this.program.packageOf(file);
    const imported = this.names.imported;
    walk(file.root, imported.has('zap') ? SCANNED_WITH_ZAP : SCANNED, (node) => {
      if (node.type === 'call_expression') this.call(file, pkg, node);
      else if (node.type === 'composite_literal') {
        if (imported.has('lumberjack')) this.fields(file, node, 'lumberjack', 'Logger', 'Filename', 'writes', false);
        if (imported.has('sqlMigrate')) this.fields(file, node, 'sqlMigrate', 'FileMigrationSource', 'Dir', 'reads', true);
      } else if (imported.has('zap') && (node.type === 'keyed_element' || node.type === 'assignment_statement')) this.zapOutputPaths(file, node);
      return true;
    });
  }

  private call(file: GoFile, pkg: GoPackage, node: Node): void {
    const fn = node.childForFieldName('function');
    if (!fn) return;
    if (fn.type === 'selector_expression') {
      const field = fn.childForFieldName('field');
      if (!field || !CALL_NAMES.has(field.text)) return;
      const operand = fn.childForFieldName('operand');
      if (!operand) return;
      const args = argumentsOf(node);
      const simple = operand.type === 'identifier';
      const receiver = { node: operand, text: compact(operand.text), simple };
      const call: Call = { file, pkg, node, nameNode: field, callee: `${receiver.text}.${field.text}`, receiver, name: field.text, args };
      const isVariable = simple && this.program.isVariable(file, operand);
      const key = simple && !isVariable ? this.names.packages.get(operand.text) : undefined;
      if (key) return this.packageCall(key, call);
      if (simple && !isVariable && this.names.other.has(operand.text)) return;
      return this.dispatch(call);
    }
    if (fn.type !== 'identifier') return;
    // A dot-imported function, or a variable holding one (`read := os.ReadFile; read("x")`).
    const member = importedMember(this.program, file, fn);
    const known = member && knownPackage(member.importPath);
    if (!member || !known || !CALL_NAMES.has(member.name)) return;
    this.packageCall(known.key, { file, pkg, node, nameNode: fn, callee: fn.text, receiver: undefined, name: member.name, args: argumentsOf(node) });
  }

  result(): FileAccess {
    for (const group of this.viper.values()) this.viperReads(group);
    if (!this.gooseBaseFS) for (const { call, index } of this.gooseDirs) this.paths('reads', call, index, true);
    const sorted = <T>(list: Entry<T>[], key: (v: T) => string, merge?: (kept: T, again: T) => T): T[] => {
      const kept = new Map<string, T>();
      for (const e of [...list].sort((a, b) => a.order - b.order || a.offset - b.offset || a.seq - b.seq)) {
        const k = key(e.value);
        const first = kept.get(k);
        if (first === undefined) kept.set(k, e.value);
        else if (merge) kept.set(k, merge(first, e.value));
      }
      return [...kept.values()];
    };
    const use = (u: PathUse): string => `${u.path}\n${u.directory}`;
    // A path used whether or not a variable is set is not only used when it is set.
    const unguarded = (kept: PathUse, again: PathUse): PathUse => {
      if (kept.onlyWhenSet === undefined || kept.onlyWhenSet === again.onlyWhenSet) return kept;
      const { onlyWhenSet: _, ...always } = kept;
      return always;
    };
    const evidence = (e: Evidence): string => `${e.file}\n${e.line}\n${e.what}`;
    return {
      reads: sorted(this.lists.reads, use, unguarded),
      writes: sorted(this.lists.writes, use, unguarded),
      embeds: sorted(this.lists.embeds, use),
      unknownReads: sorted(this.lists.unknownReads, evidence),
      unknownWrites: sorted(this.lists.unknownWrites, evidence),
      tempFiles: sorted(this.lists.tempFiles, evidence),
      execs: sorted(this.lists.execs, (p) => `${evidence(p.evidence)}\n${p.programs?.join('\n')}`),
    };
  }

  /** An unknown path (or program) in a function that never runs is dropped: it cannot happen. */
  private push<T>(list: keyof AccessScan['lists'], value: T, file: GoFile, node: Node, offset = node.startIndex): void {
    const unknown = list === 'unknownReads' || list === 'unknownWrites' || (list === 'execs' && (value as ProgramStart).programs === undefined);
    if (unknown && this.program.neverRuns(file, node)) return;
    (this.lists[list] as Entry<T>[]).push({ value, order: file.order, offset, seq: this.seq++ });
  }

  /** //go:embed lines, patterns joined onto the folder. */
  private embeds(file: GoFile): void {
    for (const directive of file.directives) {
      const m = /^\/\/go:embed[ \t]+(.*)$/.exec(directive.text);
      if (!m) continue;
      const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
      const patterns = (m[1] as string).trim();
      for (let p = pattern.exec(patterns); p; p = pattern.exec(patterns)) {
        const written = p[0];
        const value = (p[3] ?? (p[1] !== undefined ? unquote(`"${p[1]}"`) : p[2]) ?? '').replace(/^all:/, '');
        const path = file.folder ? `${file.folder}/${value}` : value;
        const evidence = { file: file.source.path, line: directive.line, what: `//go:embed ${written}` };
        (this.lists.embeds as Entry<PathUse>[]).push({ value: { path, directory: false, evidence }, order: file.order, offset: directive.line * 1e6 + p.index, seq: this.seq++ });
      }
    }
  }

  private dispatch(call: Call): void {
    const { name } = call;
    // Methods on values: template sets, viper instances, routers and contexts.
    const has = (key: PackageKey): boolean => this.names.imported.has(key);
    if (has('template') && (name === 'ParseFiles' || name === 'ParseGlob')) this.template(call);
    else if (has('viper') && (name === 'SetConfigFile' || name === 'SetConfigName' || name === 'AddConfigPath')) this.viperCall(call, `${call.file.folder}\n${call.receiver?.text.replace(/\s+/g, '')}`);
    else if (has('gin') && name === 'LoadHTMLGlob') this.paths('reads', call, 0, false, true);
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
        return this.paths('reads', call, 0, false);
      case 'filepath.Glob':
      case 'template.ParseGlob':
        return this.paths('reads', call, 0, false, true);
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
        return this.push('reads', { path: '.env', directory: false, evidence: this.evidence(call, -1) }, call.file, call.nameNode);
      case 'viper.SetConfigFile':
      case 'viper.SetConfigName':
      case 'viper.AddConfigPath':
        return this.viperCall(call, 'viper');
      case 'sql.Open':
      case 'sql.Connect':
      case 'sql.MustConnect':
      case 'sql.MustOpen': {
        const driver = this.value(call, 0);
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
        call.args.forEach((arg, i) => this.zapSinks(call.file, [arg], this.evidence(call, i), call.nameNode));
        return;
      case 'golangMigrate.New':
      case 'golangMigrate.NewWithDatabaseInstance':
        return this.migrateSource(call);
      case 'goose.SetBaseFS':
        if (call.args[0] && call.args[0].text !== 'nil') this.gooseBaseFS = true;
        return;
      case 'goose.OpenDBWithDriver': {
        const driver = this.value(call, 0);
        if (driver && driver.every((d) => SQLITE_DRIVERS.has(d))) this.database(call, 1, 'sqlite');
        return;
      }
      case 'exec.Command':
      case 'exec.LookPath':
      case 'os.StartProcess':
      case 'syscall.Exec':
        return this.exec(call, 0);
      case 'exec.CommandContext':
        return this.exec(call, 1);
      default: {
        const gooseDir = pkg === 'goose' ? GOOSE_DIR_ARG.get(call.name) : undefined;
        if (gooseDir !== undefined && call.args[gooseDir]) this.gooseDirs.push({ call, index: gooseDir });
        return undefined;
      }
    }
  }

  /**
   * A program started (or looked up in PATH, which it must be in to start): every literal it can
   * be, or undefined when any value is not a literal (the environment, a request, a run-time name).
   */
  private exec(call: Call, index: number): void {
    if (!call.args[index]) return;
    const values = this.value(call, index);
    const literal = values?.every((v) => v !== '' && !hasVariable(v) && !isPattern(v));
    this.push('execs', { programs: literal ? values?.map(plainValue) : undefined, evidence: this.evidence(call, index) }, call.file, call.nameNode);
  }

  /**
   * golang-migrate's source URL: `file://migrations` (or `file://./x`, `file:///abs`) reads that
   * folder; another scheme (github://, s3://) reads nothing from disk; a URL whose scheme the
   * analysis cannot see (`${MIGRATIONS_URL}`) is unknown.
   */
  private migrateSource(call: Call): void {
    if (!call.args[0]) return;
    const evidence = this.evidence(call, 0);
    for (const url of this.value(call, 0) ?? ['']) {
      if (url.startsWith('file://')) {
        const folder = url.slice('file://'.length).replace(/\?.*$/, '');
        this.record('reads', [folder === '' ? '.' : folder], true, evidence, { file: call.file, node: call.nameNode });
      } else if (!/^[A-Za-z][\w+.-]*:\/\//.test(url)) this.push('unknownReads', evidence, call.file, call.nameNode);
    }
  }

  /**
   * Composite literals `pkg.Type{Key: value}` (or `&pkg.Type{value, …}` with the key first): the
   * key's value, or unknown when the literal does not set it (it may be set later).
   */
  private fields(file: GoFile, literal: Node, key: PackageKey, type: string, field: string, list: PathList, directory: boolean): void {
    const typeNode = literal.childForFieldName('type');
    if (typeNode?.type !== 'qualified_type') return;
    const alias = typeNode.childForFieldName('package')?.text ?? '';
    if (typeNode.childForFieldName('name')?.text !== type || this.names.packages.get(alias) !== key) return;
    const items = (literal.childForFieldName('body')?.namedChildren ?? []).filter((c) => c !== null && c.type !== 'comment') as Node[];
    const keyed = items.some((i) => i.type === 'keyed_element');
    const item = keyed ? items.find((i) => i.type === 'keyed_element' && i.namedChildren[0]?.text === field) : items[0];
    const written = `${compact(typeNode.text)}{${field}: `;
    const at = item ?? literal;
    const evidence = { file: file.source.path, line: at.startPosition.row, what: `${written}…}` };
    const site = { file, node: at };
    if (!item) return this.record(list, undefined, directory, evidence, site);
    const valueNode = keyed ? item.namedChildren[1] : item;
    const expr = valueNode?.type === 'literal_element' ? valueNode.namedChildren[0] : valueNode;
    if (!expr) return;
    this.record(list, evaluate(file, expr, this.ctx), directory, { ...evidence, what: `${written}${compact(expr.text)}}` }, site, expr);
  }

  /**
   * zap's `OutputPaths` and `ErrorOutputPaths`, set in a literal or assigned (also by append): each
   * is a file written, except stdout, stderr and URLs of another scheme than file.
   */
  private zapOutputPaths(file: GoFile, node: Node): void {
    if (node.type === 'keyed_element') {
      const [key, value] = node.namedChildren;
      const name = key?.text ?? '';
      if (name !== 'OutputPaths' && name !== 'ErrorOutputPaths') return;
      const expr = value?.type === 'literal_element' ? value.namedChildren[0] : value;
      if (!expr) return;
      const evidence = { file: file.source.path, line: node.startPosition.row, what: `${name}: ${compact(expr.text)}` };
      return this.zapSinks(file, this.zapElements(file, expr), evidence, node);
    }
    const left = listItems(node.childForFieldName('left'));
    const right = listItems(node.childForFieldName('right'));
    left.forEach((target, k) => {
      const field = target.type === 'selector_expression' ? target.childForFieldName('field')?.text : undefined;
      const value = right[k];
      if ((field !== 'OutputPaths' && field !== 'ErrorOutputPaths') || !value) return;
      const evidence = { file: file.source.path, line: target.startPosition.row, what: `${compact(target.text)} = ${compact(value.text)}` };
      this.zapSinks(file, this.zapElements(file, value), evidence, target);
    });
  }

  /** The elements of `[]string{…}`, or the added ones of `append(cfg.OutputPaths, …)`; undefined for anything else. */
  private zapElements(file: GoFile, value: Node): Node[] | undefined {
    if (value.type === 'composite_literal' && value.childForFieldName('type')?.type === 'slice_type') {
      return ((value.childForFieldName('body')?.namedChildren ?? []).filter((c) => c !== null && c.type !== 'comment') as Node[]).map((e) =>
        e.type === 'literal_element' && e.namedChildren[0] ? e.namedChildren[0] : e,
      );
    }
    if (value.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'append') return undefined;
    const args = argumentsOf(value);
    const onto = args[0];
    if (!onto || args.some((a) => a.type === 'variadic_argument')) return undefined;
    if (onto.type === 'selector_expression' && /OutputPaths$/.test(onto.childForFieldName('field')?.text ?? '')) return args.slice(1);
    const inner = this.zapElements(file, onto);
    return inner && [...inner, ...args.slice(1)];
  }

  private zapSinks(file: GoFile, elements: Node[] | undefined, evidence: Evidence, node: Node): void {
    const site = { file, node };
    if (!elements) return this.push('unknownWrites', evidence, file, node);
    for (const element of elements) {
      const values = evaluate(file, element, this.ctx);
      if (!values) {
        this.push('unknownWrites', evidence, file, node);
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

  private value(call: Call, index: number): string[] | undefined {
    const arg = call.args[index];
    return arg && arg.type !== 'variadic_argument' ? evaluate(call.file, arg, this.ctx) : undefined;
  }

  /** `callee(args up to the path one, …)`, as written. */
  private evidence(call: Call, upTo: number): Evidence {
    const shown = call.args.slice(0, upTo + 1).map((a) => compact(a.text));
    const more = call.args.length > upTo + 1 ? (shown.length > 0 ? ', …' : '…') : '';
    return { file: call.file.source.path, line: call.nameNode.startPosition.row, what: `${call.callee}(${shown.join(', ')}${more})` };
  }

  /** The path argument at `index` of the call; `glob` when the call takes a pattern (filepath.Glob). */
  private paths(list: PathList, call: Call, index: number, directory: boolean, glob = false): void {
    const arg = call.args[index];
    if (!arg) return;
    const values = this.value(call, index);
    this.record(list, glob ? values?.map(globValue) : values, directory, this.evidence(call, index), { file: call.file, node: call.nameNode }, arg);
  }

  private allArgs(list: PathList, call: Call): void {
    call.args.forEach((_, i) => this.paths(list, call, i, false));
  }

  /**
   * Known paths are recorded (those of /proc, /sys, /dev dropped), each with the variable it is
   * used only when set; unknown or empty ones as unknown, with the folder they start in when known.
   */
  private record(list: PathList, values: string[] | undefined, directory: boolean, evidence: Evidence, site: Site, expr?: Node): void {
    const unknown = list === 'reads' ? 'unknownReads' : 'unknownWrites';
    const unknownUse = (): UnknownUse => {
      const prefix = expr ? knownPrefix(site.file, expr, this.ctx) : undefined;
      return prefix ? { ...evidence, prefix } : evidence;
    };
    if (!values) return this.push(unknown, unknownUse(), site.file, site.node);
    const guards = values.some((v) => v.includes('${')) ? this.guards(site.file, site.node) : [];
    for (const value of values) {
      if (value === '') this.push(unknown, unknownUse(), site.file, site.node);
      else {
        const path = cleanPath(value);
        if (NOT_A_FILE.test(path)) continue;
        const guard = guards.find((name) => value.includes(`\${${name}}`));
        this.push(list, guard ? { path, directory, evidence, onlyWhenSet: guard } : { path, directory, evidence }, site.file, site.node);
      }
    }
  }

  /**
   * The environment variables that must be set for `node` to run: it is in the `then` block of
   * `if p != ""` (or `len(p) > 0`, or `ok` from os.LookupEnv), in the `else` block of the opposite
   * test, or after `if p == "" { return }` (continue, break) in its block; p being os.Getenv("NAME").
   */
  private guards(file: GoFile, node: Node): string[] {
    const names: string[] = [];
    for (let n: Node | null = node; n?.parent; n = n.parent) {
      const parent: Node = n.parent;
      if (parent.type === 'function_declaration' || parent.type === 'method_declaration' || parent.type === 'func_literal') break;
      if (parent.type === 'if_statement') {
        const condition = parent.childForFieldName('condition');
        if (condition && parent.childForFieldName('consequence')?.id === n.id) names.push(...this.setWhen(file, condition, true));
        if (condition && parent.childForFieldName('alternative')?.id === n.id) names.push(...this.setWhen(file, condition, false));
      }
      if (parent.type === 'statement_list' || parent.type === 'block') {
        for (let before = n.previousNamedSibling; before; before = before.previousNamedSibling) {
          if (before.type !== 'if_statement' || before.childForFieldName('alternative')) continue;
          // The block's last statement (inside its statement_list) leaves it.
          const last = before.childForFieldName('consequence')?.lastNamedChild;
          const leaves = last && (EXITS.has(last.type) || (last.type === 'statement_list' && EXITS.has(last.lastNamedChild?.type ?? '')));
          const condition = before.childForFieldName('condition');
          if (leaves && condition) names.push(...this.setWhen(file, condition, false));
        }
      }
    }
    return names;
  }

  /** The environment variables that are set whenever `condition` is `outcome`. */
  private setWhen(file: GoFile, condition: Node, outcome: boolean): string[] {
    if (condition.type === 'parenthesized_expression' && condition.namedChildren[0]) return this.setWhen(file, condition.namedChildren[0], outcome);
    if (condition.type === 'unary_expression' && condition.childForFieldName('operator')?.text === '!') {
      const operand = condition.childForFieldName('operand');
      return operand ? this.setWhen(file, operand, !outcome) : [];
    }
    if (condition.type === 'identifier') {
      if (!outcome) return [];
      const use = this.program.resolve(file, condition);
      const defs = use ? this.program.reaching(use) : [];
      const first = defs[0];
      return first?.kind === 'envSet' && defs.every((d) => d.kind === 'envSet' && d.name === first.name) ? [first.name] : [];
    }
    if (condition.type !== 'binary_expression') return [];
    const operator = condition.childForFieldName('operator')?.text;
    const left = condition.childForFieldName('left');
    const right = condition.childForFieldName('right');
    if (!left || !right) return [];
    // a && b true: both hold; a || b false: neither holds.
    if ((operator === '&&' && outcome) || (operator === '||' && !outcome)) return [...this.setWhen(file, left, outcome), ...this.setWhen(file, right, outcome)];
    const emptyString = (n: Node): boolean => n.text === '""' || n.text === '``';
    const isLen = (n: Node): boolean => n.type === 'call_expression' && n.childForFieldName('function')?.text === 'len';
    let subject: Node | undefined;
    let setWhenTrue: boolean | undefined;
    if ((operator === '!=' || operator === '==') && (emptyString(right) || emptyString(left))) {
      subject = emptyString(right) ? left : right;
      setWhenTrue = operator === '!=';
    } else if (isLen(left) && right.text === '0' && (operator === '>' || operator === '!=' || operator === '==')) {
      subject = argumentsOf(left)[0];
      setWhenTrue = operator !== '==';
    }
    if (!subject || setWhenTrue !== outcome) return [];
    const values = evaluate(file, subject, this.ctx);
    const env = values?.length === 1 ? /^\$\{(\w+)\}$/.exec(values[0] as string) : null;
    return env ? [env[1] as string] : [];
  }

  /** os.OpenFile reads, writes or both by its flags; flags the analysis cannot see mean both. */
  private openFile(call: Call): void {
    const flagsArg = call.args[1];
    let flags = flagsArg?.text ?? '';
    if (flagsArg?.type === 'identifier') {
      const use = this.program.resolve(call.file, flagsArg);
      const defs = use ? this.program.reaching(use) : [];
      if (defs.length === 1 && defs[0]!.kind === 'value') flags = defs[0]!.expr.text;
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
    const site = { file: call.file, node: call.nameNode };
    const fn = arg.type === 'call_expression' ? arg.childForFieldName('function') : null;
    const member = fn ? importedMember(this.program, call.file, fn) : undefined;
    if (member?.importPath === 'os' && member.name === 'TempDir') return this.push('tempFiles', evidence, call.file, call.nameNode);
    const values = this.value(call, 0);
    if (!values) return this.push('unknownWrites', evidence, call.file, call.nameNode);
    for (const value of values) {
      if (value === '') this.push('tempFiles', evidence, call.file, call.nameNode);
      else this.record('writes', [value], true, evidence, site);
    }
  }

  /**
   * A database is read and written, and its folder written (journals, lock files). sqlite DSNs lose
   * `file:` and `?query`; in-memory ones are nothing, `mode=ro` only reads. badger's path is a folder.
   */
  private database(call: Call, index: number, kind: 'sqlite' | 'file' | 'folder'): void {
    if (!call.args[index]) return;
    const evidence = this.evidence(call, index);
    const site = { file: call.file, node: call.nameNode };
    const values = this.value(call, index);
    if (!values) {
      this.push('unknownReads', evidence, call.file, call.nameNode);
      this.push('unknownWrites', evidence, call.file, call.nameNode);
      return;
    }
    for (const value of values) {
      let path = value;
      let readOnly = false;
      if (kind === 'sqlite') {
        if (path.startsWith('file:')) path = path.slice(5);
        // The DSN's own `?` is a literal one, so behind a `\` in the value.
        const q = path.indexOf('\\?');
        const query = q < 0 ? '' : plainValue(path.slice(q + 2));
        if (q >= 0) path = path.slice(0, q);
        if (path === ':memory:' || /(^|&)mode=memory(&|$)/.test(query)) continue;
        if (path === '' && q >= 0) continue;
        readOnly = /(^|&)(mode=ro|immutable=1)(&|$)/.test(query);
      }
      const directory = kind === 'folder';
      this.record('reads', [path], directory, evidence, site);
      if (readOnly) continue;
      this.record('writes', [path], directory, evidence, site);
      if (!directory && path !== '') this.record('writes', [parentFolder(cleanPath(path))], true, evidence, site);
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
    const site = { file: call.file, node: call.nameNode };
    const defaults = this.value(call, defaultIndex);
    if (!defaults) {
      if (namesPath) this.push('unknownReads', evidence, call.file, call.nameNode);
      return;
    }
    for (const value of defaults) {
      if (value === '' || value.includes(':')) continue; // no default, or an address, URL or DSN
      if (!value.includes('/') && !DATA_EXTENSION.test(value) && !namesPath) continue;
      const last = value.slice(value.lastIndexOf('/') + 1);
      const directory =
        !/file/i.test(name) &&
        (/dir|folder/i.test(name) || value.endsWith('/') || (/static|root|templates/i.test(name) && !/\.\w+$/.test(last) && !isPattern(last)));
      this.record('reads', [value], directory, evidence, site);
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
      const site = { file: call.file, node: call.nameNode };
      if (!dirs) {
        this.push('unknownReads', evidence, call.file, call.nameNode);
        continue;
      }
      for (const dir of dirs) {
        for (const name of names) {
          if (!name) this.record('reads', [dir || '.'], true, evidence, site);
          else this.record('reads', name.map((n) => `${dir || '.'}/${n}.*`), false, evidence, site);
        }
      }
    }
  }

  private template(call: Call): void {
    if (call.name === 'ParseGlob') this.paths('reads', call, 0, false, true);
    else this.allArgs('reads', call);
  }
}

/** Whitespace collapsed, long text cut, for evidence. */
function compact(text: string): string {
  const one = text.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s*,?\s+\)/g, ')').trim();
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}
