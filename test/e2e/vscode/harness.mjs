// Reusable helpers to drive a real VS Code (code-server, served to a browser)
// in a real browser (Debian's chromium via playwright-core) from node:test.
//
// Tools come from the tools folder made by scripts/install-code-server.sh
// (default <repo>/.tools, override with SLIMFILE_TOOLS). Nothing here is a
// dependency of the extension itself.
//
// Every wait is bounded and event based (process events, waitForSelector,
// waitForFunction); there are no fixed sleeps.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../../..');
export const TOOLS_DIR = path.resolve(process.env.SLIMFILE_TOOLS || path.join(REPO_ROOT, '.tools'));
export const CODE_SERVER_BIN = path.join(TOOLS_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM_BIN = process.env.SLIMFILE_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'artifacts');

/** The packaged extension (`npm run package`); SLIMFILE_VSIX overrides it. */
export const SLIMFILE_VSIX = path.resolve(process.env.SLIMFILE_VSIX || path.join(REPO_ROOT, 'slimfile.vsix'));

/** The packaged extension's path; throws with the command that makes it when it is missing. */
export function slimfileVsix() {
  if (!existsSync(SLIMFILE_VSIX)) throw new Error(`${SLIMFILE_VSIX} not found. Run: npm run package (or npm run test:e2e, which does it)`);
  return SLIMFILE_VSIX;
}

/** Where a scenario's screenshot (or other output) goes: test/e2e/artifacts/<name>. */
export function artifact(name) {
  return path.join(ARTIFACTS_DIR, name);
}

/**
 * Run a Slimfile CLI and return { status, stdout, stderr }. `root` is the folder holding
 * bin/slimfile.js: pass installedExtensionDir(server) to run the very build installed in the
 * editor (the working tree's dist/ may be rebuilt by someone else while the tests run).
 */
export function slimfileCli(args, { root = REPO_ROOT, cwd = REPO_ROOT } = {}) {
  const res = spawnSync(process.execPath, [path.join(root, 'bin', 'slimfile.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Folder of an extension installed by startCodeServer() (e.g. "slimfile.slimfile"). */
export function installedExtensionDir(server, id = 'slimfile.slimfile') {
  const name = readdirSync(server.extensionsDir).find((n) => n.toLowerCase().startsWith(`${id.toLowerCase()}-`));
  if (!name) throw new Error(`${id} is not installed in ${server.extensionsDir}`);
  return path.join(server.extensionsDir, name);
}

/** package.json of an installed extension: what the editor actually reads. */
export function installedManifest(server, id = 'slimfile.slimfile') {
  return JSON.parse(readFileSync(path.join(installedExtensionDir(server, id), 'package.json'), 'utf8'));
}

/**
 * End of a scenario: save its screenshot (test/e2e/artifacts/<name>.png) and print the
 * notifications on screen, which often say why a step failed ("server crashed").
 */
export async function saveEndState(page, name) {
  await screenshot(page, artifact(`${name}.png`));
  const toasts = await readNotifications(page).catch(() => []);
  for (const toast of toasts) console.log(`[${name}] notification on screen: ${toast.replace(/\s+/g, ' ')}`);
}

/** Default timeout for one UI step (ms). SLIMFILE_E2E_TIMEOUT overrides it. */
export const STEP_TIMEOUT = Number(process.env.SLIMFILE_E2E_TIMEOUT || 30_000);

/**
 * How long the first diagnostics of a document may take (ms): the server's first analysis
 * asks the Docker Engine and may measure a Go build, slow on a loaded machine.
 * SLIMFILE_E2E_ANALYSIS_TIMEOUT overrides it.
 */
export const ANALYSIS_TIMEOUT = Number(process.env.SLIMFILE_E2E_ANALYSIS_TIMEOUT || 120_000);

// Everything started here, so stopAll() (and process exit) can clean up.
const resources = new Set();

function track(resource) {
  resources.add(resource);
  return resource;
}

function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `slimfile-${prefix}-`));
  track({ kind: 'dir', dir, stop: async () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

/** True when the tools are installed; use it to skip e2e tests with a clear reason. */
export function toolsInstalled() {
  return existsSync(CODE_SERVER_BIN) && existsSync(path.join(TOOLS_DIR, 'node_modules', 'playwright-core')) && existsSync(CHROMIUM_BIN);
}

function assertTools() {
  if (!toolsInstalled()) {
    throw new Error(
      `VS Code e2e tools not found in ${TOOLS_DIR} (code-server, playwright-core) or ${CHROMIUM_BIN} missing. ` +
        'Run: bash scripts/install-code-server.sh',
    );
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

/**
 * Make a temporary workspace folder.
 * @param {Record<string,string>} files relative path -> content
 * @returns {string} absolute folder path (removed by stopAll()).
 */
export function makeWorkspace(files = {}) {
  const dir = tempDir('ws');
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/** Settings that keep welcome pages, walkthroughs, trust prompts, tips and network chatter out of the way. */
export function defaultSettings({ trusted = true } = {}) {
  return {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.settings.enableNaturalLanguageSearch': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.commandCenter.enabled': false,
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'npm.fetchOnlinePackageInfo': false,
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'typescript.surveys.enabled': false,
    'editor.hover.delay': 100,
    'files.autoSave': 'off',
    'window.commandCenter': true,
    // Workspace trust: "trusted" turns the feature off (everything is trusted);
    // untrusted keeps it on with a fresh profile (so the folder is not trusted)
    // and never shows the modal prompt: the window opens in Restricted Mode.
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'always',
    'security.workspace.trust.untrustedFiles': 'open',
    'security.workspace.trust.emptyWindow': true,
  };
}

function httpGet(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Spawn in its own process group so the whole tree can be killed. */
function spawnGroup(cmd, args, opts) {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const onData = (d) => {
    log += d.toString();
    if (log.length > 2_000_000) log = log.slice(-1_000_000);
    if (process.env.SLIMFILE_E2E_VERBOSE) process.stderr.write(`[${path.basename(cmd)}] ${d}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.log = () => log;
  return child;
}

async function killGroup(child, graceMs = 5_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig) => {
    try { process.kill(-child.pid, sig); } catch { /* group already gone */ }
  };
  signal('SIGTERM');
  let timer;
  const timedOut = new Promise((r) => { timer = setTimeout(() => r('timeout'), graceMs); });
  const res = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (res === 'timeout') {
    signal('SIGKILL');
    await child.exited;
  }
  // Stragglers left in the group after the leader exited.
  signal('SIGKILL');
}

function codeServerEnv(base, extra) {
  return {
    ...process.env,
    // code-server writes a default config.yaml under XDG_CONFIG_HOME: keep it out of $HOME.
    XDG_CONFIG_HOME: path.join(base, 'xdg-config'),
    XDG_DATA_HOME: path.join(base, 'xdg-data'),
    XDG_CACHE_HOME: path.join(base, 'xdg-cache'),
    VSCODE_PROXY_URI: '',
    ...extra,
  };
}

/**
 * Start code-server on a free 127.0.0.1 port with a fresh user data dir and extensions dir.
 * @param {object} [opts]
 * @param {string} [opts.vsix]        .vsix to install first (--install-extension)
 * @param {string[]} [opts.extensions] more .vsix paths or extension ids (ids need a marketplace: offline, use .vsix)
 * @param {boolean} [opts.trusted=true] false: workspace trust on and the folder not trusted (Restricted Mode)
 * @param {object} [opts.settings]    extra user settings, merged over defaultSettings()
 * @param {Record<string,string>} [opts.env] extra environment for code-server and the extension host
 * @param {number} [opts.timeoutMs=60000] start-up deadline
 */
export async function startCodeServer(opts = {}) {
  assertTools();
  const { vsix, extensions = [], trusted = true, settings = {}, env = {}, timeoutMs = 60_000 } = opts;
  const base = tempDir('cs');
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const allSettings = { ...defaultSettings({ trusted }), ...settings };
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(allSettings, null, 2));
  const configFile = path.join(base, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const childEnv = codeServerEnv(base, env);
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  const toInstall = [vsix, ...extensions].filter(Boolean);
  for (const ext of toInstall) {
    if (ext.endsWith('.vsix') && !existsSync(ext)) throw new Error(`vsix not found: ${ext}`);
    const inst = spawnGroup(CODE_SERVER_BIN, [...common, '--install-extension', ext], { env: childEnv });
    let timer;
    const res = await Promise.race([
      inst.exited,
      new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); }),
    ]);
    clearTimeout(timer);
    if (res === 'timeout') {
      await killGroup(inst);
      throw new Error(`code-server --install-extension ${ext} timed out after ${timeoutMs} ms\n${inst.log()}`);
    }
    const out = inst.log();
    if (res.code !== 0 || !/successfully installed/i.test(out)) {
      throw new Error(`code-server --install-extension ${ext} failed (exit ${res.code})\n${out}`);
    }
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawnGroup(
    CODE_SERVER_BIN,
    [
      ...common,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(trusted ? ['--disable-workspace-trust'] : []),
    ],
    { env: childEnv },
  );
  const server = track({
    kind: 'code-server',
    url,
    port,
    base,
    userDataDir,
    extensionsDir,
    settings: allSettings,
    process: child,
    log: () => child.log(),
    /** Text of every log file under the user data dir (extension host output, etc.). */
    logFiles: () => readLogs(path.join(userDataDir, 'logs')),
    stop: () => killGroup(child),
  });

  // Wait until it answers HTTP: retry on each bit of output or a short back-off,
  // fail at once if it exits, and give up at the deadline.
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child.exited.then((r) => { exited = r; });
  let lastErr;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${child.log()}`);
    try {
      const status = await httpGet(`${url}healthz`, 2_000);
      if (status === 200) return server;
      lastErr = new Error(`HTTP ${status}`);
    } catch (e) {
      lastErr = e;
    }
    await new Promise((resolve) => {
      const t = setTimeout(done, 250);
      child.stdout.once('data', done);
      child.once('exit', done);
      function done() {
        clearTimeout(t);
        child.stdout.off('data', done);
        child.off('exit', done);
        resolve();
      }
    });
  }
  await killGroup(child);
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms (${lastErr?.message}):\n${child.log()}`);
}

function readLogs(dir) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.log')) out.push(`==> ${path.relative(dir, p)} <==\n${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

let playwrightPromise;
/** playwright-core from the tools folder. */
export function playwright() {
  playwrightPromise ??= import(pathToFileURL(path.join(TOOLS_DIR, 'node_modules', 'playwright-core', 'index.mjs')).href);
  return playwrightPromise;
}

/**
 * Launch Debian's chromium (headless unless SLIMFILE_HEADED=1) with a fresh profile.
 * @returns {Promise<{browser, context, page}>}
 */
export async function launchBrowser({ viewport = { width: 1400, height: 900 }, headless = !process.env.SLIMFILE_HEADED } = {}) {
  assertTools();
  const { chromium } = await playwright();
  const userDataDir = tempDir('chromium');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_BIN,
    headless,
    viewport,
    timeout: 60_000,
    // Debian's wrapper turns the crash reporter on; keep its files out of $HOME.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(userDataDir, '.config'), XDG_CACHE_HOME: path.join(userDataDir, '.cache') },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--disable-crash-reporter',
      '--disable-breakpad',
    ],
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = context.pages()[0] ?? (await context.newPage());
  const browser = track({ kind: 'browser', context, page, stop: () => context.close().catch(() => {}) });
  return browser;
}

/** Open a folder in the workbench and wait until it is usable. */
export async function openFolder(page, server, folder, { timeout = 60_000 } = {}) {
  const u = new URL(server.url);
  u.searchParams.set('folder', folder);
  await page.goto(u.href, { timeout });
  await waitForWorkbench(page, { timeout });
}

/** Wait for the workbench to be laid out, with the explorer showing the folder. */
export async function waitForWorkbench(page, { timeout = 60_000 } = {}) {
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout });
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout });
  // The explorer lists the folder's entries once the file service is up.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row, .explorer-folders-view .empty-view', { timeout });
}

async function quickInputVisible(page, timeout) {
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) .quick-input-box input', { state: 'visible', timeout });
  return page.locator('.quick-input-widget .quick-input-box input');
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The quick pick row whose label is exactly `label` (labels are split into highlight spans, so match on full text). */
function quickPickRow(page, label) {
  return page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
}

async function closeQuickInput(page, timeout = STEP_TIMEOUT) {
  if (await page.locator('.quick-input-widget .quick-input-box input').isVisible()) await page.keyboard.press('Escape');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout });
}

/** Give the workbench keyboard focus (clicking the status bar is harmless). */
async function focusWorkbench(page) {
  if (!(await page.evaluate(() => !!document.activeElement && document.activeElement !== document.body))) {
    await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
  }
}

/**
 * Open a workspace file by name (or relative path) through Quick Open (Ctrl+P)
 * and wait for its editor to be active.
 */
export async function openFile(page, name, { timeout = STEP_TIMEOUT } = {}) {
  const base = path.posix.basename(name);
  const deadline = Date.now() + timeout;
  // A file written just before may not be in Quick Open's search yet (the workbench learns of it
  // from its file watcher; CI saw it missing for 30 s once): ask again until the deadline.
  for (;;) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+P');
    const input = await quickInputVisible(page, timeout);
    await input.fill(name);
    // Wait for the file result (not just "recently opened") to be listed and focused.
    const row = quickPickRow(page, base);
    const left = deadline - Date.now();
    try {
      await row.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(10_000, left)) });
      await row.click();
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await page.keyboard.press('Escape');
      await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout });
    }
  }
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout });
  await page.waitForSelector(`.tabs-container .tab.active[data-resource-name="${base}"]`, { timeout });
  await page.waitForSelector('.part.editor .editor-instance .monaco-editor .view-lines', { timeout });
}

/**
 * Run a command from the command palette (F1) by its exact title as listed there,
 * e.g. "View: Toggle Word Wrap" or "Slimfile: Analyze Dockerfile".
 */
export async function runCommand(page, title, { timeout = STEP_TIMEOUT } = {}) {
  // A command contributed by an extension may only be listed once the extension
  // host has read it / its "when" clause holds, and the palette does not refresh
  // while open: so look for a few seconds, reopen, repeat until the deadline.
  const deadline = Date.now() + timeout;
  let listed = [];
  for (let attempt = 0; ; attempt++) {
    await focusWorkbench(page);
    await page.keyboard.press('F1');
    const input = await quickInputVisible(page, Math.max(1_000, deadline - Date.now()));
    await input.fill(`>${title}`);
    const row = quickPickRow(page, title);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.max(500, Math.min(3_000 * (attempt + 1), deadline - Date.now())) });
      await row.click();
      await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: Math.max(1_000, deadline - Date.now()) });
      return;
    } catch (e) {
      listed = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
      await closeQuickInput(page).catch(() => {});
      if (Date.now() >= deadline) {
        throw new Error(`command "${title}" not found in the palette within ${timeout} ms; listed: ${JSON.stringify(listed)}`);
      }
    }
  }
}

/** Language mode shown in the status bar for the active editor (e.g. "Dockerfile"). */
export async function languageMode(page, { timeout = STEP_TIMEOUT } = {}) {
  const item = page.locator('#status\\.editor\\.mode');
  await item.waitFor({ state: 'visible', timeout });
  return (await item.innerText()).trim();
}

/** Lines of the active editor as rendered (only what is in view), in order. */
export async function readVisibleEditorLines(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor')
      || document.querySelector('.part.editor .monaco-editor');
    if (!editor) return null;
    const lines = [...editor.querySelectorAll('.view-lines .view-line')];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => l.textContent.replace(/\u00a0/g, ' '));
  });
}

/**
 * Full text of the active editor: select all, copy, read the clipboard, then put
 * the cursor back at the start. Works for files bigger than the viewport.
 */
export async function readEditorText(page, { timeout = STEP_TIMEOUT } = {}) {
  const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout });
  await focusEditor(page);
  const marker = `__slimfile_clip_${Date.now()}__`;
  await page.evaluate((m) => navigator.clipboard.writeText(m), marker);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  const handle = await page.waitForFunction(
    async (m) => {
      const t = await navigator.clipboard.readText();
      return t !== m ? { text: t } : false;
    },
    marker,
    { timeout, polling: 50 },
  );
  const { text } = await handle.jsonValue();
  await page.keyboard.press('Control+Home');
  return text.replace(/\r\n/g, '\n');
}

/** Put keyboard focus in the active editor. */
export async function focusEditor(page) {
  const focused = await page.evaluate(() => !!document.activeElement?.closest('.part.editor .monaco-editor'));
  if (!focused) await runCommand(page, 'View: Focus Active Editor Group');
  await page.waitForFunction(() => !!document.activeElement?.closest('.part.editor .monaco-editor'));
}

/** Move the cursor of the active editor to a 1-based line/column (Go to Line, Ctrl+G). */
export async function goToPosition(page, line, column = 1, { timeout = STEP_TIMEOUT } = {}) {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = await quickInputVisible(page, timeout);
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout });
  await page.waitForFunction(
    ([l, c]) => {
      const el = document.querySelector('#status\\.editor\\.selection');
      return !!el && new RegExp(`Ln ${l}, Col ${c}\\b`).test(el.textContent);
    },
    [line, column],
    { timeout },
  );
}

/**
 * Text of the hover at a 1-based line/column of the active editor
 * (cursor moved there, then "Show or Focus Hover"). Waits until it is not "Loading...".
 */
export async function readHover(page, line, column, { timeout = STEP_TIMEOUT } = {}) {
  await goToPosition(page, line, column, { timeout });
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const handle = await page.waitForFunction(
    () => {
      const hovers = [...document.querySelectorAll('.monaco-editor .monaco-hover:not(.hidden)')];
      const hover = hovers.find((h) => h.offsetParent !== null && h.textContent.trim());
      if (!hover) return false;
      const text = hover.innerText.trim();
      return /^Loading\.\.\.$/.test(text) ? false : text;
    },
    undefined,
    { timeout },
  );
  return handle.jsonValue();
}

/**
 * Texts of the parts of the visible editor hover, in order: one per provider result or
 * problem (a diagnostic's part ends with its source and code), without the status bar
 * of actions ("View Problem", "Quick Fix..."). Call after readHover().
 */
export async function readHoverParts(page) {
  return page.evaluate(() => {
    const hover = [...document.querySelectorAll('.monaco-editor .monaco-hover:not(.hidden)')]
      .find((h) => h.offsetParent !== null && h.textContent.trim());
    if (!hover) return [];
    return [...hover.querySelectorAll('.hover-row:not(.status-bar)')]
      .map((row) => ({ kind: row.querySelector('.marker') ? 'problem' : 'content', text: row.innerText.trim() }))
      .filter((part) => part.text);
  });
}

/**
 * Wait until the visible hover has a part other than a problem (a hover provider's
 * result: parts render as their providers answer) and return all parts.
 * On timeout, the error lists the parts that were shown.
 */
export async function waitForHoverContent(page, { timeout = STEP_TIMEOUT } = {}) {
  try {
    await page.waitForFunction(
      () => [...document.querySelectorAll('.monaco-editor .monaco-hover:not(.hidden) .hover-row:not(.status-bar)')]
        .some((row) => row.offsetParent !== null && !row.querySelector('.marker') && row.innerText.trim()),
      undefined,
      { timeout },
    );
  } catch (error) {
    throw new Error(`no hover content other than problems within ${timeout} ms; shown: ${JSON.stringify(await readHoverParts(page))}`, { cause: error });
  }
  return readHoverParts(page);
}

/** Close any hover, suggest widget, peek, or quick input with Escape. */
export async function dismiss(page) {
  await page.keyboard.press('Escape');
}

/** Open the Problems panel (Ctrl+Shift+M) and return its entries. */
export async function readProblems(page, { timeout = STEP_TIMEOUT, minCount = 0 } = {}) {
  if (!(await page.locator('.markers-panel').isVisible())) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+Shift+M'); // workbench.actions.view.problems
  }
  await page.waitForSelector('.markers-panel', { state: 'visible', timeout });
  // Wait for at least minCount marker rows (problems are published asynchronously).
  await page.waitForFunction(
    (n) => document.querySelectorAll('.markers-panel .monaco-list-row .marker-message-details, .markers-panel .monaco-list-row .marker-message').length >= n,
    minCount,
    { timeout },
  );
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
    const out = [];
    let file = null;
    for (const row of rows) {
      const resource = row.querySelector('.resource-label-container .label-name');
      if (resource && !row.querySelector('.marker-message')) {
        file = resource.textContent.trim();
        continue;
      }
      const msg = row.querySelector('.marker-message');
      if (!msg) continue;
      const icon = row.querySelector('.marker-icon');
      const cls = icon ? icon.className : '';
      const severity = /error/.test(cls) ? 'error' : /warning/.test(cls) ? 'warning' : /info/.test(cls) ? 'info' : 'hint';
      const source = row.querySelector('.marker-source')?.textContent.replace(/^\s*|\s*$/g, '') || '';
      const code = row.querySelector('.marker-code')?.textContent.trim() || '';
      const position = row.querySelector('.marker-line')?.textContent.trim() || '';
      out.push({ file, severity, message: msg.textContent.trim(), source, code, position, aria: row.getAttribute('aria-label') || '' });
    }
    return out;
  });
}

/** Texts of visible notification toasts (from window.show*Message). */
export async function readNotifications(page) {
  return page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
}

/** Wait for a notification toast whose message matches `re`; returns its text and button labels. */
export async function waitForNotification(page, re, { timeout = STEP_TIMEOUT } = {}) {
  const toast = page.locator('.notifications-toasts .notification-toast .notification-list-item')
    .filter({ has: page.locator('.notification-list-item-message', { hasText: re }) })
    .first();
  await toast.waitFor({ state: 'visible', timeout });
  return {
    message: (await toast.locator('.notification-list-item-message').innerText()).trim(),
    buttons: await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts(),
    click: (label) => toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: label }).click(),
  };
}

/** The modal dialog (e.g. showInformationMessage({modal:true}), "no formatter"), or null. */
export async function readDialog(page) {
  const box = page.locator('.monaco-dialog-box');
  if (!(await box.isVisible())) return null;
  return {
    message: (await box.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts()).join('\n').trim(),
    buttons: await box.locator('.dialog-buttons .monaco-button').allInnerTexts(),
  };
}

/** Click a button of the modal dialog by its label and wait for the dialog to close. */
export async function clickDialogButton(page, label, { timeout = STEP_TIMEOUT } = {}) {
  await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: label }).first().click({ timeout });
  await page.waitForSelector('.monaco-dialog-box', { state: 'hidden', timeout });
}

/**
 * Texts of the code lenses rendered in the editor part. Runs in the page: a lens with a command
 * renders as <a>, one without (a figure to read) as <span>; the " | " between two lenses on one
 * line is a <span> too and is not a lens.
 */
function lensTextsInPage() {
  return [...document.querySelectorAll('.part.editor .codelens-decoration > a, .part.editor .codelens-decoration > span')]
    .map((e) => e.textContent.replace(/\u00a0/g, ' ').trim())
    .filter((t) => t !== '' && t !== '|');
}

/** Texts of the code lenses rendered in the active editor (waits for at least minCount). */
export async function readCodeLenses(page, { minCount = 1, timeout = STEP_TIMEOUT } = {}) {
  await page.waitForFunction(`(${lensTextsInPage.toString()})().length >= ${Number(minCount)}`, undefined, { timeout });
  return page.evaluate(lensTextsInPage);
}

/** Wait until a code lens in the editor reads exactly `text`. */
export async function waitForCodeLens(page, text, { timeout = STEP_TIMEOUT } = {}) {
  await page.waitForFunction(`(${lensTextsInPage.toString()})().includes(${JSON.stringify(text)})`, undefined, { timeout });
}

/** Click the code lens whose text matches `re`. */
export async function clickCodeLens(page, re, { timeout = STEP_TIMEOUT } = {}) {
  await page.locator('.part.editor .monaco-editor .codelens-decoration a', { hasText: re }).first().click({ timeout });
}

/**
 * Code lenses of the active editor with the 1-based line each one sits above: [{ line, text }],
 * one entry per lens (a row "a | b" holds two). A lens row is a view zone above its line,
 * so its line is the first rendered line below it.
 */
export async function readCodeLensesByLine(page, { minCount = 1, timeout = STEP_TIMEOUT } = {}) {
  await readCodeLenses(page, { minCount, timeout });
  return page.evaluate(() => {
    const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor')
      || document.querySelector('.part.editor .monaco-editor');
    const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')]
      .map((e) => ({ line: Number(e.textContent.trim()), top: e.getBoundingClientRect().top }))
      .filter((n) => Number.isInteger(n.line) && n.line > 0)
      .sort((a, b) => a.top - b.top);
    return [...editor.querySelectorAll('.codelens-decoration')]
      .flatMap((d) => {
        const top = d.getBoundingClientRect().top;
        const below = numbers.find((n) => n.top > top);
        return [...d.querySelectorAll(':scope > a, :scope > span')]
          .map((a) => ({ line: below ? below.line : null, text: a.textContent.replace(/\u00a0/g, ' ').trim() }))
          .filter((l) => l.text !== '' && l.text !== '|');
      })
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  });
}

/**
 * Open the code action menu (Quick Fix, Ctrl+.) at a 1-based position and return its action titles.
 * Leave it open so the caller can apply one with applyCodeAction(); Escape closes it.
 */
export async function openCodeActions(page, line, column, { timeout = STEP_TIMEOUT, waitForLightBulb = true } = {}) {
  await goToPosition(page, line, column, { timeout });
  if (waitForLightBulb) await waitForLightBulbIcon(page, { timeout });
  await page.keyboard.press('Control+.');
  await page.waitForSelector('.action-widget .monaco-list-row.action', { state: 'visible', timeout });
  return page.locator('.action-widget .monaco-list-row.action .title').allInnerTexts();
}

/**
 * Wait for the light bulb of the cursor line. VS Code 1.9x draws it in the gutter
 * (a glyph-margin codicon "gutter-lightbulb*") when the line has no room for it, and
 * as the content widget .lightBulbWidget otherwise.
 */
export async function waitForLightBulbIcon(page, { timeout = STEP_TIMEOUT } = {}) {
  await page.waitForFunction(
    () => {
      const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
      if (!editor) return false;
      const candidates = editor.querySelectorAll('.lightBulbWidget, .lightBulbWidget *, [class*="codicon-gutter-lightbulb"]');
      return [...candidates].some((e) => e.getBoundingClientRect().width > 0 && getComputedStyle(e).visibility !== 'hidden');
    },
    undefined,
    { timeout },
  );
}

/**
 * Apply the open code action whose title matches `re`, with the keyboard as a user does
 * after Ctrl+. (arrows, then Enter). Clicking is unreliable: the action widget lays a
 * pointer-blocking layer over itself until the mouse moves.
 */
export async function applyCodeAction(page, re, { timeout = STEP_TIMEOUT } = {}) {
  const rows = page.locator('.action-widget .monaco-list-row.action');
  const titles = await rows.locator('.title').allInnerTexts();
  if (!titles.some((t) => re.test(t))) throw new Error(`no code action matches ${re}; offered: ${JSON.stringify(titles)}`);
  for (let step = 0; step <= titles.length; step++) {
    const focused = await page.locator('.action-widget .monaco-list-row.action.focused .title').allInnerTexts();
    if (focused.length === 1 && re.test(focused[0])) {
      await page.keyboard.press('Enter');
      await page.waitForSelector('.action-widget', { state: 'hidden', timeout });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus the code action matching ${re}; offered: ${JSON.stringify(titles)}`);
}

/**
 * Rows of the Refactor Preview panel (WorkspaceEdit with needsConfirmation, or rename + Ctrl+Enter):
 * [{ level, label, text }], level 1 = file, 2 = edit; label is the aria-label ("line 1, replacing a with b").
 */
export async function readRefactorPreview(page, { timeout = STEP_TIMEOUT } = {}) {
  await page.waitForSelector('.bulk-edit-panel .monaco-list-row', { state: 'visible', timeout });
  return page.evaluate(() =>
    [...document.querySelectorAll('.bulk-edit-panel .monaco-list-row')].map((r) => ({
      level: Number(r.getAttribute('aria-level')),
      label: r.getAttribute('aria-label') || '',
      checked: r.querySelector('input.edit-checkbox')?.checked ?? null,
      text: r.textContent.trim(),
    })),
  );
}

/** Tick (or untick) every row of the Refactor Preview, as a user does with its checkboxes. */
export async function setRefactorPreviewChecked(page, checked = true, { timeout = STEP_TIMEOUT } = {}) {
  const boxes = page.locator('.bulk-edit-panel .monaco-list-row input.edit-checkbox');
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    if ((await box.isChecked()) !== checked) await box.click({ timeout });
  }
}

/** Press the Refactor Preview's "Apply" (or "Discard") button and wait for the preview to close. */
export async function finishRefactorPreview(page, button = 'Apply', { timeout = STEP_TIMEOUT } = {}) {
  await page.locator('.bulk-edit-panel .monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(button)}\\s*$`) }).first().click({ timeout });
  await page.waitForSelector('.bulk-edit-panel .monaco-list-row', { state: 'hidden', timeout });
}

/** Undo once in the active editor (Ctrl+Z with the editor focused). */
export async function undo(page) {
  await focusEditor(page);
  await page.keyboard.press('Control+Z');
}

/**
 * Extensions that have been activated, as "Developer: Show Running Extensions" lists them
 * (it lists only activated ones): [{ name, activation, ms, startup }], name being the
 * extension's package.json name, activation the shown text ("Startup Activation: 273ms").
 * Pass `waitFor` (a name) to wait until that extension is listed.
 */
export async function readRunningExtensions(page, { waitFor, timeout = STEP_TIMEOUT } = {}) {
  await runCommand(page, 'Developer: Show Running Extensions', { timeout });
  await page.waitForSelector('.runtime-extensions-editor .monaco-list-row', { state: 'visible', timeout });
  if (waitFor) {
    await page.waitForSelector(`.runtime-extensions-editor .monaco-list-row[aria-label="${waitFor}"] .activation-time:not(:empty)`, { timeout });
  }
  return page.locator('.runtime-extensions-editor .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => {
      const activation = row.querySelector('.activation-time')?.textContent.trim() || '';
      const ms = /(\d+(?:\.\d+)?)\s*ms/.exec(activation);
      return {
        name: row.getAttribute('aria-label') || '',
        activation,
        ms: ms ? Number(ms[1]) : null,
        startup: /startup/i.test(activation),
      };
    }),
  );
}

/** The tooltip of a running extension's activation time ("Activated by ... because ..."). */
export async function readActivationReason(page, name, { timeout = STEP_TIMEOUT } = {}) {
  await page.locator(`.runtime-extensions-editor .monaco-list-row[aria-label="${name}"] .activation-time`).hover({ timeout });
  const handle = await page.waitForFunction(
    () => [...document.querySelectorAll('.workbench-hover, .monaco-hover')]
      .map((h) => h.innerText.trim())
      .find((t) => /activat/i.test(t)) || false,
    undefined,
    { timeout },
  );
  const text = await handle.jsonValue();
  await page.mouse.move(0, 0);
  return text;
}

/** Every file under `dir` as { relative path: content }, to copy a folder into makeWorkspace(). */
export function readFolder(dir) {
  const files = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[path.relative(dir, p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** Rename the symbol at a position; preview=true opens the Refactor Preview instead of applying. */
export async function renameSymbol(page, line, column, newName, { preview = false, timeout = STEP_TIMEOUT } = {}) {
  await goToPosition(page, line, column, { timeout });
  await page.keyboard.press('F2');
  // The rename box appears before it takes focus: typing earlier goes into the editor.
  await page.waitForFunction(() => document.activeElement?.classList.contains('rename-input'), undefined, { timeout });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(newName);
  await page.keyboard.press(preview ? 'Control+Enter' : 'Enter');
  await page.waitForSelector('.rename-box', { state: 'hidden', timeout });
}

/** Save a PNG screenshot (directories are created). */
export async function screenshot(page, file) {
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

/**
 * One-call setup: workspace + code-server + browser + folder opened.
 * @param {object} opts  { files, workspace, vsix, trusted, settings, env }
 */
export async function startSession(opts = {}) {
  const workspace = opts.workspace ?? makeWorkspace(opts.files ?? {});
  const server = await startCodeServer(opts);
  const { context, page } = await launchBrowser(opts);
  await openFolder(page, server, workspace);
  return { workspace, server, context, page };
}

/** Stop everything this module started: browsers, then servers, then temp dirs. */
export async function stopAll() {
  const order = { browser: 0, 'code-server': 1, dir: 2 };
  const list = [...resources].sort((a, b) => order[a.kind] - order[b.kind]);
  resources.clear();
  for (const r of list) {
    try { await r.stop(); } catch { /* keep cleaning */ }
  }
}

// Last resort if a test crashes without calling stopAll(): kill process groups.
process.once('exit', () => {
  for (const r of resources) {
    if (r.kind === 'code-server' && r.process.exitCode === null) {
      try { process.kill(-r.process.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    if (r.kind === 'dir') rmSync(r.dir, { recursive: true, force: true });
  }
});
