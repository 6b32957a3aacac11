// The editor's --no-install-recommends fix with Debian's index, over the real protocol: the server
// loads the index of the image's release from a local fake mirror in the background, analyses the
// file again when it has it, and then offers the fix as safe (naming ca-certificates) and Minimize
// applies it, as `slimfile minimize --package-index` does. Offline it reads the index it kept on
// disk; without an index the fix stays for review and Minimize leaves the install alone.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { startFakeMirror } from '../helpers/fakeMirror';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { URI } from 'vscode-uri';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { LspClient, rangeOf, type PublishDiagnosticsParams } from '../helpers/lspClient';

const PACKAGES = readFileSync(path.join(__dirname, '..', 'fixtures', 'packages', 'bookworm-curl-wget.Packages'));
const CURL = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
const FIXED = 'FROM debian:bookworm\nRUN apt-get update && apt-get install --no-install-recommends ca-certificates -y curl && rm -rf /var/lib/apt/lists/*\n';
const SAFE_TITLE = /^Add --no-install-recommends, naming ca-certificates \(drops at most \d+ packages, [\d.]+ [kM]B\)$/;
const REVIEW_TITLE = 'Add --no-install-recommends (review: not proven safe)';
const INDEX_SOURCE = /Debian bookworm main amd64 Packages, \d{4}-\d{2}-\d{2}/;

/** Whether the diagnostics were made with the index: the finding lists what the option drops, from it. */
const withIndex = (p: PublishDiagnosticsParams): boolean => p.diagnostics.some((d) => d.relatedInformation?.some((r) => INDEX_SOURCE.test(r.message)));

async function openCurl(client: LspClient, workspace: string): Promise<{ uri: string; opened: number }> {
  const uri = URI.file(path.join(workspace, 'Dockerfile')).toString();
  await client.request('initialize', { processId: process.pid, rootUri: URI.file(workspace).toString(), capabilities: { workspace: { configuration: true } } });
  await client.notify('initialized', {});
  const opened = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: CURL } });
  return { uri, opened };
}

async function quickFixTitles(client: LspClient, uri: string): Promise<string[]> {
  const range = rangeOf(CURL, 'apt-get install -y curl');
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['quickfix'] } });
  return actions.map((a) => a.title).filter((t) => t.startsWith('Add --no-install-recommends'));
}

test('with the release index from a mirror, then offline from the disk cache, the fix is safe and Minimize applies it; without one it stays for review', { timeout: 90_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-index-lsp-'));
  const cache = path.join(workspace, '.cache');
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.writeFile(path.join(workspace, 'Dockerfile'), CURL);
  const mirror = await startFakeMirror({ '/debian/dists/bookworm/main/binary-amd64/Packages.gz': gzipSync(PACKAGES) });
  const served = mirror.asked;
  t.after(() => mirror.close());
  // No engine, a cache of the test's own, and the fake mirror for Debian's indexes.
  const env = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', XDG_CACHE_HOME: cache, SLIMFILE_DEBIAN_MIRROR: mirror.url };

  await t.test('offline with no index kept: the fix stays for review, and Minimize leaves the install alone', async () => {
    const client = LspClient.start({ ...env, SLIMFILE_OFFLINE: '1' });
    try {
      const { uri, opened } = await openCurl(client, workspace);
      const first = await client.diagnosticsForVersion(uri, 1, opened);
      assert.ok(first.diagnostics.some((d) => d.code === 'package-cache-in-final-image'));
      assert.equal(withIndex(first), false);
      assert.deepEqual(await quickFixTitles(client, uri), [REVIEW_TITLE]);
      const answer = await client.request<{ text: string; applied: string[] }>('slimfile/minimize', { uri });
      assert.equal(answer.text, CURL);
      assert.deepEqual(served, [], 'offline opens no connection');
      await client.stop();
    } finally {
      client.kill();
    }
  });

  await t.test('online: the index is fetched in the background, and the file is analysed again with it', async () => {
    const client = LspClient.start(env);
    try {
      const { uri, opened } = await openCurl(client, workspace);
      const indexed = await client.diagnostics(uri, withIndex, opened);
      assert.equal(indexed.version, 1);
      assert.ok(served.includes('/debian/dists/bookworm/main/binary-amd64/Packages.gz'));
      const titles = await quickFixTitles(client, uri);
      assert.equal(titles.length, 1, titles.join('\n'));
      assert.match(titles[0] ?? '', SAFE_TITLE);
      const answer = await client.request<{ text: string; applied: string[] }>('slimfile/minimize', { uri });
      assert.equal(answer.text, FIXED);
      assert.ok(answer.applied.some((title) => SAFE_TITLE.test(title)), answer.applied.join('\n'));
      await client.stop();
    } finally {
      client.kill();
    }
  });

  await t.test('offline with the index kept on disk: the same safe fix, and no connection', async () => {
    served.length = 0;
    const client = LspClient.start({ ...env, SLIMFILE_OFFLINE: '1' });
    try {
      const { uri, opened } = await openCurl(client, workspace);
      await client.diagnostics(uri, withIndex, opened);
      const titles = await quickFixTitles(client, uri);
      assert.equal(titles.length, 1, titles.join('\n'));
      assert.match(titles[0] ?? '', SAFE_TITLE);
      assert.equal((await client.request<{ text: string }>('slimfile/minimize', { uri })).text, FIXED);
      assert.deepEqual(served, []);
      await client.stop();
    } finally {
      client.kill();
    }
  });
});
