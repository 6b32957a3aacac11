// Minimize over the real protocol, cancelled by the client: the answer is RequestCancelled with no
// edit, the document keeps its version, and the next Minimize answers in full with its progress.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lspClient';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

test('a cancelled Minimize changes nothing, and the next one answers', { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-cancel-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', 'hello'), workspace, { recursive: true });
  const uri = URI.file(path.join(workspace, 'Dockerfile')).toString();
  const text = await fs.readFile(path.join(workspace, 'Dockerfile'), 'utf8');
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  await client.request('initialize', { processId: process.pid, rootUri: URI.file(workspace).toString(), capabilities: { workspace: { configuration: true } } });
  await client.notify('initialized', {});
  // The server's first settings answer is held, so Minimize is still waiting for them when the
  // cancel arrives (no race with how fast the server runs).
  const settings = client.holdConfiguration();
  const opened = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  await settings.asked;
  const source = new CancellationTokenSource();
  const cancelled = client.connection.sendRequest('slimfile/minimize', { uri }, source.token);
  source.cancel();
  settings.release();
  await assert.rejects(cancelled, (error: unknown) => {
    assert.ok(error instanceof ResponseError, String(error));
    assert.equal(error.code, LSPErrorCodes.RequestCancelled);
    return true;
  });
  await client.diagnosticsForVersion(uri, 1, opened);
  // No edit was sent and none was asked for: the client's text is version 1 still, and the server agrees.
  assert.equal(client.published.filter((p) => p.uri === uri && p.version !== 1).length, 0);

  // The next Minimize runs in full, and reports each fix as it applies it under the client's token.
  const answer = await client.request<{ version: number; applied: string[]; text: string }>('slimfile/minimize', { uri, workDoneToken: 'minimize-1' });
  assert.equal(answer.version, 1);
  assert.deepStrictEqual(answer.applied, ['Convert to multi-stage build', 'Add -ldflags "-s -w" and -trimpath']);
  const progress = client.progress.filter((p) => p.token === 'minimize-1').map((p) => `${p.value.kind}${p.value.message ? `: ${p.value.message}` : ''}`);
  assert.deepStrictEqual(progress, ['begin', 'report: applied: Convert to multi-stage build', 'report: applied: Add -ldflags "-s -w" and -trimpath', 'end']);
  assert.notEqual(answer.text, text);
  await client.stop();
});
