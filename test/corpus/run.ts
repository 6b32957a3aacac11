// `npm run corpus`: Slimfile's Minimize on every repository of go-real.tsv whose checkout is
// present, scored against the ground truth written before Slimfile ran on it. A measurement, not
// a gate: it exits 0 whatever the figures are.
//   SLIMFILE_CORPUS=/path/to/checkouts npm run corpus [-- --json results.json] [--only owner/name] [--runtime scratch]
import { parseArgs } from 'node:util';
import { promises as fs, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseDockerfile } from '../../server/src/analysis/model';
import { minimize } from '../../server/src/analysis/fixes/minimize';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/analysis/analyze';
import { loadProject } from '../../server/src/workspace/project';
import { readTruth, checkoutName, type TruthRow } from './truth';
import { listContext } from './imageFiles';
import { scoreRow, type RowScore } from './score';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TRUTH = path.join(__dirname, 'go-real.tsv');

/** The checkouts: $SLIMFILE_CORPUS, else a `corpus` folder beside this repository. */
export function corpusDir(): string {
  return path.resolve(process.env.SLIMFILE_CORPUS ?? path.join(REPO_ROOT, '..', 'corpus'));
}

interface RowResult extends Partial<RowScore> {
  readonly repo: string;
  readonly dockerfile: string;
  readonly verdict: TruthRow['verdict'];
  readonly status: 'scored' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly applied?: readonly string[];
  /** Findings Minimize left without a safe fix: why it did not convert, or what it left alone. */
  readonly refusals?: ReadonlyArray<{ readonly rule: string; readonly message: string; readonly details: readonly string[] }>;
}

async function runRow(row: TruthRow, corpus: string, settings: AnalysisSettings): Promise<RowResult> {
  const base = { repo: row.repo, dockerfile: row.dockerfile, verdict: row.verdict };
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
    const score = scoreRow(row, parseDockerfile(text), result.model, context, project.goMod?.module);
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
  const conversion = refusals.find((x) => x.rule === 'go-toolchain-in-final-image');
  if (conversion) return conversion.details[0]?.replace(/^(Not converted automatically|No automatic fix): /, '') ?? conversion.rule;
  return [...new Set(refusals.map((x) => x.rule))].join(', ') || '(no finding)';
}

function table(results: readonly RowResult[]): string {
  const rows = results.filter((r) => r.status === 'scored');
  const name = Math.max(4, ...rows.map((r) => label(r).length));
  const head = `${'repo'.padEnd(name)}  ${'verdict'.padEnd(11)}  conv  correct  unsafe  final image, or why not converted`;
  const lines = rows.map((r) => {
    return `${label(r).padEnd(name)}  ${r.verdict.padEnd(11)}  ${yes(r.converted).padEnd(4)}  ${yes(r.correct).padEnd(7)}  ${yes(r.unsafe).padEnd(6)}  ${clip(r.converted ? (r.finalImage ?? '') : refusal(r), 90)}`;
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
  const { values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string', multiple: true }, runtime: { type: 'string' } } });
  if (values.runtime !== undefined && values.runtime !== 'distroless' && values.runtime !== 'scratch') throw new Error(`--runtime is distroless or scratch, not ${values.runtime}`);
  const settings: AnalysisSettings = values.runtime ? { ...DEFAULT_SETTINGS, runtime: values.runtime } : DEFAULT_SETTINGS;
  const corpus = corpusDir();
  const rows = (await readTruth(TRUTH)).filter((row) => !values.only || values.only.some((o) => row.repo.includes(o)));
  const results: RowResult[] = [];
  for (const row of rows) results.push(await runRow(row, corpus, settings));
  const t = totals(results);
  const out: string[] = [];
  out.push(`Slimfile corpus: ${rows.length} rows of test/corpus/go-real.tsv, checkouts in ${corpus}, runtime ${settings.runtime ?? 'default'}`, '');
  out.push(table(results), '');
  const more = details(results);
  if (more) out.push(more, '');
  const skipped = results.filter((r) => r.status === 'skipped');
  if (skipped.length > 0) out.push(`Skipped (no checkout): ${skipped.length}`, ...skipped.map((r) => `  ${label(r)}: ${r.reason}`), '');
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) out.push(`Failed (Slimfile or the scorer threw): ${failed.length}`, ...failed.map((r) => `  ${label(r)}: ${clip(r.reason ?? '', 300)}`), '');
  out.push(
    `Convertible: ${t.convertedAndCorrect} of ${t.convertible} converted and correct (${percent(t.convertedAndCorrect, t.convertible)}); ${t.convertibleConverted} converted (${percent(t.convertibleConverted, t.convertible)}).`,
    `Must-refuse: ${t.unsafe} of ${t.mustRefuse} converted anyway (unsafe).`,
    `Rows: ${t.scored} scored, ${t.skipped} skipped, ${t.failed} failed, of ${t.rows}.`,
  );
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
