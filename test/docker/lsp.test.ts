// Build and Compare over stdio, as an editor other than VS Code drives them (a Neovim user's
// client): the server is told the workspace is trusted in initializationOptions, runs
// workspace/executeCommand slimfile.build and slimfile.compare on a real Docker Engine, reports
// work done progress, streams the log as window/logMessage, stops when the editor cancels, and
// refuses when nothing said the workspace is trusted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { LspClient } from '../helpers/lspClient';
import { BuildErrorCodes, BUILD_COMMAND, COMPARE_COMMAND, type BuildResult, type CompareResult, type ShownImage } from '../../server/src/protocol';
import { untrustedMessage } from '../../server/src/handlers/builds';
import { containersWith, docker, ensureDockerReady, ROOT } from './helpers';

const HELLO = path.join(ROOT, 'examples', 'hello');
const REQUEST_CANCELLED = -32800;

/** A server on `dir` (as a Neovim client starts it) with `dockerfile` open. */
async function editor(dir: string, dockerfile: string, init: object | undefined): Promise<{ client: LspClient; uri: string }> {
  const client = LspClient.start({ SLIMFILE_OFFLINE: '1' });
  await client.request('initialize', {
    processId: process.pid,
    rootUri: URI.file(dir).toString(),
    workspaceFolders: [{ uri: URI.file(dir).toString(), name: path.basename(dir) }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    ...(init ? { initializationOptions: init } : {}),
  });
  await client.notify('initialized', {});
  const uri = URI.file(dockerfile).toString();
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: readFileSync(dockerfile, 'utf8') } });
  await client.diagnosticsForVersion(uri, 1);
  return { client, uri };
}

async function failure(work: Promise<unknown>): Promise<ResponseError<{ kind?: string }>> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));
    return error as ResponseError<{ kind?: string }>;
  }
  assert.fail('the command succeeded');
}

/** The image as the engine reports it: the figure a user would check with docker image inspect. */
async function assertMatchesEngine(image: ShownImage): Promise<void> {
  assert.equal(Number(await docker('image', 'inspect', '--format', '{{.Size}}', image.tag)), image.bytes, `${image.tag}: size`);
  assert.equal(await docker('image', 'inspect', '--format', '{{.Id}}', image.tag), image.image);
  assert.ok(image.layers.length > 0, `${image.tag}: no layers`);
  assert.equal(image.layers.reduce((sum, l) => sum + l.bytes, 0), image.bytes, `${image.tag}: the layers add up to the image`);
  assert.equal(typeof image.estimate, 'number', `${image.tag}: no estimate`);
}

before(async () => {
  await ensureDockerReady();
});

describe('a trusted editor', () => {
  let client: LspClient;
  let uri: string;
  before(async () => {
    ({ client, uri } = await editor(HELLO, path.join(HELLO, 'Dockerfile'), { trusted: true }));
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  it('builds with progress the server creates, the log as window/logMessage, and the real size beside the estimate', async () => {
    const shown: string[] = [];
    client.connection.onNotification('window/showMessage', (p: { message: string }) => shown.push(p.message));
    const result = await client.request<BuildResult>('workspace/executeCommand', { command: BUILD_COMMAND, arguments: [uri] });
    assert.equal(result.image.tag, 'slimfile/hello:latest');
    await assertMatchesEngine(result.image);
    assert.equal(result.message, `slimfile/hello:latest is ${result.image.size} (${result.image.estimateNote}), built in ${result.image.seconds.toFixed(1)} s.`);
    // The estimate of a naive golang image is within 10% of the real one.
    assert.ok(Math.abs((result.image.estimate as number) - result.image.bytes) / result.image.bytes < 0.1, result.image.estimateNote);
    const [token] = client.progressTokens;
    assert.ok(token !== undefined, 'the server created no progress');
    const mine = client.progress.filter((p) => p.token === token).map((p) => p.value);
    assert.deepEqual(mine[0], { kind: 'begin', title: 'Slimfile: building Dockerfile', message: 'connecting to the Docker Engine', cancellable: true });
    assert.ok(mine.some((v) => v.kind === 'report' && /go build/.test(v.message ?? '')), `no step reported: ${JSON.stringify(mine)}`);
    assert.deepEqual(mine.at(-1), { kind: 'end' });
    // Shown by editors that do not show a command's answer (Helix).
    assert.deepEqual(shown, [`Slimfile: ${result.message}`]);
    await client.logLine(new RegExp(`^Built slimfile/hello:latest \\(${result.image.image.slice(7, 19)}\\): ${result.image.bytes} bytes`));
  });

  it('compares as written and minimized on the editor\'s own progress token, with both sizes, estimates and layers', async () => {
    const workDoneToken = `compare-${randomUUID()}`;
    const result = await client.request<CompareResult>('workspace/executeCommand', { command: COMPARE_COMMAND, arguments: [{ uri, tag: 'slimfile-test/lsp-hello' }], workDoneToken });
    assert.equal(result.original.tag, 'slimfile-test/lsp-hello:original');
    assert.equal(result.minimized.tag, 'slimfile-test/lsp-hello:minimized');
    await assertMatchesEngine(result.original);
    await assertMatchesEngine(result.minimized);
    assert.equal(result.ratio, Number((result.original.bytes / result.minimized.bytes).toFixed(2)));
    assert.ok(result.ratio >= 50, `only ${result.ratio}x smaller`);
    assert.ok(result.applied.includes('Convert to multi-stage build'), result.applied.join('; '));
    assert.ok(Math.abs((result.minimized.estimate as number) - result.minimized.bytes) / result.minimized.bytes < 0.1, result.minimized.estimateNote);
    const reports = client.progress.filter((p) => p.token === workDoneToken).map((p) => p.value.message);
    assert.ok(reports.indexOf('building as written') < reports.indexOf('building minimized') && reports.indexOf('building as written') >= 0, JSON.stringify(reports));
    // The user's file is not changed by Compare.
    assert.equal(await fs.readFile(path.join(HELLO, 'Dockerfile'), 'utf8'), readFileSync(path.join(ROOT, 'examples', 'hello', 'Dockerfile'), 'utf8'));
  });
});

describe('cancelling', () => {
  let dir: string;
  let marker: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-lsp-cancel-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function slowProject(): Promise<string> {
    marker = `slimfile-lsp-${randomUUID().slice(0, 8)}`;
    const file = path.join(dir, 'Dockerfile');
    await fs.writeFile(file, `FROM debian:bookworm\nRUN echo ${marker} started && sleep 300\n`);
    return file;
  }

  it('stops the build when the editor cancels the server\'s progress (window/workDoneProgress/cancel)', async () => {
    const { client, uri } = await editor(dir, await slowProject(), { trusted: true });
    const build = failure(client.request('workspace/executeCommand', { command: BUILD_COMMAND, arguments: [{ uri, noCache: true }] }));
    await client.logLine(new RegExp(`^  ${marker} started`));
    const token = client.progressTokens.at(-1);
    const begin = await client.progressWhere((p) => p.token === token && p.value.kind === 'begin');
    assert.equal(begin.value.cancellable, true);
    await client.notify('window/workDoneProgress/cancel', { token });
    const error = await build;
    assert.equal(error.code, REQUEST_CANCELLED);
    assert.equal(error.message, 'Slimfile: the build was cancelled.');
    await client.progressWhere((p) => p.token === token && p.value.kind === 'end');
    assert.deepEqual(await containersWith(marker), []);
    assert.equal(await client.stop(), 0);
  });

  it('stops the build when the editor cancels the request ($/cancelRequest)', async () => {
    const { client, uri } = await editor(dir, await slowProject(), { trusted: true });
    const source = new CancellationTokenSource();
    const build = failure(client.connection.sendRequest('workspace/executeCommand', { command: BUILD_COMMAND, arguments: [{ uri, noCache: true }] }, source.token));
    await client.logLine(new RegExp(`^  ${marker} started`));
    source.cancel();
    const error = await build;
    assert.equal(error.code, REQUEST_CANCELLED);
    assert.deepEqual(await containersWith(marker), []);
    assert.equal(await client.stop(), 0);
  });
});

describe('an editor that does not say the workspace is trusted', () => {
  it('gets a refusal that says how to allow builds, and nothing reaches the engine', async () => {
    const { client, uri } = await editor(HELLO, path.join(HELLO, 'Dockerfile'), undefined);
    const before = await docker('image', 'ls', '--quiet', '--no-trunc', 'slimfile/hello');
    for (const command of [BUILD_COMMAND, COMPARE_COMMAND]) {
      const error = await failure(client.request('workspace/executeCommand', { command, arguments: [uri] }));
      assert.equal(error.code, BuildErrorCodes.untrusted);
      assert.equal(error.message, untrustedMessage(command));
    }
    assert.deepEqual(client.progressTokens, []);
    assert.equal(await docker('image', 'ls', '--quiet', '--no-trunc', 'slimfile/hello'), before);
    assert.equal(await client.stop(), 0);
  });
});
