// slimfile.build and slimfile.compare as workspace/executeCommand: the trust gate, progress the
// editor can cancel, the build log streamed to the editor, and the answer from docker/builds.
import {
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type CancellationToken,
  type Connection,
  type ExecuteCommandParams,
  type WorkDoneProgressReporter,
} from '../lsp';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { BuildError } from '../docker/errors';
import { isDockerfile } from '../documents';
import type { Sessions } from '../sessions';
import { minimize } from './minimize';
import type { ProbePlan } from '../docker/run';
import { runBuild, runCompare, type BuildInput } from '../docker/builds';
import { BUILD_COMMAND, BUILD_LOG_NOTIFICATION, BuildErrorCodes, COMPARE_COMMAND, type BuildArguments, type BuildLogParams, type BuildResult, type CompareResult } from '../protocol';

export const BUILD_COMMANDS: readonly string[] = [BUILD_COMMAND, COMPARE_COMMAND];

/** The refusal in an untrusted workspace, with how to allow builds. */
export function untrustedMessage(command: string): string {
  return (
    `Slimfile: ${command} runs only in a trusted workspace: a build runs the Dockerfile's commands on your Docker Engine, and this editor has not said that the workspace is trusted. ` +
    'To allow builds, start the language server with the initialization option "trusted": true (in VS Code: trust the workspace).'
  );
}

/** What the server knows about an open Dockerfile that a build needs. */
export interface BuildTarget extends BuildInput {
  /** The estimate of the text being built. */
  readonly estimate: () => Promise<number | undefined>;
  /** The `slimfile.probes` setting: probes for Compare with run, written as after `# slimfile: probe`. */
  readonly probes?: readonly string[];
}

/** Time limit of each container of Compare with run, in seconds. */
const RUN_TIMEOUT_SECONDS = 60;

export interface MinimizedTarget {
  readonly text: string;
  readonly applied: readonly string[];
  /** Both estimates, asked when both images are built. */
  readonly estimates: () => Promise<{ readonly original: number | undefined; readonly minimized: number | undefined }>;
}

export interface BuildHost {
  readonly trusted: () => boolean;
  /** Throws a ResponseError that says why when the uri is not an open Dockerfile saved on disk. */
  readonly target: (uri: string) => Promise<BuildTarget>;
  /** Minimize's text for the target's version; undefined when nothing is safe to change. */
  readonly minimized: (uri: string) => Promise<MinimizedTarget | undefined>;
  /** Uris of the Dockerfiles open in the editor. */
  readonly openDockerfiles: () => string[];
  /** The client shows the outcome itself (VS Code); others get it as window/showMessage too. */
  readonly clientShowsOutcome: () => boolean;
  /** The client takes build log lines as BUILD_LOG_NOTIFICATION (otherwise window/logMessage). */
  readonly logAsNotification: () => boolean;
}

/** The command's arguments; none (Helix's :lsp-workspace-command) means the one open Dockerfile. */
function argumentsOf(params: ExecuteCommandParams, openDockerfiles: readonly string[]): BuildArguments {
  const first = params.arguments?.[0] as unknown;
  if (first === undefined) {
    if (openDockerfiles.length === 1) return { uri: openDockerfiles[0] as string };
    const open = openDockerfiles.length === 0 ? 'no Dockerfile is open' : `${openDockerfiles.length} Dockerfiles are open (${openDockerfiles.join(', ')})`;
    throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.command} without arguments builds the one open Dockerfile, but ${open}; pass its uri: arguments ["file:///…/Dockerfile"].`);
  }
  if (typeof first === 'string' && first !== '') return { uri: first };
  if (first && typeof first === 'object' && typeof (first as { uri?: unknown }).uri === 'string') {
    const raw = first as { uri: string; tag?: unknown; noCache?: unknown; run?: unknown };
    return { uri: raw.uri, ...(typeof raw.tag === 'string' && raw.tag !== '' ? { tag: raw.tag } : {}), ...(raw.noCache === true ? { noCache: true } : {}), ...(raw.run === true ? { run: true } : {}) };
  }
  throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.command} takes the Dockerfile's uri: arguments [{"uri": "file:///…/Dockerfile"}] or ["file:///…/Dockerfile"].`);
}

export class BuildCommands {
  /** Builds and runs under way, so that a server shutting down cancels them and waits for their clean-up. */
  private readonly running = new Map<AbortController, Promise<unknown>>();

  constructor(
    private readonly connection: Connection,
    private readonly host: BuildHost,
  ) {}

  /** Cancels every build and run, and resolves once their containers and images are removed. */
  async shutdown(): Promise<void> {
    for (const controller of this.running.keys()) controller.abort();
    await Promise.allSettled([...this.running.values()]);
    // Anything a run made and its own clean-up could not remove (an engine call that failed).
    if (this.runsStarted) await (await import('../docker/run')).removeRunContainers().catch(() => undefined);
  }

  /** Whether a Compare with run was asked: the engine code is loaded then only. */
  private runsStarted = false;

  async execute(params: ExecuteCommandParams, token: CancellationToken): Promise<BuildResult | CompareResult> {
    if (!BUILD_COMMANDS.includes(params.command)) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile has no command ${params.command}; it runs ${BUILD_COMMANDS.join(' and ')}.`);
    if (!this.host.trusted()) throw new ResponseError(BuildErrorCodes.untrusted, untrustedMessage(params.command), { kind: 'untrusted' });
    const args = argumentsOf(params, this.host.openDockerfiles());
    const compare = params.command === COMPARE_COMMAND;
    const target = await this.host.target(args.uri);
    const minimized = compare ? await this.host.minimized(args.uri) : undefined;
    if (compare && !minimized) throw new ResponseError(ErrorCodes.InvalidRequest, 'Slimfile: nothing is safe to change in this Dockerfile, so there is nothing to compare.');
    const name = target.dockerfilePath.split(/[\\/]/).pop() ?? target.dockerfilePath;
    const progress = await this.progress(params);
    const controller = new AbortController();
    const cancel = (): void => {
      if (!controller.signal.aborted) this.log('Cancelling the build.');
      controller.abort();
    };
    const subscriptions = [token.onCancellationRequested(cancel), ...('token' in progress ? [(progress as { token: CancellationToken }).token.onCancellationRequested(cancel)] : [])];
    progress.begin(`Slimfile: ${compare ? 'comparing' : 'building'} ${name}`, undefined, 'connecting to the Docker Engine', true);
    const hooks = { signal: controller.signal, onLog: (line: string) => this.log(line), onStep: (step: string) => progress.report(step) };
    const input = { ...target, ...(args.noCache ? { noCache: true } : {}) };
    if (minimized) this.log(`Minimized with: ${minimized.applied.join('; ')}`);
    const work = (async () => {
      const run = minimized && args.run ? await this.runPlan(target, minimized.text) : undefined;
      return minimized
        ? await runCompare(
            { ...input, minimizedText: minimized.text, applied: minimized.applied, estimates: minimized.estimates, ...(args.tag ? { repository: args.tag } : {}), ...(run ? { run } : {}) },
            { ...hooks, onPhase: (phase) => progress.report(phase === 'original' ? 'building as written' : 'building minimized') },
          )
        : await runBuild({ ...input, ...(args.tag ? { tag: args.tag } : {}) }, target.estimate, hooks);
    })();
    this.running.set(controller, work);
    try {
      const result = await work;
      this.log(`Slimfile: ${result.message}`);
      // Editors that ignore a command's answer (Helix) still show this.
      // A notification, not showInformationMessage: that is a request, which Neovim answers with a prompt.
      if (!this.host.clientShowsOutcome()) void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Slimfile: ${result.message}` });
      return result;
    } catch (error) {
      throw this.answerFor(error);
    } finally {
      this.running.delete(controller);
      for (const s of subscriptions) s.dispose();
      progress.done();
    }
  }

  /** The probes of Compare with run; a directive or setting that cannot be read refuses the run. */
  private async runPlan(target: BuildTarget, minimizedText: string): Promise<{ plan: ProbePlan; timeoutSeconds: number }> {
    this.runsStarted = true;
    const { planProbes } = await import('../docker/probePlan');
    const text = target.dockerfileText ?? (await fs.readFile(target.dockerfilePath, 'utf8'));
    const planned = await planProbes(target.contextDir, [text, minimizedText], target.probes ?? []);
    if (planned.problems.length > 0) {
      const where = (line: number | undefined): string => (line === undefined ? 'slimfile.probes' : `line ${line + 1}`);
      throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${planned.problems.map((p) => `${where(p.line)}: ${p.message}`).join(' ')}`);
    }
    for (const route of planned.routes) this.log(`Probe route: ${route}`);
    return { plan: planned.plan, timeoutSeconds: RUN_TIMEOUT_SECONDS };
  }

  /** The client's token when it sent one; else progress the server creates (the client may cancel it). */
  private progress(params: ExecuteCommandParams): Promise<WorkDoneProgressReporter> {
    if (params.workDoneToken !== undefined) return Promise.resolve(this.connection.window.attachWorkDoneProgress(params.workDoneToken));
    return this.connection.window.createWorkDoneProgress();
  }

  private log(line: string): void {
    if (this.host.logAsNotification()) void this.connection.sendNotification(BUILD_LOG_NOTIFICATION, { line } satisfies BuildLogParams);
    else this.connection.console.log(line);
  }

  private answerFor(error: unknown): ResponseError<unknown> {
    if (error instanceof ResponseError) return error;
    if (!(error instanceof BuildError)) {
      const message = `Slimfile: the build failed: ${(error as Error).message}`;
      this.log(message);
      return new ResponseError(BuildErrorCodes.failed, message, { kind: 'build-failed' });
    }
    if (error.kind === 'cancelled') {
      this.log('The build was cancelled.');
      return new ResponseError(LSPErrorCodes.RequestCancelled, 'Slimfile: the build was cancelled.', { kind: 'cancelled' });
    }
    this.log(error.message);
    return new ResponseError(BuildErrorCodes.failed, `Slimfile: ${error.message}`, { kind: error.kind, ...(error.step ? { step: error.step } : {}) });
  }
}

/** An open Dockerfile saved on disk, as a build needs it: its path, build context, engine and open text. */
export async function buildTarget(uri: string, sessions: Sessions): Promise<BuildTarget> {
  const document = sessions.store.get(uri);
  if (!document || !isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${uri} is not an open Dockerfile; open it in the editor to build it.`);
  if (!uri.startsWith('file:')) throw new ResponseError(ErrorCodes.InvalidParams, 'Slimfile: save the Dockerfile to disk to build it: the build context is its folder.');
  const dockerfilePath = URI.parse(uri).fsPath;
  const session = await sessions.session(document);
  // The editor's text is what the user sees and what the estimate is of; unsaved edits travel in
  // the context tar and the file on disk is not touched.
  const onDisk = await fs.readFile(dockerfilePath, 'utf8').catch(() => undefined);
  return {
    dockerfilePath,
    contextDir: session.project.contextDir ?? path.dirname(dockerfilePath),
    host: session.settings.dockerHost,
    probes: session.settings.probes,
    ...(session.text === onDisk ? {} : { dockerfileText: session.text }),
    estimate: async () => (await sessions.settledEstimate(document, session))?.now.bytes,
  };
}

/** Minimize's text and both estimates for an open Dockerfile; undefined when nothing is safe to change. */
export async function minimizedTarget(uri: string, sessions: Sessions): Promise<MinimizedTarget | undefined> {
  const answer = await minimize({ uri }, sessions);
  if (!answer.edit) return undefined;
  const document = sessions.store.get(uri);
  const session = document ? await sessions.session(document) : undefined;
  return {
    text: answer.text,
    applied: answer.applied,
    estimates: async () => {
      const pair = document && session?.version === answer.version ? await sessions.settledEstimate(document, session) : undefined;
      return { original: pair?.now.bytes, minimized: pair?.minimized?.bytes ?? pair?.now.bytes };
    },
  };
}
