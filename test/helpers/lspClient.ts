// A small LSP client for the tests: starts the built server (`node dist/server.js --stdio`) and
// talks JSON-RPC to it. Waits are on the messages that matter (publishDiagnostics for a uri and
// version), never on timers.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { URI } from 'vscode-uri';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, Position } from 'vscode-languageserver-types';

export interface PublishDiagnosticsParams {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: Diagnostic[];
}

export const SERVER_JS = path.join(__dirname, '..', '..', 'dist', 'server.js');

export interface ProgressParams {
  readonly token: string | number;
  readonly value: { readonly kind: 'begin' | 'report' | 'end'; readonly title?: string; readonly message?: string; readonly cancellable?: boolean };
}

export interface Registration {
  readonly id: string;
  readonly method: string;
  readonly registerOptions?: unknown;
}

interface DiagnosticsWaiter {
  readonly matches: (p: PublishDiagnosticsParams) => boolean;
  readonly resolve: (p: PublishDiagnosticsParams) => void;
}

export class LspClient {
  readonly connection: MessageConnection;
  /** Every publishDiagnostics the server sent, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** window/logMessage and stderr, for failure messages. */
  readonly log: string[] = [];
  private readonly waiters: DiagnosticsWaiter[] = [];
  /** Work done progress: the tokens the server created (window/workDoneProgress/create) and every $/progress. */
  readonly progressTokens: Array<string | number> = [];
  readonly progress: ProgressParams[] = [];
  private readonly logWaiters: Array<{ readonly pattern: RegExp; readonly resolve: (line: string) => void }> = [];
  private readonly progressWaiters: Array<{ readonly matches: (p: ProgressParams) => boolean; readonly resolve: (p: ProgressParams) => void }> = [];
  private readonly exited: Promise<number | null>;
  /** What the server registered dynamically (client/registerCapability), in order. */
  readonly registrations: Registration[] = [];
  /** The `slimfile` section the client answers to workspace/configuration (set before opening). */
  settings: Record<string, unknown> = {};

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.log.push(`stderr: ${chunk}`));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (const waiter of [...this.waiters]) {
        if (!waiter.matches(params)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.log.push(params.message);
      for (const waiter of [...this.logWaiters]) {
        if (!waiter.pattern.test(params.message)) continue;
        this.logWaiters.splice(this.logWaiters.indexOf(waiter), 1);
        waiter.resolve(params.message);
      }
    });
    this.connection.onNotification('$/progress', (params: ProgressParams) => {
      this.progress.push(params);
      for (const waiter of [...this.progressWaiters]) {
        if (!waiter.matches(params)) continue;
        this.progressWaiters.splice(this.progressWaiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    });
    // Requests a real editor answers; the server must not stall on them.
    this.connection.onRequest('client/registerCapability', (params: { registrations: Registration[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.progressTokens.push(params.token);
      return null;
    });
    this.connection.onRequest('workspace/configuration', async (params: { items: unknown[] }) => {
      const held = this.held;
      if (held) {
        this.held = undefined;
        held.asked();
        await held.released;
      }
      return params.items.map(() => this.settings);
    });
    this.connection.listen();
  }

  private held: { readonly asked: () => void; readonly released: Promise<void> } | undefined;

  /**
   * Holds the answer to the server's next workspace/configuration request until `release`; `asked`
   * resolves when that request arrives. The server's work that waits on settings waits too, so a
   * test can send something (a cancel) that the server is sure to read first.
   */
  holdConfiguration(): { readonly asked: Promise<void>; readonly release: () => void } {
    let asked!: () => void;
    let release!: () => void;
    const askedPromise = new Promise<void>((resolve) => (asked = resolve));
    this.held = { asked, released: new Promise<void>((resolve) => (release = resolve)) };
    return { asked: askedPromise, release };
  }

  /** `env` adds to the server's environment (e.g. a dead DOCKER_HOST for catalog-only sizes). */
  /** `args`: node's arguments, as an editor's configuration gives them (default: the server with --stdio). */
  static start(env: NodeJS.ProcessEnv = {}, args: readonly string[] = [SERVER_JS, '--stdio']): LspClient {
    if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: run npm run build first`);
    const child = spawn(process.execPath, [...args], { stdio: 'pipe', env: { ...process.env, ...env } });
    return new LspClient(child);
  }

  /**
   * The first publishDiagnostics for `uri` that satisfies `matches`, counting only those that
   * arrive after `since` (an index into `published`, default: everything so far is old news).
   */
  diagnostics(uri: string, matches: (p: PublishDiagnosticsParams) => boolean, since = this.published.length): Promise<PublishDiagnosticsParams> {
    const test = (p: PublishDiagnosticsParams): boolean => p.uri === uri && matches(p);
    const earlier = this.published.slice(since).find(test);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve) => this.waiters.push({ matches: test, resolve }));
  }

  /** Diagnostics for one version of a document. */
  diagnosticsForVersion(uri: string, version: number, since?: number): Promise<PublishDiagnosticsParams> {
    return this.diagnostics(uri, (p) => p.version === version, since);
  }

  /** The first window/logMessage matching `pattern`, counting those already received. */
  logLine(pattern: RegExp): Promise<string> {
    const earlier = this.log.find((line) => pattern.test(line));
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise((resolve) => this.logWaiters.push({ pattern, resolve }));
  }

  /** The first $/progress that satisfies `matches`, counting those already received. */
  progressWhere(matches: (p: ProgressParams) => boolean): Promise<ProgressParams> {
    const earlier = this.progress.find(matches);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve) => this.progressWaiters.push({ matches, resolve }));
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** initialize with `folder` as the one workspace folder (and root), then initialized. */
  async initializeIn(folder: string, name: string, capabilities: unknown): Promise<void> {
    const uri = URI.file(folder).toString();
    await this.request('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name }], capabilities });
    await this.notify('initialized', {});
  }

  /** shutdown + exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    await this.request('shutdown', null);
    await this.notify('exit', null);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** For a failed test: kill the server if it is still running. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
    this.connection.dispose();
  }
}

/** Position of the `occurrence`-th (0-based) `needle` in `text`, optionally `offset` characters into it. */
export function positionOf(text: string, needle: string, options: { occurrence?: number; offset?: number } = {}): Position {
  let at = -1;
  for (let n = 0; n <= (options.occurrence ?? 0); n++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${n + 1} times in the text`);
  }
  return offsetToPosition(text, at + (options.offset ?? 0));
}

/** The range covering the first `needle` in `text`. */
export function rangeOf(text: string, needle: string, occurrence = 0): { start: Position; end: Position } {
  return { start: positionOf(text, needle, { occurrence }), end: positionOf(text, needle, { occurrence, offset: needle.length }) };
}

export function offsetToPosition(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function endOf(text: string): Position {
  return offsetToPosition(text, text.length);
}

export type { Diagnostic };
