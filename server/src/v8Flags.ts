// The V8 settings the language server sets for itself: START_V8_FLAGS first thing (start.ts), the
// others once the bundle runs (main.ts), each of those with the settings that put V8 back as it
// was. They are set at run time, not on node's command line, so that every client (VS Code,
// Neovim, Helix, the bench) runs the server the same way; each is read by V8 when used, so
// setting it after start-up takes effect. Measured in bench/findings.md ("Start-up and memory").
//
// The loader (start.ts) undoes SERVER_V8_FLAGS for the moment it writes V8's code cache: V8 stamps
// a cache with a hash of every flag, and the next start reads the cache before main.ts has set
// these. A setting missing here would make every such cache be rejected; start.ts checks for that
// and then writes none.

import { setFlagsFromString } from 'node:v8';

/**
 * Sets `flags`, after loading the built-ins of node that a start loads before its first
 * diagnostics (the server's own, and those vscode-languageserver and vscode-jsonrpc load). node
 * compiles its built-ins from a code cache in its binary, and V8 rejects that cache once any flag
 * differs, so a built-in first loaded after a flag is compiled from its source on every start:
 * fs.promises and the six modules it loads took 8.6 ms instead of 1.6 (bench/findings.md,
 * "start3"). codeCache.test.ts fails when a start loads one more after its first flag.
 */
export function setV8Flags(flags: readonly string[]): void {
  require('node:fs/promises');
  require('node:net');
  require('node:child_process');
  require('node:readline');
  require('node:perf_hooks');
  for (const flag of flags) setFlagsFromString(flag);
}

export interface ServerV8Flag {
  readonly set: string;
  /** What puts V8 back: the flag's default, and the defaults of what setting it implied. */
  readonly undo: readonly string[];
}

/**
 * Set by the loader (start.ts) before anything else, so also when the bundle is compiled and when
 * its code cache is made and read: in the cache's stamp, and never undone. main.ts sets them too,
 * for a start without the loader.
 */
export const START_V8_FLAGS: readonly string[] = [
  // The young generation stays at its starting size: two semi-spaces of 1 MiB. Left to grow, it
  // reached 16 MiB after the lenses of an open corpus; the peer server's stays at 8. Set by
  // main.ts, after the bundle's compile, it came too late: the start had grown the semi-spaces to
  // 2 MiB each, which stayed resident (bench/findings.md, "mem5"). Objects that outlive a
  // keystroke are promoted sooner instead. V8 reads the size limits (`--max-semi-space-size`)
  // only when the isolate is made, so this is the one young-generation setting that works here.
  '--semi-space-growth-factor=1',
];

export const SERVER_V8_FLAGS: readonly ServerV8Flag[] = [
  // Wasm (the Go grammar, and the JavaScript and Python ones for Compare) runs on the baseline
  // compiler only: the optimising tier's compilation of tree-sitter's parser kept 6-10 MiB
  // resident for parses that take milliseconds either way. V8 turns tier-up off with it.
  { set: '--liftoff-only', undo: ['--no-liftoff-only', '--wasm-tier-up', '--wasm-dynamic-tiering'] },
  // TurboFan does not inline. Its compile jobs run on V8's worker threads, and each thread's malloc
  // arena kept what the largest inlined graphs had used: four arenas of 2-3 MiB each with 15 files
  // open, against 1-2 MiB without inlining (the peer server's: 0.9-2.8). Keystrokes were no slower
  // (bench/results.md, mem2). TurboFan reads the flag per compile job, so it takes effect here;
  // `--no-concurrent-recompilation`, which would keep the jobs off the worker threads, is read only
  // when the isolate is made and would not.
  { set: '--no-turbo-inlining', undo: ['--turbo-inlining'] },
  // No Sparkplug (V8's baseline compiler): a function runs as bytecode until TurboFan optimises
  // it. The baseline code of what a start and the 15 open files of the bench's memory step had run
  // was 1.2 MB of code space (1.67 -> 0.48 MB resident), and the step's RSS fell by 1.6 MiB (0.6-2.4
  // in 14 same-minute pairs).
  // Keystroke p95, cold start and the .go save were within the noise of alternating rounds; the
  // server's CPU over a keystroke run was 0-7% more (bench/findings.md, mem7). V8 asks the flag
  // each time it would compile a function, so setting it here takes effect.
  { set: '--no-sparkplug', undo: ['--sparkplug'] },
];
