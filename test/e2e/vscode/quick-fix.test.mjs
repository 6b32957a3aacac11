// Scenario 3: on `FROM golang:1.19`, Ctrl+. offers "Convert to multi-stage build"; applying it
// turns the editor text into the two-stage Dockerfile below (the conversion alone, without the
// later polish that "Minimize image" adds), and the toolchain finding goes away.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from './harness.mjs';

const EXAMPLE = path.join(vscode.REPO_ROOT, 'examples', 'http-server');
const ORIGINAL = `FROM golang:1.19
WORKDIR /app
ADD . .
RUN go build -o main .
EXPOSE 3000
CMD ["/app/main"]
`;
// Checked by hand once against the server's fix; kept literal so a change to the fix shows here.
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
const FIX = 'Convert to multi-stage build';

let session;

before(async () => {
  // A fixed input, so the expected output above stays true if the example is edited.
  session = await vscode.startSession({
    files: { ...vscode.readFolder(EXAMPLE), Dockerfile: ORIGINAL },
    vsix: vscode.slimfileVsix(),
  });
  await vscode.openFile(session.page, 'Dockerfile');
}, { timeout: 300_000 });

after(async () => {
  if (session?.page) await vscode.saveEndState(session.page, 'quick-fix').catch(() => {});
  await vscode.stopAll();
}, { timeout: 60_000 });

test(`Ctrl+. on FROM golang:1.19 offers "${FIX}"`, { timeout: 180_000 }, async () => {
  const { page } = session;
  const problems = await vscode.readProblems(page, { minCount: 1, timeout: vscode.ANALYSIS_TIMEOUT });
  const toolchain = problems.find((p) => p.code === 'go-toolchain-in-final-image');
  assert.ok(toolchain, `no go-toolchain-in-final-image problem: ${JSON.stringify(problems)}`);
  const [, line, column] = /Ln (\d+), Col (\d+)/.exec(toolchain.position).map(Number);
  const titles = await vscode.openCodeActions(page, line, column);
  await vscode.screenshot(page, vscode.artifact('quick-fix-menu.png'));
  assert.ok(titles.includes(FIX), `the light bulb offers ${JSON.stringify(titles)}`);
});

test(`applying "${FIX}" gives exactly the multi-stage Dockerfile`, { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.applyCodeAction(page, new RegExp(`^${FIX}$`));
  assert.equal(await vscode.readEditorText(page), CONVERTED);
});

test('the go-toolchain-in-final-image problem goes away', { timeout: 180_000 }, async () => {
  const { page } = session;
  await vscode.readProblems(page);
  await page.waitForFunction(
    () => ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /go-toolchain-in-final-image/.test(r.textContent)),
    undefined,
    { timeout: vscode.ANALYSIS_TIMEOUT },
  );
});
