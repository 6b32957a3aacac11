// One version of a Dockerfile and what Slimfile derives from it: the parse, the findings,
// Minimize's result and the size estimate, each computed on first use and then kept. The server
// keeps one per open document version; the CLI and the bench make one per file they read.
import type { AnalysisSettings } from './analysis/analyze';
import { analyze } from './analysis/analyze';
import type { Finding } from './analysis/findings';
import type { DockerfileModel } from './analysis/model';
import { parseDockerfile, minimizeSteps } from './analysis';
import { AnalysisContext } from './analysis/context';
import type { ProjectFacts } from './analysis/project';
import type { ImageReference } from './analysis/imageRef';
import type { MinimizeResult } from './analysis/fixes/minimize';
import { estimateNowAndMinimized, type EstimatePair, type SizeKnowledge } from './analysis/estimate/estimate';

export interface SessionInput<S extends AnalysisSettings = AnalysisSettings> {
  readonly text: string;
  /** The editor's version of the text; the CLI and the bench have one version only. */
  readonly version?: number;
  readonly project: ProjectFacts;
  readonly settings: S;
  /** false: the rules are not run (slimfile.enable off), and Minimize starts from the text alone. */
  readonly enabled?: boolean;
  /**
   * false: the text is not analysed at all (too large to parse in the editor's time): no findings,
   * and Minimize changes nothing.
   */
  readonly analysable?: boolean;
  /** The parse of `text` when the caller keeps one (the server's document store); else parsed here. */
  readonly model?: () => DockerfileModel;
  /** The last version's analysis context, when the caller parses nothing itself: text-keyed work (split RUN scripts) carries over. */
  readonly previousContext?: AnalysisContext;
  /** analyze(model, project, settings) when the caller has it already (the bench times parts alone). */
  readonly findings?: readonly Finding[];
  /** Minimize stops after this long, with the fixes applied so far (each leaves a whole file). */
  readonly minimizeBudgetMs?: number;
}

/** A Minimize that was cancelled: nothing of its run is kept or returned. */
export class MinimizeCancelled extends Error {
  constructor() {
    super('Slimfile: Minimize was cancelled.');
  }
}

/** Whether the caller still wants the answer (an LSP CancellationToken, or an AbortSignal's view). */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

/** What is kept of a Minimize run: its parse is kept only until the estimate has read it. */
type Minimized = Pick<MinimizeResult, 'text' | 'applied' | 'remaining'> & { model?: DockerfileModel };

export class DocumentSession<S extends AnalysisSettings = AnalysisSettings> {
  readonly text: string;
  readonly version: number | undefined;
  readonly project: ProjectFacts;
  readonly settings: S;
  /**
   * The version's analysis context (analysis/context.ts) holds its derived facts, which replaced
   * the analysis's module-level caches, for exactly as long as the session: it is the model's,
   * made here from the last version's (or by the caller's document store, which does the same).
   * analyze and the estimate read it from the model; Minimize is handed it.
   */
  get context(): AnalysisContext {
    return this.model.context;
  }
  private parsed: DockerfileModel | undefined;
  private analysed: readonly Finding[] | undefined;
  private minimizedResult: Minimized | undefined;
  private estimated: EstimatePair | undefined;

  constructor(private readonly input: SessionInput<S>) {
    this.text = input.text;
    this.version = input.version;
    this.project = input.project;
    this.settings = input.settings;
    this.analysed = input.findings;
  }

  get enabled(): boolean {
    return this.input.enabled !== false && this.input.analysable !== false;
  }

  get model(): DockerfileModel {
    this.parsed ??= this.input.model?.() ?? parseDockerfile(this.input.analysable === false ? '' : this.text, new AnalysisContext(this.input.previousContext));
    return this.parsed;
  }

  get findings(): readonly Finding[] {
    this.analysed ??= this.enabled ? analyze(this.model, this.project, this.settings) : [];
    return this.analysed;
  }

  /** Minimize's result for this version, run once (to the end or to the time budget). */
  minimized(): Minimized {
    if (this.minimizedResult) return this.minimizedResult;
    const steps = this.minimizeSteps();
    if (!steps) return this.keep(this.unchanged());
    const deadline = this.deadline();
    let step = steps.next();
    while (!step.done) step = steps.next(performance.now() > deadline);
    return this.keep(step.value);
  }

  /**
   * Minimize as a request runs it: between two fixes it lets the server read its messages, and
   * when `cancel` is set by then it stops and throws MinimizeCancelled, keeping nothing. `onFix`
   * hears the fixes applied so far (for progress).
   */
  async minimizedCancellable(cancel: Cancellation, onFix?: (applied: readonly string[]) => void): Promise<Minimized> {
    if (this.minimizedResult) return this.minimizedResult;
    const steps = this.minimizeSteps();
    if (!steps) return this.keep(this.unchanged());
    const deadline = this.deadline();
    let step = steps.next();
    while (!step.done) {
      onFix?.(step.value.applied);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (cancel.isCancellationRequested) throw new MinimizeCancelled();
      // Another caller finished a run meanwhile (a lens asked for the estimate): theirs is this version's.
      if (this.minimizedResult) return this.minimizedResult;
      step = steps.next(performance.now() > deadline);
    }
    return this.keep(step.value);
  }

  /** Base images the estimate asks about: of this text and of Minimize's (looked up beforehand). */
  baseImages(): ImageReference[] {
    const models = [this.model, this.minimized().model].filter((m): m is DockerfileModel => m !== undefined);
    return models.flatMap((m) => m.stages.flatMap((s) => (s.base.reference ? [s.base.reference] : [])));
  }

  /** The estimate now and after Minimize, from what `knowledge` knows; kept until forgetEstimate. */
  estimate(knowledge: SizeKnowledge): EstimatePair {
    if (this.estimated) return this.estimated;
    const minimized = this.minimized();
    this.estimated = estimateNowAndMinimized(this.model, this.project, knowledge, () => (minimized.model ? { text: minimized.text, model: minimized.model } : minimized.text));
    // The estimate was the last reader of Minimize's parse.
    minimized.model = undefined;
    return this.estimated;
  }

  /** A size was learned (an image lookup, a measured build): the next estimate is made again. */
  forgetEstimate(): void {
    this.estimated = undefined;
  }

  /** Whether the estimate is kept (else the server looks its images up before making it). */
  get hasEstimate(): boolean {
    return this.estimated !== undefined;
  }

  private minimizeSteps(): ReturnType<typeof minimizeSteps> | undefined {
    if (this.input.analysable === false) return undefined;
    // The version's parse and findings are Minimize's first round (findings only when enabled).
    return minimizeSteps(this.text, this.project, this.settings, this.enabled ? { model: this.model, findings: this.findings } : undefined, this.context);
  }

  private unchanged(): Minimized {
    return { text: this.text, applied: [], remaining: [], model: this.model };
  }

  private deadline(): number {
    return this.input.minimizeBudgetMs === undefined ? Infinity : performance.now() + this.input.minimizeBudgetMs;
  }

  private keep(result: Minimized): Minimized {
    this.minimizedResult = { text: result.text, applied: result.applied, remaining: result.remaining, model: result.model };
    return this.minimizedResult;
  }
}
