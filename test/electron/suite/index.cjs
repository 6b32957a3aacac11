// The in-editor half of `npm run test:electron`: runs inside the desktop VS Code's extension host
// with the example http-server folder open. A small sequential runner (no test framework needed);
// run() rejects when a test fails, which makes @vscode/test-electron exit non-zero.

const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const CONVERTED = `FROM golang:1.19 AS build
WORKDIR /app
ADD . .
RUN CGO_ENABLED=0 go build -o main .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/main /app/main
EXPOSE 3000
CMD ["/app/main"]
`;
const SIZE_LENS = /^Image ≈ (\d+(?:\.\d+)?) MB · ≈ (\d+(?:\.\d+)?) MB after Minimize$/;

function dockerfileUri() {
  return vscode.Uri.file(path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'Dockerfile'));
}

/** Slimfile's diagnostics for uri, once the server has published some (or after timeoutMs). */
function slimfileDiagnostics(uri, timeoutMs = 30_000) {
  const current = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'slimfile');
  if (current().length > 0) return Promise.resolve(current());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { listener.dispose(); reject(new Error(`no Slimfile diagnostics within ${timeoutMs} ms`)); }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || current().length === 0) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(current());
    });
  });
}

const codeOf = (d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

const tests = [
  ['opening the Dockerfile activates Slimfile and shows go-toolchain-in-final-image', async () => {
    const document = await vscode.workspace.openTextDocument(dockerfileUri());
    await vscode.window.showTextDocument(document);
    const diagnostics = await slimfileDiagnostics(document.uri);
    assert.ok(diagnostics.some((d) => codeOf(d) === 'go-toolchain-in-final-image'), JSON.stringify(diagnostics.map(codeOf)));
    assert.equal(vscode.extensions.getExtension('slimfile.slimfile')?.isActive, true);
  }],
  ['"Convert to multi-stage build" gives the two-stage Dockerfile', async () => {
    const document = await vscode.workspace.openTextDocument(dockerfileUri());
    const original = document.getText();
    const [toolchain] = (await slimfileDiagnostics(document.uri)).filter((d) => codeOf(d) === 'go-toolchain-in-final-image');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, toolchain.range, undefined, 10);
    const convert = actions.find((a) => a.title === 'Convert to multi-stage build');
    assert.ok(convert?.edit, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(convert.edit));
    try {
      assert.equal(document.getText(), CONVERTED);
    } finally {
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      const revert = new vscode.WorkspaceEdit();
      revert.replace(document.uri, whole, original);
      await vscode.workspace.applyEdit(revert);
    }
  }],
  ['line 1 has the size lens', async () => {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', dockerfileUri(), 10);
    const size = lenses.filter((l) => l.command && SIZE_LENS.test(l.command.title));
    assert.equal(size.length, 1, `lenses: ${JSON.stringify(lenses.map((l) => l.command?.title))}`);
    assert.equal(size[0].range.start.line, 0);
  }],
  ['the hover on golang:1.19 names glibc and a size in MB', async () => {
    const document = await vscode.workspace.openTextDocument(dockerfileUri());
    const at = document.positionAt(document.getText().indexOf('golang:1.19') + 3);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /glibc/);
    assert.match(text, /\b\d+(?:\.\d+)?\s?MB\b/);
  }],
];

exports.run = async function run() {
  const failures = [];
  for (const [name, fn] of tests) {
    const started = Date.now();
    try {
      await fn();
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failures.push(name);
      console.log(`not ok - ${name} (${Date.now() - started} ms)\n  ${String(error.stack ?? error).replace(/\n/g, '\n  ')}`);
    }
  }
  console.log(`# tests ${tests.length}\n# pass ${tests.length - failures.length}\n# fail ${failures.length}`);
  if (failures.length > 0) throw new Error(`${failures.length} test(s) failed: ${failures.join('; ')}`);
};
