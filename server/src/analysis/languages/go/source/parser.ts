// The one place Go text becomes a syntax tree: tree-sitter's Go grammar, run by web-tree-sitter.
// Loading the grammar is asynchronous and happens once; after it, parsing is synchronous, so the
// analysis stays a plain function of its inputs. The bytes are handed in (the analysis reads no
// disk): the workspace loads GO_GRAMMARS (workspace/grammars.ts), after web-tree-sitter's runtime.
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { parserOf, type Grammars } from '../../../grammars';

export type { Node, Tree };

let ready: Promise<void> | undefined;
let parser: Parser | undefined;

/** Go's grammar, as Go's language entry declares it; loading it twice returns the first load. */
export const GO_GRAMMARS: Grammars = {
  wasm: [{ file: 'tree-sitter-go.wasm', module: 'tree-sitter-go/tree-sitter-go.wasm' }],
  load([grammar]) {
    ready ??= (async () => {
      parser = await parserOf(grammar as Uint8Array);
    })();
    return ready;
  },
};

export function goParserReady(): boolean {
  return parser !== undefined;
}

/**
 * Parses one file. The tree lives in wasm memory: the caller deletes it when done with every node
 * of it. A syntax error leaves ERROR nodes in place and the rest of the tree usable.
 */
export function parseGo(text: string): Tree {
  if (!parser) throw new Error('The Go parser is not loaded: load its grammar first (loadGrammars(GO_GRAMMARS), workspace/grammars.ts).');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
