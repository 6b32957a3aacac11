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

/**
 * The file's tree, unless `go build` for `target` leaves the file out. `named`: a file the go
 * command names (`go build main.go`), which it compiles whatever its build constraints and
 * GOOS/GOARCH suffix say (cmd/go's GoFilesPackage sets go/build's UseAllFiles); a test file still is not.
 */
function parseIfCompiled(source: SourceFile, order: number, target: BuildTarget, named = false): { tree: Tree; file: GoFile } | undefined {
  if (source.path.endsWith('_test.go') || (!named && !fileNameMatches(source.path, target))) return undefined;
  const tree = parseGo(source.text);
  if (!named && !constraintsAllow(leadingComments(tree.rootNode), target)) {
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

  /**
   * The sources handed to the last `parse` (`files`, which the caller keeps as they were), to be
   * parsed again in part later: a build that names files compiles only some of them.
   */
  snapshot(files: readonly SourceFile[]): SourceSnapshot {
    return new SourceSnapshot(files, this.kept, this.target);
  }

  dispose(): void {
    for (const entry of this.kept.values()) entry.tree?.delete();
    this.kept.clear();
  }
}

type KeptSources = ReadonlyMap<string, { readonly text: string; readonly tree: Tree | undefined; readonly file: GoFile | undefined }>;

/**
 * One version of a context's Go sources, as its reader read them. Opening it gives their trees on
 * demand: the cache's, for a file whose text is still this version's (so a save re-parses nothing
 * more), else a parse of its own, freed when the view is closed. Every answer comes from this
 * version's texts, whatever the cache holds by then, and a view is closed before its caller returns.
 */
export class SourceSnapshot {
  private readonly byPath = new Map<string, { readonly source: SourceFile; readonly order: number }>();
  // The cache is how the snapshot parses, not what it holds: `#` keeps it out of a comparison of
  // two contexts' facts (deepStrictEqual sees the same texts as the same sources).
  readonly #kept: KeptSources;
  readonly #target: BuildTarget;

  constructor(files: readonly SourceFile[], kept: KeptSources, target: BuildTarget) {
    this.#kept = kept;
    this.#target = target;
    files.forEach((source, order) => this.byPath.set(source.path, { source, order }));
  }

  /** Paths of the sources the reader read (tests are not), relative to the context, in walk order. */
  paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  /** Whether the reader read the source at `path` (relative to the context; tests are not read). */
  has(path: string): boolean {
    return this.byPath.has(path);
  }

  open(): SourceView {
    const own: Tree[] = [];
    return {
      file: (path, named = false) => {
        const found = this.byPath.get(path);
        if (!found) return undefined;
        const entry = this.#kept.get(path);
        if (entry?.text === found.source.text && (entry.file || !named)) return entry.file && { ...entry.file, source: found.source, order: found.order };
        const compiled = parseIfCompiled(found.source, found.order, this.#target, named);
        if (!compiled) return undefined;
        own.push(compiled.tree);
        return compiled.file;
      },
      close: () => own.splice(0).forEach((t) => t.delete()),
    };
  }
}

/** Parsed files of a SourceSnapshot, for as long as the view is open. */
export interface SourceView {
  /**
   * The file as go build compiles it, undefined when it is not compiled or was not read. `named`:
   * the go command names it, so its build constraints do not leave it out (parseIfCompiled).
   */
  file(path: string, named?: boolean): GoFile | undefined;
  /** Frees the trees the view parsed itself; its files are unusable afterwards. */
  close(): void;
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
