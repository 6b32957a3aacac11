// Smoke test of the VS Code e2e infrastructure: a real code-server in a real
// chromium opens a Dockerfile and the built-in Docker language support works.
//
//   bash scripts/install-code-server.sh      # once (cached)
//   node --test test/e2e/vscode/smoke.mjs
//
// SLIMFILE_HEADED=1 shows the browser (needs a display), SLIMFILE_E2E_VERBOSE=1
// echoes code-server's output.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from './harness.mjs';

const DOCKERFILE = 'FROM golang:1.19\nRUN go build -o /app .\n';
const SCREENSHOT = path.join(vscode.ARTIFACTS_DIR, 'smoke.png');

let session;

before(async () => {
  session = await vscode.startSession({ files: { Dockerfile: DOCKERFILE } });
}, { timeout: 120_000 });

after(async () => {
  if (session?.page) {
    // Keep a picture even when a test failed: it is the quickest way to see why.
    await vscode.screenshot(session.page, SCREENSHOT).catch(() => {});
  }
  await vscode.stopAll();
}, { timeout: 60_000 });

test('opens the Dockerfile through Quick Open and shows its text', { timeout: 90_000 }, async () => {
  const { page } = session;
  await vscode.openFile(page, 'Dockerfile');
  assert.equal(await vscode.readEditorText(page), DOCKERFILE);
  assert.deepEqual((await vscode.readVisibleEditorLines(page)).slice(0, 2), ['FROM golang:1.19', 'RUN go build -o /app .']);
});

test('the built-in Docker extension handles the editor', { timeout: 60_000 }, async () => {
  const { page } = session;
  // Language mode comes from the built-in "docker" extension (language id
  // "dockerfile"); VS Code shows its first alias, "Docker".
  assert.match(await vscode.languageMode(page), /^Docker(file)?$/);
  // Its TextMate grammar colors FROM as a keyword: a token class other than
  // the default foreground one (mtk1) that plain text gets.
  const fromClass = await page.waitForFunction(() => {
    const span = [...document.querySelectorAll('.part.editor .monaco-editor .view-line span span')]
      .find((s) => s.textContent === 'FROM');
    return span && span.className !== 'mtk1' ? span.className : false;
  });
  assert.match(await fromClass.jsonValue(), /^mtk\d+/);
});

test('saves a screenshot of the editor', { timeout: 30_000 }, async () => {
  const file = await vscode.screenshot(session.page, SCREENSHOT);
  assert.ok(file.endsWith('smoke.png'));
});
