// dist/server.js runs the server's bundle from V8's code cache: the first start writes the cache,
// the next one uses it as it is, and a cache V8 refuses (here, one overwritten with junk) is made
// again while the server still starts and answers.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient } from '../helpers/lspClient';

async function startAndStop(cache: string): Promise<void> {
  const client = LspClient.start({ XDG_CACHE_HOME: cache, SLIMFILE_OFFLINE: '1', DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  try {
    const answer = await client.request<{ capabilities: { hoverProvider?: unknown } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.ok(answer.capabilities.hoverProvider, 'the server answered initialize');
    await client.stop();
  } finally {
    client.kill();
  }
}

async function cacheFiles(dir: string): Promise<Array<{ name: string; bytes: Buffer }>> {
  const names = await fs.readdir(dir).catch(() => []);
  return Promise.all(names.map(async (name) => ({ name, bytes: await fs.readFile(path.join(dir, name)) })));
}

test('the server starts from its code cache, and makes it again when V8 refuses it', { timeout: 60_000 }, async (t) => {
  const cache = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-v8-cache-'));
  t.after(() => fs.rm(cache, { recursive: true, force: true }));
  const dir = path.join(cache, 'slimfile', 'v8');

  await startAndStop(cache);
  const made = await cacheFiles(dir);
  assert.equal(made.length, 1, 'one cache, named after the bundle and the node that made it');
  assert.match(made[0]?.name ?? '', new RegExp(`^server-\\d+-\\d+-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.cache$`));
  assert.ok((made[0]?.bytes.length ?? 0) > 10_000);

  const file = path.join(dir, made[0]?.name ?? '');
  const { mtimeMs } = await fs.stat(file);
  await startAndStop(cache);
  assert.equal((await fs.stat(file)).mtimeMs, mtimeMs, 'an accepted cache is not written again');

  await fs.writeFile(file, Buffer.alloc(4096, 7));
  await startAndStop(cache);
  const remade = await fs.readFile(file);
  assert.ok(remade.length > 10_000 && !remade.equals(Buffer.alloc(4096, 7)), 'the refused cache is made again');
  const again = (await fs.stat(file)).mtimeMs;
  await startAndStop(cache);
  assert.equal((await fs.stat(file)).mtimeMs, again, 'and the next start accepts it');
});
