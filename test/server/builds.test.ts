// Builds through the language server as any editor sees them, without an engine: the commands an
// editor is offered, the refusal in a workspace nobody said is trusted, a clear error when the
// engine is down, and that the Docker libraries (dockerode, tar-fs) stay out of the server's
// process until a build needs them — checked on dist/server.js with V8's coverage of the bundle.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { parse as parseToml } from 'smol-toml';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { CodeLens } from 'vscode-languageserver-types';
import { LspClient, positionOf, SERVER_JS } from '../helpers/lspClient';
import { BuildErrorCodes, BUILD_COMMAND, COMPARE_COMMAND, SERVER_ENV } from '../../server/src/protocol';
import { untrustedMessage } from '../../server/src/handlers/builds';

const DOCKERFILE = 'FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nCMD ["/app/main"]\n';
const NO_ENGINE = 'unix:///nonexistent/slimfile-no-engine.sock';

interface Started {
  readonly client: LspClient;
  readonly uri: string;
  readonly commands: readonly string[] | undefined;
}

async function workspace(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-builds-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'Dockerfile'), DOCKERFILE);
  await fs.writeFile(path.join(dir, 'go.mod'), 'module example.com/hello\n\ngo 1.19\n');
  await fs.writeFile(path.join(dir, 'main.go'), 'package main\n\nfunc main() { println("hello") }\n');
  return dir;
}

/** A server on `dir` with the Dockerfile open and analysed; `init` is the editor's initializationOptions. */
async function start(t: { after: (fn: () => void) => void }, dir: string, init: object | undefined, env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const client = LspClient.start({ SLIMFILE_OFFLINE: '1', DOCKER_HOST: NO_ENGINE, ...env });
  t.after(() => client.kill());
  const answer = await client.request<{ capabilities: { executeCommandProvider?: { commands: string[] } } }>('initialize', {
    processId: process.pid,
    rootUri: URI.file(dir).toString(),
    workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'builds' }],
    capabilities: { window: { workDoneProgress: true } },
    ...(init ? { initializationOptions: init } : {}),
  });
  await client.notify('initialized', {});
  const uri = URI.file(path.join(dir, 'Dockerfile')).toString();
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: DOCKERFILE } });
  await client.diagnosticsForVersion(uri, 1);
  return { client, uri, commands: answer.capabilities.executeCommandProvider?.commands };
}

async function refusal(work: Promise<unknown>): Promise<ResponseError<{ kind?: string }>> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ResponseError, `not a JSON-RPC error: ${String(error)}`);
    return error as ResponseError<{ kind?: string }>;
  }
  assert.fail('the command succeeded');
}

test('an editor that says nothing about trust is offered both commands, and both refuse with how to allow them', async (t) => {
  const dir = await workspace(t);
  const { client, uri, commands } = await start(t, dir, undefined);
  assert.deepEqual(commands, [BUILD_COMMAND, COMPARE_COMMAND]);
  for (const command of [BUILD_COMMAND, COMPARE_COMMAND]) {
    const error = await refusal(client.request('workspace/executeCommand', { command, arguments: [uri] }));
    assert.equal(error.code, BuildErrorCodes.untrusted);
    assert.equal(error.message, untrustedMessage(command));
    assert.match(error.message, /initialization option "trusted": true/);
  }
  // Compare with run starts containers: refused the same way, before any probe is planned.
  const run = await refusal(client.request('workspace/executeCommand', { command: COMPARE_COMMAND, arguments: [{ uri, run: true }] }));
  assert.equal(run.code, BuildErrorCodes.untrusted);
  assert.equal(run.message, untrustedMessage(COMPARE_COMMAND));
  assert.deepEqual(client.progressTokens, [], 'a refused command started progress');
  assert.equal(await client.stop(), 0);
});

test('VS Code\'s client, which contributes the commands itself, is not offered them a second time', async (t) => {
  const dir = await workspace(t);
  const { client, commands } = await start(t, dir, { trusted: true, commandsInClient: true });
  assert.deepEqual(commands, []);
  assert.equal(await client.stop(), 0);
});

test('without arguments (Helix\'s :lsp-workspace-command) the one open Dockerfile is built; otherwise the command says what it takes', async (t) => {
  const dir = await workspace(t);
  const { client } = await start(t, dir, { trusted: true });
  // One Dockerfile open: it goes to the engine, which is down here.
  const one = await refusal(client.request('workspace/executeCommand', { command: BUILD_COMMAND }));
  assert.equal(one.data?.kind, 'engine-not-running');
  const bad = await refusal(client.request('workspace/executeCommand', { command: BUILD_COMMAND, arguments: [42] }));
  assert.equal(bad.message, 'Slimfile: slimfile.build takes the Dockerfile\'s uri: arguments [{"uri": "file:///…/Dockerfile"}] or ["file:///…/Dockerfile"].');
  const second = URI.file(path.join(dir, 'Dockerfile.dev')).toString();
  await client.notify('textDocument/didOpen', { textDocument: { uri: second, languageId: 'dockerfile', version: 1, text: DOCKERFILE } });
  const two = await refusal(client.request('workspace/executeCommand', { command: COMPARE_COMMAND, arguments: [] }));
  assert.equal(two.message, `Slimfile: slimfile.compare without arguments builds the one open Dockerfile, but 2 Dockerfiles are open (${URI.file(path.join(dir, 'Dockerfile')).toString()}, ${second}); pass its uri: arguments ["file:///…/Dockerfile"].`);
  assert.equal(await client.stop(), 0);
});

test('Compare with run refuses a probe it cannot read, and says which line and why, before it builds', async (t) => {
  const dir = await workspace(t);
  const { client, uri } = await start(t, dir, { trusted: true });
  const text = `# slimfile: probe FETCH /health\n${DOCKERFILE}`;
  await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
  const error = await refusal(client.request('workspace/executeCommand', { command: COMPARE_COMMAND, arguments: [{ uri, run: true }] }));
  assert.equal(error.message, 'Slimfile: line 1: probe takes an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS) or "run", not "FETCH".');
  assert.equal(await client.stop(), 0);
});

interface Coverage {
  result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }>;
}

/** The packages bundled in dist/ (server.js and any bundle it loads) whose module code ran, per V8's coverage. */
async function loadedModules(coverageDir: string): Promise<Set<string>> {
  const loaded = new Set<string>();
  for (const file of await fs.readdir(coverageDir)) {
    const coverage = JSON.parse(await fs.readFile(path.join(coverageDir, file), 'utf8')) as Coverage;
    for (const script of coverage.result) {
      if (!/\/dist\/[^/]+\.js$/.test(script.url)) continue;
      // esbuild wraps each bundled CommonJS file in a function named by its path.
      for (const fn of script.functions) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/.*\.js$/.exec(fn.functionName);
        if (m && (fn.ranges[0]?.count ?? 0) > 0) loaded.add(m[1] as string);
      }
    }
  }
  return loaded;
}

test('dockerode and tar-fs are not loaded by start-up, diagnostics, lenses, hover or Minimize; a build loads them', { timeout: 60_000 }, async (t) => {
  const dir = await workspace(t);
  const coverage = path.join(dir, 'coverage-analysis');
  const { client, uri } = await start(t, dir, { trusted: true }, { NODE_V8_COVERAGE: coverage });
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.ok(lenses.length > 0);
  for (const lens of lenses) await client.request('codeLens/resolve', lens);
  await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(DOCKERFILE, 'golang', { offset: 2 }) });
  await client.request('slimfile/minimize', { uri });
  assert.equal(await client.stop(), 0);
  const analysis = await loadedModules(coverage);
  // The check can see modules: the server's own libraries ran.
  assert.ok(analysis.has('dockerfile-ast') && analysis.has('vscode-languageserver'), `coverage saw: ${[...analysis].join(', ')}`);
  for (const library of ['dockerode', 'docker-modem', 'ssh2', 'tar-fs']) assert.ok(!analysis.has(library), `${library} was loaded without a build`);

  const buildCoverage = path.join(dir, 'coverage-build');
  const builder = await start(t, dir, { trusted: true }, { NODE_V8_COVERAGE: buildCoverage });
  const error = await refusal(builder.client.request('workspace/executeCommand', { command: BUILD_COMMAND, arguments: [{ uri: builder.uri }] }));
  assert.equal(error.code, BuildErrorCodes.failed);
  assert.equal(error.message, `Slimfile: The Docker Engine is not running: no socket at ${NO_ENGINE} (from DOCKER_HOST). Start it (for example "sudo systemctl start docker", or open Docker Desktop) and try again.`);
  assert.equal(error.data?.kind, 'engine-not-running');
  // The failure is in the log too, for editors that show only the log.
  await builder.client.logLine(/The Docker Engine is not running/);
  assert.equal(await builder.client.stop(), 0);
  const build = await loadedModules(buildCoverage);
  for (const library of ['dockerode', 'tar-fs']) assert.ok(build.has(library), `${library} was not loaded by a build: ${[...build].join(', ')}`);
});

/** The README's Helix block, parsed as Helix reads languages.toml. */
function readmeHelix(): { command: string; args: string[]; environment: Record<string, string>; config: unknown; dockerfileServers: string[] } {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /\*\*Helix\*\*[^\n]*\n\n```toml\n([\s\S]*?)\n```/.exec(readme)?.[1];
  assert.ok(block, 'the README has no Helix block');
  const toml = parseToml(block) as { 'language-server': { slimfile: { command: string; args: string[]; environment: Record<string, string>; config: unknown } }; language: Array<{ name: string; 'language-servers': string[] }> };
  const server = toml['language-server'].slimfile;
  const dockerfile = toml.language.find((l) => l.name === 'dockerfile');
  return { ...server, dockerfileServers: dockerfile?.['language-servers'] ?? [] };
}

test('the README\'s Helix configuration starts the server trusted, and :lsp-workspace-command slimfile.build reaches the engine', async (t) => {
  const helix = readmeHelix();
  assert.equal(helix.command, 'node');
  assert.deepEqual(helix.args, ['/path/to/slimfile/dist/server.js', '--stdio']);
  // The environment VS Code starts the server with (one malloc arena).
  assert.deepEqual({ ...helix.environment }, SERVER_ENV);
  assert.ok(helix.dockerfileServers.includes('slimfile'), `dockerfile's language servers: ${helix.dockerfileServers.join(', ')}`);
  const dir = await workspace(t);
  const client = LspClient.start({ ...helix.environment, SLIMFILE_OFFLINE: '1', DOCKER_HOST: NO_ENGINE }, [SERVER_JS, ...helix.args.slice(1)]);
  t.after(() => client.kill());
  // Helix sends `config` as initializationOptions.
  const answer = await client.request<{ capabilities: { executeCommandProvider?: { commands: string[] } } }>('initialize', {
    processId: process.pid,
    rootUri: URI.file(dir).toString(),
    capabilities: { window: { workDoneProgress: true } },
    initializationOptions: helix.config,
  });
  assert.deepEqual(answer.capabilities.executeCommandProvider?.commands, [BUILD_COMMAND, COMPARE_COMMAND]);
  await client.notify('initialized', {});
  const uri = URI.file(path.join(dir, 'Dockerfile')).toString();
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: DOCKERFILE } });
  await client.diagnosticsForVersion(uri, 1);
  // Helix sends the command without arguments: the open Dockerfile goes to the engine (down here).
  const error = await refusal(client.request('workspace/executeCommand', { command: BUILD_COMMAND }));
  assert.equal(error.data?.kind, 'engine-not-running');
  assert.equal(await client.stop(), 0);
});
