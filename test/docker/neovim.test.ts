// The README's Neovim configuration, run unchanged in headless Neovim against the real server and
// a real engine: :SlimfileBuild and :SlimfileCompare show the real sizes, :SlimfileCancel stops a
// build and leaves no container, and without the trusted option the user reads how to allow builds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SERVER_JS } from '../helpers/lspClient';
import { formatBytes } from '../../server/src/analysis/estimate/sizes';
import { untrustedMessage } from '../../server/src/handlers/builds';
import { containersWith, docker, ensureDockerReady, ROOT, run } from './helpers';

const HARNESS = path.join(__dirname, 'neovim', 'harness.lua');

interface Seen {
  notified: string[];
  shown: string[];
  logged: string[];
  progress: Array<{ token: string; value: { kind: string; title?: string; message?: string } }>;
  diagnostics: number;
  done: boolean;
}

/** The ```lua block under **Neovim** in the README, with the server's path filled in. */
function readmeLua(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /\*\*Neovim\*\*[^\n]*\n\n```lua\n([\s\S]*?)\n```/.exec(readme)?.[1];
  assert.ok(block, 'the README has no Neovim block');
  assert.ok(block.includes("'/path/to/slimfile/dist/server.js'"), 'the block names the server by the placeholder path');
  return block.replace("'/path/to/slimfile/dist/server.js'", JSON.stringify(SERVER_JS));
}

let dir: string;

async function neovim(lua: string, dockerfile: string, action: string, marker = ''): Promise<Seen> {
  const config = path.join(dir, `config-${randomUUID().slice(0, 8)}.lua`);
  const out = path.join(dir, `seen-${randomUUID().slice(0, 8)}.json`);
  await fs.writeFile(config, lua);
  const ran = await run('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${HARNESS}`], {
    env: { ...process.env, SLIMFILE_OFFLINE: '1', SLIMFILE_NVIM_CONFIG: config, SLIMFILE_NVIM_FILE: dockerfile, SLIMFILE_NVIM_ACTION: action, SLIMFILE_NVIM_MARKER: marker, SLIMFILE_NVIM_OUT: out },
    cwd: path.dirname(dockerfile),
  });
  const seen = JSON.parse(await fs.readFile(out, 'utf8').catch(() => 'null')) as Seen | null;
  assert.ok(seen, `Neovim wrote no record (exit ${ran.code}):\n${ran.stdout}\n${ran.stderr}`);
  assert.ok(seen.diagnostics > 0, `the server never published diagnostics to Neovim: ${JSON.stringify(seen)}`);
  return seen;
}

async function copyOfHello(): Promise<string> {
  const copy = path.join(dir, `hello-${randomUUID().slice(0, 8)}`);
  await fs.cp(path.join(ROOT, 'examples', 'hello'), copy, { recursive: true });
  return path.join(copy, 'Dockerfile');
}

before(async () => {
  await ensureDockerReady();
  const installed = await run('bash', [path.join(ROOT, 'scripts', 'install-neovim.sh')]);
  assert.equal(installed.code, 0, `scripts/install-neovim.sh failed: ${installed.stderr}`);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-nvim-'));
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the README\'s Neovim configuration', () => {
  it(':SlimfileBuild shows the real size beside the estimate, with progress', async () => {
    const dockerfile = await copyOfHello();
    const seen = await neovim(readmeLua(), dockerfile, 'build');
    assert.deepEqual(seen.notified, [], 'an error was shown');
    const tag = `slimfile/${path.basename(path.dirname(dockerfile))}:latest`;
    const bytes = Number(await docker('image', 'inspect', '--format', '{{.Size}}', tag));
    assert.equal(seen.shown.length, 1, JSON.stringify(seen.shown));
    assert.match(seen.shown[0] as string, new RegExp(`^Slimfile: ${tag.replace(/[/.]/g, '\\$&')} is ${formatBytes(bytes).replace('.', '\\.')} \\(estimate ≈ [\\d.]+ [kMG]?B \\([+-][\\d.]+%\\)\\), built in [\\d.]+ s\\.$`));
    assert.ok(seen.progress.some((p) => p.value.kind === 'begin' && p.value.title === 'Slimfile: building Dockerfile'), JSON.stringify(seen.progress));
    assert.ok(seen.progress.some((p) => p.value.kind === 'end'));
  });

  it(':SlimfileCompare shows both real sizes and the ratio', async () => {
    const dockerfile = await copyOfHello();
    const seen = await neovim(readmeLua(), dockerfile, 'compare');
    assert.deepEqual(seen.notified, [], 'an error was shown');
    const repository = `slimfile/${path.basename(path.dirname(dockerfile))}`;
    const original = Number(await docker('image', 'inspect', '--format', '{{.Size}}', `${repository}:original`));
    const minimized = Number(await docker('image', 'inspect', '--format', '{{.Size}}', `${repository}:minimized`));
    assert.deepEqual(seen.shown, [`Slimfile: Dockerfile is ${formatBytes(original)} as written and ${formatBytes(minimized)} minimized: ${(original / minimized).toFixed(1)}x smaller.`]);
    // Compare did not change the file.
    assert.equal(await fs.readFile(dockerfile, 'utf8'), readFileSync(path.join(ROOT, 'examples', 'hello', 'Dockerfile'), 'utf8'));
  });

  it(':SlimfileCancel stops the build and leaves no container behind', async () => {
    const marker = `slimfile-nvim-${randomUUID().slice(0, 8)}`;
    const project = path.join(dir, `slow-${randomUUID().slice(0, 8)}`);
    await fs.mkdir(project);
    const dockerfile = path.join(project, 'Dockerfile');
    await fs.writeFile(dockerfile, `FROM debian:bookworm\nRUN echo ${marker} started && sleep 300\n`);
    const started = Date.now();
    const seen = await neovim(readmeLua(), dockerfile, 'cancel', marker);
    assert.ok(seen.done, `the build did not end after :SlimfileCancel: ${JSON.stringify(seen.progress)}`);
    assert.ok(Date.now() - started < 200_000, 'the build ran on after the cancel');
    assert.ok(seen.logged.includes('The build was cancelled.'), seen.logged.slice(-5).join('\n'));
    assert.deepEqual(await containersWith(marker), []);
  });

  it('without the trusted option, :SlimfileBuild says how to allow builds', async () => {
    const lua = readmeLua();
    const untrusted = lua.replace(/\n\s*-- Builds run[^\n]*\n\s*init_options = \{ trusted = true \},/, '');
    assert.notEqual(untrusted, lua, 'the block has no init_options line to leave out');
    const seen = await neovim(untrusted, await copyOfHello(), 'build');
    assert.deepEqual(seen.notified, [untrustedMessage('slimfile.build')]);
    assert.deepEqual(seen.shown, []);
  });
});
