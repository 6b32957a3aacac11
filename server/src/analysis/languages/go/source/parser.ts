// The one place Go text becomes a syntax tree: tree-sitter's Go grammar, run by web-tree-sitter.
// Loading the two wasm modules is asynchronous and happens once; after it, parsing is synchronous,
// so the analysis stays a plain function of its inputs. The bytes are handed in (the analysis
// reads no disk): workspace/goParser.ts finds them beside the bundle or in node_modules.
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type { Node, Tree };

/** The wasm modules: web-tree-sitter's runtime and tree-sitter-go's grammar. */
export interface GoWasm {
  readonly runtime: Uint8Array;
  readonly grammar: Uint8Array;
}

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;

/** Loads the runtime and the grammar; later calls return the first call's promise. */
export function initGoParser(wasm: GoWasm): Promise<void> {
  ready ??= (async () => {
    await Parser.init({ wasmBinary: wasm.runtime });
    const go = await Language.load(wasm.grammar);
    const p = new Parser();
    p.setLanguage(go);
    parser = p;
    return p;
  })();
  return ready.then(() => undefined);
}

export function goParserReady(): boolean {
  return parser !== undefined;
}

/**
 * Parses one file. The tree lives in wasm memory: the caller deletes it when done with every node
 * of it. A syntax error leaves ERROR nodes in place and the rest of the tree usable.
 */
export function parseGo(text: string): Tree {
  if (!parser) throw new Error('The Go parser is not loaded: await loadGoParser() (workspace/goParser.ts) before analysing Go sources.');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
