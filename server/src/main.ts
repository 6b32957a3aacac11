// The language server: dist/serverBundle.js, which dist/server.js (start.ts) runs through V8's code
// cache. `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
import { setFlagsFromString } from 'node:v8';
import { startServer } from './server';
import { SERVER_V8_FLAGS, START_V8_FLAGS } from './v8Flags';

for (const flag of START_V8_FLAGS) setFlagsFromString(flag);
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
