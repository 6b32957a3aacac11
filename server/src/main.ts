// The language server: dist/serverBundle.js, which dist/server.js (start.ts) runs through V8's code
// cache. `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
import { startServer } from './server';
import { SERVER_V8_FLAGS, START_V8_FLAGS, setV8Flags } from './v8Flags';

setV8Flags([...START_V8_FLAGS, ...SERVER_V8_FLAGS.map((flag) => flag.set)]);

process.on('unhandledRejection', (reason) => {
  // Logged, never fatal: one failed lookup must not take the editor's analysis down.
  console.error('Slimfile: unhandled rejection', reason);
});

/**
 * Settles once the first Dockerfile's diagnostics are sent: the start is over. The loader
 * (start.ts) then keeps the code V8 compiled for it in the code cache.
 */
export const firstDiagnostics: Promise<void> = startServer().sessions.firstDiagnostics;
