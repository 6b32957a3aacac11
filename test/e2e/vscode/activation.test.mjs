// Scenario 6: Slimfile activates only for Dockerfiles and go.mod. A workspace of plain text files
// leaves it asleep; opening a Dockerfile wakes it, and the editor's own measure of the activation
// time ("Developer: Show Running Extensions") is printed and written to artifacts/activation.json.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as vscode from './harness.mjs';

const manifest = JSON.parse(readFileSync(path.join(vscode.REPO_ROOT, 'package.json'), 'utf8'));
const EXTENSION = manifest.name; // the Running Extensions list labels rows with it
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const CODE_SERVER = JSON.parse(readFileSync(path.join(vscode.TOOLS_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8'));

let session;

after(async () => {
  if (session?.page) await vscode.saveEndState(session.page, 'activation').catch(() => {});
  await vscode.stopAll();
}, { timeout: 60_000 });

test('package.json activates the extension only for Dockerfiles and go.mod', () => {
  const dockerfileNames = /(^|[/*{,])(Dockerfile|Containerfile|go\.mod)([}*.,]|$)/;
  const allowed = (event) =>
    event === 'onLanguage:dockerfile' ||
    event === 'onLanguage:go.mod' ||
    (event.startsWith('onCommand:slimfile.')) ||
    (event.startsWith('workspaceContains:') && dockerfileNames.test(event.slice('workspaceContains:'.length)));
  const events = manifest.activationEvents ?? [];
  assert.ok(events.length > 0, 'no activationEvents: VS Code would activate the extension on startup');
  assert.deepEqual(events.filter((e) => !allowed(e)), [], 'activation events beyond Dockerfiles and go.mod');
});

test('a workspace of plain text files does not activate Slimfile', { timeout: 180_000 }, async () => {
  session = await vscode.startSession({ files: { 'notes.txt': 'Nothing to containerise here.\n' }, vsix: vscode.slimfileVsix() });
  const { page } = session;
  await vscode.openFile(page, 'notes.txt');
  // Wait until the startup activations ("*", workspaceContains) are listed, so an eager
  // activation of Slimfile would be too.
  await vscode.runCommand(page, 'Developer: Show Running Extensions');
  await page.waitForSelector('.runtime-extensions-editor .monaco-list-row .activation-time:text-matches("Startup Activation")');
  const running = await vscode.readRunningExtensions(page);
  assert.deepEqual(running.filter((e) => e.name === EXTENSION), [], `Slimfile is running in a .txt workspace: ${JSON.stringify(running)}`);
  const outputChannels = await page.evaluate(() => document.querySelector('.part.panel')?.innerText ?? '');
  assert.doesNotMatch(outputChannels, /\bSlimfile\b/);
});

test('opening a Dockerfile activates it; the editor measures the activation time', { timeout: 180_000 }, async (t) => {
  const { page } = session;
  writeFileSync(path.join(session.workspace, 'Dockerfile'), 'FROM golang:1.19\n');
  await vscode.openFile(page, 'Dockerfile');
  const running = await vscode.readRunningExtensions(page, { waitFor: EXTENSION });
  const slimfile = running.find((e) => e.name === EXTENSION);
  assert.ok(slimfile && Number.isFinite(slimfile.ms), `no activation time for ${EXTENSION}: ${JSON.stringify(running)}`);
  const reason = await vscode.readActivationReason(page, EXTENSION);
  assert.match(reason, /dockerfile/i, `activated for another reason: ${reason}`);

  const measure = {
    extension: EXTENSION_ID,
    activationMs: slimfile.ms,
    shown: slimfile.activation,
    reason,
    measuredBy: 'Developer: Show Running Extensions',
    editor: `code-server ${CODE_SERVER.version}`,
    date: new Date().toISOString(),
  };
  mkdirSync(vscode.ARTIFACTS_DIR, { recursive: true });
  writeFileSync(vscode.artifact('activation.json'), `${JSON.stringify(measure, null, 2)}\n`);
  t.diagnostic(`Slimfile activation: ${slimfile.ms} ms (${slimfile.activation}; ${reason})`);
});
