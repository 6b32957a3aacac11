// The property over stdio: one real server process receives random incremental edits (some out of
// range, as a buggy client sends them) and keeps answering hover, code actions, lenses and
// Minimize; every edit it returns names the version it was computed for and applies to that text.
import * as fc from 'fast-check';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeLens, Position, TextDocumentEdit } from 'vscode-languageserver-types';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LspClient } from '../helpers/lspClient';
import { parseDockerfile } from '../../server/src/analysis';
import { randomDockerfile } from './properties';

/** No request may take longer than this; a hang fails the run instead of stalling it. */
export const ANSWER_BOUND_MS = 15_000;

export interface ServerSession {
  readonly client: LspClient;
  readonly uri: string;
  readonly dispose: () => Promise<void>;
}

/** A server over stdio with the http-server example as its workspace; offline, no Docker Engine. */
export async function startSession(): Promise<ServerSession> {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-fuzz-'));
  await fs.cp(path.join(__dirname, '..', '..', 'examples', 'http-server'), workspace, { recursive: true });
  const client = LspClient.start({ SLIMFILE_OFFLINE: '1', DOCKER_HOST: `unix://${path.join(workspace, 'no-engine.sock')}` });
  await client.request('initialize', {
    processId: process.pid,
    rootUri: URI.file(workspace).toString(),
    workspaceFolders: [{ uri: URI.file(workspace).toString(), name: 'fuzz' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
    initializationOptions: { trusted: false, offline: true },
  });
  await client.notify('initialized', {});
  return {
    client,
    uri: URI.file(path.join(workspace, 'Dockerfile')).toString(),
    dispose: async () => {
      client.kill();
      await fs.rm(workspace, { recursive: true, force: true });
    },
  };
}

function within<T>(what: string, promise: Promise<T>, log: readonly string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_BOUND_MS} ms\nserver log:\n${log.join('\n')}`)), ANSWER_BOUND_MS);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

/** An answer or a ResponseError are both answers; anything else (a hang, a dead process) is not. */
async function answered<T>(what: string, promise: Promise<T>, log: readonly string[]): Promise<T | undefined> {
  try {
    return await within(what, promise, log);
  } catch (error) {
    if (error instanceof ResponseError) return undefined;
    throw error;
  }
}

const positionArb = fc.record({ line: fc.integer({ min: -2, max: 60 }), character: fc.integer({ min: -2, max: 120 }) });

const changeArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ start: positionArb, end: positionArb, text: fc.oneof(fc.string({ maxLength: 20 }), randomDockerfile.map((t) => t.slice(0, 200))) }) },
  { weight: 1, arbitrary: randomDockerfile.map((text) => ({ text })) },
);

export const editScript = fc.record({
  start: randomDockerfile,
  changes: fc.array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
  at: positionArb,
});

export type EditScript = typeof editScript extends fc.Arbitrary<infer T> ? T : never;

function sorted(a: Position, b: Position): [Position, Position] {
  return a.line < b.line || (a.line === b.line && a.character <= b.character) ? [a, b] : [b, a];
}

let nextVersion = 1;

/** Opens the document, applies the script's edits, asks for everything after each, and closes it. */
export async function runEditScript(session: ServerSession, script: EditScript): Promise<void> {
  const { client, uri } = session;
  let version = nextVersion;
  nextVersion += script.changes.length + 1;
  let mirror = TextDocument.create(uri, 'dockerfile', version, script.start);
  await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text: script.start } });
  try {
    for (const batch of script.changes) {
      version++;
      const contentChanges = batch.map((c) => ('start' in c ? { range: { start: sorted(c.start, c.end)[0], end: sorted(c.start, c.end)[1] }, text: c.text } : { text: c.text }));
      mirror = TextDocument.update(mirror, contentChanges, version);
      await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      const end = mirror.positionAt(mirror.getText().length);
      const [hover, actions, lenses, minimized] = await Promise.all([
        answered('hover', client.request('textDocument/hover', { textDocument: { uri }, position: script.at }), client.log),
        answered<CodeAction[]>('code actions', client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics: [] } }), client.log),
        answered<CodeLens[]>('code lenses', client.request('textDocument/codeLens', { textDocument: { uri } }), client.log),
        answered<{ edit?: { documentChanges: TextDocumentEdit[] }; version: number }>('minimize', client.request('slimfile/minimize', { uri }), client.log),
      ]);
      void hover;
      for (const lens of lenses ?? []) await answered('code lens resolve', client.request('codeLens/resolve', lens), client.log);
      // Every edit is for this version and applies cleanly to it.
      const edits: TextDocumentEdit[] = [...(actions ?? []).flatMap((a) => (a.edit?.documentChanges ?? []) as TextDocumentEdit[]), ...(minimized?.edit?.documentChanges ?? [])];
      for (const change of edits) {
        if (!('textDocument' in change) || change.textDocument.uri !== uri) continue;
        if (change.textDocument.version !== version) throw new Error(`an edit names version ${change.textDocument.version}, the document is at ${version}`);
        parseDockerfile(TextDocument.applyEdits(mirror, change.edits));
      }
    }
    // The last version is analysed and published.
    await within('diagnostics for the last version', client.diagnosticsForVersion(uri, version, 0), client.log);
  } finally {
    await client.notify('textDocument/didClose', { textDocument: { uri } });
  }
}
