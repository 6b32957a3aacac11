// Small statistics for the benchmarks: timing loops, medians, percentiles, growth exponents.
import { performance } from 'node:perf_hooks';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export interface TimingOptions {
  /** Runs before measuring, so the JIT has seen the code. */
  readonly warmup: number;
  /** At least this many measured runs... */
  readonly minRuns: number;
  /** ...and more until this much time is spent (ms), up to maxRuns. */
  readonly minTimeMs: number;
  readonly maxRuns: number;
}

/** Milliseconds per run of `work`, one sample per run. */
export function timeRuns(work: () => unknown, options: TimingOptions): number[] {
  let sink: unknown;
  for (let i = 0; i < options.warmup; i++) sink = work();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < options.maxRuns && (samples.length < options.minRuns || performance.now() - started < options.minTimeMs)) {
    const t0 = performance.now();
    sink = work();
    samples.push(performance.now() - t0);
  }
  keep(sink);
  return samples;
}

/**
 * Milliseconds per run of each of `works`, run in turn round after round, so a slow phase of a
 * shared machine hits every contender alike. Rounds continue until every work has minRuns and
 * the total time reaches minTimeMs (or maxRuns).
 */
export function timeInTurn(works: ReadonlyArray<() => unknown>, options: TimingOptions): number[][] {
  let sink: unknown;
  for (let i = 0; i < options.warmup; i++) for (const work of works) sink = work();
  const samples = works.map((): number[] => []);
  const started = performance.now();
  for (let round = 0; round < options.maxRuns && (round < options.minRuns || performance.now() - started < options.minTimeMs); round++) {
    works.forEach((work, i) => {
      const t0 = performance.now();
      sink = work();
      (samples[i] as number[]).push(performance.now() - t0);
    });
  }
  keep(sink);
  return samples;
}

let kept: unknown;
/** Keeps a result alive so the work that made it cannot be optimised away. */
function keep(value: unknown): void {
  kept = value;
}
export const lastKept = (): unknown => kept;

/**
 * Exponent k of cost ≈ c·n^k, from a least-squares fit of log(cost) on log(n).
 * 1.0 is linear; 2.0 quadratic.
 */
export function growthExponent(points: ReadonlyArray<{ n: number; cost: number }>): number {
  const xs = points.map((p) => Math.log(p.n));
  const ys = points.map((p) => Math.log(p.cost));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return num / den;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
