// `slimfile.runtime: scratch` in the editor: the size lens, the hover's smaller alternative and
// Minimize all choose scratch with what the program needs. Sizes from the shipped catalog and model.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver-types';
import { LspClient, positionOf } from '../helpers/lspClient';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

async function open(t: import('node:test').TestContext, example: string, settings: Record<string, unknown>): Promise<{ client: LspClient; uri: string; text: string }> {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-runtime-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', example), workspace, { recursive: true });
  const file = path.join(workspace, 'Dockerfile');
  const text = await fs.readFile(file, 'utf8');
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  client.settings = settings;
  await client.request('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: example }],
    capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ['markdown'] }, codeLens: {} } },
  });
  await client.notify('initialized', {});
  const uri = URI.file(file).toString();
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  await client.diagnosticsForVersion(uri, 1, mark);
  return { client, uri, text };
}

/** "≈ 4.6 MB" -> 4_600_000 */
function bytesIn(text: string): number[] {
  return [...text.matchAll(/≈ ([\d.]+) (kB|MB|GB)/g)].map((m) => Number(m[1]) * { kB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as 'kB']);
}

test('runtime scratch: the lens says "on scratch" and is the distroless figure less the base distroless carries', { timeout: 60_000 }, async (t) => {
  const lensOf = async (settings: Record<string, unknown>): Promise<string> => {
    const { client, uri } = await open(t, 'https-client', settings);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const top = await client.request<CodeLens>('codeLens/resolve', lenses[0]);
    await client.stop();
    return top.command?.title ?? '';
  };
  const scratch = await lensOf({ runtime: 'scratch' });
  const distroless = await lensOf({});
  assert.match(scratch, /^Image ≈ [\d.]+ [MG]B · ≈ [\d.]+ MB on scratch after Minimize$/);
  assert.match(distroless, /^Image ≈ [\d.]+ [MG]B · ≈ [\d.]+ MB after Minimize$/);
  const [, onScratch] = bytesIn(scratch) as [number, number];
  const [, onDistroless] = bytesIn(distroless) as [number, number];
  // distroless static is 1.5-2 MB with its own certificates; scratch gets only the CA bundle (222 kB).
  assert.ok(onDistroless - onScratch > 1e6 && onDistroless - onScratch < 2.5e6, `${distroless} vs ${scratch}`);
});

test('runtime scratch: the hover offers scratch with the CA bundle the program needs', { timeout: 60_000 }, async (t) => {
  const { client, uri, text } = await open(t, 'https-client', { runtime: 'scratch' });
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'golang:1.19', { offset: 3 }) });
  const value = (hover.contents as MarkupContent).value;
  assert.match(value, /\*\*Smaller:\*\* `scratch` \(≈ 222 kB besides the binary\) would serve this program: a static Go binary \(CGO_ENABLED=0\) needs no libc; Minimize adds the CA bundle \(222 kB\) — saves ≈ [\d.]+ [MG]B\./);
  await client.stop();
});

test('the go build offers "Compress the binary with UPX" as a refactor, and the packing step has a hover with its costs', { timeout: 60_000 }, async (t) => {
  const { client, uri, text } = await open(t, 'hello', {});
  const line = text.split('\n').findIndex((l) => l.includes('go build'));
  const actions = await client.request<Array<{ title: string; kind: string; edit?: { documentChanges: Array<{ edits: Array<{ newText: string }> }> } }>>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line, character: 5 }, end: { line, character: 5 } },
    context: { diagnostics: [], only: ['refactor'] },
  });
  assert.deepStrictEqual(actions.map((a) => [a.title, a.kind]), [['Compress the binary with UPX', 'refactor.rewrite']]);
  const inserted = actions[0]!.edit!.documentChanges[0]!.edits.map((e) => e.newText).join('');
  assert.match(inserted, /apt-get install -y --no-install-recommends upx-ucl/);
  assert.match(inserted, /RUN upx --best --lzma \/app\/main/);
  const quickFixesOnly = await client.request<Array<{ title: string }>>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line, character: 5 }, end: { line, character: 5 } },
    context: { diagnostics: [], only: ['quickfix'] },
  });
  assert.ok(!quickFixesOnly.some((a) => a.title.includes('UPX')), 'never a quick fix');
  const packed = `${text}RUN upx --best --lzma /app/main\n`;
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: packed }] });
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: packed.split('\n').length - 2, character: 6 } });
  assert.match((hover.contents as MarkupContent).value, /^\*\*UPX\*\* packs the binary/);
  assert.match((hover.contents as MarkupContent).value, /security scanners flag packed binaries/);
  await client.stop();
});
