// Scenario: "Slimfile: Compare before/after, running both" on the http-server example builds the
// Dockerfile as written and minimized, runs and probes both, and shows the behaviour table in the
// Slimfile Compare view: the same rows `slimfile compare --run --format json` gives for the folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from './harness.mjs';

const EXAMPLE = path.join(vscode.REPO_ROOT, 'examples', 'http-server');
/** Two builds and two runs on a shared engine. */
const RUN_TIMEOUT = 20 * 60_000;

let session;

before(async () => {
  session = await vscode.startSession({ files: vscode.readFolder(EXAMPLE), vsix: vscode.slimfileVsix() });
  await vscode.openFile(session.page, 'Dockerfile');
  await vscode.readProblems(session.page, { minCount: 1, timeout: vscode.ANALYSIS_TIMEOUT });
}, { timeout: 300_000 });

after(async () => {
  if (session?.page) await vscode.saveEndState(session.page, 'compare-run').catch(() => {});
  await vscode.stopAll();
}, { timeout: 60_000 });

test('Compare with run shows the table of both images answering the same', { timeout: RUN_TIMEOUT }, async () => {
  const { page } = session;
  await vscode.focusEditor(page);
  await vscode.runCommand(page, 'Slimfile: Compare before/after, running both');
  // The view is a webview: its document sits in an iframe inside the workbench's iframe.
  const table = page.frameLocator('iframe.webview').frameLocator('#active-frame');
  await table.locator('#behaviour').waitFor({ state: 'visible', timeout: RUN_TIMEOUT });
  const rows = await table.locator('#behaviour tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()).join(' | ')));
  const verdict = (await table.locator('#verdict').textContent()).trim();
  await vscode.screenshot(page, vscode.artifact('compare-run-table.png'));
  assert.deepEqual(rows, [
    'server started | answered | answered | same',
    'GET :3000/ | 200 Hello world | 200 Hello world | same',
    'files written (docker diff) | none | none | same',
  ]);
  assert.equal(verdict, 'Both images behave the same.');
});
