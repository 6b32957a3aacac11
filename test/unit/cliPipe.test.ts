// `slimfile check ... | head -1`: the reader closes the pipe after its first line. The CLI must end
// quietly, as Unix tools do, not print an EPIPE stack trace. Needs dist/cli.js (npm test builds it).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

test('a reader that closes the pipe early ends check quietly, with the exit code of its findings', async () => {
  // Twenty files, so the output is longer than what the reader takes before it closes.
  const files = Array.from({ length: 20 }, () => 'examples/http-server/Dockerfile');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'slimfile.js'), 'check', '--max-size', '20MB', ...files], {
    cwd: ROOT,
    env: { ...process.env, SLIMFILE_OFFLINE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  let first = '';
  child.stdout.once('data', (chunk: Buffer) => {
    first = chunk.toString();
    child.stdout.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.match(first, /^examples\/http-server\/Dockerfile:1:1: error \[size-over-budget\]/);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event|\n\s+at /, stderr);
  // The findings include errors: the exit code says so even though the reader saw only the first.
  assert.equal(code, 1);
});
