// Runs a built image the way Compare with run does for both sides: the image's own command, user,
// environment and working directory, nothing added; ports published on 127.0.0.1 only; a time
// limit on every container. Servers (an EXPOSEd port) are asked each probe in order; a program
// that exits by itself is waited for. Every container is removed afterwards, on success, failure
// and cancel, and any still alive when the process ends are removed by removeRunContainers().
import type Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import { BuildError } from './errors';

/** Label on every container a run makes; its value is the run's id. */
export const RUN_LABEL = 'org.slimfile.run';

export interface HttpProbe {
  readonly method: string;
  readonly path: string;
  /** The container port; undefined: the image's first EXPOSEd port. */
  readonly port: number | undefined;
  /** The status the user declared, if any. */
  readonly status: number | undefined;
  /** declared (directive or setting), route (found in the sources) or root (`/` of each port). */
  readonly source: 'declared' | 'route' | 'root';
}

export interface ProbePlan {
  /** Asked in this order on each side. Route and root probes are asked on every EXPOSEd port. */
  readonly http: readonly HttpProbe[];
  /** Extra runs of the image with these arguments (`# slimfile: probe run --version`). */
  readonly runs: ReadonlyArray<readonly string[]>;
}

export interface Exited {
  /** null when the time limit ended it. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export interface HttpAnswer {
  /** "GET :8080/health": the same key on both sides. */
  readonly key: string;
  readonly expected: number | undefined;
  readonly status: number | null;
  readonly body: string;
  /** Why there is no answer (connection refused, the container had exited, time limit). */
  readonly error: string | undefined;
}

export interface FileChange {
  readonly kind: 'added' | 'changed' | 'deleted';
  readonly path: string;
}

export interface ImageRun {
  readonly image: string;
  readonly config: { readonly user: string; readonly workdir: string; readonly command: readonly string[]; readonly ports: readonly number[] };
  /** A server: whether it answered before the time limit. Undefined for a program that exits by itself. */
  readonly answered: boolean | undefined;
  /** How the main container ended when it did end by itself (a program, or a server that died). */
  readonly exited: Exited | undefined;
  readonly answers: readonly HttpAnswer[];
  readonly runs: ReadonlyArray<{ readonly args: readonly string[] } & Exited>;
  /** stdout then stderr of the main container. */
  readonly log: string;
  /** `docker diff` of the main container after the probes. */
  readonly changes: readonly FileChange[];
  readonly seconds: number;
  /** With `keep`: the stopped main container, for statPaths; the caller removes it with removeKept. */
  readonly kept?: string;
}

export interface RunOptions {
  /** Time limit of each container (and of a server's start), in seconds. */
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  readonly onLog?: (line: string) => void;
  /** Keep the main container (stopped) after the run, so that the other side's writes can be looked up in it. */
  readonly keep?: boolean;
}

const MAX_BODY = 64 * 1024;
const MAX_OUTPUT = 256 * 1024;

const live = new Map<string, Docker>();

/** Removes every container a run in this process made and did not remove yet (server exit, Ctrl+C). */
export async function removeRunContainers(): Promise<void> {
  const all = [...live.entries()];
  await Promise.all(all.map(([id, docker]) => removeContainer(docker, id)));
}

async function removeContainer(docker: Docker, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (error) {
    // Already gone is fine; anything else stays listed for removeRunContainers to try again.
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  live.delete(id);
}

function cancelled(): BuildError {
  return new BuildError('cancelled', 'The run was cancelled.');
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** Resolves after ms, or rejects at once on abort. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The engine's multiplexed log (8-byte frame headers: stream, 0, 0, 0, length) as stdout and stderr. */
export function demuxLog(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    const frame = buffer.subarray(offset + 8, offset + 8 + length);
    (stream === 2 ? err : out).push(frame);
    offset += 8 + length;
  }
  const cut = (b: Buffer[]): string => Buffer.concat(b).subarray(0, MAX_OUTPUT).toString('utf8');
  return { stdout: cut(out), stderr: cut(err) };
}

async function logsOf(container: Docker.Container): Promise<{ stdout: string; stderr: string }> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  return demuxLog(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
}

function exposedPorts(info: Docker.ImageInspectInfo): number[] {
  return Object.keys(info.Config.ExposedPorts ?? {})
    .filter((p) => p.endsWith('/tcp'))
    .map((p) => Number(p.split('/')[0]))
    .filter((p) => Number.isInteger(p) && p > 0)
    .sort((a, b) => a - b);
}

/** The probes for one image: declared ones on their port (or the first), the others on every port. */
function httpProbesFor(plan: ProbePlan, ports: readonly number[]): Array<HttpProbe & { port: number }> {
  const probes: Array<HttpProbe & { port: number }> = [];
  for (const probe of plan.http) {
    if (probe.port !== undefined) probes.push({ ...probe, port: probe.port });
    else if (probe.source === 'declared') {
      if (ports[0] !== undefined) probes.push({ ...probe, port: ports[0] });
    } else for (const port of ports) probes.push({ ...probe, port });
  }
  return probes;
}

async function createContainer(docker: Docker, image: string, runId: string, ports: readonly number[], cmd: readonly string[] | undefined, signal: AbortSignal | undefined): Promise<Docker.Container> {
  checkAbort(signal);
  const container = await docker.createContainer({
    Image: image,
    ...(cmd ? { Cmd: [...cmd] } : {}),
    Labels: { [RUN_LABEL]: runId },
    ExposedPorts: Object.fromEntries(ports.map((p) => [`${p}/tcp`, {}])),
    HostConfig: {
      // Loopback only, on a port the engine picks: nothing outside this machine can reach the run.
      PortBindings: Object.fromEntries(ports.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]])),
    },
  });
  live.set(container.id, docker);
  if (signal?.aborted) {
    await removeContainer(docker, container.id);
    throw cancelled();
  }
  return container;
}

/** Waits for the container to exit, at most until the deadline; false when it is still running. */
async function waitForExit(container: Docker.Container, deadline: number, signal: AbortSignal | undefined): Promise<boolean> {
  for (;;) {
    const state = (await container.inspect()).State;
    if (!state.Running) return true;
    if (Date.now() >= deadline) return false;
    await pause(100, signal);
  }
}

async function exitOf(container: Docker.Container, ended: boolean): Promise<Exited> {
  const logs = await logsOf(container);
  const code = ended ? (await container.inspect()).State.ExitCode : null;
  return { code, ...logs, timedOut: !ended };
}

async function hostPort(container: Docker.Container, port: number): Promise<number | undefined> {
  const bindings = (await container.inspect()).NetworkSettings.Ports?.[`${port}/tcp`] as Array<{ HostIp: string; HostPort: string }> | null | undefined;
  const binding = bindings?.find((b) => b.HostIp === '127.0.0.1') ?? bindings?.[0];
  return binding ? Number(binding.HostPort) : undefined;
}

/** One HTTP request of a probe, with its answer's status and the start of its body. */
export async function ask(url: string, method: string, signal: AbortSignal | undefined, timeoutMs = 15_000): Promise<{ status: number; body: string }> {
  // A timer of our own rather than AbortSignal.timeout, whose timer is unref'd: a request that
  // the engine's port proxy accepts and then closes unanswered leaves Node 20's fetch pending with
  // no handle that keeps the event loop alive, so the CLI used to exit with code 0 in the middle of
  // a run, printing nothing.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const response = await fetch(url, { method, redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal });
    const body = Buffer.from(await response.arrayBuffer()).subarray(0, MAX_BODY).toString('utf8');
    return { status: response.status, body };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until the server answers anything on its first port, the container exits, or the deadline.
 * Docker's port proxy accepts a connection and drops it while nothing listens inside, so the wait
 * is for an HTTP answer, not for an open port.
 */
async function waitForAnswer(container: Docker.Container, url: string, deadline: number, signal: AbortSignal | undefined): Promise<boolean> {
  for (;;) {
    checkAbort(signal);
    try {
      await ask(url, 'GET', signal);
      return true;
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      void error;
    }
    if (!(await container.inspect()).State.Running || Date.now() >= deadline) return false;
    await pause(200, signal);
  }
}

/** `docker diff` as the engine answers it; with no change the body is `null`, which dockerode hands over as a Buffer. */
function changesOf(raw: unknown): FileChange[] {
  if (!Array.isArray(raw)) return [];
  return (raw as Array<{ Kind: number; Path: string }>).map((c) => ({ kind: c.Kind === 1 ? 'added' : c.Kind === 2 ? 'deleted' : 'changed', path: c.Path }));
}

/** Removes a container runImage kept. */
export async function removeKept(docker: Docker, id: string | undefined): Promise<void> {
  if (id !== undefined) await removeContainer(docker, id);
}

/** What each path is in a (stopped) container: the engine's stat of it, as `docker cp` asks it. */
export async function statPaths(docker: Docker, id: string, paths: readonly string[]): Promise<Map<string, 'folder' | 'file' | 'missing'>> {
  const found = new Map<string, 'folder' | 'file' | 'missing'>();
  for (const path of paths) {
    try {
      const response = (await docker.getContainer(id).infoArchive({ path })) as unknown as { headers: Record<string, string | undefined>; resume?: () => void };
      response.resume?.();
      const stat = JSON.parse(Buffer.from(response.headers['x-docker-container-path-stat'] ?? '', 'base64').toString('utf8')) as { mode?: number };
      // Go's os.ModeDir is the top bit of the 32-bit mode.
      found.set(path, ((stat.mode ?? 0) >>> 31) === 1 ? 'folder' : 'file');
    } catch {
      found.set(path, 'missing');
    }
  }
  return found;
}

/** Starts the container; when the engine cannot start its command, what it said, as the exit of the container. */
async function startOrWhy(container: Docker.Container): Promise<Exited | undefined> {
  try {
    await container.start();
    return undefined;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === undefined) throw error;
    const reason = ((error as { json?: { message?: string } }).json?.message ?? (error as Error).message).trim();
    return { code: (await container.inspect()).State.ExitCode ?? null, stdout: '', stderr: `${reason}\n`, timedOut: false };
  }
}

/** Runs the image with its own configuration, asks every probe, and removes what it made. */
export async function runImage(docker: Docker, image: string, plan: ProbePlan, options: RunOptions): Promise<ImageRun> {
  const started = Date.now();
  const runId = randomUUID();
  const log = options.onLog ?? (() => undefined);
  const { signal } = options;
  const limit = options.timeoutSeconds * 1000;
  const info = await docker.getImage(image).inspect();
  const ports = exposedPorts(info);
  const config = {
    user: info.Config.User || 'root',
    workdir: info.Config.WorkingDir || '/',
    command: [...(info.Config.Entrypoint ?? []), ...(info.Config.Cmd ?? [])],
    ports,
  };
  const made: string[] = [];
  try {
    const container = await createContainer(docker, image, runId, ports, undefined, signal);
    made.push(container.id);
    log(`Running ${image} (${config.command.join(' ') || 'no command'}) as ${config.user} in ${config.workdir}${ports.length ? `, ports ${ports.join(', ')} on 127.0.0.1` : ''}`);
    const deadline = Date.now() + limit;
    let answered: boolean | undefined;
    let exited: Exited | undefined;
    const answers: HttpAnswer[] = [];
    const refused = await startOrWhy(container);
    if (refused) {
      // The engine could not start the command (a missing entrypoint): that is how this side behaves.
      exited = refused;
      if (ports.length > 0) answered = false;
    } else if (ports.length > 0) {
      const first = await hostPort(container, ports[0] as number);
      answered = first !== undefined && (await waitForAnswer(container, `http://127.0.0.1:${first}/`, deadline, signal));
      for (const probe of httpProbesFor(plan, ports)) {
        checkAbort(signal);
        const key = `${probe.method} :${probe.port}${probe.path}`;
        const port = answered ? await hostPort(container, probe.port) : undefined;
        if (port === undefined) {
          answers.push({ key, expected: probe.status, status: null, body: '', error: answered ? `port ${probe.port} is not EXPOSEd` : 'the server never answered' });
          continue;
        }
        try {
          const { status, body } = await ask(`http://127.0.0.1:${port}${probe.path}`, probe.method, signal);
          answers.push({ key, expected: probe.status, status, body, error: undefined });
        } catch (error) {
          if (signal?.aborted) throw cancelled();
          answers.push({ key, expected: probe.status, status: null, body: '', error: (error as Error).cause ? String(((error as Error).cause as Error).message ?? (error as Error).cause) : (error as Error).message });
        }
      }
      const state = (await container.inspect()).State;
      if (!state.Running) exited = await exitOf(container, true);
    } else {
      exited = await exitOf(container, await waitForExit(container, deadline, signal));
    }
    const changes = changesOf(await container.changes());
    const { stdout, stderr } = exited ?? (await logsOf(container));
    if (options.keep) await container.kill().catch(() => undefined);
    else await removeContainer(docker, container.id);
    const runs: Array<{ args: readonly string[] } & Exited> = [];
    for (const args of plan.runs) {
      const extra = await createContainer(docker, image, runId, [], args, signal);
      made.push(extra.id);
      log(`Running ${image} with ${args.join(' ') || 'no arguments'}`);
      const refusedRun = await startOrWhy(extra);
      const ended = refusedRun ? true : await waitForExit(extra, Date.now() + limit, signal);
      runs.push({ args, ...(refusedRun ?? (await exitOf(extra, ended))) });
      await removeContainer(docker, extra.id);
    }
    const kept = options.keep ? { kept: container.id } : {};
    return { image, config, answered, exited, answers, runs, log: `${stdout}${stderr}`, changes, seconds: Number(((Date.now() - started) / 1000).toFixed(1)), ...kept };
  } catch (error) {
    await Promise.all(made.filter((id) => live.has(id)).map((id) => removeContainer(docker, id).catch(() => undefined)));
    throw error;
  } finally {
    const keptId = options.keep ? made[0] : undefined;
    await Promise.all(made.filter((id) => id !== keptId && live.has(id)).map((id) => removeContainer(docker, id).catch(() => undefined)));
  }
}
