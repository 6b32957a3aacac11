// Shared by the engine tests of the other languages' examples (Rust, C, Java, Node, Python): a
// naive example built as written and minimized (through `slimfile compare`), both run to the end,
// and the figures kept for the report.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatMB, ROOT, run, slimfile } from './helpers';

export interface ExampleRow {
  readonly example: string;
  readonly naiveBytes: number;
  readonly minimizedBytes: number;
  readonly ratio: number;
  /** `slimfile estimate` of the minimized file with the engine (exact base sizes). */
  readonly estimate: number;
  readonly estimateOffPercent: number;
  /** The same without the engine or a registry: the catalog's figures alone (null: it cannot size it). */
  readonly catalogEstimate: number | null;
  readonly catalogOffPercent: number | null;
  /** What that catalog estimate says it leaves out. */
  readonly catalogUnknowns: readonly string[];
  readonly output: string;
}

interface CompareJson {
  original: { bytes: number; image: string };
  minimized: { bytes: number; image: string };
}

/** Runs the image to its end, with `input` on its stdin when given. */
export async function runToEnd(image: string, input?: string): Promise<{ code: number | null; output: string }> {
  const ran = await run('docker', ['run', '--rm', ...(input === undefined ? [] : ['-i']), image], { timeoutMs: 120_000, ...(input === undefined ? {} : { input }) });
  return { code: ran.code, output: `${ran.stdout}${ran.stderr}` };
}

async function estimateMinimized(dockerfile: string, env?: NodeJS.ProcessEnv): Promise<{ bytes: number | null; unknowns: string[] }> {
  const ran = await slimfile(['estimate', '--format', 'json', ...(env ? ['--offline'] : []), dockerfile], env);
  assert.equal(ran.code, 0, ran.stderr);
  return (JSON.parse(ran.stdout) as { minimized: { bytes: number | null; unknowns: string[] } }).minimized;
}

const off = (estimate: number, real: number): number => Number((((estimate - real) / real) * 100).toFixed(2));

/** Builds examples/<name> as written and minimized, runs both (with `input` on stdin), and checks they print `expected`. */
export async function compareExample(name: string, expected: string, input?: string): Promise<ExampleRow> {
  const dockerfile = path.join('examples', name, 'Dockerfile');
  const ran = await slimfile(['compare', '--format', 'json', '--no-cache', '--tag', `slimfile-test/${name}`, dockerfile]);
  assert.equal(ran.code, 0, `slimfile compare ${name} failed:\n${ran.stderr.slice(-4000)}`);
  const result = JSON.parse(ran.stdout) as CompareJson;
  const naive = await runToEnd(result.original.image, input);
  const minimized = await runToEnd(result.minimized.image, input);
  assert.deepEqual(minimized, { code: 0, output: expected });
  assert.deepEqual(naive, minimized);
  const withEngine = await estimateMinimized(dockerfile);
  assert.ok(withEngine.bytes !== null, `${name}: no estimate with the engine (${withEngine.unknowns.join(', ')})`);
  const estimate = withEngine.bytes;
  // No engine and no registry: what a user without the images pulled sees.
  const catalogEstimate = await estimateMinimized(dockerfile, { ...process.env, DOCKER_HOST: 'unix:///nonexistent/slimfile-test.sock', SLIMFILE_OFFLINE: '1' });
  const row: ExampleRow = {
    example: name,
    naiveBytes: result.original.bytes,
    minimizedBytes: result.minimized.bytes,
    ratio: Number((result.original.bytes / result.minimized.bytes).toFixed(2)),
    estimate,
    estimateOffPercent: off(estimate, result.minimized.bytes),
    catalogEstimate: catalogEstimate.bytes,
    catalogOffPercent: catalogEstimate.bytes === null ? null : off(catalogEstimate.bytes, result.minimized.bytes),
    catalogUnknowns: catalogEstimate.unknowns,
    output: expected.trim(),
  };
  await record(row);
  return row;
}

const RESULTS = path.join(ROOT, 'test', 'docker', 'languages-results.json');

/** Keeps each example's figures in test/docker/languages-results.json (one entry per example). */
export async function record<Row extends { readonly example: string }>(row: Row): Promise<void> {
  let rows: Array<{ example: string }> = [];
  try {
    rows = (JSON.parse(await fs.readFile(RESULTS, 'utf8')) as { examples: Array<{ example: string }> }).examples;
  } catch {
    rows = [];
  }
  rows = [...rows.filter((r) => r.example !== row.example), row];
  await fs.writeFile(RESULTS, `${JSON.stringify({ date: new Date().toISOString(), examples: rows }, null, 2)}\n`);
  process.stdout.write(`# ${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' && v > 1e6 ? formatMB(v) : v))}\n`);
}

/**
 * The minimized image is at least `ratio` times smaller, and both estimates are within `percent`;
 * or, where the catalog holds no figure for the runtime (`catalogLacks`, e.g. the distroless cc
 * image), the catalog estimate says it cannot size the image and names that runtime as left out.
 */
export function assertSizes(row: ExampleRow, ratio: number, percent: number, catalogLacks?: string): void {
  assert.ok(row.ratio >= ratio, `${row.example}: minimized is only ${row.ratio}x smaller (${formatMB(row.naiveBytes)} -> ${formatMB(row.minimizedBytes)})`);
  assert.ok(Math.abs(row.estimateOffPercent) <= percent, `${row.example}: estimate ${formatMB(row.estimate)} is ${row.estimateOffPercent}% off ${formatMB(row.minimizedBytes)}`);
  if (catalogLacks !== undefined) {
    assert.equal(row.catalogEstimate, null, `${row.example}: the catalog was expected to lack ${catalogLacks}`);
    assert.ok(row.catalogUnknowns.includes(`the size of ${catalogLacks}`), `${row.example}: ${row.catalogUnknowns.join(', ')}`);
    return;
  }
  assert.ok(row.catalogEstimate !== null && row.catalogOffPercent !== null, `${row.example}: no catalog estimate (${row.catalogUnknowns.join(', ')})`);
  assert.ok(Math.abs(row.catalogOffPercent) <= percent, `${row.example}: catalog estimate ${formatMB(row.catalogEstimate)} is ${row.catalogOffPercent}% off ${formatMB(row.minimizedBytes)}`);
}
