// The size CodeLens and the base-image hover, over the real protocol. The server is given a
// dead Docker socket and no network, so every size comes from the shipped catalog and model.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver-types';
import { execFileSync } from 'node:child_process';
import { LspClient, positionOf } from '../helpers/lspClient';
import { formatBytes } from '../../server/src/analysis/estimate/sizes';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

async function openExample(t: import('node:test').TestContext, example: string, client: LspClient): Promise<{ uri: string; text: string }> {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-estimate-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', example), workspace, { recursive: true });
  const file = path.join(workspace, 'Dockerfile');
  const uri = URI.file(file).toString();
  const text = await fs.readFile(file, 'utf8');
  await client.request('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: example }],
    capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, codeLens: {} }, workspace: { codeLens: { refreshSupport: false } } },
  });
  await client.notify('initialized', {});
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  await client.diagnosticsForVersion(uri, 1, mark);
  return { uri, text };
}

/** "≈ 984 MB" -> 984_000_000 */
function bytesIn(text: string): number[] {
  return [...text.matchAll(/≈ ([\d.]+) (kB|MB|GB)/g)].map((m) => Number(m[1]) * { kB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as 'kB']);
}

test('the size lens on the naive http-server says how big the image is now and after Minimize', { timeout: 60_000 }, async (t) => {
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  const { uri } = await openExample(t, 'http-server', client);
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses.length, 2, 'one lens for the image, one for its single FROM');
  const top = await client.request<CodeLens>('codeLens/resolve', lenses[0]);
  const title = top.command?.title ?? '';
  assert.match(title, /^Image ≈ [\d.]+ [MG]B · ≈ [\d.]+ MB after Minimize$/);
  const [now, after] = bytesIn(title) as [number, number];
  // golang:1.19 is ~1.04 GB on disk (catalog: 379.1 MB to pull, x2.75); the minimized image is a
  // stripped static binary (~4.5 MB) on distroless static (~2 MiB).
  assert.ok(now > 900e6 && now < 1100e6, title);
  assert.ok(after > 4e6 && after < 10e6, title);
  assert.ok(now / after > 50, `the lens promises at least 50x: ${title}`);
  assert.equal(top.command?.command, 'slimfile.minimize');
  const stage = await client.request<CodeLens>('codeLens/resolve', lenses[1]);
  assert.match(stage.command?.title ?? '', /^golang:1\.19 ≈ [\d.]+ [MG]B · stage adds ≈ [\d.]+ MB$/);
  await client.stop();
});

test('hovering the base image shows its size, libc and a smaller image for this program', { timeout: 60_000 }, async (t) => {
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  const { uri, text } = await openExample(t, 'https-client', client);
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'golang:1.19', { offset: 3 }) });
  const value = (hover.contents as MarkupContent).value;
  assert.match(value, /\*\*golang:1\.19\*\*/);
  assert.match(value, /\| Size \| ≈ [\d.]+ [MG]B on disk, [\d.]+ MB to pull \|/);
  assert.match(value, /\| libc \| glibc/);
  assert.match(value, /\| Shell \| \/bin\/(ba)?sh \|/);
  assert.match(value, /\| CA certificates \| yes \|/);
  // golang:1.19 is bookworm since docker-library/golang#456 (1.19.10 on), and the catalog holds that image's figure.
  assert.match(value, /catalog: golang:1\.19-bookworm, figures of 2023-09-08/);
  assert.match(value, /\| Tag \| golang:1\.19 → bookworm since 2023-06 \(bullseye before\) \|/);
  assert.match(value, /\*\*Smaller:\*\* `gcr\.io\/distroless\/static-debian12:nonroot`.*CA certificates.*saves ≈ [\d.]+ [MG]B/);
  const nothing = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'WORKDIR') });
  assert.equal(nothing, null, 'no hover away from an image');
  await client.stop();
});

test('an image named by a build argument without a default gets no size claim', { timeout: 60_000 }, async (t) => {
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  const { uri } = await openExample(t, 'hello', client);
  const text = 'ARG BASE\nFROM ${BASE}\nCMD ["/app"]\n';
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '${BASE}', { offset: 2 }) });
  assert.match((hover.contents as MarkupContent).value, /build argument without a default \(BASE\).*no size or libc claim/s);
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const top = await client.request<CodeLens>('codeLens/resolve', lenses[0]);
  assert.equal(top.command?.title, 'Image size unknown');
  await client.stop();
});

/** `slimfile estimate --format json` on a file, with the same sources the server was given. */
function cliEstimate(file: string): {
  summary: string;
  current: { bytes: number | null; stages: Array<{ layers: Array<{ what: string; bytes: number | null; source: string | null }> }> };
  minimized: { bytes: number | null };
} {
  const cli = path.join(__dirname, '..', '..', 'bin', 'slimfile.js');
  const out = execFileSync(process.execPath, [cli, 'estimate', '--format', 'json', '--offline', file], { encoding: 'utf8', env: { ...process.env, ...CATALOG_ONLY } });
  return JSON.parse(out) as ReturnType<typeof cliEstimate>;
}

test('the lens, the estimate request, the hover, Minimize and `slimfile estimate` give one figure for one file, and the lens follows the applied edit', { timeout: 60_000 }, async (t) => {
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  const { uri, text } = await openExample(t, 'http-server', client);
  const file = URI.parse(uri).fsPath;

  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const lens = (await client.request<CodeLens>('codeLens/resolve', lenses[0])).command?.title ?? '';
  const estimate = await client.request<{ bytes: number; minimizedBytes: number }>('slimfile/estimate', { uri });
  const final = positionOf(text, 'golang:1.19', { offset: 3 });
  const hover = ((await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: final })).contents as MarkupContent).value;
  const minimized = await client.request<{ text: string; saving: string; bytesBefore: number; bytesAfter: number; edit: unknown }>('slimfile/minimize', { uri });
  const cli = cliEstimate(file);

  const expected = `Image ≈ ${formatBytes(estimate.bytes)} · ≈ ${formatBytes(estimate.minimizedBytes)} after Minimize`;
  assert.equal(lens, expected);
  assert.equal(cli.summary, expected);
  assert.deepStrictEqual([cli.current.bytes, cli.minimized.bytes], [estimate.bytes, estimate.minimizedBytes]);
  assert.ok(hover.includes(`**${expected}**: the whole image`), hover);
  assert.deepStrictEqual([minimized.bytesBefore, minimized.bytesAfter], [estimate.bytes, estimate.minimizedBytes]);
  assert.equal(minimized.saving, `Image ≈ ${formatBytes(estimate.bytes)} → ≈ ${formatBytes(estimate.minimizedBytes)} (${Math.round(estimate.bytes / estimate.minimizedBytes)}x smaller).`);
  // The hover's base-image size is the figure the stage's lens adds to.
  const stageLens = (await client.request<CodeLens>('codeLens/resolve', lenses[1])).command?.title ?? '';
  const base = /^golang:1\.19 (≈ [\d.]+ [kMG]B)/.exec(stageLens)?.[1];
  assert.ok(base && hover.includes(`| Size | ${base} on disk`), `${stageLens}\n${hover}`);
  // The binary the stage builds is sized in the hover as the estimate sizes it, from the same source.
  const binary = cli.current.stages.flatMap((s) => s.layers).find((l) => l.what.startsWith('Go binary '));
  assert.ok(binary?.bytes && binary.source, JSON.stringify(cli.current));
  assert.ok(hover.includes(`**Binary** \`${binary.what.slice('Go binary '.length)}\`: ≈ ${formatBytes(binary.bytes)} — ${binary.source} (medium confidence)`), hover);

  // Minimize applied, as the editor applies it: the lens of the new version shows the minimized
  // figure, and a lens listed for the old version no longer shows the old one.
  await fs.writeFile(file, minimized.text);
  const mark = client.published.length;
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: minimized.text }] });
  await client.diagnosticsForVersion(uri, 2, mark);
  const old = await client.request<CodeLens>('codeLens/resolve', lenses[0]);
  assert.ok(!old.command?.title.includes(formatBytes(estimate.bytes)), `a lens of version 1 resolved after the change: ${old.command?.title}`);
  const after = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const afterTitle = (await client.request<CodeLens>('codeLens/resolve', after[0])).command?.title;
  assert.equal(afterTitle, `Image ≈ ${formatBytes(estimate.minimizedBytes)}`);
  assert.equal(cliEstimate(file).summary, afterTitle);
  await client.stop();
});
