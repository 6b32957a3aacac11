// `npm run fuzz`: the long run of the fuzzing properties, 100,000 cases by default (FUZZ_RUNS),
// seeded (FUZZ_SEED) and split over the machine's cores. Prints how many cases each property
// tried; a failure prints its seed and path, and `FUZZ_SEED=<seed> FUZZ_PATH=<path> FUZZ_ONLY=<name>`
// replays exactly that case.
import * as fc from 'fast-check';
import { fork } from 'node:child_process';
import * as os from 'node:os';
import { checkAnalysisAndFixes, checkDiff, checkMinimize, diffPairs, loadSeeds, mutatedCase, randomCase, type Seed } from './properties';
import { editScript, runEditScript, startSession } from './serverFuzz';

const TOTAL = Number(process.env['FUZZ_RUNS'] ?? 100_000);
const BASE_SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_611);

/** Share of the cases per property; the stdio server's cases are the slow ones (8 edit rounds each). */
const SHARES = { 'mutated fixtures: analysis and quick fixes': 0.45, 'random Dockerfiles: analysis and quick fixes': 0.3, 'mutated fixtures: Minimize': 0.15, 'diffAsEdit on random pairs': 0.098, 'server over stdio: random edits': 0.002 } as const;
type Name = keyof typeof SHARES;
const PURE: Name[] = ['mutated fixtures: analysis and quick fixes', 'random Dockerfiles: analysis and quick fixes', 'mutated fixtures: Minimize', 'diffAsEdit on random pairs'];

interface Outcome {
  readonly name: Name;
  readonly shard: number;
  readonly runs: number;
  readonly failed: boolean;
  readonly seed: number;
  readonly path?: string;
  readonly error?: string;
  readonly ms: number;
}

function runsFor(name: Name): number {
  const pureTotal = PURE.reduce((sum, n) => sum + Math.round(TOTAL * SHARES[n]), 0);
  // The server's share takes what rounding left, so the total is exact.
  return name === 'server over stdio: random edits' ? Math.max(1, TOTAL - pureTotal) : Math.round(TOTAL * SHARES[name]);
}

function property(name: Name, seeds: readonly Seed[]): fc.IProperty<[unknown]> {
  switch (name) {
    case 'mutated fixtures: analysis and quick fixes':
      return fc.property(mutatedCase(seeds), (c) => checkAnalysisAndFixes(c.text, c.project)) as unknown as fc.IProperty<[unknown]>;
    case 'random Dockerfiles: analysis and quick fixes':
      return fc.property(randomCase(seeds), (c) => checkAnalysisAndFixes(c.text, c.project)) as unknown as fc.IProperty<[unknown]>;
    case 'mutated fixtures: Minimize':
      return fc.property(mutatedCase(seeds), (c) => checkMinimize(c.text, c.project)) as unknown as fc.IProperty<[unknown]>;
    case 'diffAsEdit on random pairs':
      return fc.property(diffPairs, ([a, b]) => checkDiff(a, b)) as unknown as fc.IProperty<[unknown]>;
    default:
      throw new Error(`${name} is not a pure property`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- RunDetails is invariant in its case type
function outcome(name: Name, shard: number, details: fc.RunDetails<any>, ms: number): Outcome {
  return {
    name,
    shard,
    runs: details.numRuns,
    failed: details.failed,
    seed: details.seed,
    ...(details.failed ? { path: details.counterexamplePath ?? undefined, error: String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance).slice(0, 4000) } : {}),
    ms,
  };
}

/** One shard: its part of every pure property, with its own seed. */
async function runShard(shard: number, shards: number): Promise<Outcome[]> {
  const seeds = await loadSeeds();
  const out: Outcome[] = [];
  for (const name of PURE) {
    const all = runsFor(name);
    const numRuns = Math.floor(all / shards) + (shard < all % shards ? 1 : 0);
    const seed = BASE_SEED + PURE.indexOf(name) * 1000 + shard;
    const started = Date.now();
    out.push(outcome(name, shard, fc.check(property(name, seeds), { numRuns, seed }), Date.now() - started));
  }
  return out;
}

async function runServer(): Promise<Outcome> {
  const name: Name = 'server over stdio: random edits';
  const session = await startSession();
  const started = Date.now();
  try {
    const details = await fc.check(fc.asyncProperty(editScript, (script) => runEditScript(session, script)), { numRuns: runsFor(name), seed: BASE_SEED + 9000 });
    return outcome(name, 0, details, Date.now() - started);
  } finally {
    await session.dispose();
  }
}

async function replay(name: Name, seed: number, path: string): Promise<void> {
  const seeds = await loadSeeds();
  const prop = name === 'server over stdio: random edits' ? undefined : property(name, seeds);
  if (!prop) {
    const session = await startSession();
    try {
      await fc.assert(fc.asyncProperty(editScript, (script) => runEditScript(session, script)), { seed, path, numRuns: 1 });
    } finally {
      await session.dispose();
    }
    return;
  }
  fc.assert(prop, { seed, path, numRuns: 1 });
  console.log('the case passes now');
}

async function main(): Promise<void> {
  const shardArg = process.argv.indexOf('--shard');
  if (shardArg >= 0) {
    const results = await runShard(Number(process.argv[shardArg + 1]), Number(process.argv[shardArg + 2]));
    process.send?.(results);
    return;
  }
  if (process.env['FUZZ_PATH'] && process.env['FUZZ_ONLY']) {
    await replay(process.env['FUZZ_ONLY'] as Name, BASE_SEED, process.env['FUZZ_PATH']);
    return;
  }
  const shards = Math.max(1, Math.min(os.availableParallelism(), 8));
  const started = Date.now();
  console.log(`fuzz: ${TOTAL} cases, base seed ${BASE_SEED}, ${shards} shard(s)`);
  const shardResults = await Promise.all(
    Array.from({ length: shards }, (_, shard) =>
      new Promise<Outcome[]>((resolve, reject) => {
        const child = fork(__filename, ['--shard', String(shard), String(shards)], { execArgv: ['--import', 'tsx'] });
        let got: Outcome[] | undefined;
        child.on('message', (m) => (got = m as Outcome[]));
        child.on('exit', (code) => (got ? resolve(got) : reject(new Error(`shard ${shard} exited with ${code} and no results`))));
      }),
    ),
  );
  const results = [...shardResults.flat(), await runServer()];
  let total = 0;
  for (const name of Object.keys(SHARES) as Name[]) {
    const mine = results.filter((r) => r.name === name);
    const runs = mine.reduce((sum, r) => sum + r.runs, 0);
    total += runs;
    console.log(`${mine.some((r) => r.failed) ? 'FAIL' : 'ok  '} ${String(runs).padStart(7)} cases  ${name}  (${(Math.max(...mine.map((r) => r.ms)) / 1000).toFixed(1)} s)`);
  }
  console.log(`fuzz: ${total} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const failures = results.filter((r) => r.failed);
  for (const f of failures) {
    console.log(`\n--- ${f.name} (shard ${f.shard}) failed after ${f.runs} cases ---`);
    console.log(`replay: FUZZ_SEED=${f.seed} FUZZ_PATH=${f.path} FUZZ_ONLY='${f.name}' npm run fuzz`);
    console.log(f.error);
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
