// Scenario 2: hovering the base image of `FROM golang:1.19` shows what the image is: its size
// in MB and its libc (glibc for the Debian-based golang images).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from './harness.mjs';

const EXAMPLE = path.join(vscode.REPO_ROOT, 'examples', 'http-server');
const IMAGE = 'golang:1.19';

let session;

before(async () => {
  session = await vscode.startSession({ files: vscode.readFolder(EXAMPLE), vsix: vscode.slimfileVsix() });
  await vscode.openFile(session.page, 'Dockerfile');
  // The server is ready once its diagnostics are in; hovering earlier would race its start.
  await vscode.readProblems(session.page, { minCount: 1, timeout: vscode.ANALYSIS_TIMEOUT });
}, { timeout: 300_000 });

after(async () => {
  if (session?.page) await vscode.saveEndState(session.page, 'hover').catch(() => {});
  await vscode.stopAll();
}, { timeout: 60_000 });

test(`the hover on ${IMAGE} shows its size in MB and its libc (glibc)`, { timeout: 180_000 }, async () => {
  const { page } = session;
  const lines = await vscode.readVisibleEditorLines(page);
  const line = lines.findIndex((l) => l.startsWith(`FROM ${IMAGE}`)) + 1;
  assert.ok(line > 0, `no "FROM ${IMAGE}" line in ${JSON.stringify(lines)}`);
  // The middle of the image name, so the hover is about the image and not the keyword.
  const column = lines[line - 1].indexOf(IMAGE) + 1 + Math.floor(IMAGE.length / 2);

  await vscode.readHover(page, line, column);
  const parts = await vscode.waitForHoverContent(page);
  const content = parts.filter((p) => p.kind === 'content').map((p) => p.text).join('\n');
  assert.match(content, /glibc/, `the hover does not name the libc: ${JSON.stringify(parts)}`);
  assert.match(content, /\b\d+(?:\.\d+)?\s?MB\b/, `the hover shows no size in MB: ${JSON.stringify(parts)}`);
});
