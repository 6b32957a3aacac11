// The quick, seeded run of the fuzzing properties for `npm test` (the long run: `npm run fuzz`).
// A failure prints the seed and path; FUZZ_SEED=<seed> reruns the same cases.
import { test, before } from 'node:test';
import * as fc from 'fast-check';
import { checkAnalysisAndFixes, checkDiff, checkMinimize, diffPairs, loadSeeds, mutatedCase, randomCase, type Seed } from './properties';
import { editScript, runEditScript, startSession } from './serverFuzz';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_611);
let seeds: Seed[] = [];
before(async () => {
  seeds = await loadSeeds();
});

test('mutated fixtures: analysis never throws, stays within its bound, every quick fix is sound and idempotent', () => {
  fc.assert(fc.property(mutatedCase(seeds), (c) => checkAnalysisAndFixes(c.text, c.project)), { numRuns: 400, seed: SEED });
});

test('random Dockerfiles: the same', () => {
  fc.assert(fc.property(randomCase(seeds), (c) => checkAnalysisAndFixes(c.text, c.project)), { numRuns: 400, seed: SEED + 1 });
});

test('Minimize on mutated fixtures re-parses, keeps what it does not touch, and a second run changes nothing', () => {
  fc.assert(fc.property(mutatedCase(seeds), (c) => checkMinimize(c.text, c.project)), { numRuns: 150, seed: SEED + 2 });
});

test('the edit sent for Minimize and fix-all reproduces the new text, whatever the line endings', () => {
  fc.assert(fc.property(diffPairs, ([a, b]) => checkDiff(a, b)), { numRuns: 300, seed: SEED + 3 });
});

test('the server over stdio keeps answering through random edits', { timeout: 120_000 }, async () => {
  const session = await startSession();
  try {
    await fc.assert(fc.asyncProperty(editScript, (script) => runEditScript(session, script)), { numRuns: 8, seed: SEED + 4 });
    await session.client.stop();
  } finally {
    await session.dispose();
  }
});
