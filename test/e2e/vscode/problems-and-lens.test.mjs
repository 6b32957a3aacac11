// Scenario 1: a user opens examples/http-server/Dockerfile in VS Code. The Problems panel lists
// Slimfile's findings — the same ones `slimfile check` reports — with their rule ids, and line 1
// carries the size CodeLens "Image ≈ <n> MB · ≈ <n> MB after Minimize".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from './harness.mjs';

const EXAMPLE = path.join(vscode.REPO_ROOT, 'examples', 'http-server');
// The image as written is a golang image: ≈ 895 MB from the engine's stand-in, ≈ 1.04 GB from the catalog.
const SIZE_LENS = /^Image ≈ (\d+(?:\.\d+)?) ([MG]B) · ≈ (\d+(?:\.\d+)?) MB after Minimize$/;

// A second module beside the example whose go.mod requires a cgo package: go.mod's own finding
// reaches VS Code only if the server's registration for manifest documents (no longer listed in
// the client's documentSelector) is honoured by the real client.
const CGO_MODULE = 'sqlite-tool/go.mod';
const CGO_GO_MOD = 'module example.com/sqlitetool\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n';

let session;

before(async () => {
  session = await vscode.startSession({ files: { ...vscode.readFolder(EXAMPLE), [CGO_MODULE]: CGO_GO_MOD }, vsix: vscode.slimfileVsix() });
  await vscode.openFile(session.page, 'Dockerfile');
}, { timeout: 300_000 });

after(async () => {
  if (session?.page) await vscode.saveEndState(session.page, 'problems-and-lens').catch(() => {});
  await vscode.stopAll();
}, { timeout: 60_000 });

/** What the Problems panel should show for the CLI's findings (hints are not listed there). */
function expectedProblems(findings) {
  return findings
    .filter((f) => f.severity !== 'hint')
    .map((f) => ({
      file: path.basename(f.file),
      severity: f.severity,
      source: 'slimfile',
      code: f.rule,
      position: `[Ln ${f.range.start.line + 1}, Col ${f.range.start.character + 1}]`,
      message: f.message,
    }))
    .sort(byPosition);
}

function byPosition(a, b) {
  return a.position.localeCompare(b.position, 'en', { numeric: true }) || a.code.localeCompare(b.code);
}

test('the Problems panel shows the findings of `slimfile check`, each with its rule id and source slimfile', { timeout: 180_000 }, async () => {
  const cli = vscode.slimfileCli(['check', '--format', 'json', path.join(session.workspace, 'Dockerfile')], { root: vscode.installedExtensionDir(session.server) });
  assert.ok(cli.status === 0 || cli.status === 1, `slimfile check failed (exit ${cli.status}): ${cli.stderr}`);
  const expected = expectedProblems(JSON.parse(cli.stdout));
  assert.ok(expected.some((p) => p.code === 'go-toolchain-in-final-image'), 'the example is expected to keep the Go toolchain in its final image');

  const shown = await vscode.readProblems(session.page, { minCount: expected.length, timeout: vscode.ANALYSIS_TIMEOUT });
  const actual = shown
    .filter((p) => p.source === 'slimfile')
    .map(({ file, severity, source, code, position, message }) => ({ file, severity, source, code, position, message }))
    .sort(byPosition);
  assert.deepEqual(actual, expected);
});

test('line 1 shows the size CodeLens "Image ≈ <n> MB · ≈ <n> MB after Minimize"', { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.focusEditor(page);
  await page.keyboard.press('Control+Home');
  let lenses;
  try {
    lenses = await vscode.readCodeLensesByLine(page, { minCount: 1, timeout: vscode.ANALYSIS_TIMEOUT });
  } catch (error) {
    throw new Error('no CodeLens is shown in the Dockerfile (the size lens is missing)', { cause: error });
  }
  const sizeLenses = lenses.filter((l) => l.text.startsWith('Image'));
  assert.equal(sizeLenses.length, 1, `expected one size lens, got ${JSON.stringify(lenses)}`);
  const [lens] = sizeLenses;
  assert.equal(lens.line, 1, `the size lens sits above line ${lens.line}, not line 1`);
  const match = SIZE_LENS.exec(lens.text);
  assert.ok(match, `lens text ${JSON.stringify(lens.text)} does not match ${SIZE_LENS}`);
  const [now, afterMinimize] = [Number(match[1]) * (match[2] === 'GB' ? 1000 : 1), Number(match[3])];
  assert.ok(afterMinimize < now, `the lens promises no saving: ${lens.text}`);
});

test("an opened go.mod shows its own finding: the cgo dependency go-sqlite3, on its require line", { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.openFile(page, CGO_MODULE);
  await vscode.readProblems(page);
  // Published asynchronously: wait for the row itself rather than for a count of rows.
  await page.waitForFunction(
    () => [...document.querySelectorAll('.markers-panel .monaco-list-row .marker-code')].some((e) => e.textContent.trim() === 'cgo-dependency'),
    undefined,
    { timeout: vscode.ANALYSIS_TIMEOUT },
  );
  const goMod = (await vscode.readProblems(page)).filter((p) => p.file === 'go.mod' && p.source === 'slimfile');
  assert.deepEqual(goMod.map(({ code }) => code), ['cgo-dependency']);
  assert.match(goMod[0].position, /^\[Ln 5, Col \d+\]$/, 'the finding sits on the require line');
  assert.match(goMod[0].message, /go-sqlite3/);
});
