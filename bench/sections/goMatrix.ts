// 7. Estimate against real size across Go releases: every example and realistic project, built on
// every golang stand-in (test/e2e/docker-setup.sh) as written and as Minimize leaves it, through
// `slimfile compare` (BuildKit through the Engine API), and `slimfile estimate` for the same text.
// A copy of each project is built with its `FROM golang:1.19` set to the release under test.
// Needs the engine and the base images; skipped without them. Far too long for CI (2 builds per
// cell, most compiling the standard library): run `npm run bench:go-matrix` or `npm run bench`.
import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'slimfile.js');
const PROJECTS = path.join(ROOT, 'test', 'fixtures', 'projects');
/** The tests' own files beside a project's Dockerfile: never part of what Slimfile sees. */
const HARNESS_FILES = new Set(['probe.json', 'classes.json', 'minimized.Dockerfile']);

/** Where section 7 sits in bench/results.md, so a run can replace it alone or keep it. */
export const MATRIX_BEGIN = '<!-- go-matrix:begin -->';
export const MATRIX_END = '<!-- go-matrix:end -->';

export const MATRIX_GO_VERSIONS = ['1.19', '1.22', '1.24', '1.27'];

export interface MatrixCell {
  readonly subject: string;
  readonly go: string;
  /** Set when the cell could not be measured (a build failed), with the reason. */
  readonly failed?: string;
  readonly naiveReal?: number;
  readonly naiveEstimate?: number | null;
  readonly minimizedReal?: number;
  readonly minimizedEstimate?: number | null;
  readonly runtime?: string;
  /** What the minimized estimate said its binary figure came from. */
  readonly binarySource?: string;
  /** What the estimate of the image as written names as not counted (package installs, downloads). */
  readonly naiveNotCounted?: readonly string[];
  readonly seconds?: number;
}

export type MatrixResult = { readonly cells: readonly MatrixCell[]; readonly versions: readonly string[] } | { readonly skipped: string };

function readIfThere(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/**
 * The bundled examples built on a golang image, sorted. The other languages' examples are measured
 * by their own engine tests (test/docker/languageExample.ts): they do not change with the Go
 * release, and the floor, scratch and UPX figures mean a Go binary.
 */
export function goExamples(): string[] {
  return readdirSync(path.join(ROOT, 'examples'))
    .filter((e) => /^FROM\s+golang:/im.test(readIfThere(path.join(ROOT, 'examples', e, 'Dockerfile'))))
    .sort();
}

export function matrixSubjects(): string[] {
  const examples = goExamples().map((e) => `examples/${e}`);
  const projects = readdirSync(PROJECTS).filter((p) => existsSync(path.join(PROJECTS, p, 'probe.json'))).map((p) => `projects/${p}`);
  return [...examples, ...projects.sort()];
}

async function sh(file: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run(file, [...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 });
  return stdout;
}

async function copyOn(subject: string, go: string): Promise<string> {
  const source = subject.startsWith('examples/') ? path.join(ROOT, subject) : path.join(PROJECTS, subject.slice('projects/'.length));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-matrix-${path.basename(subject)}-`));
  await fs.cp(source, dir, { recursive: true, filter: (file) => !HARNESS_FILES.has(path.relative(source, file)) });
  const dockerfile = path.join(dir, 'Dockerfile');
  const text = await fs.readFile(dockerfile, 'utf8');
  await fs.writeFile(dockerfile, text.replace(/^FROM golang:1\.19(\s|$)/gim, `FROM golang:${go}$1`));
  return dir;
}

function lastLines(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  const text = (e.stderr ?? e.message ?? String(error)).trim().split('\n').filter((l) => l.trim() !== '');
  return text.slice(-2).join(' / ').slice(0, 300);
}

export async function measureCell(subject: string, go: string): Promise<MatrixCell> {
  const started = Date.now();
  const source = subject.startsWith('examples/') ? path.join(ROOT, subject) : path.join(PROJECTS, subject.slice('projects/'.length));
  if (!existsSync(path.join(source, 'Dockerfile'))) return { subject, go, failed: `no Dockerfile in ${path.relative(ROOT, source)}`, seconds: 0 };
  const dir = await copyOn(subject, go);
  const dockerfile = path.join(dir, 'Dockerfile');
  try {
    let estimateText: string;
    try {
      estimateText = await sh(process.execPath, [CLI, 'estimate', '--format', 'json', dockerfile]);
    } catch (error) {
      return { subject, go, failed: `slimfile estimate: ${lastLines(error)}`, seconds: Math.round((Date.now() - started) / 1000) };
    }
    const estimate = JSON.parse(estimateText) as {
      current: { bytes: number | null };
      unknowns?: string[];
      minimized: { bytes: number | null; stages?: Array<{ layers: Array<{ what: string; source: string | null }> }> } | null;
    };
    const tag = `slimfile-bench/matrix-${path.basename(subject)}-go${go}`;
    let compared: { original: { bytes: number }; minimized: { bytes: number } };
    try {
      compared = JSON.parse(await sh(process.execPath, [CLI, 'compare', '--format', 'json', '--tag', tag, dockerfile])) as typeof compared;
    } catch (error) {
      return { subject, go, failed: lastLines(error), seconds: Math.round((Date.now() - started) / 1000) };
    }
    const minimizedText = await sh(process.execPath, [CLI, 'minimize', dockerfile]);
    const runtime = minimizedText.split('\n').filter((l) => /^FROM\s/i.test(l)).at(-1)?.trim().split(/\s+/)[1];
    const binaryLayer = estimate.minimized?.stages?.flatMap((s) => s.layers).find((l) => l.what.includes('Go binary'));
    return {
      subject,
      go,
      naiveReal: compared.original.bytes,
      naiveEstimate: estimate.current.bytes,
      minimizedReal: compared.minimized.bytes,
      minimizedEstimate: estimate.minimized?.bytes ?? null,
      ...(runtime ? { runtime } : {}),
      ...(binaryLayer?.source ? { binarySource: binaryLayer.source } : {}),
      ...(estimate.unknowns && estimate.unknowns.length > 0 ? { naiveNotCounted: estimate.unknowns } : {}),
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function runGoMatrix(options: { log: (line: string) => void; skipDocker: boolean; versions?: readonly string[]; subjects?: readonly string[] }): Promise<MatrixResult> {
  if (options.skipDocker) return { skipped: '--skip-docker' };
  try {
    await sh('bash', [path.join(ROOT, 'test', 'e2e', 'docker-setup.sh'), '--check']);
  } catch {
    return { skipped: 'Docker Engine or base images not ready (test/e2e/docker-setup.sh --check)' };
  }
  const versions = options.versions ?? MATRIX_GO_VERSIONS;
  const cells: MatrixCell[] = [];
  for (const go of versions) {
    for (const subject of options.subjects ?? matrixSubjects()) {
      options.log(`go matrix: ${subject} on Go ${go}`);
      const cell = await measureCell(subject, go);
      options.log(`  ${cell.failed ? `FAILED: ${cell.failed}` : `naive ${errorText(cell.naiveEstimate, cell.naiveReal)}, minimized ${errorText(cell.minimizedEstimate, cell.minimizedReal)}`} (${cell.seconds} s)`);
      cells.push(cell);
    }
  }
  return { cells, versions };
}

export function estimateError(estimate: number | null | undefined, real: number | undefined): number | undefined {
  if (estimate === null || estimate === undefined || real === undefined || real === 0) return undefined;
  return (estimate - real) / real;
}

function errorText(estimate: number | null | undefined, real: number | undefined): string {
  const e = estimateError(estimate, real);
  return e === undefined ? 'n/a' : `${(e * 100).toFixed(1)}%`;
}

const mb = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : `${(n / 1e6).toFixed(2)} MB`);

/** The table for bench/results.md: one row per cell, then per release the largest minimized error. */
export function matrixMarkdown(result: MatrixResult, target = 0.05): string {
  if ('skipped' in result) return `Skipped: ${result.skipped}.\n`;
  const lines = [
    '| subject | Go | naive real | naive estimate | error | minimized real | minimized estimate | error | runtime | met (≤ 5%) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of result.cells) {
    if (c.failed) {
      lines.push(`| ${c.subject} | ${c.go} | build failed: ${c.failed.replace(/\|/g, '\\|')} | | | | | | | — |`);
      continue;
    }
    const minErr = estimateError(c.minimizedEstimate, c.minimizedReal);
    lines.push(
      `| ${c.subject} | ${c.go} | ${mb(c.naiveReal)} | ${mb(c.naiveEstimate)} | ${errorText(c.naiveEstimate, c.naiveReal)}${c.naiveNotCounted ? ` (not counted: ${c.naiveNotCounted.join('; ').replace(/\|/g, '\\|')})` : ''} | ${mb(c.minimizedReal)} | ${mb(c.minimizedEstimate)} | ${errorText(c.minimizedEstimate, c.minimizedReal)} | ${c.runtime ?? '—'} | ${minErr === undefined ? '—' : Math.abs(minErr) <= target ? 'met' : 'NOT met'} |`,
    );
  }
  lines.push('', '| Go | cells built | minimized within 5% | largest minimized error | largest naive error |', '|---|---|---|---|---|');
  for (const go of result.versions) {
    const built = result.cells.filter((c) => c.go === go && !c.failed);
    const minimized = built.map((c) => ({ c, e: estimateError(c.minimizedEstimate, c.minimizedReal) })).filter((x) => x.e !== undefined) as Array<{ c: MatrixCell; e: number }>;
    const naive = built.map((c) => ({ c, e: estimateError(c.naiveEstimate, c.naiveReal) })).filter((x) => x.e !== undefined) as Array<{ c: MatrixCell; e: number }>;
    const worst = (xs: Array<{ c: MatrixCell; e: number }>): string => {
      const w = xs.sort((a, b) => Math.abs(b.e) - Math.abs(a.e))[0];
      return w ? `${(w.e * 100).toFixed(1)}% (${w.c.subject})` : '—';
    };
    const failed = result.cells.filter((c) => c.go === go && c.failed).length;
    lines.push(`| ${go} | ${built.length}${failed ? ` (+${failed} failed)` : ''} | ${minimized.filter((x) => Math.abs(x.e) <= target).length} of ${minimized.length} | ${worst(minimized)} | ${worst(naive)} |`);
  }
  lines.push(
    '',
    'The target is for the minimized image. The estimate of an image as written leaves out what it cannot size and names it (`slimfile estimate`: "not counted"): ' +
      'in these Dockerfiles the `apt-get install golang-*-dev` layers of dotenv, uploads-mux and gin-web, which is most of their naive error.',
  );
  return `${lines.join('\n')}\n`;
}
