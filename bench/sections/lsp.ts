// 2 and 3. Both servers over stdio, as an editor runs them: keystroke to diagnostics on the same
// edit stream, cold start to first diagnostics, and resident memory with the corpus open.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspProcess, type ServerCommand } from '../lib/lspProcess';
import { corpusFiles, CORPUS_DIR } from './analysis';
import { median, percentile } from '../lib/stats';

const ROOT = path.join(__dirname, '..', '..');
export const SLIMFILE: ServerCommand = { name: 'slimfile', args: [path.join(ROOT, 'dist', 'server.js'), '--stdio'] };
export const PEER: ServerCommand = {
  name: 'docker-langserver',
  args: [path.join(ROOT, 'node_modules', 'dockerfile-language-server-nodejs', 'bin', 'docker-langserver'), '--stdio'],
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
    for (const edit of editStream(text, edits)) {
      version++;
      const published = server.nextDiagnostics(uri, version);
      const sent = performance.now();
      await server.change(uri, version, [{ range: edit.range, text: edit.text }]);
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

export async function runLsp(options: { quick: boolean; log: (line: string) => void }): Promise<{ slimfile: ServerResult; peer: ServerResult } | { skipped: string }> {
  if (!existsSync(SLIMFILE.args[0] as string)) return { skipped: 'dist/server.js is missing (npm run build)' };
  if (!existsSync(PEER.args[0] as string)) return { skipped: 'dockerfile-language-server-nodejs is not installed (npm ci)' };
  const edits = options.quick ? 60 : 200;
  const starts = options.quick ? 3 : 7;
  const out: Record<string, ServerResult> = {};
  for (const command of [SLIMFILE, PEER]) {
    const cold: Array<{ total: number; initialize: number }> = [];
    for (let i = 0; i < starts; i++) cold.push(await coldStart(command));
    options.log(`  ${command.name}: cold start ${median(cold.map((c) => c.total)).toFixed(0)} ms`);
    const keystroke = await keystrokes(command, edits);
    options.log(`  ${command.name}: keystroke p50 ${keystroke.p50.toFixed(1)} ms, p95 ${keystroke.p95.toFixed(1)} ms`);
    const memory = await memoryWithCorpusOpen(command);
    options.log(`  ${command.name}: RSS ${((memory.rss ?? 0) / 1024 / 1024).toFixed(1)} MiB with ${memory.files} files open`);
    out[command.name] = {
      keystroke,
      coldStarts: cold.map((c) => c.total),
      coldStart: median(cold.map((c) => c.total)),
      initialize: median(cold.map((c) => c.initialize)),
      rssBytes: memory.rss,
      openFiles: memory.files,
    };
  }
  return { slimfile: out['slimfile'] as ServerResult, peer: out['docker-langserver'] as ServerResult };
}
