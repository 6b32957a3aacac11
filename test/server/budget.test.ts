// The size budget in the editor: `slimfile.sizeBudget`, or the Dockerfile's own
// `# slimfile: max-size=` comment, turns into a warning on line 1 when the estimate exceeds it.
// Sizes come from the shipped catalog and model only (dead Docker socket, no network).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { LspClient } from '../helpers/lspClient';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

async function diagnosticsOf(t: import('node:test').TestContext, settings: Record<string, unknown>, edit: (text: string) => string = (x) => x): Promise<Diagnostic[]> {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-budget-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', 'http-server'), workspace, { recursive: true });
  const file = path.join(workspace, 'Dockerfile');
  const text = edit(await fs.readFile(file, 'utf8'));
  await fs.writeFile(file, text);
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  client.settings = settings;
  await client.request('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: 'http-server' }],
    capabilities: { workspace: { configuration: true } },
  });
  await client.notify('initialized', {});
  const uri = URI.file(file).toString();
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const published = await client.diagnosticsForVersion(uri, 1, mark);
  await client.stop();
  return published.diagnostics;
}

test('over the sizeBudget setting: a warning on line 1 with the estimate, what is biggest and what Minimize gives', { timeout: 60_000 }, async (t) => {
  const diagnostics = await diagnosticsOf(t, { sizeBudget: '20MB' });
  const budget = diagnostics.filter((d) => d.code === 'size-over-budget');
  assert.equal(budget.length, 1, JSON.stringify(diagnostics, null, 2));
  const [warning] = budget as [Diagnostic];
  assert.equal(warning.severity, 2, 'a warning');
  assert.deepStrictEqual(warning.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 'FROM golang:1.19'.length } });
  assert.match(warning.message, /^Estimated image ≈ 1\.0\d GB exceeds the budget of 20 MB; biggest: the base image golang:1\.19 ≈ 1\.0\d GB; Minimize would give ≈ \d\.\d MB\.$/);
  assert.match(warning.codeDescription?.href ?? '', /rules\.md#size-over-budget$/);
});

test('within the sizeBudget setting, or with no budget: no budget warning', { timeout: 60_000 }, async (t) => {
  for (const settings of [{ sizeBudget: '2GB' }, {}, { sizeBudget: 'twenty' }]) {
    const diagnostics = await diagnosticsOf(t, settings);
    assert.ok(diagnostics.length > 0, 'the other findings are still there');
    assert.equal(diagnostics.filter((d) => d.code === 'size-over-budget').length, 0, JSON.stringify(settings));
  }
});

test("the file's max-size comment wins over the setting, and the warning sits on the comment", { timeout: 60_000 }, async (t) => {
  const roomy = await diagnosticsOf(t, { sizeBudget: '20MB' }, (text) => `# slimfile: max-size=1.5GB\n${text}`);
  assert.equal(roomy.filter((d) => d.code === 'size-over-budget').length, 0);
  const tight = await diagnosticsOf(t, {}, (text) => `# slimfile: max-size=5MB\n${text}`);
  const warning = tight.find((d) => d.code === 'size-over-budget');
  assert.ok(warning, JSON.stringify(tight, null, 2));
  assert.equal(warning.range.start.line, 0);
  assert.match(warning.message, /exceeds the budget of 5\.0 MB/);
  const broken = await diagnosticsOf(t, {}, (text) => `# slimfile: max-size=5\n${text}`);
  assert.match(broken.find((d) => d.code === 'size-over-budget')?.message ?? '', /^The size budget is not read: max-size takes a size with its unit/);
});
