// go.mod open in the editor gets its own diagnostics, although the editor's client lists only
// Dockerfiles: the server registers the languages' manifest documents itself (didOpen, didChange,
// didClose and hover), and a client sends what the server registered.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { minimatch } from 'minimatch';
import type { Hover } from 'vscode-languageserver-types';
import { LspClient } from '../helpers/lspClient';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

test('the server asks the editor for go.mod, and an edit to it changes its diagnostics', { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-manifests-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.mkdir(path.join(workspace, 'app'));
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  await client.initializeIn(workspace, 'manifests', { textDocument: { synchronization: { dynamicRegistration: true }, hover: { dynamicRegistration: true } } });
  // Answered after the registrations the server sent on `initialized`: the client has them all.
  await client.request('textDocument/hover', { textDocument: { uri: URI.file(path.join(workspace, 'none')).toString() }, position: { line: 0, character: 0 } });

  // What an editor sends is what matches a registered selector: go.mod anywhere, or the editor's go.mod language.
  const selectors = (method: string): Array<{ language?: string; pattern?: string }> =>
    client.registrations.filter((r) => r.method === method).flatMap((r) => (r.registerOptions as { documentSelector: Array<{ language?: string; pattern?: string }> }).documentSelector);
  for (const method of ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/hover']) {
    assert.ok(selectors(method).some((s) => s.pattern !== undefined && minimatch('app/go.mod', s.pattern)), `${method}: app/go.mod is registered`);
    assert.ok(selectors(method).some((s) => s.language === 'go.mod'), `${method}: the go.mod language is registered`);
    assert.ok(!selectors(method).some((s) => s.pattern !== undefined && minimatch('app/Dockerfile', s.pattern)), `${method}: Dockerfiles are the client's own selector`);
  }

  const uri = URI.file(path.join(workspace, 'app', 'go.mod')).toString();
  const withCgo = 'module example.com/app\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n';
  const opened = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go.mod', version: 1, text: withCgo } });
  const first = await client.diagnosticsForVersion(uri, 1, opened);
  assert.deepEqual(first.diagnostics.map((d) => d.code), ['cgo-dependency']);

  const edited = client.published.length;
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'module example.com/app\n\ngo 1.22\n' }] });
  assert.deepEqual((await client.diagnosticsForVersion(uri, 2, edited)).diagnostics, []);
  await client.stop();
});

test("hovering go.mod's go line lists the Dockerfiles beside it that build the module, an unsaved one as the editor has it", { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-gomod-hover-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  const goModText = 'module example.com/app\n\ngo 1.22.3\n';
  await fs.writeFile(path.join(workspace, 'go.mod'), goModText);
  await fs.writeFile(path.join(workspace, 'Dockerfile'), 'FROM golang:1.21 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n');
  await fs.mkdir(path.join(workspace, 'tools'));
  const toolsFile = path.join(workspace, 'tools', 'Dockerfile');
  await fs.writeFile(toolsFile, 'FROM alpine:3.20\n');
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  await client.initializeIn(workspace, 'gomod-hover', { textDocument: { hover: { contentFormat: ['markdown'] } } });
  // tools/Dockerfile is open with a go build the disk does not have yet.
  const toolsUri = URI.file(toolsFile).toString();
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri: toolsUri, languageId: 'dockerfile', version: 1, text: 'FROM golang:1.23-alpine\nRUN go build -o /tool ./cmd/tool\n' } });
  await client.diagnosticsForVersion(toolsUri, 1, mark);
  const uri = URI.file(path.join(workspace, 'go.mod')).toString();
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go.mod', version: 1, text: goModText } });

  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } });
  assert.deepEqual(hover, {
    contents: { kind: 'markdown', value: '**go 1.22.3**\n\nBuilt by:\n- `Dockerfile` (stage build): `golang:1.21` — **older than go.mod**\n- `tools/Dockerfile`: `golang:1.23-alpine`' },
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } },
  });
  assert.equal(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } }), null, 'no hover off the go line');
  await client.stop();
});
