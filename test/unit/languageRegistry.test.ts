// The language registry (server/src/analysis/languages/registry.ts) is the one list of languages:
// what the README's "Adding a language" says a new language adds is checked here against it, so a
// language added to one place and not the others fails, and no other module keeps its own list.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { languages } from '../../server/src/analysis/languages/registry';
import { languageImageDescriptions } from '../../server/src/analysis/languages/images';
import { watchedFiles } from '../../server/src/analysis/languages/watched';
import { RULES } from '../../server/src/analysis/rules';

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

test('the LanguageId type names exactly the registered languages', () => {
  const file = path.join(ANALYSIS, 'languages', 'id.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'LanguageId');
  assert.ok(alias && ts.isUnionTypeNode(alias.type), 'LanguageId is a union of string literals');
  const named = alias.type.types.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : t.getText()));
  assert.deepEqual(named, ids);
});

test("every registered language's image description is the one the base-image facts ask", () => {
  // images.ts keeps its own list below the languages' analyses (which ask for base facts): the same functions, in the same order.
  assert.deepEqual(
    languageImageDescriptions().map((d) => d.name),
    languages().map((l) => l.describeImage.name),
  );
  for (const language of languages()) assert.ok(languageImageDescriptions().includes(language.describeImage), `${language.id}: describeImage is listed in languages/images.ts`);
});

test('every registered language has its rules folder, and every rule in it runs', () => {
  const ruleIds = new Set(RULES.map((r) => r.id));
  for (const id of ids) {
    const folder = path.join(ANALYSIS, 'languages', id, 'rules');
    assert.ok(existsSync(path.join(folder, 'index.ts')), `languages/${id}/rules/index.ts exists`);
    for (const file of readdirSync(folder)) {
      const text = readFileSync(path.join(folder, file), 'utf8');
      const declared = /^\s*id: '([a-z0-9-]+)',/m.exec(text)?.[1];
      if (declared) assert.ok(ruleIds.has(declared), `${declared} (languages/${id}/rules/${file}) is in rules/index.ts`);
    }
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
  // second list a new language would have to join; only registry.ts (by module) and id.ts (the type)
  // may hold one. A few ids together (the languages whose images one module describes) are not.
  const allowed = new Set([path.join(ANALYSIS, 'languages', 'registry.ts'), path.join(ANALYSIS, 'languages', 'id.ts')]);
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
