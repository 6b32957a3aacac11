// Size budgets: a ceiling on the final image, from `--max-size`, the `slimfile.sizeBudget`
// setting or a `# slimfile: max-size=…` comment in the Dockerfile, checked against the estimate
// (before any build) or the real size (after one). Pure: sizes in, one message out.
import type { Range } from 'vscode-languageserver-types';
import type { Finding } from '../findings';
import type { ImageEstimate } from './estimate';
import { formatBytes } from './sizes';

export const BUDGET_RULE = 'size-over-budget';
export const BUDGET_SUMMARY = 'the estimated (or built) final image is larger than its size budget';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * "20MB", "20 MB", "1.5GB", "500kB", "20MiB" -> bytes. Units are required: a bare number could be
 * bytes or MB, and a budget read the wrong way lets any image through. MB is decimal, as
 * `docker image ls` prints sizes.
 */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * (UNITS[(m[2] as string).toLowerCase()] as number);
  return Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : undefined;
}

export interface BudgetDirective {
  /** Undefined when the value is not a size; `problem` says why. */
  readonly bytes: number | undefined;
  readonly written: string;
  readonly line: number;
  readonly problem?: string;
}

const DIRECTIVE = /^\s*#\s*slimfile:\s*max-size\s*=\s*(.*?)\s*$/i;

/** The `# slimfile: max-size=20MB` comment of a Dockerfile, the first one when there are several. */
export function budgetDirective(text: string): BudgetDirective | undefined {
  const lines = text.split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const m = DIRECTIVE.exec(lines[line] as string);
    if (!m) continue;
    const written = m[1] as string;
    const bytes = parseSize(written);
    return bytes === undefined
      ? { bytes, written, line, problem: `max-size takes a size with its unit (20MB, 1.5GB, 500kB), not ${JSON.stringify(written)}` }
      : { bytes, written, line };
  }
  return undefined;
}

/** What weighs most in the final image: its base or its largest layer. */
export function biggestPart(estimate: ImageEstimate): { what: string; bytes: number } | undefined {
  const final = estimate.stages[estimate.stages.length - 1];
  if (!final) return undefined;
  let biggest: { what: string; bytes: number } | undefined = final.base ? { what: `the base image ${final.image}`, bytes: final.base.bytes } : undefined;
  for (const layer of final.layers) {
    if (layer.bytes !== undefined && (!biggest || layer.bytes > biggest.bytes)) biggest = { what: layer.what, bytes: layer.bytes };
  }
  return biggest;
}

export interface BudgetVerdict {
  readonly over: boolean;
  /** One line for a terminal, CI log or diagnostic. */
  readonly line: string;
}

/**
 * The estimate against the budget. An unknown estimate fails: a budget is a gate, and an image
 * whose size cannot be told has not been shown to fit.
 */
export function checkEstimateBudget(now: ImageEstimate, minimized: ImageEstimate | undefined, budget: number): BudgetVerdict {
  const after = afterMinimize(now, minimized);
  if (now.bytes === undefined) {
    return { over: true, line: `the image size cannot be estimated (${now.unknowns.join(', ') || 'unknown base'}), so the budget of ${formatBytes(budget)} cannot be checked` };
  }
  const notCounted = now.unknowns.length > 0 ? ` (not counted: ${now.unknowns.join(', ')})` : '';
  if (now.bytes <= budget) return { over: false, line: `estimated image ≈ ${formatBytes(now.bytes)} is within the budget of ${formatBytes(budget)}${notCounted}` };
  const biggest = biggestPart(now);
  const part = biggest ? `; biggest: ${biggest.what} ≈ ${formatBytes(biggest.bytes)}` : '';
  return { over: true, line: `estimated image ≈ ${formatBytes(now.bytes)} exceeds the budget of ${formatBytes(budget)}${part}${after}${notCounted}` };
}

/**
 * What Minimize would bring the image to. When the minimized image holds something without a
 * known size (a runtime base the catalog has no figure for), say so rather than stay silent, so
 * the user knows a conversion exists and what keeps it from being counted.
 */
function afterMinimize(now: ImageEstimate, minimized: ImageEstimate | undefined): string {
  if (!minimized || now.bytes === undefined) return '';
  if (minimized.bytes === undefined) {
    return minimized.unknowns.length > 0 ? `; Minimize would give an image of unknown size (not counted: ${minimized.unknowns.join(', ')})` : '';
  }
  return minimized.bytes < now.bytes ? `; Minimize would give ≈ ${formatBytes(minimized.bytes)}` : '';
}

/** The built image's real size against the budget. */
export function checkBuiltBudget(bytes: number, budget: number): BudgetVerdict {
  return bytes <= budget
    ? { over: false, line: `built image ${formatBytes(bytes)} is within the budget of ${formatBytes(budget)}` }
    : { over: true, line: `built image ${formatBytes(bytes)} (${bytes} bytes) exceeds the budget of ${formatBytes(budget)}` };
}

// To the end of line 1: LSP's largest character (uinteger, 2^31 - 1), which clients clamp to the
// line's end. Not Number.MAX_SAFE_INTEGER: a position object holding a number outside V8's small
// integers makes V8 store `character` boxed in every { line, character } object of the process
// (dockerfile-ast's and the model's, 150,000 of them for 10k lines): more to allocate and to collect.
const LINE_ONE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 2147483647 } };

/** The editor's warning on line 1 (or on the directive) when the estimate is over budget. */
export function budgetFinding(now: ImageEstimate, minimized: ImageEstimate | undefined, budget: number, where: Range = LINE_ONE): Finding | undefined {
  const verdict = checkEstimateBudget(now, minimized, budget);
  // In the editor an estimate that is still unknown (a base size being looked up) is not a warning yet.
  if (!verdict.over || now.bytes === undefined) return undefined;
  const line = verdict.line.charAt(0).toUpperCase() + verdict.line.slice(1);
  return { rule: BUDGET_RULE, severity: 'warning', message: `${line}.`, range: where, related: [], fixes: [] };
}
