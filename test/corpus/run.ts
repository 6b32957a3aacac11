// `npm run corpus`: Slimfile's Minimize on every repository of go-real.tsv (or, with --langs, of
// langs-real.tsv) whose checkout is present, scored against the ground truth written before
// Slimfile ran on it. A measurement, not a gate: it exits 0 whatever the figures are.
//   SLIMFILE_CORPUS=/path/to/checkouts npm run corpus [-- --json results.json] [--only owner/name] [--runtime scratch] [--langs]
import { parseArgs } from 'node:util';
import { promises as fs, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/analysis/analyze';
import { loadProject } from '../../server/src/workspace/project';
import { readTruth, checkoutName, LANGUAGES, type Language, type TruthRow } from './truth';
import { listContext } from './imageFiles';
import { scoreRow, type RowScore } from './score';
import { scoreLangRow, type Scripts } from './scoreLangs';
import { goFacts } from '../../server/src/analysis/languages/go/source/facts';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const GO_TRUTH = path.join(__dirname, 'go-real.tsv');
const LANGS_TRUTH = path.join(__dirname, 'langs-real.tsv');

/** The checkouts: $SLIMFILE_CORPUS, else a `corpus` (Go) or `corpus-langs` folder beside this repository. */
export function corpusDir(langs: boolean): string {
  return path.resolve(process.env.SLIMFILE_CORPUS ?? path.join(REPO_ROOT, '..', langs ? 'corpus-langs' : 'corpus'));
}

/** The finding that says why a toolchain image stayed, per language. */
const CONVERSION_RULES: Record<Language, readonly string[]> = {
  go: ['go-toolchain-in-final-image'],
  rust: ['rust-toolchain-in-final-image'],
  c: ['c-compiler-in-final-image'],
  cpp: ['c-compiler-in-final-image'],
  java: ['java-jdk-in-final-image'],
  node: ['node-full-image', 'node-frontend-build-in-runtime', 'node-dev-dependencies-in-image'],
  python: ['python-full-image'],
};

/** package.json's scripts in the context, for `npm start` resolved to its command. */
async function packageScripts(contextDir: string): Promise<Scripts> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(contextDir, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> };
    return new Map(Object.entries(parsed.scripts ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as const] : [])));
  } catch {
    return new Map();
  }
}

interface RowResult extends Partial<RowScore> {
  readonly repo: string;
  readonly dockerfile: string;
  readonly language: Language;
  readonly verdict: TruthRow['verdict'];
  readonly status: 'scored' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly applied?: readonly string[];
  /** Findings Minimize left without a safe fix: why it did not convert, or what it left alone. */
  readonly refusals?: ReadonlyArray<{ readonly rule: string; readonly message: string; readonly details: readonly string[] }>;
}

async function runRow(row: TruthRow, corpus: string, settings: AnalysisSettings): Promise<RowResult> {
  const base = { repo: row.repo, dockerfile: row.dockerfile, language: row.language, verdict: row.verdict };
  const checkout = path.join(corpus, checkoutName(row.repo));
  const dockerfilePath = path.join(checkout, row.dockerfile);
  const contextDir = path.join(checkout, row.context);
  if (!existsSync(dockerfilePath)) return { ...base, status: 'skipped', reason: `no checkout at ${existsSync(checkout) ? dockerfilePath : checkout}` };
  // A checkout has no .git; `<owner>+<name>.commit` beside it, when present, says which commit it is.
  const marker = `${checkout}.commit`;
  const laidOut = existsSync(marker) ? (await fs.readFile(marker, 'utf8')).trim() : undefined;
  if (laidOut !== undefined && laidOut !== row.commit) return { ...base, status: 'skipped', reason: `the checkout is at ${laidOut}, the row describes ${row.commit}` };
  try {
    const text = await fs.readFile(dockerfilePath, 'utf8');
    // As `slimfile minimize --context [--runtime]`: the same project facts and settings.
    const project = await loadProject(contextDir, { maxGoFiles: 5000 });
    const result = minimize(text, project, settings);
    const context = await listContext(contextDir, dockerfilePath);
    const score =
      row.language === 'go'
        ? scoreRow(row, parseDockerfile(text), result.model, context, goFacts(project).goMod?.module)
        : scoreLangRow(row, parseDockerfile(text), result.model, context, await packageScripts(contextDir));
    return {
      ...base,
      status: 'scored',
      ...score,
      applied: result.applied,
      refusals: result.remaining.map((r) => ({ rule: r.rule, message: r.message, details: r.details ?? [] })),
    };
  } catch (error) {
    return { ...base, status: 'failed', reason: (error as Error).stack ?? String(error) };
  }
}

function yes(value: boolean | undefined): string {
  return value === undefined ? '-' : value ? 'yes' : 'no';
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

function label(r: RowResult): string {
  return r.dockerfile === 'Dockerfile' ? r.repo : `${r.repo} (${r.dockerfile})`;
}

/** Why Minimize left the toolchain image: the conversion finding's first reason, else the rules left. */
function refusal(r: RowResult): string {
  const refusals = r.refusals ?? [];
  const rules = CONVERSION_RULES[r.language];
  const conversion = refusals.find((x) => rules.includes(x.rule));
  if (conversion) return conversion.details[0]?.replace(/^(Not converted automatically|No automatic fix): /, '') ?? conversion.rule;
  return [...new Set(refusals.map((x) => x.rule))].join(', ') || '(no finding)';
}

function table(results: readonly RowResult[]): string {
  const rows = results.filter((r) => r.status === 'scored');
  const name = Math.max(4, ...rows.map((r) => label(r).length));
  const head = `${'repo'.padEnd(name)}  ${'lang'.padEnd(6)}  ${'verdict'.padEnd(11)}  conv  correct  unsafe  final image, or why not converted`;
  const lines = rows.map((r) => {
    return `${label(r).padEnd(name)}  ${r.language.padEnd(6)}  ${r.verdict.padEnd(11)}  ${yes(r.converted).padEnd(4)}  ${yes(r.correct).padEnd(7)}  ${yes(r.unsafe).padEnd(6)}  ${clip(r.converted ? (r.finalImage ?? '') : refusal(r), 90)}`;
  });
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}

function details(results: readonly RowResult[]): string {
  const out: string[] = [];
  for (const r of results.filter((x) => x.status === 'scored')) {
    const items = [
      ...(r.problems ?? []).map((p) => `  problem: ${p}`),
      ...(r.warnings ?? []).map((w) => `  also: ${w}`),
      ...(!r.converted ? (r.refusals ?? []).flatMap((x) => [`  left [${x.rule}]: ${clip(x.message, 160)}`, ...x.details.map((d) => `    - ${clip(d, 200)}`)]) : []),
      ...(r.unscored ?? []).map((u) => `  unscored: ${u}`),
    ];
    if (items.length > 0) out.push(`${label(r)}\n${items.join('\n')}`);
  }
  return out.join('\n');
}

interface Totals {
  readonly rows: number;
  readonly scored: number;
  readonly skipped: number;
  readonly failed: number;
  readonly convertible: number;
  readonly convertibleConverted: number;
  readonly convertedAndCorrect: number;
  readonly mustRefuse: number;
  readonly unsafe: number;
}

function totals(results: readonly RowResult[]): Totals {
  const scored = results.filter((r) => r.status === 'scored');
  const convertible = scored.filter((r) => r.verdict === 'convertible');
  return {
    rows: results.length,
    scored: scored.length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    failed: results.filter((r) => r.status === 'failed').length,
    convertible: convertible.length,
    convertibleConverted: convertible.filter((r) => r.converted).length,
    convertedAndCorrect: convertible.filter((r) => r.correct).length,
    mustRefuse: scored.filter((r) => r.verdict === 'must-refuse').length,
    unsafe: scored.filter((r) => r.unsafe).length,
  };
}

/** One line per language present: converted and correct of convertible, and the unsafe count. */
function perLanguage(results: readonly RowResult[]): string[] {
  return LANGUAGES.flatMap((language) => {
    const rows = results.filter((r) => r.language === language);
    if (rows.length === 0) return [];
    const t = totals(rows);
    return [`  ${language.padEnd(6)}  converted and correct ${t.convertedAndCorrect} of ${t.convertible} convertible (${percent(t.convertedAndCorrect, t.convertible)}); converted ${t.convertibleConverted}; unsafe ${t.unsafe} (must-refuse rows: ${t.mustRefuse}); scored ${t.scored} of ${t.rows}`];
  });
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(0)}%`;
}

function slimfileCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string', multiple: true }, runtime: { type: 'string' }, langs: { type: 'boolean' } } });
  const langs = values.langs ?? false;
  const truth = langs ? LANGS_TRUTH : GO_TRUTH;
  if (values.runtime !== undefined && values.runtime !== 'distroless' && values.runtime !== 'scratch') throw new Error(`--runtime is distroless or scratch, not ${values.runtime}`);
  const settings: AnalysisSettings = values.runtime ? { ...DEFAULT_SETTINGS, runtime: values.runtime } : DEFAULT_SETTINGS;
  const corpus = corpusDir(langs);
  const rows = (await readTruth(truth)).filter((row) => !values.only || values.only.some((o) => row.repo.includes(o)));
  const results: RowResult[] = [];
  for (const row of rows) results.push(await runRow(row, corpus, settings));
  const t = totals(results);
  const out: string[] = [];
  out.push(`Slimfile corpus: ${rows.length} rows of test/corpus/${path.basename(truth)}, checkouts in ${corpus}, runtime ${settings.runtime ?? 'default'}`, '');
  out.push(table(results), '');
  const more = details(results);
  if (more) out.push(more, '');
  const skipped = results.filter((r) => r.status === 'skipped');
  if (skipped.length > 0) out.push(`Skipped (no checkout): ${skipped.length}`, ...skipped.map((r) => `  ${label(r)}: ${r.reason}`), '');
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) out.push(`Failed (Slimfile or the scorer threw): ${failed.length}`, ...failed.map((r) => `  ${label(r)}: ${clip(r.reason ?? '', 300)}`), '');
  out.push(
    `Convertible: ${t.convertedAndCorrect} of ${t.convertible} converted and correct (${percent(t.convertedAndCorrect, t.convertible)}); ${t.convertibleConverted} converted (${percent(t.convertibleConverted, t.convertible)}).`,
    langs ? `Unsafe: ${t.unsafe} (must-refuse rows converted, or converted images that lost what the program reads, writes or links; ${t.mustRefuse} must-refuse rows).` : `Must-refuse: ${t.unsafe} of ${t.mustRefuse} converted anyway (unsafe).`,
    `Rows: ${t.scored} scored, ${t.skipped} skipped, ${t.failed} failed, of ${t.rows}.`,
  );
  if (langs) out.push('Per language:', ...perLanguage(results));
  process.stdout.write(`${out.join('\n')}\n`);
  if (values.json) {
    const report = { measuredAt: new Date().toISOString(), slimfileCommit: slimfileCommit(), corpus, runtime: settings.runtime ?? 'default', totals: t, rows: results };
    await fs.writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`JSON results written to ${values.json}\n`);
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
