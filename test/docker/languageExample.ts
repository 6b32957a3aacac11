// Shared by the Java, Node and Python engine tests: a naive example built as written and
// minimized (through `slimfile compare`), both run to the end, and the figures kept for the report.
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
  /** The same without the engine or a registry: the catalog's figures alone. */
  readonly catalogEstimate: number;
  readonly catalogOffPercent: number;
  readonly output: string;
}

interface CompareJson {
  original: { bytes: number; image: string };
  minimized: { bytes: number; image: string };
}

export async function runToEnd(image: string): Promise<{ code: number | null; output: string }> {
  const ran = await run('docker', ['run', '--rm', image], { timeoutMs: 120_000 });
  return { code: ran.code, output: `${ran.stdout}${ran.stderr}` };
}

async function estimateMinimized(dockerfile: string, env?: NodeJS.ProcessEnv): Promise<number> {
  const ran = await slimfile(['estimate', '--format', 'json', ...(env ? ['--offline'] : []), dockerfile], env);
  assert.equal(ran.code, 0, ran.stderr);
  return (JSON.parse(ran.stdout) as { minimized: { bytes: number } }).minimized.bytes;
}

const off = (estimate: number, real: number): number => Number((((estimate - real) / real) * 100).toFixed(2));

/** Builds examples/<name> as written and minimized, runs both, and checks they print `expected`. */
export async function compareExample(name: string, expected: string): Promise<ExampleRow> {
  const dockerfile = path.join('examples', name, 'Dockerfile');
  const ran = await slimfile(['compare', '--format', 'json', '--no-cache', '--tag', `slimfile-test/${name}`, dockerfile]);
  assert.equal(ran.code, 0, `slimfile compare ${name} failed:\n${ran.stderr.slice(-4000)}`);
  const result = JSON.parse(ran.stdout) as CompareJson;
  const naive = await runToEnd(result.original.image);
  const minimized = await runToEnd(result.minimized.image);
  assert.deepEqual(minimized, { code: 0, output: expected });
  assert.deepEqual(naive, minimized);
  const estimate = await estimateMinimized(dockerfile);
  // No engine and no registry: what a user without the images pulled sees.
  const catalogEstimate = await estimateMinimized(dockerfile, { ...process.env, DOCKER_HOST: 'unix:///nonexistent/slimfile-test.sock', SLIMFILE_OFFLINE: '1' });
  const row: ExampleRow = {
    example: name,
    naiveBytes: result.original.bytes,
    minimizedBytes: result.minimized.bytes,
    ratio: Number((result.original.bytes / result.minimized.bytes).toFixed(2)),
    estimate,
    estimateOffPercent: off(estimate, result.minimized.bytes),
    catalogEstimate,
    catalogOffPercent: off(catalogEstimate, result.minimized.bytes),
    output: expected.trim(),
  };
  await record(row);
  return row;
}

const RESULTS = path.join(ROOT, 'test', 'docker', 'languages-results.json');

/** Keeps each example's figures in test/docker/languages-results.json (one entry per example). */
export async function record(row: { readonly example: string }): Promise<void> {
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

/** The minimized image is at least `ratio` times smaller, and both estimates are within `percent`. */
export function assertSizes(row: ExampleRow, ratio: number, percent: number): void {
  assert.ok(row.ratio >= ratio, `${row.example}: minimized is only ${row.ratio}x smaller (${formatMB(row.naiveBytes)} -> ${formatMB(row.minimizedBytes)})`);
  assert.ok(Math.abs(row.estimateOffPercent) <= percent, `${row.example}: estimate ${formatMB(row.estimate)} is ${row.estimateOffPercent}% off ${formatMB(row.minimizedBytes)}`);
  assert.ok(Math.abs(row.catalogOffPercent) <= percent, `${row.example}: catalog estimate ${formatMB(row.catalogEstimate)} is ${row.catalogOffPercent}% off ${formatMB(row.minimizedBytes)}`);
}
