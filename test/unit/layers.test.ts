// Every piece has one home, and imports point downwards. Read from the sources with the
// TypeScript parser, this fails when an import crosses a line:
// - the VS Code client imports only server/src/protocol.ts from the server, VS Code's API,
//   vscode-languageclient and Node's built-ins;
// - protocol.ts imports types only, so the client bundle pulls in no server code;
// - nothing under server/ imports client/;
// - the analysis imports only itself and its parsing libraries (no disk, engine or LSP wiring);
// - what the language server loads at start-up holds no static import of the Docker libraries;
// - no module of server/src reaches itself through its imports (no import circles);
// - outside the analysis, what reads a Dockerfile's text or describes an image comes from the
//   analysis' entry (analysis/index.ts), which loads the language registry first.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

interface Import {
  readonly specifier: string;
  /** `import type`, `export type`, or every named binding marked `type`: erased by the compiler. */
  readonly typeOnly: boolean;
  /** `import()` or `require()`: runs when the code runs, not when the module loads. */
  readonly dynamic: boolean;
}

function importsOf(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const allNamedAreTypes = bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && allNamedAreTypes));
      found.push({ specifier: statement.moduleSpecifier.text, typeOnly, dynamic: false });
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      found.push({ specifier: statement.moduleSpecifier.text, typeOnly: statement.isTypeOnly, dynamic: false });
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
      found.push({ specifier: statement.moduleReference.expression.text, typeOnly: statement.isTypeOnly, dynamic: false });
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0] as ts.Expression)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) found.push({ specifier: (node.arguments[0] as ts.StringLiteral).text, typeOnly: false, dynamic: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Repository-relative path of a relative import's target (posix), or undefined for a package. */
function resolve(from: string, specifier: string, exists: (file: string) => boolean): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (exists(candidate)) return candidate;
  return `${base}.ts`;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

const CLIENT_PACKAGES = new Set(['vscode', 'vscode-languageclient']);
// web-tree-sitter is the Go parser (analysis/languages/go/source/parser.ts): handed the wasm bytes, it reads no disk.
const ANALYSIS_PACKAGES = new Set(['dockerfile-ast', 'vscode-languageserver-types', 'vscode-languageserver-textdocument', 'shell-quote', '@balena/dockerignore', 'smol-toml', 'web-tree-sitter']);
const PROTOCOL_PACKAGES = new Set(['vscode-languageserver-types', 'vscode-languageserver-protocol']);
const DOCKER_LIBRARIES = new Set(['dockerode', 'docker-modem', 'ssh2', 'tar-fs', 'tar-stream']);
const PROTOCOL = 'server/src/protocol.ts';
const SERVER_ENTRY = 'server/src/main.ts';

/** Every import that crosses a line, as "file: what: why". `files` maps repository-relative paths to their text. */
function crossings(files: ReadonlyMap<string, string>): string[] {
  const exists = (file: string): boolean => files.has(file);
  const problems: string[] = [];
  const imports = new Map([...files].map(([file, text]) => [file, importsOf(file, text)]));
  for (const [file, list] of imports) {
    for (const i of list) {
      const target = resolve(file, i.specifier, exists);
      const say = (why: string): void => void problems.push(`${file}: ${i.specifier}: ${why}`);
      if (file.startsWith('server/') && target?.startsWith('client/')) say('the server imports the client');
      if (file.startsWith('client/')) {
        if (target !== undefined && !target.startsWith('client/') && target !== PROTOCOL) say('the client imports a server internal (only server/src/protocol.ts is shared)');
        if (target === undefined && !isBuiltin(i.specifier) && !CLIENT_PACKAGES.has(packageOf(i.specifier))) say('the client imports a package other than vscode and vscode-languageclient');
      }
      if (file === PROTOCOL) {
        if (target !== undefined) say('protocol.ts imports server code, which would end up in the client');
        else if (!i.typeOnly || !PROTOCOL_PACKAGES.has(packageOf(i.specifier))) say('protocol.ts may only import LSP types, with import type');
      }
      if (file.startsWith('server/src/analysis/') && !i.typeOnly) {
        if (target !== undefined && !target.startsWith('server/src/analysis/')) say('the analysis imports outside itself (it stays pure)');
        if (target === undefined && !ANALYSIS_PACKAGES.has(packageOf(i.specifier))) say('the analysis imports a package beyond its parsing libraries');
      }
    }
  }
  // The server's start-up: every module reached by static value imports from its entry.
  for (const file of files.has(SERVER_ENTRY) ? loadedAtStart(files, SERVER_ENTRY) : []) {
    for (const i of imports.get(file) ?? []) {
      if (i.typeOnly || i.dynamic || resolve(file, i.specifier, exists) !== undefined) continue;
      if (DOCKER_LIBRARIES.has(packageOf(i.specifier))) problems.push(`${file}: ${i.specifier}: loaded at the server's start-up (import it on first use)`);
    }
  }
  return problems;
}

/**
 * Every import circle among the server's modules, each as its files in order, starting from the
 * least one and closing on it ("a.ts -> b.ts -> a.ts"). Type-only imports count: they are erased at
 * run time, so they cause no load-order hazard, but two modules that need each other's types are
 * still one piece in two files, and a type import is where a value import starts. `import()`
 * counts too: a lazily loaded module that imports its loader back is the same knot, tied later.
 */
function importCircles(files: ReadonlyMap<string, string>): string[] {
  const exists = (file: string): boolean => files.has(file);
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    if (!file.startsWith('server/src/')) continue;
    const targets = importsOf(file, text).map((i) => resolve(file, i.specifier, exists)).filter((t): t is string => t !== undefined && files.has(t));
    graph.set(file, [...new Set(targets)].sort());
  }
  // Tarjan's strongly connected components: a component of two or more files (or a file that
  // imports itself) is a circle; one path through it names it.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = new Set<string>();
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.add(member);
    } while (member !== file);
    if (component.size > 1 || (graph.get(file) ?? []).includes(file)) circles.push(circleThrough(graph, component));
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return circles.sort();
}

/** A shortest path from the component's least file back to itself, inside the component. */
function circleThrough(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string {
  const start = [...component].sort()[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const target of graph.get(file) ?? []) {
      if (!component.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = file; at !== start; at = previous.get(at) as string) path.splice(1, 0, at);
        return [...path, start].join(' -> ');
      }
      if (!previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return start;
}

function sources(dir: string, out: Map<string, string>): Map<string, string> {
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const relative = `${dir}/${name}`;
    if (statSync(path.join(ROOT, relative)).isDirectory()) sources(relative, out);
    else if (name.endsWith('.ts')) out.set(relative, readFileSync(path.join(ROOT, relative), 'utf8'));
  }
  return out;
}

test('no import crosses between the client, the protocol, the server and the analysis', () => {
  const files = sources('server/src', sources('client/src', new Map()));
  assert.ok(files.size > 50 && files.has(PROTOCOL) && files.has(SERVER_ENTRY), `read ${files.size} files`);
  assert.deepEqual(crossings(files), []);
});

test('each crossing is caught (the check on made-up files)', () => {
  const files = new Map([
    [SERVER_ENTRY, "import { start } from './server';\nstart();\n"],
    ['server/src/server.ts', "import type Docker from 'dockerode';\nimport { pack } from './docker/context';\nimport { view } from '../../client/src/view';\nexport async function start() { await import('./docker/build'); }\n"],
    ['server/src/docker/context.ts', "import * as tar from 'tar-fs';\nexport const pack = tar.pack;\n"],
    ['server/src/docker/build.ts', "import Docker from 'dockerode';\nexport const d = Docker;\n"],
    [PROTOCOL, "import type { Range } from 'vscode-languageserver-types';\nimport { formatBytes } from './analysis/sizes';\nexport type R = Range;\n"],
    ['server/src/analysis/sizes.ts', "import { readFileSync } from 'node:fs';\nimport { engine } from '../docker/engine';\nimport type { Settings } from '../settings';\nexport const formatBytes = 1;\n"],
    ['client/src/view.ts', "import * as vscode from 'vscode';\nimport { LanguageClient } from 'vscode-languageclient/node';\nimport { MINIMIZE } from '../../server/src/protocol';\nimport { sizes } from '../../server/src/analysis/sizes';\nimport { TextDocument } from 'vscode-languageserver-textdocument';\nexport const view = 1;\n"],
  ]);
  assert.deepEqual(crossings(files).sort(), [
    "client/src/view.ts: ../../server/src/analysis/sizes: the client imports a server internal (only server/src/protocol.ts is shared)",
    'client/src/view.ts: vscode-languageserver-textdocument: the client imports a package other than vscode and vscode-languageclient',
    'server/src/analysis/sizes.ts: ../docker/engine: the analysis imports outside itself (it stays pure)',
    'server/src/analysis/sizes.ts: node:fs: the analysis imports a package beyond its parsing libraries',
    'server/src/docker/context.ts: tar-fs: loaded at the server\'s start-up (import it on first use)',
    'server/src/protocol.ts: ./analysis/sizes: protocol.ts imports server code, which would end up in the client',
    'server/src/server.ts: ../../client/src/view: the server imports the client',
  ]);
});

test('no import circle among the server\'s modules', () => {
  const files = sources('server/src', new Map());
  assert.ok(files.size > 50, `read ${files.size} files`);
  assert.deepEqual(importCircles(files), []);
});

test('an import circle is caught (the check on made-up files)', () => {
  const files = new Map([
    // A circle of values through a folder's index.ts: baseImage asks the languages, a language asks baseImage.
    ['server/src/analysis/baseImage.ts', "import { describeLanguageImage } from './languages';\nexport const describeBase = 1;\n"],
    ['server/src/analysis/languages/index.ts', "import { rust } from './rust';\nexport const describeLanguageImage = rust;\n"],
    ['server/src/analysis/languages/rust.ts', "import { describeBase } from '../baseImage';\nexport const rust = describeBase;\n"],
    // A circle of types only.
    ['server/src/analysis/model.ts', "import type { GoBuild } from './gobuild';\nexport interface RunStep { build: GoBuild }\n"],
    ['server/src/analysis/gobuild.ts', "import { type RunStep } from './model';\nexport interface GoBuild { run: RunStep }\n"],
    // A module that imports itself, and one that is lazily loaded by the module it imports.
    ['server/src/self.ts', "export * from './self';\n"],
    ['server/src/server.ts', "import { engine } from './docker/engine';\nexport const start = engine;\n"],
    ['server/src/docker/engine.ts', "export const engine = 1;\nexport async function later() { return import('../server'); }\n"],
    // No circle: shared imports and an import of a file outside server/src.
    ['server/src/analysis/paths.ts', "export const join = 1;\n"],
    ['server/src/analysis/estimate.ts', "import { join } from './paths';\nimport { describeBase } from './baseImage';\nimport type { View } from '../../../client/src/view';\n"],
    ['client/src/view.ts', "import { estimate } from '../../server/src/analysis/estimate';\n"],
  ]);
  assert.deepEqual(importCircles(files), [
    'server/src/analysis/baseImage.ts -> server/src/analysis/languages/index.ts -> server/src/analysis/languages/rust.ts -> server/src/analysis/baseImage.ts',
    'server/src/analysis/gobuild.ts -> server/src/analysis/model.ts -> server/src/analysis/gobuild.ts',
    'server/src/docker/engine.ts -> server/src/server.ts -> server/src/docker/engine.ts',
    'server/src/self.ts -> server/src/self.ts',
  ]);
});

/** Every module an entry loads by static value imports, as the bundle evaluates it at start. */
function loadedAtStart(files: ReadonlyMap<string, string>, entry: string): Set<string> {
  const exists = (file: string): boolean => files.has(file);
  const loaded = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (loaded.has(file) || !files.has(file)) continue;
    loaded.add(file);
    for (const i of importsOf(file, files.get(file) as string)) {
      const target = i.typeOnly || i.dynamic ? undefined : resolve(file, i.specifier, exists);
      if (target !== undefined) pending.push(target);
    }
  }
  return loaded;
}

test('the language server and the CLI load the language registry at start, before any image is described', () => {
  // The image facts get the languages' image descriptions from the registry as it loads
  // (analysis/languages/images.ts); describing an image before then throws.
  const files = sources('server/src', new Map());
  for (const entry of [SERVER_ENTRY, 'server/src/cli.ts']) assert.ok(loadedAtStart(files, entry).has('server/src/analysis/languages/registry.ts'), `${entry} loads the registry`);
});

const ENTRY = 'server/src/analysis/index.ts';

/** The names the analysis' entry exports, read from its `export { … } from` lines. */
function entryNames(files: ReadonlyMap<string, string>): Set<string> {
  const source = ts.createSourceFile(ENTRY, files.get(ENTRY) ?? '', ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) for (const e of statement.exportClause.elements) names.add(e.name.text);
  }
  return names;
}

/**
 * Modules outside the analysis that import one of the entry's functions from the module behind it
 * (parseDockerfile from model.ts): such a caller could describe an image before the registry loaded.
 * Inside the analysis every module imports its neighbours directly, and never the entry.
 */
function entryBypasses(files: ReadonlyMap<string, string>): string[] {
  const exists = (file: string): boolean => files.has(file);
  const names = entryNames(files);
  const problems: string[] = [];
  for (const [file, text] of files) {
    const inside = file.startsWith('server/src/analysis/');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const target = resolve(file, statement.moduleSpecifier.text, exists);
      if (target === undefined || !target.startsWith('server/src/analysis/')) continue;
      if (inside && target === ENTRY) problems.push(`${file}: imports the analysis' entry from inside the analysis`);
      const bindings = statement.importClause?.namedBindings;
      if (inside || target === ENTRY || statement.importClause?.isTypeOnly || !bindings || !ts.isNamedImports(bindings)) continue;
      for (const e of bindings.elements) {
        const name = (e.propertyName ?? e.name).text;
        if (!e.isTypeOnly && names.has(name)) problems.push(`${file}: ${name} from ${target}, not from the analysis' entry`);
      }
    }
  }
  return problems.sort();
}

test("outside the analysis, Dockerfiles are parsed and images described only through the analysis' entry", () => {
  const files = new Map<string, string>();
  for (const dir of ['server/src', 'test', 'bench', 'scripts']) sources(dir, files);
  assert.ok(entryNames(files).has('parseDockerfile'));
  assert.deepEqual(entryBypasses(files), []);
});

test("a bypass of the analysis' entry is caught (the check on made-up files)", () => {
  const files = new Map([
    [ENTRY, "import './languages/registry';\nexport { parseDockerfile } from './model';\n"],
    ['server/src/analysis/model.ts', 'export function parseDockerfile() {}\nexport interface DockerfileModel {}\n'],
    ['server/src/analysis/minimize.ts', "import { parseDockerfile } from './model';\n"],
    ['server/src/analysis/estimate.ts', "import { parseDockerfile } from '.';\n"],
    ['server/src/session.ts', "import { parseDockerfile } from './analysis/model';\nimport type { DockerfileModel } from './analysis/model';\n"],
    ['test/unit/model.test.ts', "import { parseDockerfile } from '../../server/src/analysis';\nimport { type DockerfileModel } from '../../server/src/analysis/model';\n"],
  ]);
  assert.deepEqual(entryBypasses(files), [
    "server/src/analysis/estimate.ts: imports the analysis' entry from inside the analysis",
    'server/src/session.ts: parseDockerfile from server/src/analysis/model.ts, not from the analysis\' entry',
  ]);
});
