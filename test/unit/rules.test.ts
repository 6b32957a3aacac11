// Every rule over fixture folders: test/fixtures/rules/<rule-id>/<case>/ holds a build context
// (Dockerfile, go.mod, Go sources, run-time files) and, where a fix applies, the whole Dockerfile
// the user gets after it. A case fires unless its folder name starts with "silent"; case.json may
// say otherwise and pin the count, the fix, its safety and the related notes.
// UPDATE_FIXTURES=1 writes missing or changed expected files; read every one before committing it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { RULES } from '../../server/src/analysis/rules';
import type { Finding, Fix, RuntimeChoice } from '../../server/src/analysis/findings';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';

const ROOT = path.join(__dirname, '..', 'fixtures');
const RULE_FIXTURES = path.join(ROOT, 'rules');
const MINIMIZE_FIXTURES = path.join(ROOT, 'minimize');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const UPDATE = process.env.UPDATE_FIXTURES === '1';

interface CaseSpec {
  /** Default: true unless the folder name starts with "silent". */
  readonly fires?: boolean;
  /** Findings of the rule; default 1 when it fires. */
  readonly count?: number;
  /** The fix fixed.Dockerfile shows (default: the preferred one); null: the finding offers no fix. */
  readonly fix?: string | null;
  /** Whether that fix is marked safe (Minimize applies it). */
  readonly safe?: boolean;
  /** Exact titles of every fix the findings offer, in order. */
  readonly fixes?: readonly string[];
  /** Messages that must appear among the findings' related notes. */
  readonly related?: readonly string[];
  /** Folders to create in the context (git will not keep .git or node_modules in a fixture). */
  readonly mkdir?: readonly string[];
  /** Expected text of a file the fix creates, keyed by its path, read from the named fixture file. */
  readonly files?: Readonly<Record<string, string>>;
  /** The `slimfile.runtime` setting the case runs with (default distroless). */
  readonly runtime?: RuntimeChoice;
}

/** Files in a case folder that describe the test rather than the build context. */
const TEST_FILES = /^(case\.json|fixed(\..+)?\.Dockerfile|expected\..+)$/;

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Copies the case's build context (without the test files) to a temporary folder and reads it. */
async function loadCase(dir: string, spec: CaseSpec): Promise<{ project: ProjectFacts; cleanup: () => void }> {
  const context = mkdtempSync(path.join(os.tmpdir(), 'slimfile-rule-'));
  for (const entry of readdirSync(dir)) {
    if (TEST_FILES.test(entry)) continue;
    cpSync(path.join(dir, entry), path.join(context, entry), { recursive: true });
  }
  for (const folder of spec.mkdir ?? []) mkdirSync(path.join(context, folder), { recursive: true });
  const project = await loadProject(context, { maxGoFiles: 100 });
  return { project, cleanup: () => rmSync(context, { recursive: true, force: true }) };
}

function findingsOf(text: string, project: ProjectFacts, rule: string, runtime?: RuntimeChoice): Finding[] {
  return analyze(parseDockerfile(text), project, { rules: {}, ...(runtime ? { runtime } : {}) }).filter((f) => f.rule === rule);
}

/** The fix a title names (or each finding's preferred fix), from every finding that offers it. */
function selectFixes(findings: readonly Finding[], title: string | undefined): Fix[] {
  return findings.flatMap((f) => {
    const fix = title === undefined ? f.fixes.find((x) => x.isPreferred) ?? f.fixes[0] : f.fixes.find((x) => x.title === title);
    return fix ? [fix] : [];
  });
}

function applyFixes(text: string, fixes: readonly Fix[]): string {
  const edits: TextEdit[] = fixes.flatMap((f) => [...f.edits]);
  return applyEdits(text, edits);
}

/** Compares with the expected file, or writes it under UPDATE_FIXTURES=1. */
function expectText(actual: string, file: string): void {
  if (UPDATE && (!existsSync(file) || readFileSync(file, 'utf8') !== actual)) {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    writeFileSync(file, actual);
    assert.fail(`${file} did not exist; wrote it, check it by hand`);
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `differs from ${path.relative(ROOT, file)}`);
}

const ruleIds = readdirSync(RULE_FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

test('every rule has fixtures that fire and fixtures that stay silent', () => {
  assert.deepStrictEqual(ruleIds, RULES.map((r) => r.id).sort());
  for (const id of ruleIds) {
    const cases = readdirSync(path.join(RULE_FIXTURES, id));
    const silent = cases.filter((c) => c.startsWith('silent')).length;
    assert.ok(silent >= 2, `${id}: ${silent} silent fixtures`);
    assert.ok(cases.length - silent >= 2, `${id}: ${cases.length - silent} firing fixtures`);
  }
});

for (const rule of ruleIds) {
  const ruleDir = path.join(RULE_FIXTURES, rule);
  for (const name of readdirSync(ruleDir).sort()) {
    const dir = path.join(ruleDir, name);
    test(`${rule}: ${name}`, async () => {
      const specFile = path.join(dir, 'case.json');
      const spec: CaseSpec = existsSync(specFile) ? (JSON.parse(readFileSync(specFile, 'utf8')) as CaseSpec) : {};
      const fires = spec.fires ?? !name.startsWith('silent');
      const text = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      const { project, cleanup } = await loadCase(dir, spec);
      try {
        const findings = findingsOf(text, project, rule, spec.runtime);
        const failures = analyze(parseDockerfile(text), project).filter((f) => f.message.startsWith("Slimfile's rule"));
        assert.deepStrictEqual(failures.map((f) => f.message), [], 'a rule threw');
        if (!fires) {
          assert.deepStrictEqual(findings.map((f) => f.message), [], `${rule} must stay silent`);
          return;
        }
        assert.equal(findings.length, spec.count ?? 1, `findings: ${findings.map((f) => f.message).join(' | ')}`);
        if (spec.fixes) assert.deepStrictEqual(findings.flatMap((f) => f.fixes.map((x) => x.title)), spec.fixes);
        const relatedMessages = findings.flatMap((f) => f.related.map((r) => r.message));
        for (const message of spec.related ?? []) assert.ok(relatedMessages.includes(message), `related notes: ${relatedMessages.join(' | ')}`);
        if (spec.fix === null) {
          assert.deepStrictEqual(findings.flatMap((f) => f.fixes.map((x) => x.title)), [], 'no fix is offered');
          return;
        }

        let expected = readdirSync(dir).filter((f) => /^fixed(\..+)?\.Dockerfile$/.test(f));
        if (spec.files) {
          const fix = selectFixes(findings, spec.fix ?? undefined)[0];
          assert.ok(fix, 'the fix is offered');
          for (const [file, expectedFile] of Object.entries(spec.files)) {
            const created = fix.files?.find((f) => f.path === file);
            assert.ok(created, `the fix creates ${file}`);
            expectText(created.text, path.join(dir, expectedFile));
          }
          // With the files in place, the rule has nothing more to say.
          const context = project.contextDir as string;
          for (const file of fix.files ?? []) writeFileSync(path.join(context, file.path), file.text);
          const reloaded = await loadProject(context, { maxGoFiles: 100 });
          assert.deepStrictEqual(findingsOf(text, reloaded, rule, spec.runtime).map((f) => f.message), [], `${rule} still fires with the created files`);
        }
        if (expected.length === 0 && !spec.files) {
          // A firing case shows what its fix does; the first run writes fixed.Dockerfile to be read.
          assert.ok(findings.some((f) => f.fixes.length > 0), 'no fix is offered: say "fix": null in case.json');
          expected = ['fixed.Dockerfile'];
        }
        for (const file of expected) {
          const named = /^fixed\.(.+)\.Dockerfile$/.exec(file)?.[1];
          const title = named !== undefined ? findings.flatMap((f) => f.fixes).find((x) => slug(x.title) === named)?.title : spec.fix ?? undefined;
          assert.ok(named === undefined || title !== undefined, `no fix titled like ${named}: ${findings.flatMap((f) => f.fixes.map((x) => x.title)).join(' | ')}`);
          const fixes = selectFixes(findings, title);
          assert.ok(fixes.length > 0, `the fix ${title ?? '(preferred)'} is offered`);
          if (named === undefined && spec.safe !== undefined) assert.equal(fixes[0]?.safe, spec.safe, 'safe');
          const fixed = applyFixes(text, fixes);
          expectText(fixed, path.join(dir, file));
          // The result is a Dockerfile the rule is content with, and the fix does nothing more.
          const after = findingsOf(fixed, project, rule, spec.runtime);
          assert.deepStrictEqual(after.map((f) => f.message), [], `${rule} still fires after ${file}`);
          const again = selectFixes(after, title);
          assert.equal(applyFixes(fixed, again), fixed, 'applying the fix twice changes nothing more');
          // Line endings and the escape directive survive.
          if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(fixed), 'CRLF stays CRLF');
          else assert.ok(!fixed.includes('\r\n'), 'LF stays LF');
        }
      } finally {
        cleanup();
      }
    });
  }
}

// Every example folder (Go's and each language's naive single-stage project).
const examples = readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

for (const example of examples) {
  test(`minimize --runtime scratch: examples/${example}`, async () => {
    const dir = path.join(EXAMPLES, example);
    const project = await loadProject(dir, { maxGoFiles: 100 });
    const text = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const settings = { rules: {}, runtime: 'scratch' as const };
    const result = minimize(text, project, settings);
    expectText(result.text, path.join(MINIMIZE_FIXTURES, example, 'expected.scratch.Dockerfile'));
    assert.deepStrictEqual(analyze(parseDockerfile(result.text), project, settings).map((f) => `${f.rule}: ${f.message}`), []);
    assert.deepStrictEqual(result.remaining, []);
    assert.equal(minimize(result.text, project, settings).text, result.text, 'minimize is idempotent');
  });

  test(`minimize: examples/${example}`, async () => {
    const dir = path.join(EXAMPLES, example);
    const project = await loadProject(dir, { maxGoFiles: 100 });
    const text = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const result = minimize(text, project);
    mkdirSync(path.join(MINIMIZE_FIXTURES, example), { recursive: true });
    expectText(result.text, path.join(MINIMIZE_FIXTURES, example, 'expected.Dockerfile'));
    assert.deepStrictEqual(analyze(parseDockerfile(result.text), project).map((f) => `${f.rule}: ${f.message}`), []);
    assert.deepStrictEqual(result.remaining, []);
    assert.equal(minimize(result.text, project).text, result.text, 'minimize is idempotent');
    assert.deepStrictEqual(minimize(result.text, project).applied, []);
  });
}
