// The HTTP routes a Node (Express) or Python (Flask, FastAPI) program registers with a literal
// path, read from the syntax tree of tree-sitter's JavaScript and Python grammars: Compare with
// run asks each of them with GET on both images, as it does the Go routes (languages/go/source/routes.ts). Routes
// with parameters (`:id`, `<id>`, `{id}`) or wildcards are left out: there is no value to fill.
// The grammars' bytes are handed in: the workspace loads WEB_GRAMMARS (workspace/grammars.ts).
import type { Parser, Node } from 'web-tree-sitter';
import { parserOf, type Grammars } from './grammars';

/** A route a program registers, asked with GET by Compare with run (Go's, Node's, Python's). */
export interface Route {
  readonly path: string;
  /** Where it is registered: file and 0-based line. */
  readonly file: string;
  readonly line: number;
}

let loading: Promise<void> | undefined;
let parsers: { javascript: Parser; python: Parser } | undefined;

/** The JavaScript and Python grammars, loaded together, once (web-tree-sitter's runtime first). */
export const WEB_GRAMMARS: Grammars = {
  wasm: ['javascript', 'python'].map((g) => ({ file: `tree-sitter-${g}.wasm`, module: `tree-sitter-${g}/tree-sitter-${g}.wasm` })),
  load([javascript, python]) {
    loading ??= (async () => {
      parsers = { javascript: await parserOf(javascript as Uint8Array), python: await parserOf(python as Uint8Array) };
    })();
    return loading;
  },
};

/** The JavaScript parser, once loaded (other readers of Node sources share it); undefined before. */
export function javascriptParser(): Parser | undefined {
  return parsers?.javascript;
}

export interface WebSource {
  /** Path relative to the build context. */
  readonly path: string;
  readonly text: string;
}

/** A path that can be asked as it is: absolute, without parameters or wildcards. */
function askable(path: string): string | undefined {
  return path.startsWith('/') && !/[:<>{}*?()\s]/.test(path) ? path : undefined;
}

function descendants(node: Node, type: string): Node[] {
  return node.descendantsOfType(type).filter((n): n is Node => n !== null);
}

/** The text of a string literal without interpolation, or undefined. */
function literal(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') {
    const parts = node.namedChildren.filter((c): c is Node => c !== null);
    const fragments = parts.filter((c) => c.type === 'string_fragment' || c.type === 'string_content');
    // Python strings have string_start/string_end; anything else (an escape, an interpolation) is not plain.
    if (parts.some((c) => !['string_fragment', 'string_content', 'string_start', 'string_end'].includes(c.type))) return undefined;
    return fragments.map((c) => c.text).join('');
  }
  if (node.type === 'template_string') return node.namedChildren.every((c) => c?.type === 'string_fragment') ? node.namedChildren.map((c) => c?.text ?? '').join('') : undefined;
  return undefined;
}

/** Express: `app.get('/x', …)`, `router.all('/x', …)` in a file that requires or imports express. */
function expressRoutes(file: WebSource, parser: Parser, out: Route[]): void {
  const tree = parser.parse(file.text);
  if (!tree) return;
  try {
    const root = tree.rootNode;
    const importsExpress =
      descendants(root, 'import_statement').some((i) => literal(i.childForFieldName('source')) === 'express') ||
      descendants(root, 'call_expression').some((c) => c.childForFieldName('function')?.text === 'require' && literal(c.childForFieldName('arguments')?.namedChildren[0]) === 'express');
    if (!importsExpress) return;
    for (const call of descendants(root, 'call_expression')) {
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'member_expression') continue;
      const method = callee.childForFieldName('property')?.text;
      if (method !== 'get' && method !== 'all') continue;
      const path = askable(literal(call.childForFieldName('arguments')?.namedChildren[0]) ?? '');
      if (path !== undefined) out.push({ path, file: file.path, line: call.startPosition.row });
    }
  } finally {
    tree.delete();
  }
}

/**
 * Flask and FastAPI: `@app.route('/x')` (without a `methods=` list that leaves out GET),
 * `@app.get('/x')`, `@router.get('/x')`, in a file that imports flask or fastapi.
 */
function pythonRoutes(file: WebSource, parser: Parser, out: Route[]): void {
  const tree = parser.parse(file.text);
  if (!tree) return;
  try {
    const root = tree.rootNode;
    const modules = [...descendants(root, 'import_from_statement').map((i) => i.childForFieldName('module_name')?.text ?? ''), ...descendants(root, 'import_statement').flatMap((i) => i.namedChildren.map((c) => c?.text ?? ''))];
    if (!modules.some((m) => /^(flask|fastapi)(\.|$)/.test(m))) return;
    for (const decorator of descendants(root, 'decorator')) {
      const call = decorator.namedChildren[0];
      if (call?.type !== 'call') continue;
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute') continue;
      const method = callee.childForFieldName('attribute')?.text;
      if (method !== 'route' && method !== 'get' && method !== 'api_route') continue;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? [];
      const path = askable(literal(args[0]) ?? '');
      if (path === undefined) continue;
      if (method !== 'get') {
        const methods = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'methods')?.childForFieldName('value');
        // Flask's default is GET; a list that names methods must name GET.
        if (methods && !descendants(methods, 'string').some((s) => /^get$/i.test(literal(s) ?? ''))) continue;
      }
      out.push({ path, file: file.path, line: decorator.startPosition.row });
    }
  } finally {
    tree.delete();
  }
}

/** Routes with a literal path, in file order, each path once. Files of other kinds are skipped. */
export function webRoutes(files: readonly WebSource[]): Route[] {
  const loaded = parsers;
  if (!loaded) throw new Error('The JavaScript and Python parsers are not loaded: load WEB_GRAMMARS first (workspace/grammars.ts).');
  const found: Route[] = [];
  for (const file of files) {
    if (/\.(c|m)?js$/.test(file.path)) expressRoutes(file, loaded.javascript, found);
    else if (file.path.endsWith('.py')) pythonRoutes(file, loaded.python, found);
  }
  const seen = new Set<string>();
  return found.filter((r) => !seen.has(r.path) && seen.add(r.path) !== undefined);
}

/**
 * The Express, Flask and FastAPI routes as the Node and Python entries both declare them
 * (LanguageSupport.routes): one reader, so the JavaScript and Python files are read in one list,
 * in walk order, each path once. Express apps are JavaScript, not TypeScript (the grammar is
 * JavaScript's); minified files are left out.
 */
export const WEB_ROUTES = {
  grammars: WEB_GRAMMARS,
  reads: (rel: string): boolean => /\.(c|m)?js$|\.py$/.test(rel) && !/\.min\.js$/.test(rel),
  routes: webRoutes,
};
