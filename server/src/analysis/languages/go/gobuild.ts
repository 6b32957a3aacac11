// Finds the `go build` / `go install` commands in a RUN and the settings that shape the binary:
// CGO_ENABLED, GOOS/GOARCH, -ldflags, -tags, -trimpath, the output path, and the cp, mv and
// install steps after it that may take the binary elsewhere. Builds hidden behind make or a
// script are recorded as hidden, never guessed at.
import type { RunStep } from '../../runStep';
import { commandName, type SimpleCommand } from '../../shell';
import { expandVariables, type Scope } from '../../variables';
import { joinPath } from '../../paths';
import { compareGoVersions, goVersionParts } from './gomod';

export type CgoSetting = 'on' | 'off' | 'default';

export interface GoBuild {
  readonly stage: number;
  readonly run: RunStep;
  /** The go command's position among its RUN's commands (what ran before it in the step). */
  readonly commandIndex: number;
  /** `go install`, and GOPATH-mode `go get`, which installs the same way. */
  readonly command: 'build' | 'install';
  /** The command's own words, from `go` on. */
  readonly argv: readonly string[];
  readonly packages: readonly string[];
  /** Absolute path of the binary when -o names a file; a folder path ends with "/". */
  readonly output: string | undefined;
  readonly ldflags: string | undefined;
  readonly tags: readonly string[];
  readonly trimpath: boolean;
  readonly cgo: CgoSetting;
  /** GOOS, GOARCH, CGO_ENABLED, GOFLAGS, GOTOOLCHAIN… as the command sees them. */
  readonly env: ReadonlyMap<string, string>;
  /** Directory the command runs in. */
  readonly cwd: string;
  /** The Go release of the golang image the stage builds on, from its tag; undefined when not a golang image or not said. */
  readonly goVersion: string | undefined;
  /** The cp, mv and install steps after this build in its stage, in order (the binary may be among what they move). */
  readonly copiesAfter: readonly FileCopy[];
}

/** A `cp`, `mv` or `install` of files (not `install -d`), with its paths made absolute. */
export interface FileCopy {
  readonly command: 'cp' | 'mv' | 'install';
  readonly argv: readonly string[];
  /**
   * Absolute paths; a word holding a variable stays as written, a glob keeps its `*?[`, and a
   * folder's contents (`cp -r . /dist`, `cp -r out/. /dist`) end with `/.`.
   */
  readonly sources: readonly string[];
  readonly destination: string;
  /**
   * The sources go into the destination folder (it ends with /, is `.`, comes from -t, several
   * sources are given, or the stage or its image is known to have that folder); otherwise the
   * destination is the new file's own path.
   */
  readonly intoFolder: boolean;
  readonly run: RunStep;
}

export interface HiddenBuild {
  readonly stage: number;
  readonly run: RunStep;
  /** make, a script, goreleaser… */
  readonly tool: string;
}

export interface BuildContext {
  readonly index: number;
  readonly workdir: string;
  readonly env: Scope;
  readonly escapeChar: string;
  /** Folders the stage is known to have when the RUN starts (WORKDIRs, earlier mkdir), absolute. */
  readonly folders: ReadonlySet<string>;
  /** The Go release of the golang image the stage builds on, from its tag ("1.10", "1.21.5"). */
  readonly goVersion: string | undefined;
}

/** What one RUN holds: its builds, the copies in it with how many of its builds came before each, and the folders it makes. */
export interface RunBuilds {
  readonly builds: GoBuild[];
  readonly hidden: HiddenBuild[];
  readonly copies: Array<{ readonly copy: FileCopy; readonly buildsBefore: number }>;
  readonly madeFolders: string[];
}

/** Folders every image a Go build runs on has (the FHS ones, and the golang images' GOPATH). */
const SYSTEM_FOLDERS = new Set(['/', '/bin', '/sbin', '/usr', '/usr/bin', '/usr/sbin', '/usr/local', '/usr/local/bin', '/usr/local/sbin', '/opt', '/tmp', '/root', '/home', '/etc', '/srv', '/var', '/go', '/go/bin', '/go/src']);

const HIDING_TOOLS = new Set(['make', 'gmake', 'task', 'mage', 'goreleaser', 'just', 'bazel', 'ko']);
const GO_ENV = ['CGO_ENABLED', 'GOOS', 'GOARCH', 'GOFLAGS', 'GOARM', 'GOAMD64', 'GOEXPERIMENT', 'GOBIN', 'GOPATH', 'GO111MODULE', 'GOTOOLCHAIN', 'GOWORK'];
/** go build flags that take a value as the next word. */
const VALUE_FLAGS = new Set([
  'o', 'ldflags', 'gcflags', 'asmflags', 'tags', 'mod', 'modfile', 'pkgdir', 'p', 'buildmode', 'compiler',
  'gccgoflags', 'installsuffix', 'overlay', 'pgo', 'toolexec', 'buildvcs', 'C', 'covermode', 'coverpkg', 'exec',
]);

export function findGoBuilds(run: RunStep, ctx: BuildContext): RunBuilds {
  const out: RunBuilds = { builds: [], hidden: [], copies: [], madeFolders: [] };
  const folders = new Set(ctx.folders);
  let cwd = ctx.workdir;
  for (const [index, cmd] of run.commands.entries()) {
    const name = commandName(cmd);
    if (name === 'cd' && cmd.argv[1]) {
      cwd = joinPath(cwd, cmd.argv[1]);
      continue;
    }
    if (name === 'go' && (cmd.argv[1] === 'build' || cmd.argv[1] === 'install' || getInstalls(cmd, ctx))) {
      out.builds.push(goBuild(cmd, index, run, ctx, cwd));
      continue;
    }
    if (name === 'mkdir' || (name === 'install' && cmd.argv.some((a) => a === '-d' || a === '--directory'))) {
      for (const folder of operandsOf(cmd.argv.slice(1), name === 'mkdir' ? MKDIR_VALUE_FLAGS : INSTALL_VALUE_FLAGS)) {
        const path = joinPath(cwd, folder);
        folders.add(path);
        out.madeFolders.push(path);
      }
      continue;
    }
    if (name === 'cp' || name === 'mv' || name === 'install') {
      const copy = fileCopy(cmd, name, run, cwd, folders);
      if (copy) out.copies.push({ copy, buildsBefore: out.builds.length });
      continue;
    }
    if (HIDING_TOOLS.has(name) || isScriptCall(cmd)) out.hidden.push({ stage: ctx.index, run, tool: cmd.argv.join(' ') });
  }
  return out;
}

const MKDIR_VALUE_FLAGS = new Set(['-m', '--mode', '--context']);
const CP_VALUE_FLAGS = new Set(['-t', '--target-directory', '-S', '--suffix']);
const INSTALL_VALUE_FLAGS = new Set(['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix', '--strip-program', '-Z']);

/** The words that are not options nor option values. */
function operandsOf(words: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') {
      out.push(...words.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') out.push(word);
    else if (valueFlags.has(word)) i++;
  }
  return out;
}

/** The target folder `-t DIR`, `--target-directory=DIR` or `-tDIR` names, if any. */
function targetDirectory(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') break;
    if (word === '-t' || word === '--target-directory') return words[i + 1];
    if (word.startsWith('--target-directory=')) return word.slice('--target-directory='.length);
    if (/^-t./.test(word)) return word.slice(2);
  }
  return undefined;
}

function fileCopy(cmd: SimpleCommand, name: 'cp' | 'mv' | 'install', run: RunStep, cwd: string, folders: ReadonlySet<string>): FileCopy | undefined {
  const words = cmd.argv.slice(1);
  const operands = operandsOf(words, name === 'install' ? INSTALL_VALUE_FLAGS : CP_VALUE_FLAGS);
  const target = targetDirectory(words);
  const absolute = (word: string): string => joinPath(cwd, word);
  const source = (word: string): string => {
    const path = absolute(word);
    return word === '.' || word.endsWith('/.') ? `${path === '/' ? '' : path}/.` : path;
  };
  if (target !== undefined) {
    if (operands.length === 0) return undefined;
    return { command: name, argv: cmd.argv, sources: operands.map(source), destination: absolute(target), intoFolder: true, run };
  }
  if (operands.length < 2) return undefined;
  const written = operands[operands.length - 1] as string;
  const destination = absolute(written);
  const intoFolder = operands.length > 2 || written.endsWith('/') || /(^|\/)\.\.?$/.test(written) || folders.has(destination) || SYSTEM_FOLDERS.has(destination);
  return { command: name, argv: cmd.argv, sources: operands.slice(0, -1).map(source), destination, intoFolder, run };
}

/**
 * `go get` without -d builds and installs like `go install` in GOPATH mode (GO111MODULE=off), and
 * in module mode too before Go 1.18; from 1.18 on, in module mode, it only edits go.mod. Only a
 * get of the context's own packages (`.`, `./...`, `./cmd/x`) counts: `go get github.com/gorilla/mux`
 * fetches a library, which leaves no binary.
 */
function getInstalls(cmd: SimpleCommand, ctx: BuildContext): boolean {
  if (cmd.argv[1] !== 'get' || cmd.argv.slice(2).some((a) => a === '-d' || a === '--d')) return false;
  const packages = cmd.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (!packages.every((p) => p === '.' || p.startsWith('./') || p.startsWith('../'))) return false;
  if ((cmd.assignments.get('GO111MODULE') ?? cmd.exported.get('GO111MODULE') ?? ctx.env.get('GO111MODULE')) === 'off') return true;
  const parts = goVersionParts(ctx.goVersion);
  return parts !== undefined && compareGoVersions(parts, [1, 18, 0]) < 0;
}

function isScriptCall(cmd: SimpleCommand): boolean {
  const [first, second] = cmd.argv;
  if (!first) return false;
  if (/\.(sh|bash)$/.test(first) || first.startsWith('./')) return true;
  return (first === 'sh' || first === 'bash') && !!second && !second.startsWith('-');
}

function goBuild(cmd: SimpleCommand, commandIndex: number, run: RunStep, ctx: BuildContext, cwd: string): GoBuild {
  const env = new Map<string, string>();
  for (const key of GO_ENV) {
    const value = cmd.assignments.get(key) ?? cmd.exported.get(key) ?? ctx.env.get(key);
    // An unknown value (`GOOS=$TARGETOS`) stays as written rather than becoming "".
    if (value !== undefined) env.set(key, expandKnown(value, ctx));
  }
  const argv = cmd.argv.map((a) => expandKnown(a, ctx));
  const flags = new Map<string, string | true>();
  const packages: string[] = [];
  // GOFLAGS applies first; flags on the command line win.
  for (const word of (env.get('GOFLAGS') ?? '').split(/\s+/).filter(Boolean)) readFlag(word, undefined, flags);
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      packages.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith('-')) {
      if (readFlag(word, argv[i + 1], flags)) i++;
    } else packages.push(word);
  }
  const cgoValue = env.get('CGO_ENABLED');
  const cgo: CgoSetting = cgoValue === '0' ? 'off' : cgoValue === '1' ? 'on' : 'default';
  // `go build -C dir` runs in dir: -o and the packages are relative to it.
  const changeDir = flags.get('C');
  if (typeof changeDir === 'string') cwd = joinPath(cwd, changeDir);
  const out = flags.get('o');
  const output = typeof out === 'string' ? resolveOutput(cwd, out) : undefined;
  const ldflags = flags.get('ldflags');
  const tags = flags.get('tags');
  return {
    stage: ctx.index,
    run,
    commandIndex,
    command: argv[1] === 'build' ? 'build' : 'install',
    argv,
    packages: packages.length > 0 ? packages : ['.'],
    output,
    ldflags: typeof ldflags === 'string' ? ldflags : undefined,
    tags: typeof tags === 'string' ? tags.split(/[,\s]+/).filter(Boolean) : [],
    trimpath: flags.get('trimpath') === true || flags.get('trimpath') === 'true',
    cgo,
    env,
    cwd,
    goVersion: ctx.goVersion,
    copiesAfter: [],
  };
}

/** Reads one flag; returns true when it consumed the next word as its value. */
function readFlag(word: string, next: string | undefined, flags: Map<string, string | true>): boolean {
  const bare = word.replace(/^--?/, '');
  const eq = bare.indexOf('=');
  if (eq >= 0) {
    flags.set(bare.slice(0, eq), bare.slice(eq + 1));
    return false;
  }
  if (VALUE_FLAGS.has(bare) && next !== undefined) {
    flags.set(bare, next);
    return true;
  }
  flags.set(bare, true);
  return false;
}

/** Expands what is known and leaves an unknown `${VAR}` as written (`-X main.commit=${COMMIT}`). */
function expandKnown(word: string, ctx: BuildContext): string {
  if (!word.includes('$')) return word;
  return expandVariables(word, ctx.env, ctx.escapeChar, { keepUnknown: true }).value;
}

function resolveOutput(cwd: string, out: string): string {
  const path = joinPath(cwd, out);
  return out.endsWith('/') && path !== '/' ? `${path}/` : path;
}
