// Editing a language's manifest on disk refreshes that language's findings: the server asks the
// editor to watch what the languages read (Cargo.toml, package.json, requirements.txt, …), and a
// didChangeWatchedFiles for one of them re-reads the build context.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { minimatch } from 'minimatch';
import { LspClient } from '../helpers/lspClient';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

/** One build context per language: the Dockerfile, the manifest as first written, and the edit that makes a rule fire. */
const CASES = [
  {
    dir: 'rust',
    dockerfile: 'FROM rust:1.63-bookworm\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD ["./target/release/primes"]\n',
    manifest: 'Cargo.toml',
    before: '[package]\nname = "primes"\nversion = "0.1.0"\nedition = "2021"\n',
    after: '[package]\nname = "primes"\nversion = "0.1.0"\nedition = "2021"\nrust-version = "1.80"\n',
    rule: 'rust-builder-older-than-rust-version',
  },
  {
    dir: 'node',
    dockerfile: 'FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install\nUSER 65532:65532\nCMD ["node", "server.js"]\n',
    manifest: 'package.json',
    before: '{ "name": "hello", "version": "1.0.0", "private": true }\n',
    after: '{ "name": "hello", "version": "1.0.0", "private": true, "devDependencies": { "typescript": "^5.9.3" } }\n',
    rule: 'node-dev-dependencies-in-image',
  },
  {
    dir: 'python',
    dockerfile: 'FROM python:3.11-alpine\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nUSER 65532:65532\nCMD ["python", "app.py"]\n',
    manifest: 'requirements.txt',
    before: 'requests==2.32.3\n',
    after: 'requests==2.32.3\nnumpy==2.1.0\n',
    rule: 'python-alpine-source-builds',
  },
];

test('editing Cargo.toml, package.json and requirements.txt on disk changes those projects\' findings', { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-watchers-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  for (const c of CASES) {
    await fs.mkdir(path.join(workspace, c.dir));
    await fs.writeFile(path.join(workspace, c.dir, 'Dockerfile'), c.dockerfile);
    await fs.writeFile(path.join(workspace, c.dir, c.manifest), c.before);
  }
  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  await client.initializeIn(workspace, 'watchers', { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
  const uriOf = (dir: string): string => URI.file(path.join(workspace, dir, 'Dockerfile')).toString();
  const codes = (diagnostics: ReadonlyArray<{ code?: string | number }>): Array<string | number | undefined> => diagnostics.map((d) => d.code);

  const opened = client.published.length;
  for (const c of CASES) await client.notify('textDocument/didOpen', { textDocument: { uri: uriOf(c.dir), languageId: 'dockerfile', version: 1, text: c.dockerfile } });
  for (const c of CASES) {
    const first = await client.diagnosticsForVersion(uriOf(c.dir), 1, opened);
    assert.ok(!codes(first.diagnostics).includes(c.rule), `${c.dir}: no ${c.rule} before the edit: ${codes(first.diagnostics).join(', ')}`);
  }

  // The editor watches what the server registered: each edited manifest must match one of its globs.
  const watchers = client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers);
  for (const c of CASES) {
    const relative = `${c.dir}/${c.manifest}`;
    assert.ok(watchers.some((w) => minimatch(relative, w.globPattern, { dot: true })), `${relative} is watched: ${watchers.map((w) => w.globPattern).join(' ')}`);
  }

  const edited = client.published.length;
  for (const c of CASES) await fs.writeFile(path.join(workspace, c.dir, c.manifest), c.after);
  await client.notify('workspace/didChangeWatchedFiles', { changes: CASES.map((c) => ({ uri: URI.file(path.join(workspace, c.dir, c.manifest)).toString(), type: 2 })) });
  for (const c of CASES) {
    const refreshed = await client.diagnostics(uriOf(c.dir), (p) => codes(p.diagnostics).includes(c.rule), edited);
    assert.equal(refreshed.version, 1, `${c.dir}: the same text, analysed again with the new ${c.manifest}`);
  }
  await client.stop();
});
