// The real language server over stdio, as an editor drives it: open the http-server example's
// Dockerfile, get diagnostics, edit it, ask for code actions, survive a bad request, close, exit.
// Needs `npm run build` first (dist/server.js).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-types';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LspClient, rangeOf, endOf } from '../helpers/lspClient';
import { RULES } from '../../server/src/analysis/rules';
import { ruleDocsUrl } from '../../server/src/analysis/findings';

const RULE_IDS = new Set(RULES.map((r) => r.id));

/** The link is docs/rules.md#<rule id>: the shipped file when present (works offline), else the published page. */
function assertDocsLink(rule: string, href: string | undefined): void {
  assert.ok(href, `${rule} has no documentation link`);
  if (href.startsWith('file:')) {
    const url = new URL(href);
    assert.equal(url.hash, `#${rule}`);
    const doc = readFileSync(URI.parse(href).fsPath, 'utf8');
    assert.match(doc, new RegExp(`^#+ ${rule}$`, 'm'), `docs/rules.md has no section for ${rule}`);
  } else {
    assert.equal(href, ruleDocsUrl(rule));
  }
}

function assertDiagnosticShape(d: Diagnostic): void {
  assert.equal(typeof d.code, 'string', JSON.stringify(d));
  assert.ok(RULE_IDS.has(d.code as string), `code ${String(d.code)} is not a rule id`);
  assertDocsLink(d.code as string, d.codeDescription?.href);
  assert.equal(d.source, 'slimfile');
  assert.ok(d.message.length > 0);
  assert.ok(d.severity !== undefined && d.severity >= 1 && d.severity <= 4);
}

function assertCodeActionShape(action: CodeAction, uri: string, version: number): void {
  assert.equal(typeof action.title, 'string');
  assert.ok(action.title.length > 0);
  assert.equal(typeof action.kind, 'string');
  // Refactors are asked for, not fixes of a finding (Compress the binary with UPX).
  assert.ok(action.kind === 'quickfix' || action.kind!.startsWith('source.fixAll') || action.kind === 'refactor.rewrite', action.kind);
  const changes = action.edit?.documentChanges as TextDocumentEdit[] | undefined;
  assert.ok(changes && changes.length === 1, `${action.title}: one versioned document edit`);
  const [change] = changes;
  assert.deepStrictEqual(change!.textDocument, { uri, version });
  assert.ok(change!.edits.length > 0);
  for (const edit of change!.edits) {
    assert.equal(typeof edit.newText, 'string');
    assert.ok(Number.isInteger(edit.range.start.line) && Number.isInteger(edit.range.end.character));
  }
  if (action.kind === 'quickfix') {
    assert.ok(action.diagnostics && action.diagnostics.length > 0, `${action.title}: names the diagnostic it fixes`);
    for (const d of action.diagnostics) assertDiagnosticShape(d);
  }
}

test('the server over stdio: open, diagnose, change, code actions, bad request, close, exit', { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-server-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', 'http-server'), workspace, { recursive: true });
  const dockerfile = path.join(workspace, 'Dockerfile');
  const uri = URI.file(dockerfile).toString();
  const text = await fs.readFile(dockerfile, 'utf8');

  const client = LspClient.start();
  t.after(() => client.kill());
  const failWith = (what: string): string => `${what}\nserver log:\n${client.log.join('\n')}`;

  const init = await client.request<{ capabilities: { textDocumentSync: unknown; codeActionProvider: unknown } }>('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: 'http-server' }],
    capabilities: {
      textDocument: {
        publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, relatedInformation: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        synchronization: { didSave: false },
      },
      workspace: { workspaceFolders: true },
    },
  });
  assert.ok(init.capabilities.textDocumentSync !== undefined);
  assert.ok(init.capabilities.codeActionProvider);
  await client.notify('initialized', {});

  await t.test('opening the Dockerfile publishes diagnostics for version 1', async () => {
    const mark = client.published.length;
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const published = await client.diagnosticsForVersion(uri, 1, mark);
    assert.ok(published.diagnostics.length > 0, failWith('the naive example has findings'));
    for (const d of published.diagnostics as Diagnostic[]) assertDiagnosticShape(d);
    const toolchain = (published.diagnostics as Diagnostic[]).find((d) => d.code === 'go-toolchain-in-final-image');
    assert.ok(toolchain, failWith(JSON.stringify(published.diagnostics, null, 2)));
    assert.deepStrictEqual(toolchain.range, rangeOf(text, 'golang:1.19'));
  });

  await t.test('code actions on the toolchain finding have the LSP shape and carry version 1', async () => {
    const first = client.published.filter((p) => p.uri === uri && p.version === 1).pop()!;
    const toolchain = (first.diagnostics as Diagnostic[]).find((d) => d.code === 'go-toolchain-in-final-image')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: toolchain.range,
      context: { diagnostics: [toolchain] },
    });
    assert.ok(Array.isArray(actions));
    // The finding's own fix (whatever it is called) is offered, so the shape checks below run.
    assert.ok(actions.some((a) => a.kind === 'quickfix'), failWith(JSON.stringify(actions, null, 2)));
    for (const action of actions) {
      assertCodeActionShape(action, uri, 1);
      // The edits apply to the text they were computed for.
      const edits = (action.edit!.documentChanges as TextDocumentEdit[])[0]!.edits;
      const after = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), edits);
      assert.notEqual(after, text, `${action.title} changes something`);
    }
  });

  const addition = '\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=0 /app/main /main\nCMD ["/main"]\n';
  const changed = text + addition;

  await t.test('an incremental change (version 2) publishes diagnostics for version 2', async () => {
    const mark = client.published.length;
    const end = endOf(text);
    await client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: end, end }, text: addition }],
    });
    const published = await client.diagnosticsForVersion(uri, 2, mark);
    for (const d of published.diagnostics as Diagnostic[]) assertDiagnosticShape(d);
    assert.ok(
      !(published.diagnostics as Diagnostic[]).some((d) => d.code === 'go-toolchain-in-final-image'),
      failWith(`the final stage is distroless now:\n${JSON.stringify(published.diagnostics, null, 2)}`),
    );
    // Nothing for version 1 arrives after version 2 was published.
    const later = client.published.slice(mark).filter((p) => p.uri === uri);
    assert.ok(later.every((p) => p.version === 2), JSON.stringify(later.map((p) => p.version)));
  });

  await t.test('code actions after the change carry version 2', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: endOf(changed) },
      context: { diagnostics: [] },
    });
    assert.ok(Array.isArray(actions));
    for (const action of actions) assertCodeActionShape(action, uri, 2);
  });

  await t.test('a request about a document that is not open is answered with an error, and the server keeps answering', async () => {
    const notOpen = URI.file(path.join(workspace, 'Dockerfile.notopen')).toString();
    await assert.rejects(
      client.request('slimfile/minimize', { uri: notOpen }),
      (error: unknown) => {
        assert.ok(error instanceof ResponseError, String(error));
        assert.equal(error.code, -32602);
        assert.match(error.message, /not open/);
        return true;
      },
    );
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: rangeOf(changed, 'golang:1.19'),
      context: { diagnostics: [] },
    });
    assert.ok(Array.isArray(actions));
    const answer = await client.request<{ version: number; applied: string[] }>('slimfile/minimize', { uri });
    assert.equal(answer.version, 2);
    assert.ok(Array.isArray(answer.applied));
  });

  await t.test('closing the document publishes empty diagnostics', async () => {
    const mark = client.published.length;
    await client.notify('textDocument/didClose', { textDocument: { uri } });
    const published = await client.diagnostics(uri, (p) => p.diagnostics.length === 0, mark);
    assert.deepStrictEqual(published.diagnostics, []);
  });

  await t.test('shutdown and exit end the process with code 0', async () => {
    assert.equal(await client.stop(), 0, failWith('exit code'));
  });
});

test('fix-all is listed without its edit and filled in on codeAction/resolve with what Minimize gives, for the version it was offered on', { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-server-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', 'http-server'), workspace, { recursive: true });
  const dockerfile = path.join(workspace, 'Dockerfile');
  const uri = URI.file(dockerfile).toString();
  const text = await fs.readFile(dockerfile, 'utf8');

  const client = LspClient.start({ DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' });
  t.after(() => client.kill());
  const init = await client.request<{ capabilities: { codeActionProvider: { resolveProvider?: boolean } } }>('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: 'http-server' }],
    capabilities: {
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        // As VS Code declares it: the edit may come later.
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, resolveSupport: { properties: ['edit'] } },
      },
    },
  });
  assert.equal(init.capabilities.codeActionProvider.resolveProvider, true);
  await client.notify('initialized', {});
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  await client.diagnosticsForVersion(uri, 1, mark);

  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: endOf(text) },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  const fixAll = actions.find((a) => a.kind === 'source.fixAll.slimfile');
  assert.ok(fixAll, JSON.stringify(actions, null, 2));
  assert.equal(fixAll.edit, undefined, 'listing the actions does not run Minimize');

  const resolved = await client.request<CodeAction>('codeAction/resolve', fixAll);
  const change = (resolved.edit?.documentChanges as TextDocumentEdit[] | undefined)?.[0];
  assert.ok(change, JSON.stringify(resolved, null, 2));
  assert.deepStrictEqual(change.textDocument, { uri, version: 1 });
  const minimize = await client.request<{ text: string }>('slimfile/minimize', { uri });
  const after = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), change.edits);
  assert.equal(after, minimize.text);
  assert.notEqual(after, text);

  // Offered for version 1; once the text is version 2 the action gets no edit for a text that is gone.
  const v2 = client.published.length;
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: endOf(text), end: endOf(text) }, text: '# note\n' }] });
  await client.diagnosticsForVersion(uri, 2, v2);
  const stale = await client.request<CodeAction>('codeAction/resolve', fixAll);
  assert.equal(stale.edit, undefined);
  await client.stop();
});

test('the server over stdio: a Rust Dockerfile gets the Rust findings, linked to their docs, with their fixes', { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-server-rust-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', 'rust-primes'), workspace, { recursive: true });
  const dockerfile = path.join(workspace, 'Dockerfile');
  const uri = URI.file(dockerfile).toString();
  const text = await fs.readFile(dockerfile, 'utf8');
  const client = LspClient.start();
  t.after(() => client.kill());
  await client.request('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: 'rust-primes' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } } },
  });
  await client.notify('initialized', {});
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const diagnostics = (await client.diagnosticsForVersion(uri, 1, mark)).diagnostics as Diagnostic[];
  for (const d of diagnostics) assertDiagnosticShape(d);
  assert.deepStrictEqual(diagnostics.map((d) => d.code).sort(), ['rust-release-profile', 'rust-toolchain-in-final-image']);
  const toolchain = diagnostics.find((d) => d.code === 'rust-toolchain-in-final-image')!;
  assert.deepStrictEqual(toolchain.range, rangeOf(text, 'rust:1.63-bookworm'));
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: toolchain.range, context: { diagnostics: [toolchain] } });
  const convert = actions.find((a) => a.title === 'Convert to multi-stage build');
  assert.ok(convert, JSON.stringify(actions.map((a) => a.title)));
  assertCodeActionShape(convert, uri, 1);
  const after = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), (convert.edit!.documentChanges as TextDocumentEdit[])[0]!.edits);
  assert.match(after, /^FROM gcr\.io\/distroless\/cc-debian12:nonroot$/m);
});
