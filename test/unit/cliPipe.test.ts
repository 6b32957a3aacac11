// `slimfile estimate Dockerfile | head -1`: the reader may close the pipe before the CLI has written
// everything. The CLI must then end quietly with its own exit code, as Unix tools do, not print an
// EPIPE stack trace. Needs dist/cli.js (npm test builds it).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'slimfile.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, SLIMFILE_OFFLINE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The reader goes away before the CLI has loaded, so every write the CLI makes meets a closed
  // pipe: the case `| head` hits whenever head exits between two of the CLI's writes.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('estimate into a closed pipe ends quietly with exit code 0', async () => {
  const { code, stderr } = await runWithClosedStdout(['estimate', 'examples/http-server/Dockerfile']);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event|\n\s+at /, stderr);
  assert.equal(code, 0);
});

test('check into a closed pipe still exits 1 for its error findings', async () => {
  const { code, stderr } = await runWithClosedStdout(['check', '--max-size', '20MB', 'examples/http-server/Dockerfile']);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event|\n\s+at /, stderr);
  assert.equal(code, 1);
});
