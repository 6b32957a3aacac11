// The context sizing walk: .dockerignore applied, and it stops when the load's budget runs out.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureContext } from '../../server/src/workspace/contextSize';

async function context(t: import('node:test').TestContext): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-ctx-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(dir, 'node_modules/x'), { recursive: true });
  await fs.writeFile(path.join(dir, 'main.go'), 'package main\n');
  await fs.writeFile(path.join(dir, 'node_modules/x/big.js'), 'x'.repeat(5000));
  return dir;
}

test('sizes each top-level entry with .dockerignore applied', async (t) => {
  const dir = await context(t);
  const size = await measureContext(dir, ['node_modules']);
  assert.deepEqual([...size.byEntry], [['main.go', 13]]);
  assert.equal(size.total, 13);
  assert.equal(size.truncated, false);
});

test('an aborted load stops the sizing walk and reports it as cut short', async (t) => {
  const dir = await context(t);
  const size = await measureContext(dir, [], undefined, AbortSignal.abort());
  assert.equal(size.truncated, true);
  assert.equal(size.files, 0);
});
