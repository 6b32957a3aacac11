// The Java, Node and Python examples in the editor, over the real protocol: their rules as
// diagnostics with quick fixes, and the size lens with the catalog's stand-in figures (the server
// is given a dead Docker socket and no network).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-types';
import { LspClient, positionOf } from '../helpers/lspClient';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

const CASES = [
  { example: 'java-hello', image: 'eclipse-temurin:17-jdk', rules: ['java-jdk-in-final-image'], lens: 'Image ≈ 426 MB · ≈ 347 MB after Minimize' },
  { example: 'node-hello', image: 'node:18', rules: ['node-full-image', 'node-package-cache-in-image'], lens: 'Image ≈ 714 MB · ≈ 301 MB after Minimize' },
  { example: 'python-hello', image: 'python:3.11', rules: ['python-full-image', 'python-pip-cache-in-image'], lens: 'Image ≈ 596 MB · ≈ 148 MB after Minimize' },
];

for (const c of CASES) {
  test(`examples/${c.example} in the editor: findings, quick fixes, the size lens and the hover`, { timeout: 60_000 }, async (t) => {
    const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-language-'));
    t.after(() => fs.rm(workspace, { recursive: true, force: true }));
    await fs.cp(path.join(__dirname, '..', '..', 'examples', c.example), workspace, { recursive: true });
    const file = path.join(workspace, 'Dockerfile');
    const uri = URI.file(file).toString();
    const text = await fs.readFile(file, 'utf8');
    const client = LspClient.start(CATALOG_ONLY);
    t.after(() => client.kill());
    await client.request('initialize', {
      processId: process.pid,
      rootUri: URI.file(workspace).toString(),
      workspaceFolders: [{ uri: URI.file(workspace).toString(), name: c.example }],
      capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, codeLens: {}, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } } },
    });
    await client.notify('initialized', {});
    const mark = client.published.length;
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const diagnostics = (await client.diagnosticsForVersion(uri, 1, mark)).diagnostics;
    assert.deepStrictEqual(diagnostics.map((d) => d.code).sort(), [...c.rules].sort());

    const first = diagnostics.find((d) => d.code === c.rules[0]) as Diagnostic;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: first.range, context: { diagnostics: [first], only: ['quickfix'] } });
    assert.ok(actions.some((a) => a.isPreferred), `a preferred quick fix: ${actions.map((a) => a.title).join(' | ')}`);

    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const top = await client.request<CodeLens>('codeLens/resolve', lenses[0]);
    assert.equal(top.command?.title, c.lens);

    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, c.image, { offset: 2 }) });
    assert.match((hover.contents as MarkupContent).value, /catalog: .*figures of \d{4}-\d{2}-\d{2}/);
    await client.stop();
  });
}
