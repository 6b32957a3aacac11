// 2 and 3. The servers over stdio, as an editor runs them: keystroke to diagnostics on the same
// edit stream, cold start to first diagnostics, and resident memory with the corpus open. Each
// round measures every server in turn, so a ratio compares servers under the same load.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspProcess, type ServerCommand } from '../lib/lspProcess';
import { corpusFiles, CORPUS_DIR } from './analysis';
import { median, percentile } from '../lib/stats';

const ROOT = path.join(__dirname, '..', '..');
export const SLIMFILE: ServerCommand = { name: 'slimfile', args: [path.join(ROOT, 'dist', 'server.js'), '--stdio'], sync: 'incremental' };
export const PEER: ServerCommand = {
  name: 'docker-langserver',
  args: [path.join(ROOT, 'node_modules', 'dockerfile-language-server-nodejs', 'bin', 'docker-langserver'), '--stdio'],
  sync: 'incremental',
};
/** tally (a Go Dockerfile linter) from npm's @wharflab/tally-linux-x64; it asks for the whole text on every change. */
export const TALLY: ServerCommand = {
  name: 'tally',
  command: path.join(ROOT, 'node_modules', '@wharflab', 'tally-linux-x64', 'bin', 'tally'),
  args: ['lsp', '--stdio'],
  sync: 'full',
};
export const KEYSTROKE_FILE = '12-ci-pipeline.Dockerfile';
/** Registry lookups off: the bench must not depend on the network. */
const SERVER_ENV = { SLIMFILE_OFFLINE: '1' };

export interface KeystrokeResult {
  readonly edits: number;
  readonly lines: number;
  readonly latencies: readonly number[];
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface ServerResult {
  readonly keystroke: KeystrokeResult;
  /** Spawn to the first publishDiagnostics of an opened file, per start. */
  readonly coldStarts: readonly number[];
  readonly coldStart: number;
  /** Spawn to the initialize answer. */
  readonly initialize: number;
  readonly rssBytes: number | undefined;
  readonly openFiles: number;
}

/** A seeded generator, so both servers get the same edits on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Edit {
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
  readonly text: string;
}

/**
 * `count` single-character edits: at each of count/10 places, five characters typed then five
 * deleted (backspace), so the text is the original again after every place.
 */
export function editStream(text: string, count: number): Edit[] {
  const lines = text.split('\n');
  const next = random(42);
  const edits: Edit[] = [];
  const word = 'abcde';
  while (edits.length < count) {
    const line = Math.floor(next() * (lines.length - 1));
    const character = Math.floor(next() * ((lines[line] ?? '').length + 1));
    for (let i = 0; i < word.length && edits.length < count; i++) {
      const at = { line, character: character + i };
      edits.push({ range: { start: at, end: at }, text: word[i] as string });
    }
    for (let i = word.length - 1; i >= 0 && edits.length < count; i--) {
      edits.push({ range: { start: { line, character: character + i }, end: { line, character: character + i + 1 } }, text: '' });
    }
  }
  return edits;
}

async function keystrokes(command: ServerCommand, edits: number): Promise<KeystrokeResult> {
  const file = path.join(CORPUS_DIR, KEYSTROKE_FILE);
  const text = (await corpusFiles()).find((f) => f.name === KEYSTROKE_FILE)?.text ?? '';
  const uri = pathToFileURL(file).toString();
  const server = LspProcess.start(command, SERVER_ENV);
  try {
    await server.initialize(pathToFileURL(CORPUS_DIR).toString());
    const first = server.nextDiagnostics(uri, 1);
    await server.open(uri, text, 1);
    await first;
    const latencies: number[] = [];
    let version = 1;
    // The text as the editor holds it, for a server that wants the whole of it on every change.
    let document = TextDocument.create(uri, 'dockerfile', 1, text);
    for (const edit of editStream(text, edits)) {
      version++;
      document = TextDocument.update(document, [{ range: edit.range, text: edit.text }], version);
      const change = command.sync === 'full' ? { text: document.getText() } : { range: edit.range, text: edit.text };
      const published = server.nextDiagnostics(uri, version);
      const sent = performance.now();
      await server.change(uri, version, [change]);
      latencies.push((await published).at - sent);
    }
    return { edits, lines: text.split('\n').length - 1, latencies, p50: median(latencies), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
  } finally {
    await server.stop();
  }
}

async function coldStart(command: ServerCommand): Promise<{ total: number; initialize: number }> {
  const file = path.join(CORPUS_DIR, KEYSTROKE_FILE);
  const text = (await corpusFiles()).find((f) => f.name === KEYSTROKE_FILE)?.text ?? '';
  const uri = pathToFileURL(file).toString();
  const server = LspProcess.start(command, SERVER_ENV);
  try {
    await server.initialize(pathToFileURL(CORPUS_DIR).toString());
    const initialize = performance.now() - server.spawnedAt;
    const first = server.nextDiagnostics(uri, 1);
    await server.open(uri, text, 1);
    const total = (await first).at - server.spawnedAt;
    return { total, initialize };
  } finally {
    await server.stop();
  }
}

/** RSS after every corpus file is open and analysed, lenses and code actions included. */
async function memoryWithCorpusOpen(command: ServerCommand): Promise<{ rss: number | undefined; files: number }> {
  const files = await corpusFiles();
  const server = LspProcess.start(command, SERVER_ENV);
  try {
    await server.initialize(pathToFileURL(CORPUS_DIR).toString());
    for (const { file, text } of files) {
      const uri = pathToFileURL(file).toString();
      const first = server.nextDiagnostics(uri, 1);
      await server.open(uri, text, 1);
      await first;
      // What an editor asks next for a visible file; the peer answers what it offers.
      const end = { line: text.split('\n').length, character: 0 };
      await server.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics: [], only: ['quickfix', 'source.fixAll'] } }).catch(() => undefined);
      const lenses = await server.request<Array<{ range: unknown; data?: unknown }> | null>('textDocument/codeLens', { textDocument: { uri } }).catch(() => null);
      for (const lens of lenses ?? []) await server.request('codeLens/resolve', lens).catch(() => undefined);
    }
    // Let the last answers' garbage become collectable before reading the figure.
    await new Promise((r) => setTimeout(r, 1000));
    return { rss: await server.rssBytes(), files: files.length };
  } finally {
    await server.stop();
  }
}

export interface LspResult {
  /** The servers measured, Slimfile first; each with one result per round. */
  readonly servers: ReadonlyArray<{ readonly name: string; readonly rounds: readonly ServerResult[] }>;
  readonly rounds: number;
}

export function installedServers(): { servers: ServerCommand[]; missing: string[] } {
  const servers: ServerCommand[] = [];
  const missing: string[] = [];
  for (const command of [SLIMFILE, PEER, TALLY]) {
    const file = command.command ?? (command.args[0] as string);
    if (existsSync(file)) servers.push(command);
    else missing.push(`${command.name} (${path.relative(ROOT, file)}; npm ci, npm run build)`);
  }
  return { servers, missing };
}

export async function measureServer(command: ServerCommand, options: { edits: number; starts: number; log: (line: string) => void }): Promise<ServerResult> {
  const cold: Array<{ total: number; initialize: number }> = [];
  for (let i = 0; i < options.starts; i++) cold.push(await coldStart(command));
  options.log(`  ${command.name}: cold start ${median(cold.map((c) => c.total)).toFixed(0)} ms`);
  const keystroke = await keystrokes(command, options.edits);
  options.log(`  ${command.name}: keystroke p50 ${keystroke.p50.toFixed(1)} ms, p95 ${keystroke.p95.toFixed(1)} ms`);
  const memory = await memoryWithCorpusOpen(command);
  options.log(`  ${command.name}: RSS ${((memory.rss ?? 0) / 1024 / 1024).toFixed(1)} MiB with ${memory.files} files open`);
  return {
    keystroke,
    coldStarts: cold.map((c) => c.total),
    coldStart: median(cold.map((c) => c.total)),
    initialize: median(cold.map((c) => c.initialize)),
    rssBytes: memory.rss,
    openFiles: memory.files,
  };
}

export async function runLsp(options: { quick: boolean; rounds: number; log: (line: string) => void }): Promise<LspResult | { skipped: string }> {
  const { servers, missing } = installedServers();
  if (!servers.includes(SLIMFILE) || !servers.includes(PEER)) return { skipped: `not installed: ${missing.join(', ')}` };
  if (missing.length > 0) options.log(`  skipped, not installed: ${missing.join(', ')}`);
  const edits = options.quick ? 60 : 200;
  const starts = options.quick ? 3 : 7;
  const results = servers.map((s) => ({ name: s.name, rounds: [] as ServerResult[] }));
  for (let round = 1; round <= options.rounds; round++) {
    options.log(` round ${round} of ${options.rounds}`);
    for (const [i, command] of servers.entries()) results[i]?.rounds.push(await measureServer(command, { edits, starts, log: options.log }));
  }
  return { servers: results, rounds: options.rounds };
}
