// Builds a Dockerfile on a Docker Engine (BuildKit through the Engine API, its classic builder, or
// the docker CLI as a last resort) and reports the image: its real size and per-layer sizes.
import type Docker from 'dockerode';
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { parseDockerfile } from '../analysis';
import { packContext } from './context';
import { decodeTrace } from './buildkitTrace';
import { dockerFor, resolveEndpoint, type Endpoint, type EndpointInputs } from './engine';
import { BuildError, engineError, missingBaseImage, onPath } from './errors';
import { buildKitFeatures, planBuild, type BuildRoute, type CliFacts, type EngineFacts } from './plan';

/** Label on every image Slimfile builds; its value is the build's id. */
export const BUILD_LABEL = 'org.slimfile.build';

export interface Engine {
  readonly endpoint: Endpoint;
  /** For builds: no request timeout (a quiet step may run for minutes). */
  readonly docker: Docker;
  readonly facts: EngineFacts;
}

/** Connects and asks the engine who it is; every failure is a BuildError with a clear message. */
export async function connectEngine(inputs: EndpointInputs = {}): Promise<Engine> {
  let endpoint: Endpoint;
  try {
    endpoint = resolveEndpoint(inputs);
  } catch (error) {
    throw new BuildError('bad-endpoint', (error as Error).message);
  }
  let quick: Docker;
  let docker: Docker;
  try {
    quick = dockerFor(endpoint, 10_000);
    docker = dockerFor(endpoint);
  } catch (error) {
    throw new BuildError('bad-endpoint', (error as Error).message);
  }
  try {
    const version = await quick.version();
    return { endpoint, docker, facts: { version: version.Version, apiVersion: version.ApiVersion, os: version.Os } };
  } catch (error) {
    throw engineError(error, endpoint);
  }
}

export interface BuildRequest {
  readonly contextDir: string;
  /** The Dockerfile on disk (its name and .dockerignore beside it; its text unless dockerfileText is set). */
  readonly dockerfilePath: string;
  /** Build this text instead of the file, without touching the file (Compare's minimized side). */
  readonly dockerfileText?: string;
  readonly tag: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Build every step again (honest build times). */
  readonly noCache?: boolean;
}

export interface BuildHooks {
  /** One line of build log. */
  readonly onLog?: (line: string) => void;
  /** A step started (for progress). */
  readonly onStep?: (step: string) => void;
  readonly signal?: AbortSignal;
}

export interface ImageLayer {
  /** The instruction that made the layer, as the image history records it. */
  readonly createdBy: string;
  readonly bytes: number;
  readonly created: number;
}

export interface BuiltImage {
  readonly id: string;
  readonly tag: string;
  readonly buildId: string;
  /** Uncompressed size on the engine, as `docker image ls` shows it. */
  readonly bytes: number;
  readonly seconds: number;
  readonly route: BuildRoute;
  /** Newest first, as `docker history`. */
  readonly layers: readonly ImageLayer[];
}

let cliFactsCache: Promise<CliFacts> | undefined;

/** The docker CLI on PATH and whether it has buildx; asked once per process. */
export function dockerCliFacts(): Promise<CliFacts> {
  cliFactsCache ??= new Promise((resolve) => {
    const cli = onPath('docker');
    if (!cli) {
      resolve({ path: undefined, buildx: false });
      return;
    }
    execFile(cli, ['buildx', 'version'], { timeout: 10_000 }, (error) => resolve({ path: cli, buildx: !error }));
  });
  return cliFactsCache;
}

function cleanCreatedBy(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s+/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/\s+# buildkit$/, '')
    .trim();
}

/** The image's size and layers, newest first. */
export async function inspectImage(docker: Docker, id: string): Promise<{ bytes: number; layers: ImageLayer[] }> {
  const image = docker.getImage(id);
  const [info, history] = await Promise.all([image.inspect(), image.history() as Promise<Array<{ CreatedBy: string; Size: number; Created: number }>>]);
  return {
    bytes: info.Size,
    layers: history.map((h) => ({ createdBy: cleanCreatedBy(h.CreatedBy), bytes: h.Size, created: h.Created })),
  };
}

function contextDockerfileName(contextDir: string, dockerfilePath: string, replaced: boolean): string {
  if (replaced) return `.slimfile-${randomUUID().slice(0, 8)}.Dockerfile`;
  const relative = path.relative(contextDir, dockerfilePath);
  // A Dockerfile outside the context travels in the tar under a name of its own.
  if (relative.startsWith('..') || path.isAbsolute(relative)) return `.slimfile-${randomUUID().slice(0, 8)}.Dockerfile`;
  return relative.split(path.sep).join('/');
}

/** Builds and tags the image; throws BuildError (cancelled, step-failed, base-image, ...). */
export async function buildImage(engine: Engine, request: BuildRequest, hooks: BuildHooks = {}): Promise<BuiltImage> {
  const log = hooks.onLog ?? (() => undefined);
  const diskText = request.dockerfileText === undefined ? await fs.readFile(request.dockerfilePath, 'utf8') : undefined;
  const text = request.dockerfileText ?? (diskText as string);
  const model = parseDockerfile(text);
  const features = buildKitFeatures(model);
  let plan = planBuild(features, engine.facts, features.length > 0 ? await dockerCliFacts() : { path: undefined, buildx: false });
  if (plan.route === undefined) throw new BuildError('unsupported', plan.problem);
  const buildId = randomUUID();
  const labels = { ...request.labels, [BUILD_LABEL]: buildId };
  log(`Building ${request.dockerfileText === undefined ? request.dockerfilePath : `${request.dockerfilePath} (minimized, in memory)`} on ${engine.endpoint.host} (Docker ${engine.facts.version}) as ${request.tag}`);
  await noteMissingBaseImages(engine.docker, model, log);
  const started = process.hrtime.bigint();
  let id: string;
  for (;;) {
    if (plan.note) log(plan.note);
    try {
      id =
        plan.route === 'docker-cli'
          ? await buildWithCli(engine, request, text, labels, log, hooks)
          : await buildWithEngine(engine, request, labels, plan.route, log, hooks);
      break;
    } catch (error) {
      // A BuildKit session the engine refuses (an API that is not Docker's): try the next route once.
      if (plan.route === 'engine-buildkit' && error instanceof SessionError) {
        log(`The engine refused a BuildKit session: ${error.message}`);
        plan = planBuild(features, engine.facts, await dockerCliFacts(), { engineBuildKitFailed: true });
        if (plan.route === undefined) throw new BuildError('unsupported', plan.problem);
        continue;
      }
      throw error;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { bytes, layers } = await inspectImage(engine.docker, id);
  log(`Built ${request.tag} (${id.slice(7, 19)}): ${bytes} bytes in ${seconds.toFixed(1)} s`);
  return { id, tag: request.tag, buildId, bytes, seconds, route: plan.route, layers };
}

class SessionError extends Error {}

async function noteMissingBaseImages(docker: Docker, model: ReturnType<typeof parseDockerfile>, log: (line: string) => void): Promise<void> {
  const names = new Set<string>();
  for (const stage of model.stages) {
    if (stage.base.stage !== undefined || stage.base.isScratch || !stage.base.resolved) continue;
    names.add(stage.base.resolved);
  }
  for (const name of names) {
    try {
      await docker.getImage(name).inspect();
    } catch {
      log(`Base image ${name} is not in the engine; the engine will try to pull it.`);
    }
  }
}

interface StreamState {
  id: string | undefined;
  error: string | undefined;
  /** BuildKit: vertex digest -> name, output, error. Classic: one entry per "Step n/m". */
  readonly steps: Map<string, { name: string; output: string[]; error: string }>;
  /** BuildKit vertexes already logged as started. */
  readonly announced: Set<string>;
  current: string | undefined;
}

function stepOf(state: StreamState, key: string, name: string): { name: string; output: string[]; error: string } {
  let step = state.steps.get(key);
  if (!step) {
    step = { name, output: [], error: '' };
    state.steps.set(key, step);
  }
  return step;
}

function readEngineLine(line: string, state: StreamState, log: (line: string) => void, onStep: (step: string) => void): void {
  let event: { stream?: string; id?: string; aux?: unknown; error?: string; errorDetail?: { message?: string } };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    log(line);
    return;
  }
  if (event.id === 'moby.buildkit.trace' && typeof event.aux === 'string') {
    const trace = decodeTrace(event.aux);
    for (const v of trace.vertexes) {
      const step = stepOf(state, v.digest, v.name);
      const number = [...state.steps.keys()].indexOf(v.digest) + 1;
      if ((v.started || v.cached) && !state.announced.has(v.digest)) {
        state.announced.add(v.digest);
        log(`#${number} ${v.cached ? 'CACHED ' : ''}${v.name}`);
        onStep(v.name);
      }
      if (v.error && !step.error) {
        step.error = v.error;
        log(`ERROR in ${v.name}: ${v.error}`);
      }
    }
    for (const l of trace.logs) {
      const step = state.steps.get(l.vertex);
      for (const text of l.text.split('\n')) {
        if (text === '') continue;
        step?.output.push(text);
        log(`  ${text}`);
      }
    }
    return;
  }
  if (event.id === 'moby.image.id' && event.aux && typeof (event.aux as { ID?: unknown }).ID === 'string') {
    state.id = (event.aux as { ID: string }).ID;
    return;
  }
  if (event.aux && typeof (event.aux as { ID?: unknown }).ID === 'string') {
    state.id = (event.aux as { ID: string }).ID;
  }
  if (typeof event.stream === 'string') {
    for (const text of event.stream.split('\n')) {
      if (text.trim() === '') continue;
      const classicStep = /^Step \d+\/\d+ : (.*)$/.exec(text);
      if (classicStep) {
        state.current = text;
        stepOf(state, text, text);
        onStep(classicStep[1] as string);
      } else if (state.current && !/^ ---> /.test(text) && !/^(Removing intermediate container|Successfully built|Successfully tagged)/.test(text)) {
        state.steps.get(state.current)?.output.push(text);
      }
      log(text);
    }
  }
  if (event.error || event.errorDetail) {
    state.error = event.errorDetail?.message ?? event.error ?? 'unknown error';
    log(`ERROR: ${state.error}`);
  }
}

const OUTPUT_LINES = 30;

function failure(state: StreamState, message: string): BuildError {
  const failedStep = [...state.steps.values()].find((s) => s.error);
  // BuildKit resolves every base image in a step of its own before the build proper.
  const metadata = failedStep ? /^\[internal\] load metadata for (\S+)/.exec(failedStep.name) : null;
  const image = metadata?.[1] ?? missingBaseImage(message);
  if (image) {
    return new BuildError('base-image', `The base image ${image} is not available: the engine does not have it and could not pull it (${failedStep?.error || message}). Pull or build it first (docker pull ${image}), or check the registry and your network.`);
  }
  const failed = failedStep ?? (state.current ? state.steps.get(state.current) : undefined);
  if (failed) {
    const output = failed.output.slice(-OUTPUT_LINES).join('\n');
    const shown = output === '' ? '(no output)' : output;
    return new BuildError('step-failed', `Build step failed: ${failed.name}\n${failed.error || message}\nOutput of the step:\n${shown}`, failed.name, output);
  }
  return new BuildError('build-failed', `The build failed: ${message}`);
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error as Error | undefined)?.name === 'AbortError';
}

async function buildWithEngine(engine: Engine, request: BuildRequest, labels: Record<string, string>, route: 'engine-buildkit' | 'engine-classic', log: (line: string) => void, hooks: BuildHooks): Promise<string> {
  const replaced = request.dockerfileText !== undefined;
  const dockerfile = contextDockerfileName(request.contextDir, request.dockerfilePath, replaced);
  const outside = !replaced && dockerfile.startsWith('.slimfile-');
  const tarball = await packContext({
    contextDir: request.contextDir,
    dockerfileName: dockerfile,
    dockerfilePath: request.dockerfilePath,
    ...(replaced || outside ? { dockerfileText: request.dockerfileText ?? (await fs.readFile(request.dockerfilePath, 'utf8')) } : {}),
  });
  if (hooks.signal?.aborted) throw new BuildError('cancelled', 'The build was cancelled.');
  let stream: Readable;
  try {
    stream = (await engine.docker.buildImage(tarball as unknown as NodeJS.ReadableStream, {
      t: request.tag,
      dockerfile,
      labels,
      rm: true,
      // Remove intermediate containers of the classic builder even when a step fails or the build is cancelled.
      forcerm: true,
      ...(request.noCache ? { nocache: true } : {}),
      ...(route === 'engine-buildkit' ? { version: '2' as const } : {}),
      ...(hooks.signal ? { abortSignal: hooks.signal } : {}),
    })) as unknown as Readable;
  } catch (error) {
    if (isAbort(error, hooks.signal)) throw new BuildError('cancelled', 'The build was cancelled.');
    const status = (error as { statusCode?: number }).statusCode;
    if (route === 'engine-buildkit' && (status === 404 || status === 400 || /session/i.test((error as Error).message))) throw new SessionError((error as Error).message);
    if (status !== undefined) throw new BuildError('build-failed', `The engine refused the build: ${(error as Error).message}`);
    throw engineError(error, engine.endpoint);
  }
  const state: StreamState = { id: undefined, error: undefined, steps: new Map(), announced: new Set(), current: undefined };
  const onStep = hooks.onStep ?? (() => undefined);
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const onAbort = (): void => {
      stream.destroy();
      reject(new BuildError('cancelled', 'The build was cancelled.'));
    };
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') readEngineLine(line, state, log, onStep);
    });
    stream.on('error', (error) => {
      hooks.signal?.removeEventListener('abort', onAbort);
      reject(isAbort(error, hooks.signal) ? new BuildError('cancelled', 'The build was cancelled.') : engineError(error, engine.endpoint));
    });
    stream.on('end', () => {
      hooks.signal?.removeEventListener('abort', onAbort);
      if (buffered.trim() !== '') readEngineLine(buffered, state, log, onStep);
      resolve();
    });
  });
  if (state.error !== undefined) throw failure(state, state.error);
  if (!state.id) {
    // The classic builder names the image only in "Successfully built <id>"; the tag is authoritative.
    try {
      state.id = (await engine.docker.getImage(request.tag).inspect()).Id;
    } catch {
      throw new BuildError('build-failed', 'The engine finished the build without naming an image.');
    }
  }
  return state.id;
}

/** Environment for the docker CLI so that it talks to the same engine as the API calls. */
function cliEnvironment(endpoint: Endpoint): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: endpoint.host };
  delete env['DOCKER_CONTEXT'];
  if (endpoint.tls) {
    const dir = path.dirname(endpoint.tls.ca ?? endpoint.tls.cert ?? endpoint.tls.key ?? '');
    if (dir) env['DOCKER_CERT_PATH'] = dir;
    if (endpoint.tls.verify) env['DOCKER_TLS_VERIFY'] = '1';
    else delete env['DOCKER_TLS_VERIFY'];
  }
  return env;
}

async function buildWithCli(engine: Engine, request: BuildRequest, text: string, labels: Record<string, string>, log: (line: string) => void, hooks: BuildHooks): Promise<string> {
  const cli = (await dockerCliFacts()).path as string;
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-build-'));
  try {
    const iidFile = path.join(temp, 'iid');
    // The minimized text lives outside the context: the user's file is never touched.
    const dockerfile = request.dockerfileText === undefined ? request.dockerfilePath : path.join(temp, 'Dockerfile');
    if (request.dockerfileText !== undefined) await fs.writeFile(dockerfile, text);
    const args = ['buildx', 'build', '--progress=plain', '--load', '-t', request.tag, '-f', dockerfile, '--iidfile', iidFile];
    if (request.noCache) args.push('--no-cache');
    for (const [key, value] of Object.entries(labels)) args.push('--label', `${key}=${value}`);
    args.push(request.contextDir);
    log(`Running ${cli} ${args.join(' ')}`);
    const state: StreamState = { id: undefined, error: undefined, steps: new Map(), announced: new Set(), current: undefined };
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(cli, args, { env: cliEnvironment(engine.endpoint), stdio: ['ignore', 'pipe', 'pipe'] });
      const onAbort = (): void => {
        child.kill('SIGINT');
      };
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      let buffered = '';
      const onData = (chunk: Buffer): void => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          log(line);
          // "#7 [build 3/4] RUN go build ..." starts a step; "#7 0.412 output" is its output.
          const start = /^#(\d+) (\[.*)$/.exec(line);
          if (start) {
            state.current = start[1] as string;
            stepOf(state, start[1] as string, start[2] as string);
            hooks.onStep?.(start[2] as string);
            continue;
          }
          const output = /^#(\d+) \d+\.\d+ (.*)$/.exec(line);
          if (output) state.steps.get(output[1] as string)?.output.push(output[2] as string);
          const error = /^#(\d+) ERROR: (.*)$/.exec(line);
          if (error) {
            const step = state.steps.get(error[1] as string);
            if (step) step.error = error[2] as string;
          }
          if (/^ERROR: /.test(line)) state.error = line.slice('ERROR: '.length);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', (error) => reject(new BuildError('build-failed', `Could not run ${cli}: ${error.message}`)));
      child.on('close', (exitCode) => {
        hooks.signal?.removeEventListener('abort', onAbort);
        resolve(exitCode);
      });
    });
    if (hooks.signal?.aborted) throw new BuildError('cancelled', 'The build was cancelled.');
    if (code !== 0) throw failure(state, state.error ?? `docker buildx build exited with code ${code}`);
    return (await fs.readFile(iidFile, 'utf8')).trim();
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

/** A tag for Slimfile's builds of a context: `slimfile/<folder>:<suffix>`. */
export function tagFor(contextDir: string, suffix: string): string {
  const name = path.basename(path.resolve(contextDir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'image';
  return `slimfile/${name}:${suffix}`;
}
