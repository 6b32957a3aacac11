// The language server: connection, capabilities, and one-line wiring of handlers.
import {
  createConnection,
  TextDocumentSyncKind,
  CodeActionKind,
  ResponseError,
  ErrorCodes,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  HoverRequest,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from './lsp';
import { URI } from 'vscode-uri';
import { isDockerfile } from './documents';
import { Sessions } from './sessions';
import { BuildCommands, BUILD_COMMANDS, buildTarget, minimizedTarget } from './handlers/builds';
import { codeAction, resolveCodeAction, FIX_ALL_KIND } from './handlers/codeActions';
import { codeLens, resolveCodeLens } from './handlers/codeLens';
import { hover } from './handlers/hover';
import { estimate, minimize } from './handlers/minimize';
import { fileWatchers } from './handlers/watchers';
import { manifestDocumentSelector } from './handlers/manifestDocuments';
import { TRUST_NOTIFICATION, ESTIMATE_REQUEST, MINIMIZE_REQUEST, type InitializationOptions } from './protocol';

export class SlimfileServer {
  readonly sessions: Sessions;
  readonly builds: BuildCommands;
  /** The client fills in a code action's edit through codeAction/resolve (VS Code does). */
  canResolveEdits = false;
  /** What the client said it does itself (see InitializationOptions). */
  private buildLogNotification = false;
  private commandsInClient = false;
  private watchFilesWhenPossible = false;
  /** The client lets the server say which more documents to send it, and hover on. */
  private syncManifestsWhenPossible = false;
  private hoverManifestsWhenPossible = false;

  constructor(private readonly connection: Connection) {
    this.sessions = new Sessions(connection);
    this.builds = new BuildCommands(connection, {
      trusted: () => this.sessions.isTrusted(),
      target: (uri) => buildTarget(uri, this.sessions),
      minimized: (uri) => minimizedTarget(uri, this.sessions),
      openDockerfiles: () => this.sessions.store.documents.all().filter((d) => isDockerfile(d)).map((d) => d.uri),
      logAsNotification: () => this.buildLogNotification,
      clientShowsOutcome: () => this.commandsInClient,
    });
  }

  initialize(params: InitializeParams): InitializeResult {
    this.canResolveEdits = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    const init = params.initializationOptions as InitializationOptions | undefined;
    this.buildLogNotification = init?.buildLogNotification === true;
    this.commandsInClient = init?.commandsInClient === true;
    this.watchFilesWhenPossible = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.syncManifestsWhenPossible = params.capabilities.textDocument?.synchronization?.dynamicRegistration === true;
    this.hoverManifestsWhenPossible = params.capabilities.textDocument?.hover?.dynamicRegistration === true;
    const folders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
    this.sessions.configure({
      workspaceRoots: folders.length === 0 && params.rootUri ? [URI.parse(params.rootUri).fsPath] : folders,
      canAskConfiguration: params.capabilities.workspace?.configuration === true,
      canRefreshLenses: params.capabilities.workspace?.codeLens?.refreshSupport === true,
      initSettings: init?.settings,
      // Editors that do not say are treated as untrusted: no credentials are read.
      trusted: init?.trusted === true,
      offline: init?.offline === true || process.env['SLIMFILE_OFFLINE'] === '1',
    });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: this.canResolveEdits },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: true },
        executeCommandProvider: { commands: this.commandsInClient ? [] : [...BUILD_COMMANDS] },
      },
      serverInfo: { name: 'slimfile', version: '0.1.0' },
    };
  }

  /**
   * The files the languages read are watched, and their manifests that are documents of their own
   * (go.mod) sent and hovered, when the client lets the server say which.
   */
  initialized(): void {
    if (this.watchFilesWhenPossible) void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: fileWatchers() });
    const documentSelector = manifestDocumentSelector();
    if (this.syncManifestsWhenPossible && documentSelector.length > 0) {
      void this.connection.client.register(DidOpenTextDocumentNotification.type, { documentSelector });
      void this.connection.client.register(DidChangeTextDocumentNotification.type, { documentSelector, syncKind: TextDocumentSyncKind.Incremental });
      void this.connection.client.register(DidCloseTextDocumentNotification.type, { documentSelector });
    }
    if (this.hoverManifestsWhenPossible && documentSelector.length > 0) void this.connection.client.register(HoverRequest.type, { documentSelector });
  }
}

/** Wraps a handler so that a throw is logged and answered as an error; the server keeps serving. */
function guard<P extends unknown[], R>(connection: Connection, name: string, handler: (...args: P) => R | Promise<R>) {
  return async (...args: P): Promise<R | ResponseError<void>> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ResponseError) return error;
      connection.console.error(`Slimfile ${name} failed: ${(error as Error).stack ?? String(error)}`);
      return new ResponseError(ErrorCodes.InternalError, `Slimfile ${name} failed: ${(error as Error).message}`);
    }
  };
}

export function startServer(connection: Connection = createConnection()): SlimfileServer {
  const server = new SlimfileServer(connection);
  const { sessions } = server;
  const { documents } = sessions.store;
  connection.onInitialize(server.initialize.bind(server));
  connection.onInitialized(server.initialized.bind(server));
  connection.onCodeAction(guard(connection, 'code actions', (params, token) => codeAction(params, sessions, server.canResolveEdits, token)));
  connection.onCodeActionResolve(guard(connection, 'code action', (action) => resolveCodeAction(action, sessions)));
  connection.onHover(guard(connection, 'hover', (params) => hover(params, sessions)));
  connection.onCodeLens(guard(connection, 'code lenses', (params) => codeLens(params, sessions)));
  connection.onCodeLensResolve(guard(connection, 'code lens', (lens) => resolveCodeLens(lens, sessions)));
  connection.onRequest(ESTIMATE_REQUEST, guard(connection, 'estimate', (params) => estimate(params, sessions)));
  connection.onRequest(MINIMIZE_REQUEST, guard(connection, 'minimize', (params, token) => minimize(params, sessions, token)));
  // Not onExecuteCommand: it takes the client's workDoneToken out of the params.
  connection.onRequest(ExecuteCommandRequest.type, guard(connection, 'command', server.builds.execute.bind(server.builds)));
  connection.onDidChangeConfiguration(() => sessions.revalidateAll());
  // A build or Compare run under way is cancelled, and its containers and images removed, before the server exits.
  connection.onShutdown(() => server.builds.shutdown());
  connection.onNotification(TRUST_NOTIFICATION, (params: { trusted: boolean; offline?: boolean }) => sessions.setTrust(params));
  connection.onDidChangeWatchedFiles(sessions.watchedFilesChanged.bind(sessions));
  documents.onDidOpen((e) => sessions.opened(e.document));
  documents.onDidChangeContent((e) => sessions.scheduleValidation(e.document));
  documents.onDidClose((e) => sessions.closed(e.document.uri));
  documents.listen(connection);
  connection.listen();
  return server;
}
