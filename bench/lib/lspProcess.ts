// A language server over stdio for the benchmarks: spawn, initialize, open/change documents, and
// every publishDiagnostics with the time it arrived. Any server works: Slimfile's, the
// Dockerfile language server and tally speak the same protocol.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface Published {
  readonly uri: string;
  readonly version: number | undefined;
  readonly count: number;
  /** performance.now() when the notification was read. */
  readonly at: number;
}

export interface ServerCommand {
  readonly name: string;
  /** The executable; Node (this process's) when not given, for servers that are a script. */
  readonly command?: string;
  readonly args: readonly string[];
  /** The environment the server is started with on top of the bench's, as its editor starts it. */
  readonly env?: Readonly<Record<string, string>>;
  /** How the server asks for changes: incremental ranges, or the whole text each time (tally). */
  readonly sync: 'incremental' | 'full';
}

export class LspProcess {
  readonly published: Published[] = [];
  private readonly listeners: Array<(p: Published) => void> = [];
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly spawnedAt: number,
  ) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.stderr.push(chunk));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: unknown[] }) => {
      const p = { uri: params.uri, version: params.version, count: params.diagnostics.length, at: performance.now() };
      this.published.push(p);
      for (const listener of [...this.listeners]) listener(p);
    });
    // What an editor answers; neither server may stall on them.
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  /** Node servers run as `node script --stdio` and tally as its binary, so the child's pid is the server's own. */
  /** `env` is the run's (a variable set to undefined is left out); it goes over the command's own `env`. */
  static start(command: ServerCommand, env: NodeJS.ProcessEnv = {}): LspProcess {
    const spawnedAt = performance.now();
    const child = spawn(command.command ?? process.execPath, [...command.args], { stdio: 'pipe', env: { ...process.env, ...command.env, ...env } });
    return new LspProcess(child, spawnedAt);
  }

  async initialize(rootUri: string): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, codeLens: { refreshSupport: false }, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          // As VS Code: a code action's edit may come later, through codeAction/resolve.
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, resolveSupport: { properties: ['edit'] } },
          codeLens: {},
        },
      },
      initializationOptions: { settings: {} },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** The next publishDiagnostics for `uri` (matching `version` when given) read after now. */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 120_000): Promise<Published> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        reject(new Error(`no diagnostics for ${uri}${version !== undefined ? ` version ${version}` : ''} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (p: Published): void => {
        if (p.uri !== uri || (version !== undefined && p.version !== undefined && p.version !== version)) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(p);
      };
      this.listeners.push(listener);
    });
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Resident memory of the server process, from /proc (Linux only). */
  async rssBytes(): Promise<number | undefined> {
    const status = await fs.readFile(`/proc/${this.child.pid}/status`, 'utf8').catch(() => undefined);
    const kb = status ? /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] : undefined;
    return kb ? Number(kb) * 1024 : undefined;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.connection.sendRequest('shutdown', null), new Promise((r) => setTimeout(r, 5000))]);
      await this.connection.sendNotification('exit', null);
    } catch {
      // Already gone.
    }
    const killer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(killer);
    this.connection.dispose();
  }
}
