// Scenario 4: "Slimfile: Minimize image" from the command palette shows the minimized file in a
// diff beside the original; Apply writes what `slimfile minimize` prints, one undo restores it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from './harness.mjs';

const EXAMPLE = path.join(vscode.REPO_ROOT, 'examples', 'http-server');
const ORIGINAL = readFileSync(path.join(EXAMPLE, 'Dockerfile'), 'utf8');

let session;
let minimized;
/** The notification's "Image ≈ <before> → ≈ <after>" after Apply. */
let appliedNotice;
let lensBefore;

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
  // For the record (minimize-lens-after-apply.json): the lens the user sees before asking.
  lensBefore = (await vscode.readCodeLensesByLine(page, { minCount: 1, timeout: vscode.ANALYSIS_TIMEOUT })).find((l) => l.line === 1)?.text;
  await vscode.runCommand(page, 'Slimfile: Minimize image');
  await page.locator('.part.editor .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: vscode.STEP_TIMEOUT });
  await page.locator('.monaco-dialog-box').waitFor({ state: 'visible', timeout: vscode.STEP_TIMEOUT });
  const dialog = await vscode.readDialog(page);
  await vscode.screenshot(page, vscode.artifact('minimize-preview.png'));
  assert.match(dialog.message, /Slimfile: apply \d+ fix(es)? to Dockerfile\?/);
  assert.match(dialog.message, /Convert to multi-stage build/);
  const [, before, after] = /Image ≈ ([\d.]+ MB) → ≈ ([\d.]+ MB) \(\d+x smaller\)/.exec(dialog.message) ?? [];
  assert.ok(before && after, dialog.message);
  // One estimate: the lens the user read before asking gave the same figures.
  assert.equal(lensBefore, `Image ≈ ${before} · ≈ ${after} after Minimize`);
  assert.ok(dialog.buttons.includes('Apply') && dialog.buttons.includes('Cancel'), JSON.stringify(dialog.buttons));
});

test('Apply writes exactly what `slimfile minimize` prints', { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.clickDialogButton(page, 'Apply');
  await page.locator('.part.editor .monaco-diff-editor').first().waitFor({ state: 'hidden', timeout: vscode.STEP_TIMEOUT });
  appliedNotice = (await vscode.waitForNotification(page, /Slimfile: applied \d+ fix/)).message;
  assert.equal(await vscode.readEditorText(page), minimized);
});

test('after Apply, the line-1 lens shows the minimized file\'s estimate: the figure the notification gave', { timeout: 180_000 }, async () => {
  const { page } = session;
  const saving = /Image ≈ ([\d.]+ [kMG]B) → ≈ ([\d.]+ [kMG]B)/.exec(appliedNotice ?? '');
  assert.ok(saving, `the notification gave no saving: ${JSON.stringify(appliedNotice)}`);
  const expected = `Image ≈ ${saving[2]}`;
  // For the record: right after Apply line 1 may still show the lens of the text before (the
  // editor keeps a lens on screen until its replacement is resolved). Then wait for the current one.
  const lineOne = async () => (await vscode.readCodeLensesByLine(page, { minCount: 1, timeout: vscode.ANALYSIS_TIMEOUT })).find((l) => l.line === 1 && l.text.startsWith('Image'))?.text;
  const started = Date.now();
  const first = await lineOne();
  await vscode.screenshot(page, vscode.artifact('minimize-applied-at-once.png'));
  await vscode.waitForCodeLens(page, expected, { timeout: vscode.ANALYSIS_TIMEOUT }).catch(() => {});
  const waited = Date.now() - started;
  const top = await lineOne();
  await vscode.screenshot(page, vscode.artifact('minimize-applied.png'));
  writeFileSync(vscode.artifact('minimize-lens-after-apply.json'), `${JSON.stringify({ lensBefore, notification: appliedNotice, expected, atNotification: first, after: { ms: waited, text: top } }, null, 2)}\n`);
  assert.equal(top, expected, `line 1 after Apply: ${JSON.stringify(first)} at once, ${JSON.stringify(top)} after ${waited} ms`);
});

test('one undo restores the original Dockerfile exactly', { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.undo(page);
  assert.equal(await vscode.readEditorText(page), ORIGINAL);
});

test('after the undo, the line-1 lens shows the original file\'s figures again', { timeout: 180_000 }, async () => {
  const { page } = session;
  const [, before, after] = /Image ≈ ([\d.]+ [kMG]B) → ≈ ([\d.]+ [kMG]B)/.exec(appliedNotice ?? '') ?? [];
  const expected = `Image ≈ ${before} · ≈ ${after} after Minimize`;
  await vscode.waitForCodeLens(page, expected, { timeout: vscode.ANALYSIS_TIMEOUT }).catch(() => {});
  const top = (await vscode.readCodeLensesByLine(page, { minCount: 1 })).find((l) => l.line === 1 && l.text.startsWith('Image'))?.text;
  assert.equal(top, expected);
});
