// npm run test:electron — a small suite inside a real desktop VS Code via @vscode/test-electron.
// It needs to download VS Code (update.code.visualstudio.com) and a display: where either is
// missing it says so and skips (exit 0). Offline, point SLIMFILE_VSCODE_EXECUTABLE at a
// VS Code binary. The browser suite (npm run test:e2e) covers the same ground with code-server.
//
// Env: SLIMFILE_VSCODE_VERSION (default "stable"), SLIMFILE_VSCODE_EXECUTABLE,
//      SLIMFILE_ELECTRON_PROBE_TIMEOUT (ms, default 5000).

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = process.env.SLIMFILE_VSCODE_VERSION || 'stable';
const PROBE_TIMEOUT = Number(process.env.SLIMFILE_ELECTRON_PROBE_TIMEOUT || 5_000);
const UPDATE_SERVER = 'https://update.code.visualstudio.com/api/releases/stable';

function skip(reason) {
  console.log(`SKIP test:electron: ${reason}`);
  console.log('  The same scenarios run in a browser with: npm run test:e2e');
  process.exit(0);
}

/** Resolves when the VS Code update server answers, rejects on error or after timeoutMs. */
function probe(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      if (res.statusCode && res.statusCode < 400) resolve();
      else reject(new Error(`HTTP ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

async function vscodeExecutable() {
  if (process.env.SLIMFILE_VSCODE_EXECUTABLE) return process.env.SLIMFILE_VSCODE_EXECUTABLE;
  try {
    await probe(UPDATE_SERVER, PROBE_TIMEOUT);
  } catch (error) {
    skip(`cannot download VS Code: ${UPDATE_SERVER} unreachable (${error.message}). Set SLIMFILE_VSCODE_EXECUTABLE to use a local VS Code.`);
  }
  try {
    return await downloadAndUnzipVSCode({ version: VERSION, timeout: 30_000 });
  } catch (error) {
    skip(`downloading VS Code ${VERSION} failed (${error.message}).`);
  }
}

const executable = await vscodeExecutable();
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  skip('VS Code needs a display; run it as: xvfb-run -a npm run test:electron');
}

const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'slimfile-electron-'));
const workspace = path.join(scratch, 'http-server');
cpSync(path.join(REPO_ROOT, 'examples', 'http-server'), workspace, { recursive: true });
let code = 0;
try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(REPO_ROOT, 'test', 'electron', 'suite', 'index.cjs'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir', path.join(scratch, 'user-data'),
    ],
  });
} catch (error) {
  console.error(`test:electron failed: ${error.message ?? error}`);
  code = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
