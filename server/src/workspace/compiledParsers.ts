// Loads the C, C++ and Rust grammars that read those sources for what the program touches at run
// time, once per process and only when a context holds such sources. Like the Go parser's
// (goParser.ts), the wasm files are found beside the bundle or, run from the sources, in node_modules.
import { initCompiledParsers } from '../analysis/languages/compiledSources';
import { loadGoParser, readWasm } from './goParser';

let loading: Promise<void> | undefined;

export function loadCompiledParsers(): Promise<void> {
  // The Go loader initialises web-tree-sitter's runtime, which must happen once per process.
  loading ??= loadGoParser().then(() =>
    initCompiledParsers({
      c: readWasm({ file: 'tree-sitter-c.wasm', module: 'tree-sitter-c/tree-sitter-c.wasm' }),
      cpp: readWasm({ file: 'tree-sitter-cpp.wasm', module: 'tree-sitter-cpp/tree-sitter-cpp.wasm' }),
      rust: readWasm({ file: 'tree-sitter-rust.wasm', module: 'tree-sitter-rust/tree-sitter-rust.wasm' }),
    }),
  );
  return loading;
}
