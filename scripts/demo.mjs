// `npm run demo`: the CLI on the bundled examples — findings, the minimized Dockerfile, and a
// check of the result. Works on a fresh machine after `npm ci` (no Docker needed).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'slimfile.js');
const run = (args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

let failed = false;
for (const name of readdirSync(path.join(root, 'examples')).sort()) {
  const dir = path.join(root, 'examples', name);
  const dockerfile = path.join(dir, 'Dockerfile');
  console.log(`\n=== examples/${name} ===`);
  const check = run(['check', dockerfile]);
  process.stdout.write(check.stdout);
  const estimate = run(['estimate', dockerfile]);
  process.stdout.write(estimate.stdout || estimate.stderr);
  const minimized = run(['minimize', dockerfile]);
  if (minimized.status !== 0) {
    failed = true;
    process.stdout.write(minimized.stderr);
    continue;
  }
  console.log('--- minimized Dockerfile ---');
  process.stdout.write(minimized.stdout);
  // Check the result in a copy of the example, so the example itself stays naive.
  const copy = mkdtempSync(path.join(tmpdir(), `slimfile-demo-${name}-`));
  cpSync(dir, copy, { recursive: true });
  writeFileSync(path.join(copy, 'Dockerfile'), minimized.stdout);
  const recheck = run(['check', path.join(copy, 'Dockerfile')]);
  console.log(`--- check of the minimized Dockerfile: ${recheck.stdout.trim().split('\n').pop()}`);
  rmSync(copy, { recursive: true, force: true });
  if (recheck.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
