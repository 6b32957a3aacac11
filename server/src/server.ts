// The language server: connection, capabilities, and one-line wiring of handlers.
import {
  createConnection,
  TextDocumentSyncKind,
  CodeActionKind,
  ResponseError,
  ErrorCodes,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ExecuteCommandRequest,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type CodeActionParams,
  type CodeAction,
  type DidChangeWatchedFilesParams,
  type CancellationToken,
  LSPErrorCodes,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { DocumentStore, isDockerfile, isGoMod, isTooLarge, MAX_DOCUMENT_CHARS } from './documents';
import { messages } from './analysis/messages';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { parseGoMod } from './analysis/gomod';
import { analyzeGoMod } from './analysis/gomodFindings';
import { goDirectiveHover } from './analysis/gomodHover';
import { parseDockerfile, type DockerfileModel } from './analysis/model';
import { findDockerfiles } from './workspace/dockerfiles';
import type { Hover, HoverParams, CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { ImageKnowledge } from './images/knowledge';
import { GoBuildMeasurer } from './workspace/goBuildMeasure';
import { deliveredBinaries, stageOf } from './analysis/runtime';
import { builderGo } from './analysis/builderGo';
import { RegistryClient } from './images/registry';
import { TRUST_NOTIFICATION } from './protocol';
import * as os from 'node:os';

function registryCacheDir(): string {
  return path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'slimfile', 'registry');
}
import { engineFor } from './images/localEngine';
import { estimateNowAndMinimized, type EstimatePair, type SizeKnowledge } from './analysis/estimate/estimate';
import { modelSizeKnowledge } from './analysis/estimate/goBinary';
import { baseImageHover, savingText, sizeLenses, stageAtBase } from './analysis/estimate/present';
import { BUDGET_RULE, budgetDirective, budgetFinding } from './analysis/estimate/budget';
import type { Range } from 'vscode-languageserver-types';
import { BuildCommands, BUILD_COMMANDS, type BuildTarget, type MinimizedTarget } from './handlers/builds';
import type { InitializationOptions } from './protocol';
import { ESTIMATE_REQUEST, type EstimateAnswer, type EstimateParams } from './protocol';
import { ProjectCache } from './workspace/projects';
import { Settings, DEFAULTS } from './settings';
import { analyze } from './analysis/analyze';
import type { Finding } from './analysis/findings';
import { emptyProject, type ProjectFacts } from './analysis/project';
import { minimize, type MinimizeResult } from './analysis/fixes/minimize';
import { diffAsEdit } from './analysis/fixes/apply';
import { upxActions, upxHover } from './analysis/fixes/upx';
import { toDiagnostic } from './handlers/diagnostics';
import { codeActions, resolvedFixAll, FIX_ALL_KIND, type FixAll, type FixAllData } from './handlers/codeActions';
import { MINIMIZE_REQUEST, type MinimizeParams, type MinimizeAnswer } from './protocol';

/** Minimize re-analyses after each fix; past this it stops and says so (a few KB take ~50 ms a round). */
const MINIMIZE_BUDGET_MS = 3_000;

/** How long an estimate waits for image lookups under way: the local engine answers in milliseconds, a registry may not. */
const LOOKUP_WAIT_MS = 1_500;

interface Analysed {
  readonly version: number;
  readonly findings: readonly Finding[];
  readonly project: ProjectFacts;
  readonly settings: Settings;
  /** Computed on first use (lens, hover, Minimize), then kept for this version. */
  estimate?: EstimatePair;
  /** Minimize's result for this version: fix-all, the lens estimate and Minimize share one run. */
  minimized?: MinimizedText;
  /** A size budget applies: its warning is refreshed when sizes are learned. */
  hasBudget?: boolean;
}

/** What is kept of a Minimize run: its parse is handed to the estimate once, not kept. */
type MinimizedText = Pick<MinimizeResult, 'text' | 'applied' | 'remaining'> & { readonly model?: MinimizeResult['model'] };

interface LensData {
  readonly uri: string;
  readonly version: number;
  readonly index: number;
}

export class SlimfileServer {
  readonly store = new DocumentStore();
  private readonly projects = new ProjectCache();
  private readonly analysed = new Map<string, Analysed>();
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
        watchers: [{ globPattern: '**/*.go' }, { globPattern: '**/go.{mod,sum}' }, { globPattern: '**/.dockerignore' }],
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

  /** Findings for the document's current version, computed at most once per version and settings. */
  async analyse(document: TextDocument): Promise<Analysed> {
    const cached = this.analysed.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const settings = await this.settingsFor(document.uri);
    if (this.skipsTooLarge(document)) return { version: document.version, findings: [], project: emptyProject(), settings };
    const project = await this.projectFor(document, settings);
    const findings = settings.enable ? analyze(this.store.model(document), project, settings) : [];
    const result = { version: document.version, findings, project, settings };
    // The text may have moved on while we awaited; only the current version is kept.
    if (this.store.get(document.uri)?.version === document.version) this.analysed.set(document.uri, result);
    return result;
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
      const result = await this.analyse(document);
      if (this.store.get(uri)?.version !== result.version) return;
      const budget = await this.budgetFindings(document, result);
      if (this.store.get(uri)?.version !== result.version) return;
      const diagnostics = [...budget, ...result.findings].map((f) => toDiagnostic(f, uri, result.project.contextDir));
      await this.connection.sendDiagnostics({ uri, version: result.version, diagnostics });
    } catch (error) {
      this.connection.console.error(`Slimfile could not analyse ${uri}: ${(error as Error).stack ?? String(error)}`);
    }
  }

  /**
   * The size budget's warning: the file's `# slimfile: max-size=` comment, else
   * `slimfile.sizeBudget`, against the estimate. Nothing while a base size is still unknown.
   */
  private async budgetFindings(document: TextDocument, result: Analysed): Promise<Finding[]> {
    if (!result.settings.enable) return [];
    const text = document.getText();
    const directive = budgetDirective(text);
    const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: text.split(/\r?\n/)[line]?.length ?? 0 } });
    if (directive?.problem) return [{ rule: BUDGET_RULE, severity: 'warning', message: `The size budget is not read: ${directive.problem}.`, range: lineRange(directive.line), related: [], fixes: [] }];
    const bytes = directive?.bytes ?? result.settings.sizeBudget;
    if (bytes === undefined) return [];
    result.hasBudget = true;
    const pair = await this.estimate(document);
    const finding = budgetFinding(pair.now, pair.minimized, bytes, lineRange(directive?.line ?? 0));
    return finding ? [finding] : [];
  }

  /** go.mod's own diagnostics; an edit also refreshes the Dockerfiles that build this module. */
  async validateGoMod(uri: string): Promise<void> {
    const document = this.store.get(uri);
    if (!document) return;
    try {
      const settings = await this.settingsFor(uri);
      const findings = settings.enable ? analyzeGoMod(parseGoMod(document.getText()), settings.rules) : [];
      await this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: findings.map((f) => toDiagnostic(f, uri, undefined)) });
      if (uri.startsWith('file:') && this.projects.changed([{ path: URI.parse(uri).fsPath, kind: 'changed' }])) {
        for (const d of this.store.documents.all()) {
          if (!isDockerfile(d)) continue;
          this.analysed.delete(d.uri);
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
      const goMod = parseGoMod(document.getText());
      if (goMod.goRange?.start.line !== params.position.line || !document.uri.startsWith('file:')) return null;
      const dir = path.dirname(URI.parse(document.uri).fsPath);
      const files = await findDockerfiles(dir);
      const dockerfiles = [];
      for (const file of files) {
        const text = this.openText(file) ?? (await fs.readFile(file, 'utf8').catch(() => undefined));
        if (text !== undefined) dockerfiles.push({ path: path.relative(dir, file), model: parseDockerfile(text) });
      }
      return goDirectiveHover(goMod, params.position.line, dockerfiles) ?? null;
    }
    if (!isDockerfile(document)) return null;
    const version = document.version;
    const model = this.store.model(document);
    const packing = upxHover(model, params.position);
    if (packing) return packing;
    const stage = stageAtBase(model, params.position);
    if (!stage) return null;
    const { project, settings } = await this.analyse(document);
    // The final stage's hover shows the whole image: the very estimate the lens shows.
    const estimate = stage.index === model.finalStage?.index ? await this.estimate(document) : undefined;
    // The text moved on while the estimate was made: this hover would describe a text that is gone.
    if (document.version !== version) return null;
    const sizes = this.sizeKnowledge();
    return (
      baseImageHover(
        model,
        params.position,
        project,
        { size: (ref) => this.images.size(ref), details: (ref) => this.images.details(ref), binary: (build, s) => sizes.binary(build, project, builderGo(model, s)) },
        estimate,
        settings.runtime,
      ) ?? null
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
   * The estimate of the document's version, now and after Minimize: the one figure the lens, the
   * hover, Minimize's answer and the estimate request show. Computed once per version (and again
   * when a lookup learns a size), after the image lookups it starts have answered or
   * LOOKUP_WAIT_MS passed: editors refresh a lens only while its editor has focus, so a first
   * figure made from the catalog could stay on screen after the engine answered.
   */
  async estimate(document: TextDocument): Promise<EstimatePair> {
    const result = await this.analyse(document);
    if (!result.estimate) {
      this.measureBinaries(document, result.project);
      const model = this.store.model(document);
      const minimized = this.minimized(document, result);
      await this.imagesOf([model, ...(minimized.model ? [minimized.model] : [])]);
      result.estimate ??= estimateNowAndMinimized(model, result.project, this.sizeKnowledge(), () => (minimized.model ? { text: minimized.text, model: minimized.model } : minimized.text));
    }
    return result.estimate;
  }

  /** Starts the lookups of the models' base images and waits a little for them (never long). */
  private async imagesOf(models: readonly DockerfileModel[]): Promise<void> {
    for (const model of models) for (const stage of model.stages) if (stage.base.reference) this.images.size(stage.base.reference);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.images.settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, LOOKUP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /**
   * Minimize on the document's text, run at most once per analysed version. The version's parse
   * and findings are its first round (findings are only there when analysis is enabled).
   */
  private minimized(document: TextDocument, result: Analysed): MinimizedText {
    if (result.minimized && document.version === result.version) return result.minimized;
    const text = document.getText();
    if (isTooLarge(document)) return { text, applied: [], remaining: [] };
    const deadline = performance.now() + MINIMIZE_BUDGET_MS;
    const budget = { shouldStop: () => performance.now() > deadline };
    if (document.version !== result.version) return minimize(text, result.project, result.settings, undefined, budget);
    const start = result.settings.enable ? { model: this.store.model(document), findings: result.findings } : undefined;
    const minimized = minimize(text, result.project, result.settings, start, budget);
    result.minimized = { text: minimized.text, applied: minimized.applied, remaining: minimized.remaining };
    return minimized;
  }

  /** Trusted workspaces only: real go builds refine the binary sizes, in the background. */
  private measureBinaries(document: TextDocument, project: ProjectFacts): void {
    if (!this.trusted || !project.contextDir || !project.hasGoSources) return;
    const contextDir = project.contextDir;
    const model = this.store.model(document);
    for (const { build } of deliveredBinaries(model, project)) void this.measurer.measure({ contextDir, build, go: builderGo(model, stageOf(model, build)) });
  }

  /** A background lookup learned a size: estimates are recomputed and lenses refreshed. */
  private sizesLearned(): void {
    for (const a of this.analysed.values()) a.estimate = undefined;
    // A budget's warning depends on the estimate: it is checked again with what was learned.
    for (const [uri, a] of this.analysed) {
      const document = a.hasBudget ? this.store.get(uri) : undefined;
      if (document) this.scheduleValidation(document);
    }
    if (this.canRefreshLenses) void this.connection.sendRequest('workspace/codeLens/refresh');
  }

  async codeLens(params: CodeLensParams): Promise<CodeLens[]> {
    const document = this.store.get(params.textDocument.uri);
    if (!document || !isDockerfile(document)) return [];
    const settings = await this.settingsFor(document.uri);
    if (!settings.enable || !settings.codeLens) return [];
    const model = this.store.model(document);
    // Ranges only; titles are computed in resolve, so listing lenses never waits on the estimate.
    const ranges = [{ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ...model.stages.map((s) => s.fromRange)];
    if (model.stages.length === 0) return [];
    return ranges.map((range, index): CodeLens => ({ range, data: { uri: document.uri, version: document.version, index } satisfies LensData }));
  }

  async resolveCodeLens(lens: CodeLens): Promise<CodeLens> {
    const data = lens.data as LensData;
    const document = this.store.get(data.uri);
    if (!document || document.version !== data.version) return { ...lens, command: { title: 'Image size: …', command: '' } };
    const pair = await this.estimate(document);
    const resolved = sizeLenses(this.store.model(document), pair.now, pair.minimized)[data.index];
    if (!resolved) return { ...lens, command: { title: '', command: '' } };
    return {
      ...lens,
      command: resolved.minimize && pair.minimized ? { title: resolved.title, command: 'slimfile.minimize', arguments: [document.uri] } : { title: resolved.title, command: '' },
    };
  }

  async estimateRequest(params: EstimateParams): Promise<EstimateAnswer> {
    const document = this.store.get(params.uri);
    if (!document || !isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.uri} is not an open Dockerfile.`);
    const { now, minimized } = await this.estimate(document);
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
    this.analysed.clear();
    this.settingsByUri.clear();
    for (const document of this.store.documents.all()) this.scheduleValidation(document);
  }

  /** An open replaces whatever was known under this uri, even at the same version (a re-open without close). */
  opened(document: TextDocument): void {
    this.analysed.delete(document.uri);
    this.store.forget(document.uri);
    this.scheduleValidation(document);
  }

  closed(uri: string): void {
    this.said.delete(`too-large\0${uri}`);
    this.dirty.delete(uri);
    this.settingsByUri.delete(uri);
    this.analysed.delete(uri);
    this.store.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    const kind = (type: FileChangeType): 'created' | 'changed' | 'deleted' => (type === FileChangeType.Created ? 'created' : type === FileChangeType.Deleted ? 'deleted' : 'changed');
    const changes = params.changes.filter((c) => c.uri.startsWith('file:')).map((c) => ({ path: URI.parse(c.uri).fsPath, kind: kind(c.type) }));
    // A saved source is read again alone; the Dockerfiles are analysed again with what it changed.
    if (this.projects.changed(changes)) this.revalidateAll();
  }

  async codeAction(params: CodeActionParams, token?: CancellationToken): Promise<CodeAction[]> {
    const document = this.store.get(params.textDocument.uri);
    if (!document || !isDockerfile(document) || isTooLarge(document)) return [];
    const result = await this.analyse(document);
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Slimfile: code actions cancelled.');
    const uri = document.uri;
    // The text moved on while it was analysed: the findings and any edit would name a version that is gone.
    if (document.version !== result.version) return [];
    const text = document.getText();
    const fixAll: FixAll = this.canResolveEdits
      ? { resolveLater: { uri, version: result.version } }
      : { edits: () => diffAsEdit(text, this.minimized(document, result).text) };
    return codeActions(params, result.version, result.project.contextDir, result.findings, (f) => toDiagnostic(f, uri, result.project.contextDir), fixAll, () =>
      upxActions(this.store.model(document), result.project, params.range),
    );
  }

  /** Fills in the fix-all edit (Minimize) when the user picks the action, for the version it was offered on. */
  async resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    const data = action.data as FixAllData | undefined;
    if (action.kind !== FIX_ALL_KIND || !data) return action;
    const document = this.store.get(data.uri);
    // A newer text: the action was offered for a version that is gone; it stays without an edit.
    if (!document || document.version !== data.version || isTooLarge(document)) return action;
    const text = document.getText();
    const result = await this.analyse(document);
    if (document.version !== data.version) return action;
    return resolvedFixAll(action, data, diffAsEdit(text, this.minimized(document, result).text));
  }

  async minimize(params: MinimizeParams, token?: CancellationToken): Promise<MinimizeAnswer> {
    const document = this.store.get(params.uri);
    if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.uri} is not open.`);
    if (!isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, 'Slimfile: Minimize works on Dockerfiles.');
    if (isTooLarge(document)) throw new ResponseError(ErrorCodes.InvalidRequest, messages.documentTooLarge(document.getText().length, MAX_DOCUMENT_CHARS));
    const analysed = await this.analyse(document);
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Slimfile: Minimize cancelled.');
    // The text and its version are read together: the edit names the version it was computed for.
    const text = document.getText();
    const version = document.version;
    const result = this.minimized(document, analysed);
    const edits = diffAsEdit(text, result.text);
    const sizes = await this.estimate(document).catch((error: unknown) => {
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
    const { project, settings } = await this.analyse(document);
    // The editor's text is what the user sees and what the estimate is of; unsaved edits travel in
    // the context tar and the file on disk is not touched.
    const text = document.getText();
    const version = document.version;
    const onDisk = await fs.readFile(dockerfilePath, 'utf8').catch(() => undefined);
    return {
      dockerfilePath,
      contextDir: project.contextDir ?? path.dirname(dockerfilePath),
      host: settings.dockerHost,
      ...(text === onDisk ? {} : { dockerfileText: text }),
      estimate: async () => (await this.settledEstimate(document, version))?.now.bytes,
    };
  }

  /** Minimize's text and both estimates for an open Dockerfile; undefined when nothing is safe to change. */
  async minimizedTarget(uri: string): Promise<MinimizedTarget | undefined> {
    const answer = await this.minimize({ uri });
    if (!answer.edit) return undefined;
    const document = this.store.get(uri) as TextDocument;
    const version = answer.version;
    return {
      text: answer.text,
      applied: answer.applied,
      estimates: async () => {
        const pair = await this.settledEstimate(document, version);
        return { original: pair?.now.bytes, minimized: pair?.minimized?.bytes ?? pair?.now.bytes };
      },
    };
  }

  /**
   * The estimate of `version` once the size lookups it starts have answered (a build shows it beside
   * the real size); none when the text was edited during the build, since it would not be the
   * estimate of what was built.
   */
  private async settledEstimate(document: TextDocument, version: number): Promise<EstimatePair | undefined> {
    try {
      if (document.version !== version) return undefined;
      await this.estimate(document);
      await this.images.settled();
      if (document.version !== version) return undefined;
      return await this.estimate(document);
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
