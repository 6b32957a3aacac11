// Entry of dist/server.js (`node dist/server.js --stdio`, or --node-ipc as VS Code starts it): sets
// the server's V8 flags, then runs the server's bundle (dist/serverMain.js, built from main.ts)
// from V8's code cache when there is one. Compiling the 2 MB bundle from its text leaves about
// 4 MB in the process's malloc heap for as long as it lives (the parser's scratch memory, freed
// but not given back: [heap] 7.3 MB against 3.4 MB from the cache, bench/results.md, issue 24
// item 8). Node 22 caches compiled modules itself (module.enableCompileCache); Node 18 and 20, which
// editors still run, do not. Imports nothing of the server, so that this file stays small.
import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Two V8 settings for a process that lives as long as the editor, set here so that every client
// (VS Code, Neovim, Helix, the bench) runs the server the same way; both are read by V8 when used.
// Measured in bench/findings.md ("Start-up and memory").
// - The young generation stays at its starting size. Left to grow, it reached 16 MiB of 2 MiB
//   semi-spaces' worth of live data after the lenses of an open corpus; the peer server's stays
//   at 8. Objects that outlive a keystroke are promoted sooner instead.
setFlagsFromString('--semi-space-growth-factor=1');
// - Wasm (the Go grammar, and the JavaScript and Python ones for Compare) runs on the baseline
//   compiler only: the optimising tier's compilation of tree-sitter's parser kept 6-10 MiB
//   resident for parses that take milliseconds either way.
setFlagsFromString('--liftoff-only');

const BUNDLE = path.join(__dirname, 'serverMain.js');

/** Where the code cache is kept: beside the other caches, named after what it was made from. */
function cacheFile(): string {
  const { size, mtimeMs } = statSync(BUNDLE);
  const base = process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'slimfile', 'v8', `server-${size}-${Math.floor(mtimeMs)}-${process.version}-${process.arch}.cache`);
}

/**
 * The bundle compiled as Node compiles a CommonJS module (the same wrapper and arguments), from the
 * cache when V8 accepts it; V8 checks it against the source and its own version and flags, and a
 * cache it rejects is made again. Undefined when anything about the cache fails: then the bundle
 * is required as usual.
 */
function compiled(): ((...args: unknown[]) => void) | undefined {
  try {
    const file = cacheFile();
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const source = readFileSync(BUNDLE, 'utf8');
    const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: BUNDLE, cachedData });
    if (cachedData === undefined || script.cachedDataRejected === true) {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, file);
      } catch {
        // A read-only home only costs the next start the compile.
      }
    }
    return script.runInThisContext() as (...args: unknown[]) => void;
  } catch {
    return undefined;
  }
}

const run = compiled();
if (run) {
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, __dirname);
} else {
  require(BUNDLE);
}
