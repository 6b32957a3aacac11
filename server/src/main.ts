// The language server: dist/serverBundle.js, which dist/server.js (start.ts) runs through V8's code
// cache. `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
import { promises as fsPromises } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { startServer } from './server';
import { SERVER_V8_FLAGS } from './v8Flags';

/**
 * The built-ins a server loads only when first used, and its first diagnostics use, loaded before
 * the flags below are set. node compiles its own modules from a code cache built into it, and V8
 * rejects that cache once any flag differs, so a built-in first loaded after them is compiled from
 * its source: fs.promises (which reads the build context) and the six modules it loads took 8.6 ms
 * instead of 1.6 (bench/findings.md, "start3").
 */
export const loadedBeforeFlags = [fsPromises];

for (const flag of SERVER_V8_FLAGS) setFlagsFromString(flag.set);

process.on('unhandledRejection', (reason) => {
  // Logged, never fatal: one failed lookup must not take the editor's analysis down.
  console.error('Slimfile: unhandled rejection', reason);
});

/**
 * Settles once the first Dockerfile's diagnostics are sent: the start is over. The loader
 * (start.ts) then keeps the code V8 compiled for it in the code cache.
 */
export const firstDiagnostics: Promise<void> = startServer().sessions.firstDiagnostics;
