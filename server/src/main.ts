// The language server: dist/serverBundle.js, which dist/server.js (start.ts) runs through V8's code
// cache. `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
import { setFlagsFromString } from 'node:v8';
import { startServer } from './server';

// Two V8 settings for a process that lives as long as the editor, set here so that every client
// (VS Code, Neovim, Helix, the bench) runs the server the same way; both are read by V8 when used,
// so setting them after start-up takes effect. Measured in bench/findings.md ("Start-up and memory").
// - The young generation stays at its starting size. Left to grow, it reached 16 MiB of 2 MiB
//   semi-spaces' worth of live data after the lenses of an open corpus; the peer server's stays
//   at 8. Objects that outlive a keystroke are promoted sooner instead.
setFlagsFromString('--semi-space-growth-factor=1');
// - Wasm (the Go grammar, and the JavaScript and Python ones for Compare) runs on the baseline
//   compiler only: the optimising tier's compilation of tree-sitter's parser kept 6-10 MiB
//   resident for parses that take milliseconds either way.
setFlagsFromString('--liftoff-only');
// - TurboFan does not inline. Its compile jobs run on V8's worker threads, and each thread's malloc
//   arena kept what the largest inlined graphs had used: four arenas of 2-3 MiB each with 15 files
//   open, against 1-2 MiB without inlining (the peer server's: 0.9-2.8). Keystrokes were no slower
//   (bench/results.md, mem2). TurboFan reads the flag per compile job, so it takes effect here;
//   `--no-concurrent-recompilation`, which would keep the jobs off the worker threads, is read only
//   when the isolate is made and would not.
setFlagsFromString('--no-turbo-inlining');

process.on('unhandledRejection', (reason) => {
  // Logged, never fatal: one failed lookup must not take the editor's analysis down.
  console.error('Slimfile: unhandled rejection', reason);
});
startServer();
