// Shared by the real-engine tests: the engine set up by test/e2e/docker-setup.sh, the docker CLI
// and the slimfile CLI run as processes (argv arrays, never a shell).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { holdEngineTags } from './engineLock';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'slimfile.js');

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end; `input` is written to its stdin (then closed). */
export function run(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(file, [...args], { env: options.env ?? process.env, cwd: options.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 30 * 60_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code as number | null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export async function docker(...args: string[]): Promise<string> {
  const ran = await run('docker', args);
  if (ran.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${ran.code}): ${ran.stderr}`);
  return ran.stdout.trim();
}

export function slimfile(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Ran> {
  return run(process.execPath, [CLI, ...args], env ? { env } : {});
}

/** What `slimfile check` finds in dir/Dockerfile. */
export async function findingsOf(dir: string): Promise<Array<{ rule: string; message: string }>> {
  const ran = await slimfile(['check', '--format', 'json', path.join(dir, 'Dockerfile')]);
  return JSON.parse(ran.stdout) as Array<{ rule: string; message: string }>;
}

/** Brings the engine and the stand-in base images up (the script is idempotent and says when all is ready). */
export async function ensureDockerReady(): Promise<void> {
  const script = path.join(ROOT, 'test', 'e2e', 'docker-setup.sh');
  // Not while another run has the tags swapped: its check would fail and the set-up rebuild from them.
  const release = await holdEngineTags('checking the stand-in images');
  try {
    const check = await run('bash', [script, '--check']);
    if (check.code === 0) return;
    const setup = await run('bash', [script], { timeoutMs: 60 * 60_000 });
    if (setup.code !== 0) throw new Error(`test/e2e/docker-setup.sh failed (${setup.code}):\n${setup.stderr.slice(-4000)}`);
  } finally {
    await release();
  }
}

/** Resolves with the first line of a process's output that matches, or rejects when it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${pattern}:\n${seen.slice(-3000)}`)));
  });
}

/** Follows a container's log until a line matches (the event that says the container is ready). */
export async function waitForContainerLog(container: string, pattern: RegExp): Promise<void> {
  const follower = spawn('docker', ['logs', '--follow', container], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitForLine(follower, pattern);
  } finally {
    follower.kill();
  }
}

/**
 * fetch, sent again while no answer comes back at all. The programs print their ready line just
 * before they bind (`log.Println("listening…")`, then `ListenAndServe`), and docker's port proxy
 * accepts a connection and drops it while nothing listens inside: a request sent right after the
 * line can fail with "fetch failed" on a loaded machine, without reaching the program. Any answer,
 * whatever its status, is returned as it is (a probe that logs its requests sees each one once).
 * Gives up after 20 s.
 */
export async function fetchOnceListening(url: string, init: RequestInit = {}): Promise<Response> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Containers (running or not) whose command holds the marker: others' containers on a shared engine do not count. */
export async function containersWith(marker: string): Promise<string[]> {
  const out = await docker('ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}');
  return out.split('\n').filter((line) => line.includes(marker));
}

export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}
