// Loads the Go parser's two wasm modules from disk, once per process. The bundles (dist/server.js,
// dist/cli.js) find them beside themselves, where esbuild.mjs copies them; run from the sources
// (tests, tsx) they come from node_modules.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initGoParser } from '../analysis/languages/go/source/parser';

const RUNTIME = { file: 'tree-sitter.wasm', module: 'web-tree-sitter/tree-sitter.wasm' };
const GRAMMAR = { file: 'tree-sitter-go.wasm', module: 'tree-sitter-go/tree-sitter-go.wasm' };

/** A wasm file beside the bundle, else from its package (the JavaScript and Python grammars too). */
export function readWasm(wasm: { file: string; module: string }): Uint8Array {
  const beside = path.join(__dirname, wasm.file);
  try {
    return readFileSync(beside);
  } catch {
    // Not bundled: the package in node_modules.
    return readFileSync(require.resolve(wasm.module));
  }
}

let loading: Promise<void> | undefined;

/** Makes the Go analysis usable; awaited before the first analyzeGoSources of a process. */
export function loadGoParser(): Promise<void> {
  loading ??= initGoParser({ runtime: readWasm(RUNTIME), grammar: readWasm(GRAMMAR) });
  return loading;
}
