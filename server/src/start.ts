// Entry of dist/server.js: `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
// It runs the server bundle (dist/serverBundle.js, built from main.ts) through V8's code cache.
// Compiling the 1.45 MB bundle was the largest single step of a start: V8 pre-parses every
// function of it to find where each ends, and compiles each function again when it is first
// called (bench/findings.md, "cold start"). The cache holds what V8 compiled for a whole start:
// the top level and every function that ran up to the first diagnostics. The first start of a
// build makes it once those diagnostics are sent; every later start reads it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import * as vm from 'node:vm';
import { ReadMemory } from './readOutsideMalloc';
import { SERVER_V8_FLAGS, START_V8_FLAGS, setV8Flags } from './v8Flags';

/** The bundle's SHA-256, written in by esbuild.mjs: a cache of another build is never read. */
declare const SLIMFILE_BUNDLE_SHA256: string;

const BUNDLE = path.join(__dirname, 'serverBundle.js');
const CHECKSUM_BYTES = 32;

/**
 * The cache file of this bundle, node and V8 flags; undefined when caching is off.
 * SLIMFILE_CODE_CACHE_DIR names the folder (empty: off); else the user's cache folder, as the
 * registry cache (sessions.ts).
 */
function cacheFile(): string | undefined {
  const asked = process.env['SLIMFILE_CODE_CACHE_DIR'];
  if (asked === '') return undefined;
  const dir = asked ?? path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'slimfile', 'code-cache');
  // V8 rejects a cache made by another V8 or with other flags; keying on both keeps two editors
  // that start the server differently from replacing each other's cache on every start.
  const key = createHash('sha256').update(`${SLIMFILE_BUNDLE_SHA256}\0${process.versions.v8}\0${process.arch}\0${process.execArgv.join('\0')}`).digest('hex');
  return path.join(dir, `server-${key.slice(0, 32)}.bin`);
}

/** When a cache was made: after the start's first diagnostics, or at exit by a start that had none. */
const AT_EXIT = 0;
const AFTER_FIRST_DIAGNOSTICS = 1;

interface Cache {
  readonly data: Buffer;
  /** Made after the first diagnostics: it holds a whole start, and is kept as it is. */
  readonly whole: boolean;
}

/**
 * The cached data, if the file is there and whole: its first 32 bytes are the rest's SHA-256, and
 * its last byte says when it was made. V8's data starts at byte 32, so it stays 8-byte aligned: V8
 * copies data that is not, into a malloc'd block of its size (1.3 MB), whose free raises glibc's
 * mmap threshold (mem4, bench/findings.md) and cost 5 MiB of RSS with the corpus open.
 */
function readCache(file: string, memory: ReadMemory): Cache | undefined {
  let bytes: Buffer;
  try {
    bytes = memory.read(file);
  } catch {
    return undefined;
  }
  const rest = bytes.subarray(CHECKSUM_BYTES);
  const intact = rest.length > 1 && createHash('sha256').update(rest).digest().equals(bytes.subarray(0, CHECKSUM_BYTES));
  const made = rest[rest.length - 1];
  if (!intact || (made !== AT_EXIT && made !== AFTER_FIRST_DIAGNOSTICS)) return undefined;
  return { data: rest.subarray(0, rest.length - 1), whole: made === AFTER_FIRST_DIAGNOSTICS };
}

/** A cache not made for this long is of a build no longer run (reading one leaves its mtime). */
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

/** Each build makes its own file, so the caches of builds not run for a month go. */
function removeStale(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!/^server-[0-9a-f]+\.bin$/.test(name)) continue;
    const other = path.join(dir, name);
    if (Date.now() - fs.statSync(other).mtimeMs > STALE_MS) fs.rmSync(other, { force: true });
  }
}

/**
 * Written beside and renamed into place, so a reader never sees half a file. Synchronously, with
 * the removal of stale caches: the server may be told to exit right after its first diagnostics.
 * Any failure only means no cache.
 */
function writeCache(file: string, made: number, data: Buffer): void {
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  const rest = Buffer.concat([data, Buffer.of(made)]);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(temporary, Buffer.concat([createHash('sha256').update(rest).digest(), rest]));
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing was written.
    }
    return;
  }
  try {
    removeStale(dir);
  } catch {
    // Left for the next build's first start.
  }
}

/** A script V8 compiles in no time, whose cache says whether V8's flags are what they were. */
const FLAG_PROBE = "'slimfile'";

/**
 * Makes the code cache of the bundle's script as it is then. V8 stamps a cache with a hash of its
 * flags and rejects it under others. The bundle was compiled before main.ts set the server's flags
 * (v8Flags.ts), and the next start reads the cache at that point too, so the flags are undone
 * while the cache is made. The probe's cache, made now, tells whether that put V8 back as it was
 * (a flag of the client's own on node's command line, or one missing from v8Flags.ts, would leave
 * a cache no start can read): if not, there is no cache.
 */
function cacheMaker(script: vm.Script): () => Buffer | undefined {
  const probe = new vm.Script(FLAG_PROBE, { filename: 'slimfile-flag-probe-at-compile' }).createCachedData();
  return () => {
    for (const flag of SERVER_V8_FLAGS) for (const undo of flag.undo) setFlagsFromString(undo);
    try {
      const sameFlags = !new vm.Script(FLAG_PROBE, { filename: 'slimfile-flag-probe-at-cache', cachedData: probe }).cachedDataRejected;
      return sameFlags ? script.createCachedData() : undefined;
    } finally {
      for (const flag of SERVER_V8_FLAGS) setFlagsFromString(flag.set);
    }
  };
}

/**
 * The bundle as the function node's loader would make of it, in one string: the script's source,
 * which V8 keeps. Joining a wrapper to the file's text instead would make a third copy and free
 * the second, a block of malloc of the bundle's size. The bundle is ASCII (esbuild.mjs escapes
 * the rest), so latin1 decodes it exactly. The string is a copy: `memory` may be read into again.
 */
function readBundleFunction(memory: ReadMemory): string {
  return memory.read(BUNDLE, '(function (exports, require, module, __filename, __dirname) { ', '\n})').toString('latin1');
}

type ModuleFunction = (this: unknown, exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;

function start(): void {
  setV8Flags(START_V8_FLAGS);
  // import() inside a compiled function needs the main context's loader, which node has named
  // since 20.12 and 21.7 (web-tree-sitter has one import(), for wasm given as a path); an older
  // node loads the bundle plainly.
  const importModuleDynamically = (vm.constants as Partial<typeof vm.constants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!importModuleDynamically) {
    require(BUNDLE);
    return;
  }
  let file: string | undefined;
  try {
    file = cacheFile();
  } catch {
    // No home folder to keep a cache in (os.homedir() throws without HOME or a passwd entry).
    file = undefined;
  }
  const memory = new ReadMemory();
  let cache: Cache | undefined;
  let script: vm.Script;
  try {
    // The bundle first: the cache is then read into the pages its read has touched already.
    const source = readBundleFunction(memory);
    cache = file === undefined ? undefined : readCache(file, memory);
    script = new vm.Script(source, { filename: BUNDLE, cachedData: cache?.data, importModuleDynamically });
  } catch {
    // A node whose vm.Script takes other options: the plain load, which reports its own errors.
    require(BUNDLE);
    return;
  }
  // A rejected cache (V8 changed what it accepts) is replaced by the one this start makes.
  const read = cache !== undefined && !script.cachedDataRejected;
  const makeCache = file === undefined || (read && cache?.whole === true) ? undefined : cacheMaker(script);
  const bundleModule = { exports: {} as { firstDiagnostics?: Promise<void> }, filename: BUNDLE, id: BUNDLE };
  (script.runInThisContext() as ModuleFunction).call(bundleModule.exports, bundleModule.exports, createRequire(BUNDLE), bundleModule, BUNDLE, path.dirname(BUNDLE));
  if (!makeCache || file === undefined) return;
  const cacheFileOfStart = file;
  let made = false;
  const keep = (when: number): void => {
    if (made) return;
    made = true;
    const data = makeCache();
    if (data) writeCache(cacheFileOfStart, when, data);
  };
  // Right after the diagnostics have gone out, before the next message is read.
  void bundleModule.exports.firstDiagnostics?.then(() => setImmediate(() => keep(AFTER_FIRST_DIAGNOSTICS)));
  // A server that never analyses a Dockerfile still keeps what it compiled, when it had no cache.
  if (!read) process.once('exit', () => keep(AT_EXIT));
}

start();
