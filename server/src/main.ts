// Entry of dist/server.js: `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
import { startServer } from './server';

process.on('unhandledRejection', (reason) => {
  // Logged, never fatal: one failed lookup must not take the editor's analysis down.
  console.error('Slimfile: unhandled rejection', reason);
});
startServer();
