// node compiles its own modules from a code cache built into node, and V8 rejects that cache once
// the server has set its V8 flags (main.ts). A built-in first loaded after them is compiled from
// its source on every start: fs.promises took 8.6 ms instead of 1.6 (bench/findings.md, "start3").
// So a start, up to the diagnostics of a Go context, loads no built-in after the flags.
// Needs `npm run build` first.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspClient, SERVER_JS } from '../helpers/lspClient';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'http-server');

/** Preloaded into the server: writes the built-ins loaded after its first setFlagsFromString, at exit. */
const RECORDER = `
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

test("a start up to a Go context's diagnostics loads none of node's built-ins after the server's V8 flags", { timeout: 60_000 }, async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-builtins-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const recorder = path.join(dir, 'recorder.cjs');
  const out = path.join(dir, 'after-flags.json');
  await fs.writeFile(recorder, RECORDER);
  const client = LspClient.start({ SLIMFILE_OFFLINE: '1', SLIMFILE_CODE_CACHE_DIR: '', SLIMFILE_TEST_BUILTINS_OUT: out }, ['-r', recorder, SERVER_JS, '--stdio']);
  t.after(() => client.kill());
  await client.request('initialize', { processId: process.pid, rootUri: URI.file(EXAMPLE).toString(), capabilities: {} });
  await client.notify('initialized', {});
  const file = path.join(EXAMPLE, 'Dockerfile');
  const uri = URI.file(file).toString();
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: await fs.readFile(file, 'utf8') } });
  const published = await client.diagnosticsForVersion(uri, 1, mark);
  assert.ok(published.diagnostics.length > 0, 'the example was analysed, its Go sources included');
  assert.equal(await client.stop(), 0);
  assert.deepEqual(JSON.parse(await fs.readFile(out, 'utf8')), []);
});
