// Loads the tree-sitter grammars the languages declare (LanguageSupport.grammars, .routes), once
// per process each, and web-tree-sitter's runtime before the first. The bundles (dist/server.js,
// dist/cli.js) find the wasm files beside themselves, where esbuild.mjs copies them; run from the
// sources (tests, tsx) they come from node_modules.
import * as path from 'node:path';
import { initTreeSitter, TREE_SITTER_RUNTIME, type Grammars, type WasmFile } from '../analysis/grammars';
import { languages } from '../analysis/languages/registry';
import { readOutsideMalloc } from '../readOutsideMalloc';

/**
 * A wasm file beside the bundle, else from its package. Every one is over glibc's 128 KiB (Go's
 * 217 KB, the runtime's 205 KB, C++'s 3.4 MB), so it is read outside malloc, as the loader reads
 * the bundle: freed, a malloc'd block of its size would raise glibc's thresholds for good.
 */
function readWasm(wasm: WasmFile): Uint8Array {
  const beside = path.join(__dirname, wasm.file);
  try {
    return readOutsideMalloc(beside);
  } catch {
    // Not bundled: the package in node_modules.
    return readOutsideMalloc(require.resolve(wasm.module));
  }
}

const loading = new Map<Grammars, Promise<void>>();

/** Makes a declaration's parsers usable; awaited before the first parse with them. */
export function loadGrammars(grammars: Grammars): Promise<void> {
  let loaded = loading.get(grammars);
  if (!loaded) {
    loaded = initTreeSitter(() => readWasm(TREE_SITTER_RUNTIME)).then(() => grammars.load(grammars.wasm.map(readWasm)));
    loading.set(grammars, loaded);
  }
  return loaded;
}

/** The grammars of every language that holds one of `files` among its sources (sourceExtensions), in registry order. */
export async function loadGrammarsForSources(files: Iterable<string>): Promise<void> {
  const extensions = new Set<string>();
  for (const file of files) extensions.add(path.posix.extname(file));
  for (const language of languages()) {
    if (language.grammars && (language.sourceExtensions ?? []).some((e) => extensions.has(e))) await loadGrammars(language.grammars);
  }
}
