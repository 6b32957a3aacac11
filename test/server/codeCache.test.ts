// dist/server.js runs the server bundle through V8's code cache (server/src/start.ts). Whatever
// state the cache folder is in, the server starts and gives the same diagnostics as without it.
// And node's own code cache, for its built-in modules, is not lost to the server's V8 flags.
// Needs `npm run build` first.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspClient, SERVER_JS } from '../helpers/lspClient';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'http-server');

async function tempDir(t: import('node:test').TestContext): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-code-cache-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The diagnostics of the example's Dockerfile from a server started with this code cache folder
 * ('' turns the cache off), and with `env` and node's `args` when given.
 */
async function diagnosticsWith(t: import('node:test').TestContext, cacheDir: string, env: NodeJS.ProcessEnv = {}, args?: readonly string[]): Promise<string> {
  const client = LspClient.start({ SLIMFILE_OFFLINE: '1', SLIMFILE_CODE_CACHE_DIR: cacheDir, ...env }, args);
  t.after(() => client.kill());
  await client.request('initialize', { processId: process.pid, rootUri: URI.file(EXAMPLE).toString(), capabilities: {} });
  await client.notify('initialized', {});
  const file = path.join(EXAMPLE, 'Dockerfile');
  const uri = URI.file(file).toString();
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: await fs.readFile(file, 'utf8') } });
  const published = await client.diagnosticsForVersion(uri, 1, mark);
  assert.equal(await client.stop(), 0);
  return JSON.stringify(published.diagnostics, null, 2);
}

/** The cache files in the folder and their bytes. */
async function cacheFiles(dir: string): Promise<Map<string, Buffer>> {
  const names = (await fs.readdir(dir)).filter((n) => !n.endsWith('.tmp'));
  return new Map(await Promise.all(names.map(async (n) => [n, await fs.readFile(path.join(dir, n))] as const)));
}

test('the first start makes the code cache, the next reads it, and both give the diagnostics of a start without it', { timeout: 60_000 }, async (t) => {
  const plain = await diagnosticsWith(t, '');
  assert.ok(JSON.parse(plain).length > 0, 'the example has findings');
  const dir = await tempDir(t);
  assert.equal(await diagnosticsWith(t, dir), plain);
  const made = await cacheFiles(dir);
  assert.equal(made.size, 1, `one cache file: ${[...made.keys()].join(', ')}`);
  const [name] = [...made.keys()] as [string];
  const identity = async (): Promise<string> => fs.stat(path.join(dir, name)).then((s) => `${s.ino} ${s.mtimeMs}`);
  const before = await identity();
  assert.equal(await diagnosticsWith(t, dir), plain);
  // Read, not remade: a new cache would be renamed into place, a new file.
  assert.equal(await identity(), before);
});

test('a start without diagnostics keeps what it compiled; the next start with diagnostics replaces it, and later starts read that', { timeout: 60_000 }, async (t) => {
  const plain = await diagnosticsWith(t, '');
  const dir = await tempDir(t);
  const client = LspClient.start({ SLIMFILE_OFFLINE: '1', SLIMFILE_CODE_CACHE_DIR: dir });
  t.after(() => client.kill());
  await client.request('initialize', { processId: process.pid, rootUri: URI.file(EXAMPLE).toString(), capabilities: {} });
  await client.notify('initialized', {});
  assert.equal(await client.stop(), 0);
  const [name] = [...(await cacheFiles(dir)).keys()] as [string];
  assert.ok(name, 'a cache was made at exit');
  const identity = async (): Promise<string> => fs.stat(path.join(dir, name)).then((s) => `${s.ino} ${s.mtimeMs}`);
  const atExit = await identity();
  assert.equal(await diagnosticsWith(t, dir), plain);
  const afterDiagnostics = await identity();
  assert.notEqual(afterDiagnostics, atExit, 'replaced by the cache of a start that sent diagnostics');
  assert.equal(await diagnosticsWith(t, dir), plain);
  assert.equal(await identity(), afterDiagnostics, 'read, not remade');
});

test('a damaged code cache is not used: the server starts as without it and writes a whole one', { timeout: 60_000 }, async (t) => {
  const plain = await diagnosticsWith(t, '');
  const dir = await tempDir(t);
  await diagnosticsWith(t, dir);
  const [[name, whole]] = [...(await cacheFiles(dir))] as [[string, Buffer]];
  // A cut file, and one whose checksum holds but whose data V8 cannot read.
  const damaged = [whole.subarray(0, whole.length >> 1), checksummed(Buffer.from('not a code cache'))];
  for (const bytes of damaged) {
    await fs.writeFile(path.join(dir, name), bytes);
    assert.equal(await diagnosticsWith(t, dir), plain);
  }
  assert.equal(await diagnosticsWith(t, dir), plain);
  assert.deepStrictEqual([...(await cacheFiles(dir)).keys()], [name], 'a cache of the same name was written again');
});

test("a new build's cache removes the caches of builds not run for a month, and keeps newer ones", { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t);
  const old = path.join(dir, `server-${'0'.repeat(32)}.bin`);
  const recent = path.join(dir, `server-${'1'.repeat(32)}.bin`);
  const notOurs = path.join(dir, 'notes.txt');
  for (const file of [old, recent, notOurs]) await fs.writeFile(file, 'x');
  const longAgo = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000);
  const weekAgo = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000);
  await fs.utimes(old, longAgo, longAgo);
  await fs.utimes(recent, weekAgo, weekAgo);
  await fs.utimes(notOurs, longAgo, longAgo);
  await diagnosticsWith(t, dir);
  const names = [...(await cacheFiles(dir)).keys()].sort();
  assert.equal(names.length, 3, names.join(', '));
  assert.ok(!names.includes(path.basename(old)), 'the month-old cache is gone');
  assert.ok(names.includes(path.basename(recent)) && names.includes('notes.txt'), names.join(', '));
});

test('a code cache folder that cannot be made is no error', { timeout: 60_000 }, async (t) => {
  const plain = await diagnosticsWith(t, '');
  const dir = await tempDir(t);
  const notAFolder = path.join(dir, 'file');
  await fs.writeFile(notAFolder, '');
  assert.equal(await diagnosticsWith(t, path.join(notAFolder, 'cache')), plain);
});

/** Bytes laid out as start.ts writes them: their SHA-256, then the bytes (here: V8's data, then when it was made). */
function checksummed(data: Buffer): Buffer {
  return Buffer.concat([createHash('sha256').update(data).digest(), data]);
}

/** Preloaded into the server: writes the built-ins loaded after its first setFlagsFromString, at exit. */
const BUILTINS_RECORDER = `
const v8 = require('node:v8');
const set = v8.setFlagsFromString;
let firstSet;
v8.setFlagsFromString = function (flags) {
  if (firstSet === undefined) firstSet = process.moduleLoadList.length;
  return set.call(this, flags);
};
process.on('exit', () => {
  const after = firstSet === undefined ? ['no flag was set'] : process.moduleLoadList.slice(firstSet).filter((m) => m.startsWith('NativeModule '));
  require('node:fs').writeFileSync(process.env.SLIMFILE_TEST_BUILTINS_OUT, JSON.stringify(after));
});
`;

// V8 rejects node's built-in code cache once the server has set its flags (main.ts), so a built-in
// first loaded after them is compiled from its source on every start: fs.promises took 8.6 ms
// instead of 1.6 (bench/findings.md, "start3").
test("a start up to a Go context's diagnostics loads none of node's built-ins after the server's V8 flags", { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t);
  const recorder = path.join(dir, 'recorder.cjs');
  const out = path.join(dir, 'after-flags.json');
  await fs.writeFile(recorder, BUILTINS_RECORDER);
  const diagnostics = await diagnosticsWith(t, '', { SLIMFILE_TEST_BUILTINS_OUT: out }, ['-r', recorder, SERVER_JS, '--stdio']);
  assert.ok(JSON.parse(diagnostics).length > 0, 'the example was analysed, its Go sources included');
  assert.deepEqual(JSON.parse(await fs.readFile(out, 'utf8')), []);
});
