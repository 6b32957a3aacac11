// The real server over stdio under misuse and failure: very large input, odd build contexts,
// requests an editor should not send, a missing or forbidden Docker Engine, untrusted workspaces,
// and names full of shell metacharacters. The server must answer, within a bound, and go on.
// Registry failures (timeouts, 401/403/404/429/500, malformed manifests, a registry that drips
// bytes) are covered by test/registry/registry.test.ts and not repeated here.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { constants, existsSync, promises as fs, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-types';
import { LspClient, SERVER_JS } from '../helpers/lspClient';
import { messages } from '../../server/src/analysis/messages';
import { MAX_DOCUMENT_CHARS } from '../../server/src/documents';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const BOUND_MS = 20_000;

function within<T>(what: string, promise: Promise<T>, client: LspClient, ms = BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms\n${client.log.join('\n')}`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

async function tempDir(t: { after: (fn: () => Promise<void>) => void }, prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

interface Started {
  readonly client: LspClient;
  readonly warnings: string[];
  readonly lensRefreshes: { count: number; next: () => Promise<void> };
}

/** Starts and initializes a server on `workspace`; showMessage and lens refreshes are recorded. */
async function start(t: { after: (fn: () => void) => void }, workspace: string, options: { env?: NodeJS.ProcessEnv; trusted?: boolean; offline?: boolean; client?: LspClient } = {}): Promise<Started> {
  const client = options.client ?? LspClient.start({ SLIMFILE_OFFLINE: options.offline === false ? '' : '1', DOCKER_HOST: 'unix:///nonexistent/docker.sock', ...options.env });
  t.after(() => client.kill());
  const warnings: string[] = [];
  client.connection.onNotification('window/showMessage', (p: { message: string }) => warnings.push(p.message));
  client.connection.onRequest('window/showMessageRequest', (p: { message: string }) => {
    warnings.push(p.message);
    return null;
  });
  let waiting: Array<() => void> = [];
  const lensRefreshes = {
    count: 0,
    next: () => new Promise<void>((resolve) => waiting.push(resolve)),
  };
  client.connection.onRequest('workspace/codeLens/refresh', () => {
    lensRefreshes.count++;
    const resolveAll = waiting;
    waiting = [];
    for (const r of resolveAll) r();
    return null;
  });
  await within('initialize', client.request('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: 'robustness' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { codeLens: { refreshSupport: true } } },
    initializationOptions: { trusted: options.trusted === true, offline: options.offline !== false },
  }), client);
  await client.notify('initialized', {});
  return { client, warnings, lensRefreshes };
}

async function open(client: LspClient, file: string, text: string, version = 1): Promise<string> {
  const uri = URI.file(file).toString();
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
  await within(`diagnostics for ${path.basename(file)} v${version}`, client.diagnosticsForVersion(uri, version, mark), client);
  return uri;
}

function peakRssBytes(client: LspClient): number {
  // The helper keeps its child private; the test reads the server's own /proc entry.
  const pid = (client as unknown as { child: { pid: number } }).child.pid;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

test('a 5 MB Dockerfile is skipped with one warning; the server keeps answering and its memory stays bounded', { timeout: 120_000 }, async (t) => {
  const workspace = await tempDir(t, 'slimfile-large-');
  const { client, warnings } = await start(t, workspace);
  const line = 'RUN echo hello world && CGO_ENABLED=1 go build -o /app/server ./cmd/server\n';
  const big = `FROM golang:1.22\n${line.repeat(Math.ceil((5 * 1024 * 1024) / line.length))}`;
  const uri = URI.file(path.join(workspace, 'Dockerfile')).toString();
  const started = Date.now();
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: big } });
  const published = await within('diagnostics for the 5 MB file', client.diagnosticsForVersion(uri, 1, 0), client);
  assert.deepStrictEqual(published.diagnostics, []);
  // Another Dockerfile is analysed as usual, right after.
  const small = await open(client, path.join(workspace, 'small.Dockerfile'), 'FROM golang:1.22\nRUN go build -o /app .\nCMD ["/app"]\n');
  assert.ok(client.published.some((p) => p.uri === small && p.diagnostics.length > 0));
  const answered = await within('hover on the 5 MB file', client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } }), client);
  assert.equal(answered, null);
  assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } }, context: { diagnostics: [] } }), []);
  await assert.rejects(client.request('slimfile/minimize', { uri }), (e: ResponseError<unknown>) => e.message === messages.documentTooLarge(big.length, MAX_DOCUMENT_CHARS));
  // An edit keeps it skipped, without a second warning.
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# edited\n' }] });
  await within('diagnostics for v2', client.diagnosticsForVersion(uri, 2, 0), client);
  assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  assert.deepStrictEqual(warnings, [messages.documentTooLarge(big.length, MAX_DOCUMENT_CHARS)]);
  const rss = peakRssBytes(client);
  assert.ok(rss < 400 * 1024 * 1024, `peak RSS ${Math.round(rss / 1024 / 1024)} MB`);
  assert.equal(await client.stop(), 0);
});

test('a build context with 100,000 files: diagnostics in bounded time, the truncation said once', { timeout: 180_000 }, async (t) => {
  const workspace = await tempDir(t, 'slimfile-100k-');
  await fs.cp(path.join(EXAMPLES, 'http-server'), workspace, { recursive: true });
  for (let d = 0; d < 100; d++) {
    const dir = path.join(workspace, 'data', `d${d}`);
    await fs.mkdir(dir, { recursive: true });
    await Promise.all(Array.from({ length: 1000 }, (_, f) => fs.writeFile(path.join(dir, `f${f}.txt`), 'x')));
  }
  const { client } = await start(t, workspace);
  const file = path.join(workspace, 'Dockerfile');
  const text = await fs.readFile(file, 'utf8');
  const started = Date.now();
  const uri = await open(client, file, text);
  const took = Date.now() - started;
  assert.ok(took < 60_000, `first diagnostics after ${took} ms`);
  const diagnostics = client.published.filter((p) => p.uri === uri && p.version === 1).pop()!.diagnostics;
  assert.ok(diagnostics.some((d) => d.code === 'go-toolchain-in-final-image'), JSON.stringify(diagnostics));
  // Edits re-analyse from the cached context; the note is not repeated.
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\n# edited\n` }] });
  await within('diagnostics for v2', client.diagnosticsForVersion(uri, 2, 0), client);
  const notes = client.log.filter((l) => l.includes('Build context: stopped counting'));
  assert.equal(notes.length, 1, client.log.join('\n'));
  assert.equal(await client.stop(), 0);
});

test('malformed, missing and many go.mod files, Go sources that do not parse, symlink loops', { timeout: 60_000 }, async (t) => {
  const workspace = await tempDir(t, 'slimfile-odd-');
  const dockerfile = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD ["/app/server"]\n';
  const layouts: Record<string, Record<string, string>> = {
    'bad-gomod': { 'go.mod': 'module\ngo banana\nrequire (\n  github.com/x/y\n\u0000\u0001 garbage ((((\n', 'main.go': 'package main\nfunc main() {}\n' },
    'no-gomod': { 'main.go': 'package main\nimport "net/http"\nfunc main() { http.Get("https://example.com") }\n' },
    'bad-go': { 'go.mod': 'module example.com/bad\n\ngo 1.22\n', 'main.go': 'package main\nimport ( "net/http"\nfunc main( {{{ \u0000', 'binary.go': readFileSync(process.execPath).subarray(0, 8192).toString('latin1') },
  };
  for (const [dir, files] of Object.entries(layouts)) {
    for (const [name, content] of Object.entries(files)) {
      await fs.mkdir(path.join(workspace, dir), { recursive: true });
      await fs.writeFile(path.join(workspace, dir, name), content);
    }
  }
  // Many modules under one context.
  await fs.writeFile(path.join(workspace, 'go.mod'), 'module example.com/root\n\ngo 1.22\n');
  for (let i = 0; i < 200; i++) {
    await fs.mkdir(path.join(workspace, 'mods', `m${i}`), { recursive: true });
    await fs.writeFile(path.join(workspace, 'mods', `m${i}`, 'go.mod'), `module example.com/m${i}\n\ngo 1.2${i % 10}\n`);
  }
  // Symlink loops: to the folder itself, to its parent, and to each other.
  await fs.mkdir(path.join(workspace, 'loop'));
  await fs.symlink('.', path.join(workspace, 'loop', 'self'));
  await fs.symlink('..', path.join(workspace, 'loop', 'up'));
  await fs.symlink(path.join(workspace, 'loop', 'b'), path.join(workspace, 'loop', 'a'));
  await fs.symlink(path.join(workspace, 'loop', 'a'), path.join(workspace, 'loop', 'b'));
  await fs.writeFile(path.join(workspace, 'loop', 'main.go'), 'package main\nfunc main() {}\n');

  const { client } = await start(t, workspace);
  for (const dir of ['bad-gomod', 'no-gomod', 'bad-go', 'loop', '.']) await open(client, path.join(workspace, dir, 'Dockerfile'), dockerfile);
  // The malformed go.mod opened in the editor: its own diagnostics, and a hover that answers.
  const goModUri = URI.file(path.join(workspace, 'bad-gomod', 'go.mod')).toString();
  const mark = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri: goModUri, languageId: 'go.mod', version: 1, text: layouts['bad-gomod']!['go.mod'] } });
  await within('go.mod diagnostics', client.diagnosticsForVersion(goModUri, 1, mark), client);
  await within('go.mod hover', client.request('textDocument/hover', { textDocument: { uri: goModUri }, position: { line: 1, character: 3 } }), client);
  assert.equal(await client.stop(), 0);
});

test('LSP misuse: unknown and closed documents, out-of-range positions, cancelled requests, a re-open without close', { timeout: 60_000 }, async (t) => {
  const workspace = await tempDir(t, 'slimfile-misuse-');
  await fs.cp(path.join(EXAMPLES, 'http-server'), workspace, { recursive: true });
  const { client } = await start(t, workspace);
  const file = path.join(workspace, 'Dockerfile');
  const text = await fs.readFile(file, 'utf8');
  const unknown = URI.file(path.join(workspace, 'never-opened', 'Dockerfile')).toString();
  const range = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
  const everyRequest = async (uri: string): Promise<void> => {
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }), []);
    assert.deepStrictEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
    await assert.rejects(client.request('slimfile/minimize', { uri }), ResponseError);
    await assert.rejects(client.request('slimfile/estimate', { uri }), ResponseError);
  };
  await everyRequest(unknown);
  await everyRequest('untitled:Untitled-1');
  await everyRequest('not a uri at all');
  // A change for a document that was never opened is ignored.
  await client.notify('textDocument/didChange', { textDocument: { uri: unknown, version: 2 }, contentChanges: [{ text: 'FROM x' }] });

  const uri = await open(client, file, text);
  // Out-of-range positions and reversed ranges.
  for (const position of [{ line: 10_000, character: 0 }, { line: 0, character: 10_000 }, { line: -1, character: -1 }]) {
    await within('hover out of range', client.request('textDocument/hover', { textDocument: { uri }, position }), client);
  }
  for (const r of [{ start: { line: 50, character: 0 }, end: { line: 2, character: 0 } }, { start: { line: 0, character: 0 }, end: { line: 9_999, character: 9_999 } }]) {
    await within('code actions out of range', client.request('textDocument/codeAction', { textDocument: { uri }, range: r, context: { diagnostics: [] } }), client);
  }
  // A lens whose data is missing or names another version.
  await within('resolve a lens without data', client.request('codeLens/resolve', { range }).catch(() => undefined), client);
  const stale = (await client.request<{ command?: { title: string } }>('codeLens/resolve', { range, data: { uri, version: 99, index: 0 } })).command?.title;
  assert.equal(stale, 'Image size: …');

  // Cancelled requests settle (a result or RequestCancelled), and the server goes on.
  for (const method of ['textDocument/codeAction', 'slimfile/minimize', 'slimfile/estimate', 'textDocument/hover']) {
    const source = new CancellationTokenSource();
    const params = method === 'textDocument/codeAction' ? { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll.slimfile'] } } : method === 'textDocument/hover' ? { textDocument: { uri }, position: { line: 0, character: 6 } } : { uri };
    const pending = client.connection.sendRequest(method, params, source.token);
    source.cancel();
    await within(`cancelled ${method}`, pending.then(() => undefined, (e: unknown) => assert.ok(e instanceof ResponseError, String(e))), client);
  }

  // Closed: the same answers as for a document never opened, and its diagnostics are cleared.
  const mark = client.published.length;
  await client.notify('textDocument/didClose', { textDocument: { uri } });
  const cleared = await within('cleared diagnostics', client.diagnostics(uri, (p) => p.diagnostics.length === 0, mark), client);
  assert.deepStrictEqual(cleared.diagnostics, []);
  await everyRequest(uri);

  // Opened again without a close, at the same version, with other text: the new text is analysed.
  await open(client, file, text, 1);
  const other = 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY server /server\nCMD ["/server"]\n';
  const mark2 = client.published.length;
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: other } });
  const reopened = await within('diagnostics after the re-open', client.diagnosticsForVersion(uri, 1, mark2), client);
  assert.ok(!reopened.diagnostics.some((d) => d.code === 'go-toolchain-in-final-image'), `the old text's findings: ${JSON.stringify(reopened.diagnostics)}`);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
  for (const a of actions) for (const c of (a.edit?.documentChanges ?? []) as TextDocumentEdit[]) TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, other), c.edits);
  assert.equal(await client.stop(), 0);
});

test('stale versions: edits computed for version N name N and are never offered for N+1', { timeout: 60_000 }, async (t) => {
  const workspace = await tempDir(t, 'slimfile-stale-');
  await fs.cp(path.join(EXAMPLES, 'http-server'), workspace, { recursive: true });
  const { client } = await start(t, workspace);
  const file = path.join(workspace, 'Dockerfile');
  const text = await fs.readFile(file, 'utf8');
  const uri = await open(client, file, text);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
  const v1 = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
  const minimize1 = await client.request<{ version: number; edit?: { documentChanges: TextDocumentEdit[] } }>('slimfile/minimize', { uri });
  assert.ok(v1.length > 0);
  // The user types a line at the top: version 2.
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# syntax=docker/dockerfile:1\n' }] });
  // Everything asked before the change names version 1, so an editor at version 2 refuses it.
  for (const a of v1) for (const c of a.edit!.documentChanges as TextDocumentEdit[]) assert.equal(c.textDocument.version, 1);
  assert.equal(minimize1.version, 1);
  assert.equal(minimize1.edit!.documentChanges[0]!.textDocument.version, 1);
  // Asked again, they name version 2 and apply to its text.
  const text2 = `# syntax=docker/dockerfile:1\n${text}`;
  const v2 = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } }, context: { diagnostics: [] } });
  assert.ok(v2.length > 0);
  for (const a of v2) {
    for (const c of a.edit!.documentChanges as TextDocumentEdit[]) {
      assert.equal(c.textDocument.version, 2);
      const after = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 2, text2), c.edits);
      assert.ok(after.startsWith('# syntax=docker/dockerfile:1\n'), after);
    }
  }
  const minimize2 = await client.request<{ version: number; edit?: { documentChanges: TextDocumentEdit[] } }>('slimfile/minimize', { uri });
  assert.equal(minimize2.edit!.documentChanges[0]!.textDocument.version, 2);
  assert.equal(await client.stop(), 0);
});

test('no Docker Engine, and an engine socket the server may not open: sizes from the catalog, answers in bounded time', { timeout: 60_000 }, async (t) => {
  const workspace = await tempDir(t, 'slimfile-engine-');
  await fs.cp(path.join(EXAMPLES, 'http-server'), workspace, { recursive: true });
  await fs.chmod(workspace, 0o755);
  for (const entry of await fs.readdir(workspace)) await fs.chmod(path.join(workspace, entry), 0o644);
  // A socket only root may open; the server runs as nobody when the tests run as root.
  const socketDir = await tempDir(t, 'slimfile-sock-');
  const socket = path.join(socketDir, 'docker.sock');
  const engine = net.createServer((c) => c.end('HTTP/1.1 500 Internal Server Error\r\n\r\n'));
  await new Promise<void>((resolve) => engine.listen(socket, resolve));
  t.after(() => engine.close());
  await fs.chmod(socket, 0o600);
  await fs.chmod(socketDir, 0o755);
  const asNobody = process.getuid?.() === 0;
  const cases: Array<{ name: string; env: NodeJS.ProcessEnv; nobody: boolean }> = [
    { name: 'absent', env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, nobody: false },
    { name: 'permission denied', env: { DOCKER_HOST: `unix://${socket}`, HOME: socketDir, XDG_CACHE_HOME: socketDir }, nobody: asNobody },
  ];
  for (const c of cases) {
    let client: LspClient | undefined;
    if (c.nobody) {
      // The helper spawns as the current user; for this case the same client runs the server as nobody.
      // nobody may not read the checkout (CI clones into a 0700 temp folder), so it runs a copy of
      // the bundle from a folder it can read, with the Go parser's wasm it loads from beside itself.
      const bundleDir = await tempDir(t, 'slimfile-bundle-');
      await fs.chmod(bundleDir, 0o755);
      const bundle = path.join(bundleDir, 'server.js');
      await fs.copyFile(SERVER_JS, bundle);
      await fs.chmod(bundle, 0o644);
      // server.js runs serverBundle.js from beside itself.
      for (const name of ['serverBundle.js', 'tree-sitter.wasm', 'tree-sitter-go.wasm']) {
        await fs.copyFile(path.join(path.dirname(SERVER_JS), name), path.join(bundleDir, name));
        await fs.chmod(path.join(bundleDir, name), 0o644);
      }
      const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: 'pipe', uid: 65534, gid: 65534, env: { ...process.env, SLIMFILE_OFFLINE: '1', ...c.env } });
      client = Reflect.construct(LspClient, [child]) as LspClient;
    } else if (c.name === 'permission denied') {
      // Not root: the socket mode alone denies the current user.
      await fs.chmod(socket, 0o000);
    }
    const { client: started } = await start(t, workspace, { env: c.env, client });
    const file = path.join(workspace, 'Dockerfile');
    const uri = await open(started, file, await fs.readFile(file, 'utf8'));
    const estimate = await within(`estimate with the engine ${c.name}`, started.request<{ bytes: number | undefined; sources: string[] }>('slimfile/estimate', { uri }), started);
    assert.ok(estimate.bytes !== undefined && estimate.bytes > 0, JSON.stringify(estimate));
    assert.ok(!estimate.sources.some((s) => s.includes('local Docker Engine')), JSON.stringify(estimate.sources));
    const lenses = await started.request<Array<{ range: unknown; data: unknown }>>('textDocument/codeLens', { textDocument: { uri } });
    for (const lens of lenses) await within('lens resolve', started.request('codeLens/resolve', lens), started);
    assert.equal(await started.stop(), 0);
  }
});

test('untrusted: no go toolchain run and ~/.docker/config.json never opened; trusted: the measured build runs', { timeout: 90_000 }, async (t) => {
  const root = await tempDir(t, 'slimfile-trust-');
  // A context folder whose name is a shell command, and a go build whose words are shell commands.
  const workspace = path.join(root, 'x; touch pwned');
  await fs.cp(path.join(EXAMPLES, 'http-server'), workspace, { recursive: true });
  const dockerfile = (phase: string): string =>
    [
      'FROM golang:1.22 AS build',
      'WORKDIR /app',
      'COPY . .',
      // A package path go cannot map to a folder is not measured; the next build is.
      `RUN CGO_ENABLED=0 go build -ldflags="-X main.phase=${phase}" -o /app/other '$(touch pwned)'`,
      `RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.phase=${phase} -X main.v=\\$(touch pwned)" -tags '$(touch pwned),netgo' -o /app/server .`,
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'COPY --from=build /app/server /app/other /app/',
      'CMD ["/app/server"]',
      '',
    ].join('\n');
  // A fake go that records its arguments, one per line, and writes the binary it was asked for.
  const bin = path.join(root, 'bin');
  const log = path.join(root, 'go-calls.log');
  await fs.mkdir(bin);
  await fs.writeFile(
    path.join(bin, 'go'),
    `#!/bin/sh\nprintf 'call' >> "$GO_LOG"\nfor a in "$@"; do printf ' [%s]' "$a" >> "$GO_LOG"; done\nprintf '\\n' >> "$GO_LOG"\nif [ "$1" = env ]; then echo go1.22.0; exit 0; fi\nout=''\nwhile [ $# -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done\n[ -n "$out" ] && head -c 4096 /dev/zero > "$out"\nexit 0\n`,
    { mode: 0o755 },
  );
  // HOME with a Docker config that is a FIFO: opening it for reading blocks until a writer comes,
  // so a non-blocking open for writing succeeds exactly when someone has it open to read.
  const home = path.join(root, 'home');
  await fs.mkdir(path.join(home, '.docker'), { recursive: true });
  const config = path.join(home, '.docker', 'config.json');
  execFileSync('mkfifo', [config]);
  const configOpened = async (): Promise<boolean> => {
    try {
      const handle = await fs.open(config, constants.O_WRONLY | constants.O_NONBLOCK);
      await handle.writeFile('{"auths":{}}');
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENXIO') return false;
      throw error;
    }
  };
  const env = { PATH: `${bin}${path.delimiter}${process.env['PATH']}`, GO_LOG: log, HOME: home, DOCKER_CONFIG: '', DOCKER_HOST: '', DOCKER_CONTEXT: '', XDG_CACHE_HOME: path.join(root, 'cache') };
  const { client, lensRefreshes } = await start(t, workspace, { env, trusted: false, offline: false });
  const file = path.join(workspace, 'Dockerfile');
  const uri = await open(client, file, dockerfile('untrusted'));
  // Everything that could build, look up an image or read credentials. A server that reads the
  // config blocks on the FIFO, so these are bounded.
  await within('estimate (no answer: the server is blocked reading the ~/.docker/config.json FIFO)', client.request('slimfile/estimate', { uri }), client);
  for (const lens of await client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri } })) await client.request('codeLens/resolve', lens);
  await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 10 } });
  await client.request('slimfile/minimize', { uri });
  assert.equal(await configOpened(), false, 'the untrusted server opened ~/.docker/config.json');
  // A trusted server may read it (the docker context, credentials): a plain file from here on.
  await fs.rm(config);
  await fs.writeFile(config, '{"auths":{}}');

  // Trust granted: the next estimate measures the builds of version 2. The measurer runs one build
  // at a time in order, so when version 2's result arrives anything queued before it has run.
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: dockerfile('trusted') }] });
  await within('diagnostics v2', client.diagnosticsForVersion(uri, 2, 0), client);
  await client.notify('slimfile/trust', { trusted: true, offline: true });
  const readCalls = async (): Promise<string[]> => (existsSync(log) ? (await fs.readFile(log, 'utf8')).trim().split('\n') : []);
  // A measured build refreshes the lenses; wait for the refresh that comes with version 2's.
  const measured = (async () => {
    for (;;) {
      const next = lensRefreshes.next();
      if ((await readCalls()).some((c) => c.includes('phase=trusted') && c.includes('[build]'))) return;
      await next;
    }
  })();
  await client.request('slimfile/estimate', { uri });
  await within('the measured builds', measured, client, 60_000);

  const calls = await readCalls();
  assert.ok(!calls.some((c) => c.includes('phase=untrusted')), `go ran in the untrusted workspace:\n${calls.join('\n')}`);
  // The trusted build received the words as data: no shell ran them.
  const build = calls.find((c) => c.includes('phase=trusted') && c.includes('-tags'));
  assert.ok(build, calls.join('\n'));
  assert.ok(build.includes('[-ldflags=-s -w -X main.phase=trusted -X main.v=$(touch pwned)]'), build);
  // go reads -tags as a comma or space separated list; the words stay data either way.
  assert.ok(build.includes('[-tags=$(touch,pwned),netgo]'), build);
  assert.ok(!calls.some((c) => c.includes('[$(touch pwned)]')), calls.join('\n'));
  for (const dir of [root, workspace, path.dirname(root), process.cwd(), home]) assert.equal(existsSync(path.join(dir, 'pwned')), false, `pwned created in ${dir}`);
  assert.equal(await client.stop(), 0);
});

test('no source runs a shell: child processes are started with execFile/spawn and no shell option', async () => {
  const roots = [path.join(__dirname, '..', '..', 'server', 'src'), path.join(__dirname, '..', '..', 'client', 'src')];
  const offenders: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.ts')) {
        const source = await fs.readFile(full, 'utf8');
        const imported = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(?:node:)?child_process'/g)].flatMap((m) => (m[1] as string).split(',').map((n) => n.trim().split(/\s+as\s+/)[0]));
        const namespace = /import\s*\*\s*as\s*(\w+)\s*from\s*'(?:node:)?child_process'/.exec(source)?.[1];
        const shellRunners = imported.filter((n) => n === 'exec' || n === 'execSync');
        const usesChildProcess = imported.length > 0 || namespace !== undefined;
        if (shellRunners.length > 0 || (namespace && new RegExp(`\\b${namespace}\\.exec(Sync)?\\(`).test(source)) || (usesChildProcess && /shell:\s*(true|['"])/.test(source))) offenders.push(path.relative(process.cwd(), full));
      }
    }
  };
  for (const root of roots) await walk(root);
  assert.deepStrictEqual(offenders, []);
});
