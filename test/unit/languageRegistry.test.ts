// The language registry (server/src/analysis/languages/registry.ts) is the one list of languages,
// and a language is one folder, languages/<id>/: what the README's "Adding a language" says a new
// language adds is checked here against the registry, so a language added to one place and not the
// others fails, no other module keeps its own list, and no module outside the folder names it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { languages } from '../../server/src/analysis/languages/registry';
import { describeLanguageImage } from '../../server/src/analysis/languages/images';
import { parseImageReference } from '../../server/src/analysis/imageRef';
import { watchedFiles } from '../../server/src/analysis/languages/watched';
import { RULES } from '../../server/src/analysis/rules';
import { DEFAULTS, Settings } from '../../server/src/settings';
import { loadLimits } from '../../server/src/workspace/project';

const ROOT = path.resolve(__dirname, '..', '..');
const ANALYSIS = path.join(ROOT, 'server', 'src', 'analysis');
const ids = languages().map((l) => l.id);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return name.endsWith('.ts') ? [file] : [];
  });
}

function sourceOf(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

test("the LanguageId type is built from each registered language's own folder, and nowhere else", () => {
  // id.ts declares LanguageIds empty; each languages/<id>/index.ts adds its id with `declare module '../id'`.
  const declared: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'server', 'src'))) {
    const visit = (node: ts.Node): void => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === 'LanguageIds') {
        for (const member of node.members) if (member.name && ts.isIdentifier(member.name)) declared.push(`${path.relative(ANALYSIS, file)}: ${member.name.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceOf(file));
  }
  assert.deepEqual(declared.sort(), ids.map((id) => `${path.join('languages', id, 'index.ts')}: ${id}`).sort());
});

// Image names, at least one of each registered language's: a new language adds one of its own here.
const SAMPLE_IMAGES = ['golang:1.22', 'golang:1.24-alpine', 'rust:1.79-slim', 'gcc:14', 'eclipse-temurin:17-jre', 'maven:3.9-eclipse-temurin-17', 'node:20-slim', 'python:3.12', 'alpine:3.20', 'debian:bookworm', 'example.com/unknown:1'];

test("the image facts ask every registered language's description, in registry order", () => {
  const recognised = new Set<string>();
  for (const name of SAMPLE_IMAGES) {
    const ref = parseImageReference(name);
    assert.ok(ref, name);
    const answers = languages().map((l) => ({ id: l.id, facts: l.describeImage(ref) }));
    const first = answers.find((a) => a.facts !== undefined);
    if (first) recognised.add(first.id);
    assert.deepEqual(describeLanguageImage(ref), first?.facts, name);
  }
  assert.deepEqual([...recognised].sort(), [...ids].sort(), 'every language recognises one of the sample images');
});

test("every registered language's rules are in its folder, and every rule there runs in its language's groups", () => {
  const ruleIds = RULES.map((r) => r.id);
  for (const language of languages()) {
    const folder = path.join(ANALYSIS, 'languages', language.id, 'rules');
    assert.ok(existsSync(path.join(folder, 'index.ts')), `languages/${language.id}/rules/index.ts exists`);
    const grouped = Object.values(language.rules).flat().map((r) => r.id);
    for (const file of readdirSync(folder)) {
      const declared = /^\s*id: '([a-z0-9-]+)',/m.exec(readFileSync(path.join(folder, file), 'utf8'))?.[1];
      if (declared) assert.ok(grouped.includes(declared), `${declared} (languages/${language.id}/rules/${file}) is in ${language.id}'s rules`);
    }
    for (const id of grouped) assert.equal(ruleIds.filter((r) => r === id).length, 1, `${id} runs once`);
  }
  for (const rule of RULES) if (rule.language !== undefined) assert.ok(ids.includes(rule.language), `${rule.id}: its language ${rule.language} is registered`);
  // No folder for a language the registry does not know.
  const folders = readdirSync(path.join(ANALYSIS, 'languages')).filter((name) => statSync(path.join(ANALYSIS, 'languages', name)).isDirectory());
  assert.deepEqual(folders.sort(), [...ids].sort());
});

test("the server watches every registered language's manifests, lock files and sources", () => {
  const watched = watchedFiles();
  for (const language of languages()) {
    for (const name of [...language.manifests, ...(language.companionFiles ?? []), ...(language.watched?.names ?? [])]) assert.ok(watched.names.includes(name), `${language.id}: ${name} is watched`);
    for (const extension of [...(language.sourceExtensions ?? []), ...(language.watched?.extensions ?? [])]) assert.ok(watched.extensions.includes(extension), `${language.id}: ${extension} is watched`);
  }
});

test('no module of the server lists the languages but the registry and the id type', () => {
  // A list of every language id, or of all but one (an array, a union, an object's keys), is a
  // second list a new language would have to join; only registry.ts may hold one. A few ids together (the languages whose images one module describes) are not.
  const allowed = new Set([path.join(ANALYSIS, 'languages', 'registry.ts')]);
  const lists: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'server', 'src'))) {
    if (allowed.has(file)) continue;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      const words: string[] = [];
      if (ts.isArrayLiteralExpression(node)) for (const e of node.elements) if (ts.isStringLiteral(e)) words.push(e.text);
      if (ts.isUnionTypeNode(node)) for (const t of node.types) if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) words.push(t.literal.text);
      if (ts.isObjectLiteralExpression(node)) for (const p of node.properties) if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) words.push(p.name.text);
      if (new Set(words.filter((w) => ids.includes(w as never))).size >= ids.length - 1) lists.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(lists, []);
});

/**
 * Modules outside the languages' folders that name some languages by id, each for a reason: code
 * a family of languages shares. A new language adds nothing here; a new entry is a language
 * leaking out of its folder.
 */
const SHARED_FAMILY_CODE: Readonly<Record<string, string>> = {
  // Rust and C/C++ share the conversion of a compiled build and the tree-sitter source scans.
  'languages/compiled.ts': 'c rust',
  'languages/compiledSources.ts': 'c rust',
  // The Java, Node and Python images, read by the three languages' image descriptions and rules.
  'languages/runtimeImages.ts': 'java node python',
};

test("no module outside a language's folder and the registry names the language", () => {
  // A language is named where its id is a language: `language: 'rust'`, `id: 'rust'`, a comparison
  // with a `.language`, a literal type, or an argument to a function about languages.
  const named = new Map<string, Set<string>>();
  for (const file of sourceFiles(path.join(ROOT, 'server', 'src'))) {
    const relative = path.relative(ANALYSIS, file);
    const source = sourceOf(file);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) && ids.includes(node.text as never) && !relative.startsWith(path.join('languages', node.text) + path.sep) && relative !== path.join('languages', 'registry.ts')) {
        const parent = node.parent;
        const aboutLanguages = (e: ts.Node): boolean => (ts.isPropertyAccessExpression(e) && ['language', 'id'].includes(e.name.text)) || (ts.isIdentifier(e) && /language/i.test(e.text));
        const isLanguage =
          (ts.isPropertyAssignment(parent) && parent.initializer === node && ts.isIdentifier(parent.name) && ['language', 'id'].includes(parent.name.text)) ||
          (ts.isBinaryExpression(parent) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(parent.operatorToken.kind) && aboutLanguages(parent.left === node ? parent.right : parent.left)) ||
          ts.isLiteralTypeNode(parent) ||
          (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && /language/i.test(parent.expression.text));
        if (isLanguage) named.set(relative, (named.get(relative) ?? new Set()).add(node.text));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const found = Object.fromEntries([...named].map(([file, names]) => [file, [...names].sort().join(' ')]));
  assert.deepEqual(found, SHARED_FAMILY_CODE);
});

test('the project facts and the image facts name no language: what one language alone reads is in its own record', () => {
  // Facts only one language reads go in its record (ProjectFacts.own, BaseFacts.own), declared in
  // its folder. A field named after a language (ProjectFacts.go once) or a kind of image named after
  // one ('go-toolchain' once) is a language leaking out of its folder.
  const named: string[] = [];
  for (const file of ['project.ts', 'baseFacts.ts']) {
    const source = sourceOf(path.join(ANALYSIS, file));
    const visit = (node: ts.Node): void => {
      const name = (ts.isPropertySignature(node) || ts.isPropertyAssignment(node)) && ts.isIdentifier(node.name) ? node.name.text : undefined;
      if (name !== undefined && ids.includes(name as never)) named.push(`${file}: field ${name}`);
      if (ts.isStringLiteral(node) && ids.some((id) => node.text.startsWith(`${id}-`))) named.push(`${file}: '${node.text}'`);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(named, []);
});

/**
 * Where a module of the shared workspace or the Docker Engine code names a language, each as
 * "file:line: what". Naming it is: importing from its folder (analysis/languages/<id>/), a
 * string that is its id or one of its files (a manifest, a lock file, a watched or root file, a
 * source extension: 'go.mod', '.go', 'Cargo.toml'), a regular expression that takes one of its
 * source files, or an identifier with its id or name as a word (maxGoFiles, RUST_EXTENSIONS,
 * own.go). One-letter ids (C's) are left to the other three: `c` is any lambda's parameter; and
 * `NodeJS` is the namespace of the runtime the server itself runs on (NodeJS.ProcessEnv).
 */
function languageNamesIn(file: string, text: string, options: { readonly sourceFiles?: boolean } = {}): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const say = (node: ts.Node, what: string): void => void found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  const fileNames = new Set(languages().flatMap((l) => [...l.manifests, ...(l.companionFiles ?? []), ...(l.watched?.names ?? []), ...(l.contextReader?.roots ?? [])]));
  const extensions = new Set(languages().flatMap((l) => [...(l.sourceExtensions ?? []), ...(l.watched?.extensions ?? [])]));
  const words = new Set(languages().flatMap((l) => [l.id, ...l.name.split(/\W+/)].map((w) => w.toLowerCase()).filter((w) => w.length > 1)));
  const folders = ids.map((id) => `analysis/languages/${id}/`);
  // A package's own names are its words, not ours (vscode-languageclient's NodeModule is a Node.js module, not the language).
  const packageNames = new Set(
    source.statements.flatMap((s) =>
      ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && !s.moduleSpecifier.text.startsWith('.') && s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings)
        ? s.importClause.namedBindings.elements.map((e) => (e.propertyName ?? e.name).text)
        : [],
    ),
  );
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const folder = folders.find((f) => `${path.posix.normalize(node.text)}/`.includes(f));
      if (folder && (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent) || ts.isCallExpression(node.parent))) say(node, `imports from ${folder}`);
      else if (ids.includes(node.text as never) || fileNames.has(node.text) || (options.sourceFiles !== false && extensions.has(node.text))) say(node, `'${node.text}'`);
    }
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral && options.sourceFiles !== false) {
      const literal = node.getText(source);
      const regex = new RegExp(literal.slice(1, literal.lastIndexOf('/')), literal.slice(literal.lastIndexOf('/') + 1));
      const takes = [...extensions].find((e) => regex.test(`main${e}`));
      if (takes) say(node, `${literal} takes ${takes} files`);
    }
    if (ts.isIdentifier(node) && node.text !== 'NodeJS' && !packageNames.has(node.text)) {
      const word = (node.text.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? []).find((w) => words.has(w.toLowerCase()));
      if (word) say(node, `identifier ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The workspace (measured builds included: a language's are data its folder gives) and the Docker Engine code. */
function sharedDiskModules(): string[] {
  return [...sourceFiles(path.join(ROOT, 'server', 'src', 'workspace')), ...sourceFiles(path.join(ROOT, 'server', 'src', 'docker'))];
}

test("the workspace and the engine code name no language: they ask the registry for what each reads", () => {
  // What a language reads of the context its own way is its `context` reader (Go's go.mod and
  // sources, languages/go/context.ts), its grammars are its `grammars`, its routes its `routes`.
  const modules = sharedDiskModules();
  for (const checked of [path.join('workspace', 'project.ts'), path.join('workspace', 'measuredBuilds.ts'), path.join('docker', 'probePlan.ts')]) assert.ok(modules.some((file) => file.endsWith(checked)), `${checked} is checked`);
  const named = modules.flatMap((file) => languageNamesIn(path.relative(ROOT, file), readFileSync(file, 'utf8')));
  assert.deepEqual(named, []);
});

test('a language named in the shared workspace is caught (the check on a made-up loader)', () => {
  const loader = [
    "import { parseGoMod } from '../analysis/languages/go/gomod';",
    "import { loadGrammars } from './grammars';",
    'const NODE_SOURCE = /\\.(c|m)?(js|ts)$/;',
    'export async function load(maxGoFiles: number, name: string) {',
    "  if (name === 'go.mod' || name.endsWith('.rs')) return { own: { go: parseGoMod(name) } };",
    '  return (c: string) => NODE_SOURCE.test(c) && maxGoFiles > 0 && loadGrammars;',
    '}',
  ].join('\n');
  assert.deepEqual(languageNamesIn('loader.ts', loader), [
    'loader.ts:1: identifier parseGoMod',
    'loader.ts:1: imports from analysis/languages/go/',
    'loader.ts:3: identifier NODE_SOURCE',
    'loader.ts:3: /\\.(c|m)?(js|ts)$/ takes .js files',
    'loader.ts:4: identifier maxGoFiles',
    "loader.ts:5: 'go.mod'",
    "loader.ts:5: '.rs'",
    'loader.ts:5: identifier go',
    'loader.ts:5: identifier parseGoMod',
    'loader.ts:6: identifier NODE_SOURCE',
    'loader.ts:6: identifier maxGoFiles',
  ]);
});

/**
 * The base-image code (server/src/images/): the catalog, the registry and engine look-ups, the
 * package indexes. A language's images in the catalog are its own catalog.json, handed over by its
 * LanguageSupport (`catalog`), so no module here names one. It reads no build context, so a source
 * extension or a pattern that takes a source file's name is none of a language's there (the
 * bundle's own '.js', an image name's pattern): those are left out of the check.
 */
function imageModuleNames(file: string, text: string): string[] {
  return languageNamesIn(file, text, { sourceFiles: false });
}

test("the base-image code names no language: each language's catalog entries come through the registry", () => {
  const folder = path.join(ROOT, 'server', 'src', 'images');
  const modules = sourceFiles(folder);
  assert.ok(modules.some((file) => file.endsWith(path.join('images', 'catalog.ts'))), 'images/catalog.ts is checked');
  assert.deepEqual(modules.flatMap((file) => imageModuleNames(path.relative(ROOT, file), readFileSync(file, 'utf8'))), []);
  // And every language's catalog entries are its own images, which its description recognises.
  for (const language of languages()) {
    for (const entry of language.catalog?.entries ?? []) {
      const ref = parseImageReference(`${entry.repository}:${entry.tags[0] ?? 'latest'}`);
      assert.ok(ref && language.describeImage(ref), `${language.id}: ${entry.id} is one of its images`);
    }
  }
});

test('a language named in the catalog is caught (the check on the catalog as it was, importing per-language files)', () => {
  const before = [
    "import rustCatalog from './catalog-languages/rust.json';",
    'export interface CatalogEntry {',
    '  readonly goVersion?: string | null;',
    '}',
    'const ENTRIES = [catalogData, rustCatalog].flatMap((c) => c.images);',
  ].join('\n');
  assert.deepEqual(imageModuleNames('server/src/images/catalog.ts', before), [
    'server/src/images/catalog.ts:1: identifier rustCatalog',
    'server/src/images/catalog.ts:3: identifier goVersion',
    'server/src/images/catalog.ts:5: identifier rustCatalog',
  ]);
});


/**
 * The wiring: the server's connection, its sessions and open documents, its request handlers, the
 * CLI, and the VS Code client. What they need of a language they ask every registered one through
 * languages/hooks.ts (the builds to measure, a manifest's own findings and hover, a change made on
 * request and offered as a refactor, a hover on a Dockerfile line, the manifest documents the
 * server registers with the client), so they name none.
 */
const WIRING = [
  'server/src/server.ts',
  'server/src/sessions.ts',
  'server/src/documents.ts',
  'server/src/cli.ts',
  ...sourceFiles(path.join(ROOT, 'server', 'src', 'handlers')).map((file) => path.relative(ROOT, file)),
  // The client but its tree views, whose `node` is a tree's node, not Node's.
  ...sourceFiles(path.join(ROOT, 'client', 'src'))
    .map((file) => path.relative(ROOT, file))
    .filter((file) => !file.startsWith(path.join('client', 'src', 'views') + path.sep)),
];

test("the server's connection, sessions, documents and handlers, the CLI and the client name no language", () => {
  assert.ok(WIRING.includes(path.join('client', 'src', 'client.ts')), 'the client is checked');
  assert.ok(WIRING.includes(path.join('server', 'src', 'handlers', 'hover.ts')), 'the handlers are checked');
  assert.deepEqual(WIRING.flatMap((file) => languageNamesIn(file, readFileSync(path.join(ROOT, file), 'utf8'))), []);
});

test('a language named anew in the wiring is caught: the Go scan limit, the measured go build and UPX as the sessions and the CLI once had them', () => {
  const before = 'const project = await this.projects.get(context, { maxGoFiles: settings.maxGoFiles }, (file) => this.openText(file));';
  assert.deepEqual(languageNamesIn('server/src/sessions.ts', before), ['server/src/sessions.ts:1: identifier maxGoFiles', 'server/src/sessions.ts:1: identifier maxGoFiles']);
  assert.deepEqual(languageNamesIn('server/src/cli.ts', "const project = await loadProject(dir, { maxRustFiles: 5000 }, 'rust');"), ['server/src/cli.ts:1: identifier maxRustFiles', "server/src/cli.ts:1: 'rust'"]);
  const measured = [
    "import { addUpx } from './analysis/languages/go/upx';",
    'const measurer = new GoBuildMeasurer(() => undefined);',
    "if (isGoMod(document)) void measurer.measure({ contextDir, build, go: builderGo(model, stage) });",
  ].join('\n');
  assert.deepEqual(languageNamesIn('server/src/cli.ts', measured), [
    'server/src/cli.ts:1: imports from analysis/languages/go/',
    'server/src/cli.ts:2: identifier GoBuildMeasurer',
    'server/src/cli.ts:3: identifier isGoMod',
    'server/src/cli.ts:3: identifier go',
    'server/src/cli.ts:3: identifier builderGo',
  ]);
});

test("a language named anew in a handler is caught: go.mod's hover, the binary's size and UPX as hover.ts once had them", () => {
  const hover = [
    "import { goDirectiveHover } from '../analysis/languages/go/gomodHover';",
    'if (manifestDocumentOf(document) === goModDocument) return goDirectiveHover(parseGoMod(text), position.line, dockerfiles);',
    "import { upxHover } from '../analysis/languages/go/upx';",
    'const knowledge = { binary: (build, s, built) => goBinarySize(sizes, build, built, builderGo(model, s)) };',
  ].join('\n');
  assert.deepEqual(languageNamesIn('server/src/handlers/hover.ts', hover), [
    'server/src/handlers/hover.ts:1: identifier goDirectiveHover',
    'server/src/handlers/hover.ts:1: imports from analysis/languages/go/',
    'server/src/handlers/hover.ts:2: identifier goModDocument',
    'server/src/handlers/hover.ts:2: identifier goDirectiveHover',
    'server/src/handlers/hover.ts:2: identifier parseGoMod',
    'server/src/handlers/hover.ts:3: imports from analysis/languages/go/',
    'server/src/handlers/hover.ts:4: identifier goBinarySize',
    'server/src/handlers/hover.ts:4: identifier builderGo',
  ]);
});

test("the scan limit is a language's setting, read through the registry: slimfile.goScan.maxFiles still sets Go's", () => {
  assert.deepEqual(Settings.from({ goScan: { maxFiles: 10 } }).loadLimits, { maxGoFiles: 10 });
  // Unset, or not a positive number: the reader's default, 2000 in the editor and 5000 in the CLI.
  assert.deepEqual(Settings.from({}).loadLimits, { maxGoFiles: 2000 });
  assert.deepEqual(Settings.from({ goScan: { maxFiles: -3 } }).loadLimits, { maxGoFiles: 2000 });
  assert.deepEqual(DEFAULTS.loadLimits, { maxGoFiles: 2000 });
  assert.deepEqual(loadLimits({ goScan: { maxFiles: 'many' } }, 'cli'), { maxGoFiles: 5000 });
  // Every reader that has a limit fills its field, and each reader reads its own.
  for (const language of languages()) {
    const limit = language.contextReader?.limit;
    if (limit) assert.equal(language.contextReader?.maxFiles(loadLimits({ [limit.section]: { [limit.key]: 7 } }, 'editor')), 7, language.id);
  }
});

test("a caller that parses through the analysis' entry needs to know nothing of the registry", () => {
  // A fresh process that imports only the entry (server/src/analysis) and parses a golang image,
  // whose description comes from Go's folder through the registry: the stage starts in the
  // image's WORKDIR (/go) and the base is the Go toolchain, as the registered description says.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-entry-'));
  const script = path.join(dir, 'parse.ts');
  writeFileSync(
    script,
    `import { parseDockerfile, describeBase } from ${JSON.stringify(ANALYSIS)};\n` +
      `const stage = parseDockerfile('FROM golang:1.22\\nRUN go build -o app .\\n').stages[0]!;\n` +
      `console.log(JSON.stringify({ workdir: stage.workdir, kind: describeBase(stage.base.reference).kind }));\n`,
  );
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { workdir: '/go', kind: 'toolchain' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('describing an image before the registry has loaded fails with a message, never answers "unknown"', () => {
  // A fresh process that parses with model.ts alone, bypassing the analysis' entry (which the
  // layers test forbids outside the analysis): no module on its path loads the registry.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-registry-'));
  const script = path.join(dir, 'parse.ts');
  writeFileSync(script, `import { parseDockerfile } from ${JSON.stringify(path.join(ANALYSIS, 'model'))};\nparseDockerfile('FROM golang:1.22\\n');\n`);
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /an image was described before the languages were registered; parse through the analysis' entry \(server\/src\/analysis\/index\.ts\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
