// Bundles one file per process: the extension host (client), the language server, the CLI.
// tsc only type-checks (npm run typecheck).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';

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
  // web-tree-sitter's ES module build finds itself through import.meta.url, which a CommonJS bundle
  // does not have; its CommonJS build uses __dirname like the rest of the bundle.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};

/**
 * dockerode, with ssh2, gRPC and protobuf behind it, is two thirds of a bundle and is required
 * only when an engine is asked. It gets a bundle of its own, dist/dockerode.js, loaded by that
 * first require: the server starts without parsing it, and a server that never asks an engine
 * never loads it.
 */
const dockerodeApart = {
  name: 'dockerode-apart',
  setup(build) {
    build.onResolve({ filter: /^dockerode$/ }, () => ({ path: './dockerode.js', external: true }));
  },
};

/**
 * The server and the CLI are minified without renaming identifiers. Compiling a bundle whose names
 * are minified leaves about 3 MB more in the process's malloc heap for its whole life (a bare node
 * compiling dist/server.js: `[heap]` 2.6 -> 8.9 MB minified, 5.7 MB with whitespace and syntax
 * minified only, 5.7 MB unminified; the language server with 15 files open: 84 MiB against 81),
 * more than the 0.2 MB of source that renaming saves. Whitespace and syntax minification keep the
 * source V8 holds small (1.5 MB against 2.1 MB unminified).
 */
const kept = production ? { minify: false, minifyWhitespace: true, minifySyntax: true } : {};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', plugins: [dockerodeApart] }),
  esbuild.build({ ...common, ...kept, entryPoints: ['server/src/main.ts'], outfile: 'dist/serverBundle.js', plugins: [dockerodeApart] }),
  esbuild.build({ ...common, ...kept, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', plugins: [dockerodeApart] }),
  // The process the server and the CLI fetch and parse a Debian release's index in (images/packageIndex.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/images/packageIndexChild.ts'], outfile: 'dist/packageIndexChild.js' }),
  esbuild.build({ ...common, stdin: { contents: "module.exports = require('dockerode');", resolveDir: '.', loader: 'js' }, outfile: 'dist/dockerode.js' }),
]);

// V8 keeps a script's source for as long as the process lives (functions are compiled when first
// called), and one character above U+00FF makes the whole source a two-byte string: 4 MB of heap
// for the 2 MB server instead of 2 (measured: large-object space 4.0 -> 2.1 MB, RSS 2-3 MiB less).
// esbuild escapes strings (charset ascii) but leaves comments and regular expression literals as
// written; an escape means the same in both.
for (const bundle of ['dist/serverBundle.js', 'dist/cli.js']) {
  const source = readFileSync(bundle, 'utf8');
  const ascii = source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== source) writeFileSync(bundle, ascii);
}

// dist/server.js runs dist/serverBundle.js through V8's code cache (server/src/start.ts), keyed on
// the bundle's hash so that a cache of another build is never read.
await esbuild.build({
  ...common,
  ...kept,
  entryPoints: ['server/src/start.ts'],
  outfile: 'dist/server.js',
  define: { SLIMFILE_BUNDLE_SHA256: JSON.stringify(createHash('sha256').update(readFileSync('dist/serverBundle.js')).digest('hex')) },
});

// dockerode's BuildKit session reads its .proto files beside the bundle at run time (dist/proto).
cpSync('node_modules/dockerode/lib/proto', 'dist/proto', { recursive: true });
// The Go parser's wasm (web-tree-sitter's runtime and tree-sitter-go's grammar) is read beside the
// bundle by workspace/grammars.ts, in the server and the CLI alike, as are the grammars below.
cpSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
cpSync('node_modules/tree-sitter-go/tree-sitter-go.wasm', 'dist/tree-sitter-go.wasm');
// The JavaScript and Python grammars, for the Express, Flask and FastAPI routes Compare with run asks.
cpSync('node_modules/tree-sitter-javascript/tree-sitter-javascript.wasm', 'dist/tree-sitter-javascript.wasm');
cpSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');
// The C, C++ and Rust grammars: what those sources open, start and name (languages/compiledSources.ts).
for (const grammar of ['c', 'cpp', 'rust']) cpSync(`node_modules/tree-sitter-${grammar}/tree-sitter-${grammar}.wasm`, `dist/tree-sitter-${grammar}.wasm`);
