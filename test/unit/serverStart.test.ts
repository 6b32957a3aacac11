// How VS Code starts the language server (client/src/serverStart.ts): with glibc's malloc held to
// one arena, in the run and the debug start, and the process it forks has the variable.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { serverStarts } from '../../client/src/serverStart';

const ROOT = path.join(__dirname, '..', '..');

test('VS Code starts dist/server.js with MALLOC_ARENA_MAX=1, in the run and the debug start', () => {
  const starts = serverStarts((relative) => path.join('/extension', relative));
  for (const start of [starts.run, starts.debug]) {
    assert.equal(start.module, path.join('/extension', 'dist', 'server.js'));
    assert.equal(start.options?.env?.['MALLOC_ARENA_MAX'], '1');
  }
  assert.deepEqual(starts.run.options?.execArgv, []);
  assert.ok(starts.debug.options?.execArgv?.includes('--inspect=6010'));
});

test('the server forked as vscode-languageclient forks it has MALLOC_ARENA_MAX=1 in its environment', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const { run } = serverStarts((relative) => path.join(ROOT, relative));
  assert.ok(existsSync(run.module), `${run.module} is missing: run npm run build first`);
  // vscode-languageclient 9 (lib/node/main.js): the extension host's environment, then the options' env.
  const env: NodeJS.ProcessEnv = { ...process.env, MALLOC_ARENA_MAX: undefined, ...run.options?.env, SLIMFILE_OFFLINE: '1', SLIMFILE_CODE_CACHE_DIR: '' };
  const child = fork(run.module, ['--stdio'], { execArgv: run.options?.execArgv ?? [], env, silent: true });
  t.after(() => child.kill());
  await new Promise((resolve) => child.once('spawn', resolve));
  const environ = readFileSync(`/proc/${child.pid}/environ`, 'latin1').split('\0');
  assert.ok(environ.includes('MALLOC_ARENA_MAX=1'), environ.filter((v) => v.startsWith('MALLOC')).join(', ') || 'no MALLOC_ variable');
});
