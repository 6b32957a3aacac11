// 2 and 3. The servers over stdio, as an editor runs them: keystroke to diagnostics on the same
// edit stream, cold start to first diagnostics, and resident memory with the corpus open. Each
// round measures every server in turn, so a ratio compares servers under the same load.
import * as path from 'node:path';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspProcess, type ServerCommand } from '../lib/lspProcess';
import { corpusFiles, CORPUS_DIR } from './analysis';
import { median, percentile } from '../lib/stats';
import { SERVER_ENV, SERVER_EXEC_ARGV, SERVER_SCRIPT } from '../../server/src/protocol';

const ROOT = path.join(__dirname, '..', '..');
/** Started as the VS Code client starts it (server/src/protocol.ts): its node flags and environment. */
export const SLIMFILE: ServerCommand = { name: 'slimfile', args: [...SERVER_EXEC_ARGV, path.join(ROOT, SERVER_SCRIPT), '--stdio'], env: SERVER_ENV, sync: 'incremental' };
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
const BENCH_ENV = { SLIMFILE_OFFLINE: '1' };

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
  /** Spawn to the first publishDiagnostics of an opened file, per start; the first start is not among them. */
  readonly coldStarts: readonly number[];
  /** Their median: Slimfile's starts from its code cache (server/src/start.ts), as every start after a build's first. */
  readonly coldStart: number;
  /** The same for the first start, which has no code cache and makes it. */
  readonly firstStart: number;
  /** Per start, the first included: whether Slimfile's code cache was there and read unchanged. */
  readonly codeCache: readonly CodeCacheState[];
  /** Spawn to the initialize answer. */
  readonly initialize: number;
  /** VmRSS with the corpus open, the server started as it is started: Slimfile as its VS Code client starts it, the others as shipped. */
  readonly rssBytes: number | undefined;
  /**
   * The same step once more with the other malloc arena setting, so that what is code and what is
   * environment can be told apart: `one` with MALLOC_ARENA_MAX=1, `default` without it (glibc's
   * arena per thread). One of the two is `rssBytes`'s start. Undefined for a server that is not a
   * node script (tally: Go does not use glibc's malloc).
   */
  readonly rssByArenas: { readonly one: number | undefined; readonly default: number | undefined } | undefined;
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

async function keystrokes(command: ServerCommand, edits: number, env: NodeJS.ProcessEnv): Promise<KeystrokeResult> {
  const file = path.join(CORPUS_DIR, KEYSTROKE_FILE);
  const text = (await corpusFiles()).find((f) => f.name === KEYSTROKE_FILE)?.text ?? '';
  const uri = pathToFileURL(file).toString();
  const server = LspProcess.start(command, env);
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

/**
 * none: no cache file before the start (the first start of a build); warm: one was there and is
 * the same file after; remade: one was there and the start replaced or dropped it (V8 rejected it).
 */
export type CodeCacheState = 'none' | 'warm' | 'remade';

/** The code cache folder's files, with what tells a rewrite apart (inode and mtime). */
async function cacheFiles(dir: string): Promise<string> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => !n.endsWith('.tmp')).sort();
  const stats = await Promise.all(names.map(async (n) => fs.stat(path.join(dir, n)).then((st) => `${n}:${st.ino}:${st.mtimeMs}`, () => n)));
  return stats.join('\n');
}

async function coldStart(command: ServerCommand, env: NodeJS.ProcessEnv, cacheDir: string): Promise<{ total: number; initialize: number; cache: CodeCacheState }> {
  const file = path.join(CORPUS_DIR, KEYSTROKE_FILE);
  const text = (await corpusFiles()).find((f) => f.name === KEYSTROKE_FILE)?.text ?? '';
  const uri = pathToFileURL(file).toString();
  const before = await cacheFiles(cacheDir);
  const server = LspProcess.start(command, env);
  let started: { total: number; initialize: number };
  try {
    await server.initialize(pathToFileURL(CORPUS_DIR).toString());
    const initialize = performance.now() - server.spawnedAt;
    const first = server.nextDiagnostics(uri, 1);
    await server.open(uri, text, 1);
    started = { total: (await first).at - server.spawnedAt, initialize };
  } finally {
    await server.stop();
  }
  const after = await cacheFiles(cacheDir);
  return { ...started, cache: before === '' ? 'none' : before === after ? 'warm' : 'remade' };
}

/** RSS after every corpus file is open and analysed, lenses and code actions included. */
async function memoryWithCorpusOpen(command: ServerCommand, env: NodeJS.ProcessEnv): Promise<{ rss: number | undefined; files: number }> {
  const files = await corpusFiles();
  const server = LspProcess.start(command, env);
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

/** glibc's limit on malloc arenas (server/src/protocol.ts's SERVER_ENV), read when a process starts. */
const ARENA_VARIABLE = 'MALLOC_ARENA_MAX';

export async function measureServer(command: ServerCommand, options: { edits: number; starts: number; round: number; log: (line: string) => void }): Promise<ServerResult> {
  // Every server starts once more than the starts counted. The first start is reported apart:
  // Slimfile's has no code cache yet (a fresh folder per measurement) and makes it; the keystroke
  // and memory runs start from it, as every start after a build's first does.
  const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-bench-code-cache-'));
  // The arena variable as the command sets it, not as the bench's own environment may have it.
  const env = { ...BENCH_ENV, SLIMFILE_CODE_CACHE_DIR: cacheDir, [ARENA_VARIABLE]: command.env?.[ARENA_VARIABLE] };
  try {
    const cold: Array<{ total: number; initialize: number; cache: CodeCacheState }> = [];
    for (let i = 0; i <= options.starts; i++) cold.push(await coldStart(command, env, cacheDir));
    const [first, ...counted] = cold as [(typeof cold)[number], ...typeof cold];
    const warm = counted.filter((c) => c.cache === 'warm').length;
    options.log(`  ${command.name}: cold start ${median(counted.map((c) => c.total)).toFixed(0)} ms (code cache read in ${warm} of ${counted.length}); first start ${first.total.toFixed(0)} ms (code cache: ${first.cache})`);
    const keystroke = await keystrokes(command, options.edits, env);
    options.log(`  ${command.name}: keystroke p50 ${keystroke.p50.toFixed(1)} ms, p95 ${keystroke.p95.toFixed(1)} ms`);
    // The step as started and, for a node script, with the other arena setting; which of the two
    // goes first alternates by round.
    const oneArena = env[ARENA_VARIABLE] === '1';
    const other = command.command === undefined ? { ...env, [ARENA_VARIABLE]: oneArena ? undefined : '1' } : undefined;
    const otherBefore = other && options.round % 2 === 0 ? await memoryWithCorpusOpen(command, other) : undefined;
    const memory = await memoryWithCorpusOpen(command, env);
    const otherMemory = otherBefore ?? (other ? await memoryWithCorpusOpen(command, other) : undefined);
    const mib = (bytes: number | undefined): string => ((bytes ?? 0) / 1024 / 1024).toFixed(1);
    const otherText = otherMemory ? `; ${mib(otherMemory.rss)} MiB ${oneArena ? `without ${ARENA_VARIABLE}` : `with ${ARENA_VARIABLE}=1`}` : '';
    options.log(`  ${command.name}: RSS ${mib(memory.rss)} MiB with ${memory.files} files open, as started${otherText}`);
    return {
      keystroke,
      coldStarts: counted.map((c) => c.total),
      coldStart: median(counted.map((c) => c.total)),
      firstStart: first.total,
      codeCache: cold.map((c) => c.cache),
      initialize: median(counted.map((c) => c.initialize)),
      rssBytes: memory.rss,
      rssByArenas: otherMemory ? (oneArena ? { one: memory.rss, default: otherMemory.rss } : { one: otherMemory.rss, default: memory.rss }) : undefined,
      openFiles: memory.files,
    };
  } finally {
    await fs.rm(cacheDir, { recursive: true, force: true });
  }
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
    for (const [i, command] of servers.entries()) results[i]?.rounds.push(await measureServer(command, { edits, starts, round, log: options.log }));
  }
  return { servers: results, rounds: options.rounds };
}
