// Scenario 4: "Slimfile: Minimize image" from the command palette shows the minimized file in a
// diff beside the original; Apply writes what `slimfile minimize` prints, one undo restores it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import * as vscode from './harness.mjs';

const EXAMPLE = path.join(vscode.REPO_ROOT, 'examples', 'http-server');
const ORIGINAL = readFileSync(path.join(EXAMPLE, 'Dockerfile'), 'utf8');

let session;
let minimized;

before(async () => {
  session = await vscode.startSession({ files: vscode.readFolder(EXAMPLE), vsix: vscode.slimfileVsix() });
  // The installed build's CLI, so the expectation comes from the same code as the extension.
  const cli = vscode.slimfileCli(['minimize', path.join(session.workspace, 'Dockerfile')], { root: vscode.installedExtensionDir(session.server) });
  assert.equal(cli.status, 0, `slimfile minimize failed: ${cli.stderr}`);
  minimized = cli.stdout;
  assert.notEqual(minimized, ORIGINAL, 'slimfile minimize changed nothing: the scenario would prove nothing');
  await vscode.openFile(session.page, 'Dockerfile');
  await vscode.readProblems(session.page, { minCount: 1, timeout: vscode.ANALYSIS_TIMEOUT });
}, { timeout: 300_000 });

after(async () => {
  if (session?.page) await vscode.saveEndState(session.page, 'minimize').catch(() => {});
  await vscode.stopAll();
}, { timeout: 60_000 });

test('"Slimfile: Minimize image" shows the minimized file beside the original and asks before applying', { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.focusEditor(page);
  await vscode.runCommand(page, 'Slimfile: Minimize image');
  await page.locator('.part.editor .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: vscode.STEP_TIMEOUT });
  await page.locator('.monaco-dialog-box').waitFor({ state: 'visible', timeout: vscode.STEP_TIMEOUT });
  const dialog = await vscode.readDialog(page);
  await vscode.screenshot(page, vscode.artifact('minimize-preview.png'));
  assert.match(dialog.message, /Slimfile: apply \d+ fix(es)? to Dockerfile\?/);
  assert.match(dialog.message, /Convert to multi-stage build/);
  assert.match(dialog.message, /Image ≈ [\d.]+ MB → ≈ [\d.]+ MB \(\d+x smaller\)/);
  assert.ok(dialog.buttons.includes('Apply') && dialog.buttons.includes('Cancel'), JSON.stringify(dialog.buttons));
});

test('Apply writes exactly what `slimfile minimize` prints', { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.clickDialogButton(page, 'Apply');
  await page.locator('.part.editor .monaco-diff-editor').first().waitFor({ state: 'hidden', timeout: vscode.STEP_TIMEOUT });
  await vscode.waitForNotification(page, /Slimfile: applied \d+ fix/);
  assert.equal(await vscode.readEditorText(page), minimized);
  await vscode.screenshot(page, vscode.artifact('minimize-applied.png'));
});

test('one undo restores the original Dockerfile exactly', { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.undo(page);
  assert.equal(await vscode.readEditorText(page), ORIGINAL);
});
