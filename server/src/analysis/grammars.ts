// The tree-sitter grammars a language reads its sources with, as the language declares them: the
// wasm files to read and what to hand their bytes to. The analysis reads no disk: the workspace
// (workspace/grammars.ts) finds the files beside the bundle or in node_modules and loads each
// declaration once per process, only for a context that holds such sources.
import { Language, Parser } from 'web-tree-sitter';

/** A wasm file: its name beside the bundle (esbuild.mjs copies it there), else its package's path. */
export interface WasmFile {
  readonly file: string;
  readonly module: string;
}

export interface Grammars {
  readonly wasm: readonly WasmFile[];
  /** Takes the files' bytes, in the order of `wasm`; web-tree-sitter's runtime is initialised before. */
  load(bytes: readonly Uint8Array[]): Promise<void>;
}

/** web-tree-sitter's own runtime, which every grammar needs. */
export const TREE_SITTER_RUNTIME: WasmFile = { file: 'tree-sitter.wasm', module: 'web-tree-sitter/tree-sitter.wasm' };

let runtime: Promise<void> | undefined;

/**
 * Initialises the runtime once per process: a second Parser.init would orphan the grammars already
 * loaded. `read` gives its wasm bytes, asked for only the first time.
 */
export function initTreeSitter(read: () => Uint8Array): Promise<void> {
  runtime ??= instantiatedBy(read());
  return runtime;
}

/** The two parts of WebAssembly's API used here, which the project's type libraries (ES2022, node's) do not declare. */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: unknown; module: unknown }>;
}

/**
 * Parser.init with the runtime instantiated here from `bytes`. Handed the bytes as `wasmBinary`
 * instead, Emscripten keeps them for the process's life (205 KB) and instantiates a copy of them;
 * here they are garbage once V8 has compiled them.
 */
function instantiatedBy(bytes: Uint8Array): Promise<void> {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return new Promise<void>((resolve, reject) => {
    Parser.init({
      instantiateWasm(imports: unknown, receive: (instance: unknown, module: unknown) => void) {
        wasm.instantiate(bytes, imports).then(({ instance, module }) => receive(instance, module), reject);
        return {};
      },
    }).then(resolve, reject);
  });
}

/** A parser for one grammar's bytes (the runtime initialised). */
export async function parserOf(bytes: Uint8Array): Promise<Parser> {
  const parser = new Parser();
  parser.setLanguage(await Language.load(bytes));
  return parser;
}
