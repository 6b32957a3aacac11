// The language server's bundle (dist/serverMain.js): run by dist/server.js (serverLoader.ts), which
// sets the V8 flags first and compiles this bundle from V8's code cache.
import { startServer } from './server';

process.on('unhandledRejection', (reason) => {
  // Logged, never fatal: one failed lookup must not take the editor's analysis down.
  console.error('Slimfile: unhandled rejection', reason);
});
startServer();
