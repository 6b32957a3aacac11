// A saved Go source reaches the Dockerfile's diagnostics: the editor's file watcher tells the
// server, which reads that file again and analyses the open Dockerfile with what it changed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspClient } from '../helpers/lspClient';

const CATALOG_ONLY = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', SLIMFILE_OFFLINE: '1' };

const DOCKERFILE = `FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
`;

const QUIET = 'package main\n\nfunc main() {}\n';
const DIALS = 'package main\n\nimport "crypto/tls"\n\nfunc main() {\n\t_, _ = tls.Dial("tcp", "example.com:443", nil)\n}\n';

test('saving a Go file that starts or stops a TLS dial adds or removes the missing CA certificates error', { timeout: 60_000 }, async (t) => {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-refresh-'));
  t.after(() => fs.rm(workspace, { recursive: true, force: true }));
  await fs.writeFile(path.join(workspace, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  const main = path.join(workspace, 'main.go');
  await fs.writeFile(main, QUIET);
  const dockerfile = path.join(workspace, 'Dockerfile');
  await fs.writeFile(dockerfile, DOCKERFILE);

  const client = LspClient.start(CATALOG_ONLY);
  t.after(() => client.kill());
  await client.request('initialize', { processId: process.pid, rootUri: URI.file(workspace).toString(), capabilities: {} });
  await client.notify('initialized', {});
  const uri = URI.file(dockerfile).toString();
  let mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: DOCKERFILE } });
  const codes = (p: { diagnostics: Array<{ code?: unknown }> }): unknown[] => p.diagnostics.map((d) => d.code);
  assert.ok(!codes(await client.diagnosticsForVersion(uri, 1, mark)).includes('scratch-missing-ca-certificates'), 'no TLS call yet');

  for (const [text, expected] of [[DIALS, true], [QUIET, false]] as const) {
    await fs.writeFile(main, text);
    mark = client.published.length;
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(main).toString(), type: 2 }] });
    // Waits for the diagnostics that say it (a publish of the version before the save may still
    // arrive first); without the refresh, the test's timeout fails it.
    const published = await client.diagnostics(uri, (p) => codes(p).includes('scratch-missing-ca-certificates') === expected, mark);
    assert.equal(published.version, 1, 'the Dockerfile itself did not change');
  }
  await client.stop();
});
