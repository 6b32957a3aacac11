// Bundles one file per process: the extension host (client), the language server, the CLI.
// tsc only type-checks (npm run typecheck).
import * as esbuild from 'esbuild';
import { cpSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // ssh2 (dockerode's ssh:// transport) is bundled: the package ships without node_modules. Its
  // optional native speed-ups (cpu-features, sshcrypto.node) are loaded in try/catch and fall
  // back to pure JS, so they stay out of the bundle.
  external: ['vscode', 'cpu-features', '*.node'],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
]);

// dockerode's BuildKit session reads its .proto files beside the bundle at run time (dist/proto).
cpSync('node_modules/dockerode/lib/proto', 'dist/proto', { recursive: true });
