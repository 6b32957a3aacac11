// Entry of dist/server.js: `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
// It runs the server bundle (dist/serverBundle.js, built from main.ts) through V8's code cache.
// Compiling the 1.45 MB bundle was the largest single step of a start: V8 pre-parses every
// function of it to find where each ends (bench/findings.md, "cold start"). The cache holds the
// compiled top level; the first start of a build makes it, and every later start reads it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

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

/** The cached data, if the file is there and whole (its first 32 bytes are the rest's SHA-256). */
function readCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const data = bytes.subarray(CHECKSUM_BYTES);
  const whole = bytes.length > CHECKSUM_BYTES && createHash('sha256').update(data).digest().equals(bytes.subarray(0, CHECKSUM_BYTES));
  return whole ? data : undefined;
}

/** A cache not made for this long is of a build no longer run (reading one leaves its mtime). */
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Written beside and renamed into place, so a reader never sees half a file; any failure only means
 * no cache. Each build makes its own file, so the caches of builds not run for a month go.
 */
function writeCache(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  const bytes = Buffer.concat([createHash('sha256').update(data).digest(), data]);
  const removeStale = async (): Promise<void> => {
    for (const name of await fs.promises.readdir(dir)) {
      if (!/^server-[0-9a-f]+\.bin$/.test(name)) continue;
      const other = path.join(dir, name);
      const { mtimeMs } = await fs.promises.stat(other);
      if (Date.now() - mtimeMs > STALE_MS) await fs.promises.rm(other, { force: true });
    }
  };
  fs.promises
    .mkdir(dir, { recursive: true })
    .then(() => fs.promises.writeFile(temporary, bytes))
    .then(() => fs.promises.rename(temporary, file))
    .then(removeStale)
    .catch(() => fs.promises.rm(temporary, { force: true }).catch(() => undefined));
}

function start(): void {
  // import() inside a compiled function needs the main context's loader, which node has named
  // since 20.12 and 21.7 (web-tree-sitter has one import(), for wasm given as a path); an older
  // node loads the bundle plainly.
  const importModuleDynamically = (vm.constants as Partial<typeof vm.constants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  let file: string | undefined;
  try {
    file = importModuleDynamically ? cacheFile() : undefined;
  } catch {
    // No home folder to keep a cache in (os.homedir() throws without HOME or a passwd entry).
    file = undefined;
  }
  if (!file) {
    require(BUNDLE);
    return;
  }
  const cachedData = readCache(file);
  let compiled: ReturnType<typeof vm.compileFunction>;
  try {
    compiled = vm.compileFunction(fs.readFileSync(BUNDLE, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename: BUNDLE,
      cachedData,
      produceCachedData: cachedData === undefined,
      importModuleDynamically,
    });
  } catch {
    // A node whose compileFunction takes other options: the plain load, which reports its own errors.
    require(BUNDLE);
    return;
  }
  if (compiled.cachedData) writeCache(file, compiled.cachedData);
  // A rejected cache (V8 changed what it accepts) is dropped; the next start makes a new one.
  else if (compiled.cachedDataRejected) fs.promises.rm(file, { force: true }).catch(() => undefined);
  const bundleModule = { exports: {}, filename: BUNDLE, id: BUNDLE };
  compiled.call(bundleModule.exports, bundleModule.exports, createRequire(BUNDLE), bundleModule, BUNDLE, path.dirname(BUNDLE));
}

start();
