// Loads the JavaScript and Python grammars for the routes Compare with run probes, once per
// process and only when a context holds such sources. Like the Go parser's (goParser.ts), the
// wasm files are found beside the bundle or, run from the sources, in node_modules.
import { initWebParsers } from '../analysis/webRoutes';
import { loadGoParser, readWasm } from './goParser';

let loading: Promise<void> | undefined;

export function loadWebParsers(): Promise<void> {
  // The Go loader initialises web-tree-sitter's runtime, which must happen once per process.
  loading ??= loadGoParser().then(() =>
    initWebParsers({
      javascript: readWasm({ file: 'tree-sitter-javascript.wasm', module: 'tree-sitter-javascript/tree-sitter-javascript.wasm' }),
      python: readWasm({ file: 'tree-sitter-python.wasm', module: 'tree-sitter-python/tree-sitter-python.wasm' }),
    }),
  );
  return loading;
}
