// The open documents and what the server knows of them: one DocumentSession per Dockerfile
// version, settings per document, project facts per build context, and sizes from image lookups
// and measured builds. Validation runs here; the request handlers ask it for sessions.
import { FileChangeType, type Connection, type DidChangeWatchedFilesParams, type WorkDoneProgressReporter } from './lsp';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import * as os from 'node:os';
import { DocumentStore, isDockerfile, isTooLarge, manifestDocumentOf, MAX_DOCUMENT_CHARS } from './documents';
import { messages } from './analysis/messages';
import type { DockerfileModel, Stage } from './analysis/model';
import { measuredBuilds, parseDockerfile } from './analysis';
import { debianCodename } from './analysis/estimate/estimate';
import { ImageKnowledge } from './images/knowledge';
import { engineFor } from './images/localEngine';
import { RegistryClient } from './images/registry';
import { PackageKnowledge, type Learned } from './images/packageKnowledge';
import { aptMirrors, DebianPackageIndexes, packageCacheDir } from './images/packageIndex';
import { AlpinePackageIndexes } from './images/alpineIndex';
import { AlpinePackageKnowledge } from './images/alpineKnowledge';
import { BuildMeasurer } from './workspace/measuredBuilds';
import { ProjectCache } from './workspace/projects';
import { baseFactsOf } from './analysis/runtime';
import type { EstimatePair, SizeKnowledge } from './analysis/estimate/estimate';
import { emptyProject, type ProjectFacts } from './analysis/project';
import type { ImageReference } from './analysis/imageRef';
import { Settings, DEFAULTS } from './settings';
import { DocumentSession } from './session';
import { toDiagnostic } from './handlers/diagnostics';
import { budgetFindings } from './handlers/budget';

/** Minimize re-analyses after each fix; past this it stops and says so (a few KB take ~50 ms a round). */
const MINIMIZE_BUDGET_MS = 3_000;

/** How long an estimate waits for image lookups under way: the local engine answers in milliseconds, a registry may not. */
const LOOKUP_WAIT_MS = 1_500;

function registryCacheDir(): string {
  return path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'slimfile', 'registry');
}

/** An open Dockerfile's version as the server knows it. */
interface Open {
  readonly session: DocumentSession<Settings>;
  /** A size budget applies: its warning is refreshed when sizes are learned. */
  hasBudget?: boolean;
}

/** What the client said at initialize that the sessions depend on. */
export interface ClientFacts {
  readonly workspaceRoots: readonly string[];
  readonly canAskConfiguration: boolean;
  readonly canRefreshLenses: boolean;
  /** initializationOptions.settings, for clients that cannot be asked (workspace/configuration). */
  readonly initSettings: unknown;
  readonly trusted: boolean;
  readonly offline: boolean;
}

export class Sessions {
  readonly store = new DocumentStore();
  private readonly projects = new ProjectCache();
  /** One session per open Dockerfile, for its newest analysed version. */
  private readonly sessions = new Map<string, Open>();
  /** Documents being validated now, and those changed meanwhile (validated once more after). */
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Settings per document, read once and dropped when the client says the configuration changed. */
  private readonly settingsByUri = new Map<string, Promise<Settings>>();
  private trusted = false;
  private readonly measurer = new BuildMeasurer(() => this.sizesLearned());
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
  private packageIndexes: DebianPackageIndexes | undefined;
  readonly packages = new PackageKnowledge(
    {
      engine: () => engineFor(this.trusted ? {} : { host: process.env['DOCKER_HOST']?.trim() || 'unix:///var/run/docker.sock' }),
      // Offline: answered from the disk cache, however old, or not at all.
      indexes: () => (this.packageIndexes ??= new DebianPackageIndexes({ cacheDir: packageCacheDir(), offline: this.offline, ...aptMirrors() })),
    },
    (what) => this.packagesLearned(what),
  );
  private alpineIndexes: AlpinePackageIndexes | undefined;
  readonly alpinePackages = new AlpinePackageKnowledge(
    {
      engine: () => engineFor(this.trusted ? {} : { host: process.env['DOCKER_HOST']?.trim() || 'unix:///var/run/docker.sock' }),
      indexes: () => (this.alpineIndexes ??= new AlpinePackageIndexes({ cacheDir: packageCacheDir(), offline: this.offline, mirror: process.env['SLIMFILE_ALPINE_MIRROR'] || undefined })),
    },
    () => this.sizesLearned(),
  );
  /** Problems already told to the user (a note per build context, a too-large file per uri). */
  private readonly said = new Set<string>();
  private workspaceRoots: readonly string[] = [];
  private canAskConfiguration = false;
  private canRefreshLenses = false;
  private offline = false;
  private initSettings: unknown = undefined;
  private sentFirstDiagnostics: () => void = () => undefined;
  /** Settles when the first Dockerfile's diagnostics have been sent (main.ts hands it to the loader). */
  readonly firstDiagnostics = new Promise<void>((resolve) => (this.sentFirstDiagnostics = resolve));

  constructor(private readonly connection: Connection) {}

  configure(client: ClientFacts): void {
    this.workspaceRoots = client.workspaceRoots;
    this.canAskConfiguration = client.canAskConfiguration;
    this.canRefreshLenses = client.canRefreshLenses;
    this.initSettings = client.initSettings;
    this.trusted = client.trusted;
    this.offline = client.offline;
  }

  /** The workspace is trusted: credentials may be read, builds run, binaries measured. */
  isTrusted(): boolean {
    return this.trusted;
  }

  /** Progress under the client's token (the client shows it and cancels the request to stop). */
  progress(token: string | number): WorkDoneProgressReporter {
    return this.connection.window.attachWorkDoneProgress(token);
  }

  /** A failure the user should be able to read about (the server's log). */
  logError(what: string, error: unknown): void {
    this.connection.console.error(`Slimfile could not ${what}: ${(error as Error).stack ?? String(error)}`);
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
    const project = await this.projects.get(context, settings.loadLimits, (file) => this.openText(file));
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
  openText(file: string): string | undefined {
    return this.store.documents.all().find((d) => d.uri.startsWith('file:') && URI.parse(d.uri).fsPath === file)?.getText();
  }

  /**
   * The session of the document's current version: made at most once per version and settings.
   * The text and version are read together before anything is awaited, so a session never mixes
   * two versions.
   */
  async session(document: TextDocument): Promise<DocumentSession<Settings>> {
    const cached = this.sessions.get(document.uri)?.session;
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const version = document.version;
    const asked = this.settingsFor(document.uri);
    // Parsed while the client answers workspace/configuration: the parse needs neither the settings
    // nor the build context, and a server's first Dockerfile otherwise waits for both idle.
    this.store.model(document);
    const settings = await asked;
    const analysable = !this.skipsTooLarge(document);
    const project = analysable ? await this.projectFor(document, settings) : emptyProject();
    const session = new DocumentSession({
      text,
      version,
      project,
      // The release indexes loaded so far: with one, the --no-install-recommends fix knows what it
      // drops and is safe, as with the CLI's --package-index. Asking starts a load in the
      // background; the analysis never waits for it.
      settings: { ...settings, packageIndexes: this.packages.indexes },
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
    const validate = manifestDocumentOf(document) ? this.validateManifest : isDockerfile(document) ? this.validate : undefined;
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
      const session = await this.session(document);
      const current = (): boolean => this.store.get(uri)?.version === session.version;
      if (!current()) return;
      const budget = session.enabled ? await budgetFindings(session.text, session.settings.sizeBudget, () => this.estimate(session)) : { findings: [], hasBudget: false };
      if (!current()) return;
      const open = this.sessions.get(uri);
      if (open?.session === session) open.hasBudget = budget.hasBudget;
      const diagnostics = [...budget.findings, ...session.findings].map((f) => toDiagnostic(f, uri, session.project.contextDir));
      await this.connection.sendDiagnostics({ uri, version: session.version, diagnostics });
      this.sentFirstDiagnostics();
    } catch (error) {
      this.logError(`analyse ${uri}`, error);
    }
  }

  /** A language manifest's own diagnostics (go.mod's); an edit also refreshes the Dockerfiles that build with it. */
  async validateManifest(uri: string): Promise<void> {
    const document = this.store.get(uri);
    const manifest = document && manifestDocumentOf(document);
    if (!document || !manifest) return;
    try {
      const settings = await this.settingsFor(uri);
      const findings = settings.enable ? manifest.findings(document.getText(), settings.rules) : [];
      await this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: findings.map((f) => toDiagnostic(f, uri, undefined)) });
      if (uri.startsWith('file:') && this.projects.changed([{ path: URI.parse(uri).fsPath, kind: 'changed' }])) {
        for (const d of this.store.documents.all()) {
          if (!isDockerfile(d)) continue;
          this.sessions.delete(d.uri);
          this.scheduleValidation(d);
        }
      }
    } catch (error) {
      this.logError(`read ${uri}`, error);
    }
  }

  /** What the estimate knows about sizes: images from the catalog/engine, builds measured here (the languages' models size the rest). */
  sizeKnowledge(): SizeKnowledge {
    return {
      baseImage: (ref) => this.images.size(ref),
      measuredBuild: (project, key) => (project.contextDir ? this.measurer.known(project.contextDir, key) : undefined),
      debianPackages: (ref, codename) => this.packages.facts(ref, codename),
      alpinePackages: (ref, branch) => this.alpinePackages.facts(ref, branch),
    };
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

  /** Waits a little for the package loads under way (never long): a hover on a package name. */
  async packagesLoaded(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([this.packages.settled(), this.alpinePackages.settled()]), new Promise<void>((resolve) => (timer = setTimeout(resolve, LOOKUP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Why a stage's Debian or Alpine index could not be had, for the hover. */
  packageProblem(model: DockerfileModel, stage: Stage): string | undefined {
    const codename = debianCodename(model, stage);
    const facts = baseFactsOf(model, stage);
    return codename ? this.packages.problem(codename) : facts.os === 'alpine' && facts.release ? this.alpinePackages.problem(facts.release) : undefined;
  }

  /** Starts the lookups of base images and waits a little for them (never long). */
  private async lookUp(references: readonly ImageReference[]): Promise<void> {
    for (const reference of references) this.images.size(reference);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.images.settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, LOOKUP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Trusted workspaces only: the builds the languages ask to measure (go builds) refine the sizes, in the background. */
  private measureBinaries(session: DocumentSession<Settings>): void {
    const { project, model } = session;
    if (!this.trusted || !project.contextDir) return;
    const contextDir = project.contextDir;
    for (const build of measuredBuilds(model, project)) void this.measurer.measure(contextDir, build);
  }

  /**
   * A package load ended. A release's index changes findings (the --no-install-recommends fix
   * becomes safe), so every open Dockerfile is analysed again; a base's packages change sizes only.
   */
  private packagesLearned(what: Learned): void {
    if (what === 'index') {
      this.sessions.clear();
      for (const document of this.store.documents.all()) this.scheduleValidation(document);
    }
    this.sizesLearned();
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

  /** The client granted workspace trust (or the user changed slimfile.offline). */
  setTrust(params: { trusted: boolean; offline?: boolean }): void {
    this.trusted = params.trusted;
    if (params.offline !== undefined) this.offline = params.offline;
    this.registryClient = undefined;
    // Made again with the new offline mode on its next use.
    this.packageIndexes = undefined;
    this.packages.retryFailed();
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
    const kind = (type: FileChangeType): 'created' | 'changed' | 'deleted' => (type === FileChangeType.Created ? 'created' : type === FileChangeType.Deleted ? 'deleted' : 'changed');
    const changes = params.changes.filter((c) => c.uri.startsWith('file:')).map((c) => ({ path: URI.parse(c.uri).fsPath, kind: kind(c.type) }));
    // A saved source is read again alone; the Dockerfiles are analysed again with what it changed.
    if (this.projects.changed(changes)) this.revalidateAll();
  }


  /**
   * The estimate of the session's version once the size lookups it starts have answered (a build
   * shows it beside the real size); none when the text was edited during the build, since it
   * would not be the estimate of what was built.
   */
  async settledEstimate(document: TextDocument, session: DocumentSession<Settings>): Promise<EstimatePair | undefined> {
    try {
      if (document.version !== session.version) return undefined;
      await this.estimate(session);
      await this.images.settled();
      if (document.version !== session.version) return undefined;
      return await this.estimate(session);
    } catch (error) {
      this.logError(`estimate ${document.uri}`, error);
      return undefined;
    }
  }
}
