// The language server: connection, capabilities, and one-line wiring of handlers.
import {
  createConnection,
  TextDocumentSyncKind,
  CodeActionKind,
  ResponseError,
  ErrorCodes,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  LSPErrorCodes,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type CodeActionParams,
  type CodeAction,
  type DidChangeWatchedFilesParams,
  type CancellationToken,
  type Hover,
  type HoverParams,
  type CodeLens,
  type CodeLensParams,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import * as os from 'node:os';
import { promises as fs } from 'node:fs';
import { DocumentStore, isDockerfile, isGoMod, isTooLarge, MAX_DOCUMENT_CHARS } from './documents';
import { messages } from './analysis/messages';
import { parseGoMod } from './analysis/gomod';
import { analyzeGoMod } from './analysis/gomodFindings';
import { parseDockerfile } from './analysis/model';
import { ImageKnowledge } from './images/knowledge';
import { engineFor } from './images/localEngine';
import { RegistryClient } from './images/registry';
import { GoBuildMeasurer } from './workspace/goBuildMeasure';
import { ProjectCache } from './workspace/projects';
import { deliveredBinaries, stageOf } from './analysis/runtime';
import { builderGo } from './analysis/builderGo';
import type { EstimatePair, SizeKnowledge } from './analysis/estimate/estimate';
import { modelSizeKnowledge } from './analysis/estimate/goBinary';
import { savingText } from './analysis/estimate/present';
import { emptyProject, type ProjectFacts } from './analysis/project';
import type { ImageReference } from './analysis/imageRef';
import { diffAsEdit } from './analysis/fixes/apply';
import { upxActions } from './analysis/fixes/upx';
import { Settings, DEFAULTS } from './settings';
import { DocumentSession, MinimizeCancelled } from './session';
import { BuildCommands, BUILD_COMMANDS, type BuildTarget, type MinimizedTarget } from './handlers/builds';
import { toDiagnostic } from './handlers/diagnostics';
import { codeActions, resolvedFixAll, FIX_ALL_KIND, type FixAll, type FixAllData } from './handlers/codeActions';
import { codeLenses, resolvedLens, staleLens, type LensData } from './handlers/codeLens';
import { dockerfileHover, goModHover } from './handlers/hover';
import { budgetFindings } from './handlers/budget';
import { fileWatchers } from './handlers/watchers';
import { TRUST_NOTIFICATION, ESTIMATE_REQUEST, MINIMIZE_REQUEST, type InitializationOptions, type EstimateAnswer, type EstimateParams, type MinimizeParams, type MinimizeAnswer } from './protocol';

function registryCacheDir(): string {
  return path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'slimfile', 'registry');
}

/** Minimize re-analyses after each fix; past this it stops and says so (a few KB take ~50 ms a round). */
const MINIMIZE_BUDGET_MS = 3_000;

/** How long an estimate waits for image lookups under way: the local engine answers in milliseconds, a registry may not. */
const LOOKUP_WAIT_MS = 1_500;

/** An open Dockerfile's version as the server knows it. */
interface Open {
  readonly session: DocumentSession<Settings>;
  /** A size budget applies: its warning is refreshed when sizes are learned. */
  hasBudget?: boolean;
}

export class SlimfileServer {
  readonly store = new DocumentStore();
  private readonly projects = new ProjectCache();
  /** One session per open Dockerfile, for its newest analysed version. */
  private readonly sessions = new Map<string, Open>();
  /** Documents being validated now, and those changed meanwhile (validated once more after). */
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Settings per document, read once and dropped when the client says the configuration changed. */
  private readonly settingsByUri = new Map<string, Promise<Settings>>();
  private workspaceRoots: string[] = [];
  private canAskConfiguration = false;
  private canRefreshLenses = false;
  /** The client fills in a code action's edit through codeAction/resolve (VS Code does). */
  private canResolveEdits = false;
  private trusted = false;
  private readonly measurer = new GoBuildMeasurer(() => this.sizesLearned());
  private offline = false;
  private registryClient: RegistryClient | undefined;
  readonly images = new ImageKnowledge(
    {
      // Untrusted: DOCKER_HOST or the default socket only. Finding the current docker context means
      // reading ~/.docker/config.json, the file that also holds registry credentials.
      engine: () => engineFor(this.trusted ? {} : { host: process.env['DOCKER_HOST']?.trim() || 'unix:///var/run/docker.sock' }),
      registry: () => {
        if (this.offline) return undefined;
        // Untrusted workspaces never read credentials; the cache is shared by both.
        this.registryClient ??= new RegistryClient({ credentials: this.trusted ? 'docker-config' : 'none', cacheDir: registryCacheDir() });
        return this.registryClient;
      },
    },
    () => this.sizesLearned(),
  );
  private initSettings: unknown = undefined;
  /** Problems already told to the user (a note per build context, a too-large file per uri). */
  private readonly said = new Set<string>();

  /** What the client said it does itself (see InitializationOptions). */
  private buildLogNotification = false;
  private commandsInClient = false;
  readonly builds: BuildCommands;

  constructor(private readonly connection: Connection) {
    this.builds = new BuildCommands(connection, {
      trusted: () => this.trusted,
      target: (uri) => this.buildTarget(uri),
      minimized: (uri) => this.minimizedTarget(uri),
      openDockerfiles: () => this.store.documents.all().filter((d) => isDockerfile(d)).map((d) => d.uri),
      logAsNotification: () => this.buildLogNotification,
      clientShowsOutcome: () => this.commandsInClient,
    });
  }

  initialize(params: InitializeParams): InitializeResult {
    this.canAskConfiguration = params.capabilities.workspace?.configuration === true;
    this.canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    this.canResolveEdits = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    const init = params.initializationOptions as InitializationOptions | undefined;
    this.initSettings = init?.settings;
    this.buildLogNotification = init?.buildLogNotification === true;
    this.commandsInClient = init?.commandsInClient === true;
    // Editors that do not say are treated as untrusted: no credentials are read.
    this.trusted = init?.trusted === true;
    this.offline = init?.offline === true || process.env['SLIMFILE_OFFLINE'] === '1';
    this.workspaceRoots = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
    if (this.workspaceRoots.length === 0 && params.rootUri) this.workspaceRoots = [URI.parse(params.rootUri).fsPath];
    this.watchFilesWhenPossible = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
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

  private watchFilesWhenPossible = false;

  initialized(): void {
    if (this.watchFilesWhenPossible) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: fileWatchers(),
      });
    }
  }

  /** The document's settings; asked from the client once per document and configuration change. */
  settingsFor(uri: string): Promise<Settings> {
    if (!this.canAskConfiguration) return Promise.resolve(this.initSettings ? Settings.from(this.initSettings) : DEFAULTS);
    let settings = this.settingsByUri.get(uri);
    if (!settings) {
      settings = Promise.resolve(this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'slimfile' })).then((raw: unknown) => Settings.from(raw));
      this.settingsByUri.set(uri, settings);
      // A failed read is not kept: the next use asks again.
      settings.catch(() => this.settingsByUri.delete(uri));
    }
    return settings;
  }

  private async projectFor(document: TextDocument, settings: Settings): Promise<ProjectFacts> {
    const uri = URI.parse(document.uri);
    if (uri.scheme !== 'file') return emptyProject();
    const root = this.workspaceRoots.find((r) => uri.fsPath === r || uri.fsPath.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`));
    const context = await this.projects.contextOf(uri.fsPath, root, settings.buildContext);
    const project = await this.projects.get(context, settings.maxGoFiles, (file) => this.openText(file));
    for (const note of project.notes) this.sayOnce(`${context}\0${note}`, () => this.connection.console.warn(`Slimfile: ${context}: ${note}`));
    return project;
  }

  private sayOnce(key: string, say: () => void): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    say();
  }

  /** A document too large to analyse is skipped, and the user is told once. */
  private skipsTooLarge(document: TextDocument): boolean {
    if (!isTooLarge(document)) return false;
    this.sayOnce(`too-large\0${document.uri}`, () => {
      const message = messages.documentTooLarge(document.getText().length, MAX_DOCUMENT_CHARS);
      this.connection.console.warn(`${message} (${document.uri})`);
      this.connection.window.showWarningMessage(message);
    });
    return true;
  }

  /** Text of a file open in the editor (unsaved edits included). */
  private openText(file: string): string | undefined {
    return this.store.documents.all().find((d) => d.uri.startsWith('file:') && URI.parse(d.uri).fsPath === file)?.getText();
  }

  /**
   * The session of the document's current version: made at most once per version and settings.
   * The text and version are read together before anything is awaited, so a session never mixes
   * two versions.
   */
  async analyse(document: TextDocument): Promise<DocumentSession<Settings>> {
    const cached = this.sessions.get(document.uri)?.session;
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const version = document.version;
    const settings = await this.settingsFor(document.uri);
    const analysable = !this.skipsTooLarge(document);
    const project = analysable ? await this.projectFor(document, settings) : emptyProject();
    const session = new DocumentSession({
      text,
      version,
      project,
      settings,
      enabled: settings.enable,
      analysable,
      // The store's parse while it is of this version (hover and lenses read it too).
      model: () => (document.version === version ? this.store.model(document) : parseDockerfile(text)),
      minimizeBudgetMs: MINIMIZE_BUDGET_MS,
    });
    // The text may have moved on while we awaited; only the current version is kept.
    if (this.store.get(document.uri)?.version === version) this.sessions.set(document.uri, { session });
    return session;
  }

  /**
   * Validates at once; changes that arrive while a validation runs are folded into one more run
   * for the newest version when it ends. No timer: the first keystroke after a pause gets its
   * diagnostics as soon as the analysis is done, and fast typing never queues stale work.
   */
  scheduleValidation(document: TextDocument): void {
    const validate = isGoMod(document) ? this.validateGoMod : isDockerfile(document) ? this.validate : undefined;
    if (!validate) return;
    const uri = document.uri;
    if (this.running.has(uri)) {
      this.dirty.add(uri);
      return;
    }
    this.running.add(uri);
    setImmediate(() => {
      void (async () => {
        try {
          do {
            this.dirty.delete(uri);
            await validate.call(this, uri);
          } while (this.dirty.has(uri));
        } finally {
          this.running.delete(uri);
        }
      })();
    });
  }

  async validate(uri: string): Promise<void> {
    const document = this.store.get(uri);
    if (!document) return;
    try {
      const session = await this.analyse(document);
      const current = (): boolean => this.store.get(uri)?.version === session.version;
      if (!current()) return;
      const budget = session.enabled ? await budgetFindings(session.text, session.settings.sizeBudget, () => this.estimate(session)) : { findings: [], hasBudget: false };
      if (!current()) return;
      const open = this.sessions.get(uri);
      if (open?.session === session) open.hasBudget = budget.hasBudget;
      const diagnostics = [...budget.findings, ...session.findings].map((f) => toDiagnostic(f, uri, session.project.contextDir));
      await this.connection.sendDiagnostics({ uri, version: session.version, diagnostics });
    } catch (error) {
      this.connection.console.error(`Slimfile could not analyse ${uri}: ${(error as Error).stack ?? String(error)}`);
    }
  }

  /** go.mod's own diagnostics; an edit also refreshes the Dockerfiles that build this module. */
  async validateGoMod(uri: string): Promise<void> {
    const document = this.store.get(uri);
    if (!document) return;
    try {
      const settings = await this.settingsFor(uri);
      const findings = settings.enable ? analyzeGoMod(parseGoMod(document.getText()), settings.rules) : [];
      await this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: findings.map((f) => toDiagnostic(f, uri, undefined)) });
      if (uri.startsWith('file:') && this.projects.invalidate(URI.parse(uri).fsPath)) {
        for (const d of this.store.documents.all()) {
          if (!isDockerfile(d)) continue;
          this.sessions.delete(d.uri);
          this.scheduleValidation(d);
        }
      }
    } catch (error) {
      this.connection.console.error(`Slimfile could not read ${uri}: ${(error as Error).stack ?? String(error)}`);
    }
  }

  async hover(params: HoverParams): Promise<Hover | null> {
    const document = this.store.get(params.textDocument.uri);
    if (!document) return null;
    if (isGoMod(document)) {
      const fsPath = document.uri.startsWith('file:') ? URI.parse(document.uri).fsPath : undefined;
      return goModHover(document.getText(), fsPath, params.position, (file) => this.openText(file));
    }
    if (!isDockerfile(document)) return null;
    const version = document.version;
    const model = this.store.model(document);
    return dockerfileHover(
      model,
      params.position,
      async () => {
        const session = await this.analyse(document);
        const sizes = this.sizeKnowledge();
        const { project } = session;
        return {
          project,
          runtime: session.settings.runtime,
          knowledge: { size: (ref) => this.images.size(ref), details: (ref) => this.images.details(ref), binary: (build, s) => sizes.binary(build, project, builderGo(model, s)) },
          estimate: () => this.estimate(session),
        };
      },
      () => document.version === version,
    );
  }

  /** What the estimate knows about sizes: images from the catalog/engine, binaries from the model. */
  private sizeKnowledge(): SizeKnowledge {
    return modelSizeKnowledge(
      (ref) => this.images.size(ref),
      (build, project, go) => (project.contextDir ? this.measurer.known({ contextDir: project.contextDir, build, go }) : undefined),
    );
  }

  /**
   * The estimate of the session's version, now and after Minimize: the one figure the lens, the
   * hover, Minimize's answer and the estimate request show. Computed once per version (and again
   * when a lookup learns a size), after the image lookups it starts have answered or
   * LOOKUP_WAIT_MS passed: editors refresh a lens only while its editor has focus, so a first
   * figure made from the catalog could stay on screen after the engine answered.
   */
  async estimate(session: DocumentSession<Settings>): Promise<EstimatePair> {
    if (!session.hasEstimate) {
      this.measureBinaries(session);
      await this.lookUp(session.baseImages());
    }
    return session.estimate(this.sizeKnowledge());
  }

  /** Starts the lookups of base images and waits a little for them (never long). */
  private async lookUp(references: readonly ImageReference[]): Promise<void> {
    for (const reference of references) this.images.size(reference);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.images.settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, LOOKUP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Trusted workspaces only: real go builds refine the binary sizes, in the background. */
  private measureBinaries(session: DocumentSession<Settings>): void {
    const { project, model } = session;
    if (!this.trusted || !project.contextDir || !project.hasGoSources) return;
    const contextDir = project.contextDir;
    for (const { build } of deliveredBinaries(model, project)) void this.measurer.measure({ contextDir, build, go: builderGo(model, stageOf(model, build)) });
  }

  /** A background lookup learned a size: estimates are recomputed and lenses refreshed. */
  private sizesLearned(): void {
    for (const { session } of this.sessions.values()) session.forgetEstimate();
    // A budget's warning depends on the estimate: it is checked again with what was learned.
    for (const [uri, open] of this.sessions) {
      const document = open.hasBudget ? this.store.get(uri) : undefined;
      if (document) this.scheduleValidation(document);
    }
    if (this.canRefreshLenses) void this.connection.sendRequest('workspace/codeLens/refresh');
  }

  async codeLens(params: CodeLensParams): Promise<CodeLens[]> {
    const document = this.store.get(params.textDocument.uri);
    if (!document || !isDockerfile(document)) return [];
    const settings = await this.settingsFor(document.uri);
    if (!settings.enable || !settings.codeLens) return [];
    return codeLenses(document.uri, document.version, this.store.model(document));
  }

  async resolveCodeLens(lens: CodeLens): Promise<CodeLens> {
    const data = lens.data as LensData;
    const document = this.store.get(data.uri);
    if (!document || document.version !== data.version) return staleLens(lens);
    const session = await this.analyse(document);
    return resolvedLens(lens, session.model, await this.estimate(session));
  }

  async estimateRequest(params: EstimateParams): Promise<EstimateAnswer> {
    const document = this.store.get(params.uri);
    if (!document || !isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.uri} is not an open Dockerfile.`);
    const { now, minimized } = await this.estimate(await this.analyse(document));
    return { bytes: now.bytes, minimizedBytes: minimized?.bytes ?? now.bytes, confidence: now.confidence, sources: now.sources, unknowns: now.unknowns };
  }

  /** The client granted workspace trust (or the user changed slimfile.offline). */
  setTrust(params: { trusted: boolean; offline?: boolean }): void {
    this.trusted = params.trusted;
    if (params.offline !== undefined) this.offline = params.offline;
    this.registryClient = undefined;
    this.images.forget();
    this.sizesLearned();
  }

  revalidateAll(): void {
    this.sessions.clear();
    this.settingsByUri.clear();
    for (const document of this.store.documents.all()) this.scheduleValidation(document);
  }

  /** An open replaces whatever was known under this uri, even at the same version (a re-open without close). */
  opened(document: TextDocument): void {
    this.sessions.delete(document.uri);
    this.store.forget(document.uri);
    this.scheduleValidation(document);
  }

  closed(uri: string): void {
    this.said.delete(`too-large\0${uri}`);
    this.dirty.delete(uri);
    this.settingsByUri.delete(uri);
    this.sessions.delete(uri);
    this.store.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    let dropped = false;
    for (const change of params.changes) dropped = this.projects.invalidate(URI.parse(change.uri).fsPath) || dropped;
    if (dropped) this.revalidateAll();
  }

  async codeAction(params: CodeActionParams, token?: CancellationToken): Promise<CodeAction[]> {
    const document = this.store.get(params.textDocument.uri);
    if (!document || !isDockerfile(document) || isTooLarge(document)) return [];
    const session = await this.analyse(document);
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Slimfile: code actions cancelled.');
    // The text moved on while it was analysed: the findings and any edit would name a version that is gone.
    if (document.version !== session.version) return [];
    const { uri } = document;
    const version = session.version;
    const fixAll: FixAll = this.canResolveEdits ? { resolveLater: { uri, version } } : { edits: () => diffAsEdit(session.text, session.minimized().text) };
    const contextDir = session.project.contextDir;
    return codeActions(params, version, contextDir, session.findings, (f) => toDiagnostic(f, uri, contextDir), fixAll, () => upxActions(session.model, session.project, params.range));
  }

  /** Fills in the fix-all edit (Minimize) when the user picks the action, for the version it was offered on. */
  async resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    const data = action.data as FixAllData | undefined;
    if (action.kind !== FIX_ALL_KIND || !data) return action;
    const document = this.store.get(data.uri);
    // A newer text: the action was offered for a version that is gone; it stays without an edit.
    if (!document || document.version !== data.version || isTooLarge(document)) return action;
    const session = await this.analyse(document);
    if (session.version !== data.version) return action;
    return resolvedFixAll(action, data, diffAsEdit(session.text, session.minimized().text));
  }

  /**
   * Minimize's edit for the document's version. It lets the server read its messages between two
   * fixes, so the client can cancel it ($/cancelRequest, or the cancel button of its progress):
   * a cancelled Minimize answers RequestCancelled with no edit, and keeps nothing.
   */
  async minimize(params: MinimizeParams, token?: CancellationToken): Promise<MinimizeAnswer> {
    const document = this.store.get(params.uri);
    if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.uri} is not open.`);
    if (!isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, 'Slimfile: Minimize works on Dockerfiles.');
    if (isTooLarge(document)) throw new ResponseError(ErrorCodes.InvalidRequest, messages.documentTooLarge(document.getText().length, MAX_DOCUMENT_CHARS));
    const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, 'Slimfile: Minimize cancelled.');
    const session = await this.analyse(document);
    if (token?.isCancellationRequested) throw cancelled();
    const result = await session.minimizedCancellable(token ?? { isCancellationRequested: false }).catch((error: unknown) => {
      throw error instanceof MinimizeCancelled ? cancelled() : error;
    });
    // The edit names the version whose text it was computed from.
    const version = session.version as number;
    const edits = diffAsEdit(session.text, result.text);
    const sizes = await this.estimate(session).catch((error: unknown) => {
      this.connection.console.error(`Slimfile could not estimate ${document.uri}: ${(error as Error).stack ?? String(error)}`);
      return undefined;
    });
    return {
      edit: edits.length > 0 ? { documentChanges: [{ textDocument: { uri: document.uri, version }, edits }] } : undefined,
      applied: result.applied,
      remaining: result.remaining,
      version,
      text: result.text,
      bytesBefore: sizes?.now.bytes,
      bytesAfter: sizes?.minimized?.bytes ?? sizes?.now.bytes,
      saving: savingText(sizes?.now.bytes, sizes?.minimized?.bytes ?? sizes?.now.bytes),
    };
  }

  /** An open Dockerfile saved on disk, as a build needs it: its path, build context, engine and open text. */
  async buildTarget(uri: string): Promise<BuildTarget> {
    const document = this.store.get(uri);
    if (!document || !isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${uri} is not an open Dockerfile; open it in the editor to build it.`);
    if (!uri.startsWith('file:')) throw new ResponseError(ErrorCodes.InvalidParams, 'Slimfile: save the Dockerfile to disk to build it: the build context is its folder.');
    const dockerfilePath = URI.parse(uri).fsPath;
    const session = await this.analyse(document);
    // The editor's text is what the user sees and what the estimate is of; unsaved edits travel in
    // the context tar and the file on disk is not touched.
    const onDisk = await fs.readFile(dockerfilePath, 'utf8').catch(() => undefined);
    return {
      dockerfilePath,
      contextDir: session.project.contextDir ?? path.dirname(dockerfilePath),
      host: session.settings.dockerHost,
      ...(session.text === onDisk ? {} : { dockerfileText: session.text }),
      estimate: async () => (await this.settledEstimate(document, session))?.now.bytes,
    };
  }

  /** Minimize's text and both estimates for an open Dockerfile; undefined when nothing is safe to change. */
  async minimizedTarget(uri: string): Promise<MinimizedTarget | undefined> {
    const answer = await this.minimize({ uri });
    if (!answer.edit) return undefined;
    const document = this.store.get(uri) as TextDocument;
    const session = await this.analyse(document);
    return {
      text: answer.text,
      applied: answer.applied,
      estimates: async () => {
        const pair = session.version === answer.version ? await this.settledEstimate(document, session) : undefined;
        return { original: pair?.now.bytes, minimized: pair?.minimized?.bytes ?? pair?.now.bytes };
      },
    };
  }

  /**
   * The estimate of the session's version once the size lookups it starts have answered (a build
   * shows it beside the real size); none when the text was edited during the build, since it
   * would not be the estimate of what was built.
   */
  private async settledEstimate(document: TextDocument, session: DocumentSession<Settings>): Promise<EstimatePair | undefined> {
    try {
      if (document.version !== session.version) return undefined;
      await this.estimate(session);
      await this.images.settled();
      if (document.version !== session.version) return undefined;
      return await this.estimate(session);
    } catch (error) {
      this.connection.console.error(`Slimfile could not estimate ${document.uri}: ${(error as Error).stack ?? String(error)}`);
      return undefined;
    }
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
  const { documents } = server.store;
  connection.onInitialize(server.initialize.bind(server));
  connection.onInitialized(server.initialized.bind(server));
  connection.onCodeAction(guard(connection, 'code actions', server.codeAction.bind(server)));
  connection.onCodeActionResolve(guard(connection, 'code action', server.resolveCodeAction.bind(server)));
  connection.onHover(guard(connection, 'hover', server.hover.bind(server)));
  connection.onCodeLens(guard(connection, 'code lenses', server.codeLens.bind(server)));
  connection.onCodeLensResolve(guard(connection, 'code lens', server.resolveCodeLens.bind(server)));
  connection.onRequest(ESTIMATE_REQUEST, guard(connection, 'estimate', server.estimateRequest.bind(server)));
  connection.onRequest(MINIMIZE_REQUEST, guard(connection, 'minimize', server.minimize.bind(server)));
  // Not onExecuteCommand: it takes the client's workDoneToken out of the params.
  connection.onRequest(ExecuteCommandRequest.type, guard(connection, 'command', server.builds.execute.bind(server.builds)));
  connection.onDidChangeConfiguration(() => server.revalidateAll());
  connection.onNotification(TRUST_NOTIFICATION, (params: { trusted: boolean; offline?: boolean }) => server.setTrust(params));
  connection.onDidChangeWatchedFiles(server.watchedFilesChanged.bind(server));
  documents.onDidOpen((e) => server.opened(e.document));
  documents.onDidChangeContent((e) => server.scheduleValidation(e.document));
  documents.onDidClose((e) => server.closed(e.document.uri));
  documents.listen(connection);
  connection.listen();
  return server;
}
