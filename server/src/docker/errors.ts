// Build and engine failures as messages a user can act on: which engine, what went wrong, what to do.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { socketPathOf, type Endpoint } from './engine';

export type BuildErrorKind =
  | 'engine-not-installed'
  | 'engine-not-running'
  | 'engine-permission'
  | 'engine-unreachable'
  | 'bad-endpoint'
  | 'unsupported'
  | 'base-image'
  | 'step-failed'
  | 'cancelled'
  | 'build-failed';

export class BuildError extends Error {
  constructor(
    readonly kind: BuildErrorKind,
    message: string,
    /** For step-failed: the step as BuildKit or the classic builder names it, and its last output. */
    readonly step?: string,
    readonly output?: string,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

/** Whether an executable is on PATH (no shell: each PATH entry is checked). */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function where(endpoint: Endpoint): string {
  return `${endpoint.host} (from ${endpoint.source})`;
}

/** Turns a connection error from dockerode/docker-modem into a BuildError that says what to do. */
export function engineError(error: unknown, endpoint: Endpoint): BuildError {
  if (error instanceof BuildError) return error;
  const e = error as NodeJS.ErrnoException & { statusCode?: number; reason?: string };
  const code = e.code ?? '';
  const socket = socketPathOf(endpoint);
  if (socket !== undefined && (code === 'ENOENT' || (!existsSync(socket) && code !== 'EACCES'))) {
    if (!onPath('docker') && !onPath('dockerd')) {
      return new BuildError('engine-not-installed', `Docker is not installed: there is no engine socket at ${socket} and no docker or dockerd on PATH. Install Docker Engine (or Docker Desktop), or set slimfile.docker.host / DOCKER_HOST to a remote engine.`);
    }
    return new BuildError('engine-not-running', `The Docker Engine is not running: no socket at ${where(endpoint)}. Start it (for example "sudo systemctl start docker", or open Docker Desktop) and try again.`);
  }
  if (code === 'ECONNREFUSED') {
    return new BuildError('engine-not-running', `The Docker Engine is not running: nothing answers at ${where(endpoint)} (connection refused). Start the engine, or check DOCKER_HOST / the docker context.`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new BuildError('engine-permission', `Permission denied on the Docker socket ${socket ?? endpoint.host}: your user may not use the engine. Add it to the docker group ("sudo usermod -aG docker $USER", then log in again), or point slimfile.docker.host at an engine you can use.`);
  }
  if (['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code) || /timeout/i.test(e.message ?? '')) {
    return new BuildError('engine-unreachable', `Cannot reach the Docker Engine at ${where(endpoint)}: ${code || e.message}. Check the address and that the engine listens there.`);
  }
  if (/certificate|self.signed|tls|ssl/i.test(e.message ?? '')) {
    return new BuildError('engine-unreachable', `TLS to the Docker Engine at ${where(endpoint)} failed: ${e.message}. Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY.`);
  }
  return new BuildError('engine-unreachable', `The Docker Engine at ${where(endpoint)} did not answer as expected: ${e.message ?? String(error)}`);
}

/** The image a "cannot get the base image" message names, if it is one. */
export function missingBaseImage(message: string): string | undefined {
  const patterns = [
    /failed to resolve source metadata for ([^\s:]+(?::[^\s:]+)?(?:@sha256:[0-9a-f]+)?)/,
    /pull access denied for ([^\s,]+)/,
    /manifest for ([^\s]+) not found/,
    /failed to (?:load|resolve) (?:cache key|image config).*? for ([^\s:]+:[^\s:]+)/,
    /No such image: ([^\s]+)/,
  ];
  for (const p of patterns) {
    const m = p.exec(message);
    if (m?.[1]) return m[1];
  }
  return undefined;
}
