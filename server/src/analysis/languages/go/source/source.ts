// Go source files as syntax trees, with what every analysis of them asks first: the package
// clause, the imports (alias, dot and blank ones too) and whether `go build` for the image's
// platform compiles the file at all.
import { constraintsAllow, fileNameMatches, LINUX_AMD64, type BuildTarget } from './build';
import { parseGo, type Node, type Tree } from './parser';

/** The line of a source file that shows a need or a file use, said to the user as `what`. */
export interface Evidence {
  readonly file: string;
  /** 0-based line. */
  readonly line: number;
  readonly what: string;
}

export interface SourceFile {
  /** Path relative to the build context, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

export interface ImportSite {
  readonly path: string;
  /** 0-based line of the import path. */
  readonly line: number;
  /** As written: a name, "." or "_"; undefined without one. */
  readonly alias: string | undefined;
}

export interface GoFile {
  readonly source: SourceFile;
  /** Position among the files handed in: results are ordered by it. */
  readonly order: number;
  /** The package folder, "" for the context root. */
  readonly folder: string;
  readonly packageName: string | undefined;
  readonly root: Node;
  readonly imports: readonly ImportSite[];
  /** Local name -> import path, for imports with a usable name (not "_" or "."). */
  readonly importNames: ReadonlyMap<string, string>;
  /** Import paths of `import . "path"`. */
  readonly dotImports: readonly string[];
  /** Line comments (`//…`) anywhere in the file, for directives (//go:embed, //export). */
  readonly directives: ReadonlyArray<{ readonly text: string; readonly line: number }>;
}

/** Parsed files; `dispose` frees the trees (their nodes are unusable afterwards). */
export interface ParsedSources {
  readonly files: readonly GoFile[];
  dispose(): void;
}

/**
 * Parses the files `go build` compiles for `target` (linux/amd64 unless told): _test.go files,
 * files for another GOOS/GOARCH and files whose build constraints exclude the target are left out.
 */
export function parseSources(files: readonly SourceFile[], target: BuildTarget = LINUX_AMD64): ParsedSources {
  const trees: Tree[] = [];
  const parsed: GoFile[] = [];
  files.forEach((source, order) => {
    const compiled = parseIfCompiled(source, order, target);
    if (!compiled) return;
    trees.push(compiled.tree);
    parsed.push(compiled.file);
  });
  return { files: parsed, dispose: () => trees.forEach((t) => t.delete()) };
}

/** The file's tree, unless `go build` for `target` leaves the file out. */
function parseIfCompiled(source: SourceFile, order: number, target: BuildTarget): { tree: Tree; file: GoFile } | undefined {
  if (source.path.endsWith('_test.go') || !fileNameMatches(source.path, target)) return undefined;
  const tree = parseGo(source.text);
  if (!constraintsAllow(leadingComments(tree.rootNode), target)) {
    tree.delete();
    return undefined;
  }
  return { tree, file: describe(source, order, tree.rootNode) };
}

/**
 * Parsed files kept between analyses of one build context, by path: a save re-parses the file
 * whose text changed and reuses every other tree. The trees stay in wasm memory until the file
 * leaves the set or `dispose`; wasm memory never shrinks, so a one-shot parse of the same files
 * already holds that much, and keeping them adds no resident memory.
 */
export class ParsedSourceCache {
  private readonly kept = new Map<string, { readonly text: string; readonly tree: Tree | undefined; readonly file: GoFile | undefined }>();

  constructor(private readonly target: BuildTarget = LINUX_AMD64) {}

  /** `parseSources(files, target)`, with unchanged files taken from the last call; `dispose` of the result frees nothing kept. */
  parse(files: readonly SourceFile[]): ParsedSources {
    const seen = new Set<string>();
    const parsed: GoFile[] = [];
    files.forEach((source, order) => {
      seen.add(source.path);
      let entry = this.kept.get(source.path);
      if (entry?.text !== source.text) {
        entry?.tree?.delete();
        const compiled = parseIfCompiled(source, order, this.target);
        entry = { text: source.text, tree: compiled?.tree, file: compiled?.file };
        this.kept.set(source.path, entry);
      }
      // The position among the files handed in orders the results; it moves when files come or go.
      if (entry.file) parsed.push({ ...entry.file, source, order });
    });
    for (const [file, entry] of this.kept) {
      if (seen.has(file)) continue;
      entry.tree?.delete();
      this.kept.delete(file);
    }
    return { files: parsed, dispose: () => undefined };
  }

  dispose(): void {
    for (const entry of this.kept.values()) entry.tree?.delete();
    this.kept.clear();
  }
}

/** Import paths of one Go file, with their lines. */
export function readImports(text: string): ImportSite[] {
  const tree = parseGo(text);
  try {
    return importsOf(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** The folders holding a `package main` that `go build` compiles for linux/amd64. */
export function mainPackageFolders(files: readonly SourceFile[]): string[] {
  const parsed = parseSources(files);
  try {
    return mainPackagesOf(parsed.files);
  } finally {
    parsed.dispose();
  }
}

/** The folders holding a `package main` among files parsed already. */
export function mainPackagesOf(files: readonly GoFile[]): string[] {
  return [...new Set(files.filter((f) => f.packageName === 'main').map((f) => f.folder))].sort();
}

function describe(source: SourceFile, order: number, root: Node): GoFile {
  const imports = importsOf(root);
  const importNames = new Map<string, string>();
  const dotImports: string[] = [];
  for (const site of imports) {
    if (site.alias === '.') dotImports.push(site.path);
    else if (site.alias !== '_') importNames.set(site.alias ?? defaultImportName(site.path), site.path);
  }
  const slash = source.path.lastIndexOf('/');
  const clause = root.namedChildren.find((n) => n?.type === 'package_clause');
  const directives: Array<{ text: string; line: number }> = [];
  walk(root, COMMENT, (n) => {
    const text = n.text;
    if (text.startsWith('//')) directives.push({ text, line: n.startPosition.row });
  });
  return {
    source,
    order,
    folder: slash < 0 ? '' : source.path.slice(0, slash),
    packageName: clause?.namedChildren[0]?.text,
    root,
    imports,
    importNames,
    dotImports,
    directives,
  };
}

/** Comments before the package clause: where build constraints live. */
const COMMENT = new Set(['comment']);
const IMPORT_SPEC = new Set(['import_spec']);

function leadingComments(root: Node): string[] {
  const comments: string[] = [];
  for (const child of root.children) {
    if (!child || child.type === 'package_clause') break;
    if (child.type === 'comment') comments.push(child.text);
  }
  return comments;
}

function importsOf(root: Node): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const declaration of root.namedChildren) {
    if (declaration?.type !== 'import_declaration') continue;
    walk(declaration, IMPORT_SPEC, (n) => {
      const path = n.childForFieldName('path');
      const name = n.childForFieldName('name');
      if (path) sites.push({ path: stringValue(path), line: path.startPosition.row, alias: name?.text });
      return false;
    });
  }
  return sites;
}

/**
 * The name an import is used by when it has no alias: the last element, without a /vN or .vN.
 * (Go uses the package clause of the imported package; for packages outside the sources this is
 * the convention they follow.)
 */
export function defaultImportName(importPath: string): string {
  const parts = importPath.split('/');
  const last = parts[parts.length - 1] ?? importPath;
  const element = /^v\d+$/.test(last) && parts.length > 1 ? (parts[parts.length - 2] as string) : last;
  return element.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/-go$/, '').replace(/[^\w]/g, '');
}

/**
 * Preorder walk calling `visit` on the nodes whose type is in `types` (it returns false to skip
 * their children). Other nodes are passed through on the cursor without making a Node of each,
 * which is most of the cost of walking a tree from JavaScript.
 */
export function walk(node: Node, types: ReadonlySet<string>, visit: (node: Node) => boolean | void): void {
  walkCursor(node, false, types, visit);
}

/** `walk` over the descendants of `node`, not `node` itself. */
export function walkInside(node: Node, types: ReadonlySet<string>, visit: (node: Node) => boolean | void): void {
  walkCursor(node, true, types, visit);
}

function walkCursor(node: Node, inside: boolean, types: ReadonlySet<string>, visit: (node: Node) => boolean | void): void {
  const cursor = node.walk();
  try {
    let depth = 0;
    if (inside) {
      if (!cursor.gotoFirstChild()) return;
      depth = 1;
    }
    for (;;) {
      const descend = !types.has(cursor.nodeType) || visit(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (depth > 0 && !cursor.gotoNextSibling()) {
        cursor.gotoParent();
        depth--;
      }
      if (depth === 0) return;
    }
  } finally {
    cursor.delete();
  }
}

/** The value of a Go string literal node (interpreted or raw). */
export function stringValue(node: Node): string {
  return unquote(node.text);
}

export function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  if (literal.startsWith('`')) return body.replace(/\r/g, '');
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, e: string) => {
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}

export function isStringLiteral(node: Node): boolean {
  return node.type === 'interpreted_string_literal' || node.type === 'raw_string_literal';
}
