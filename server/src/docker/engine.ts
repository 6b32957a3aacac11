// Which Docker Engine to talk to and how: the setting, DOCKER_HOST, the current docker context,
// or the default socket — the same order for the extension, the CLI and the language server.
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * dockerode (with ssh2 and protobuf behind it) is loaded on first use, not at start-up: the
 * language server starts ~0.2-0.4 s sooner and never loads it when no engine is asked.
 */
function dockerode(): typeof Docker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('dockerode') as typeof Docker;
}

export interface TlsFiles {
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  /** false: skip verification of the server certificate (a context's SkipTLSVerify). */
  readonly verify: boolean;
}

export interface Endpoint {
  /** DOCKER_HOST-style address: unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host. */
  readonly host: string;
  /** Where the address came from, for messages: `setting slimfile.docker.host`, `DOCKER_HOST`, `docker context "x"`. */
  readonly source: string;
  readonly tls: TlsFiles | undefined;
}

export interface EndpointInputs {
  /** The `slimfile.docker.host` setting (empty: unset). */
  readonly setting?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly homeDir?: string;
}

export class EndpointError extends Error {}

function dockerConfigDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  return env['DOCKER_CONFIG'] || path.join(homeDir, '.docker');
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The context named by DOCKER_CONTEXT or config.json's currentContext; undefined for "default". */
function currentContextName(env: NodeJS.ProcessEnv, configDir: string): string | undefined {
  const fromEnv = env['DOCKER_CONTEXT'];
  if (fromEnv) return fromEnv === 'default' ? undefined : fromEnv;
  const config = readJson(path.join(configDir, 'config.json')) as { currentContext?: unknown } | undefined;
  const name = typeof config?.currentContext === 'string' ? config.currentContext : '';
  return name === '' || name === 'default' ? undefined : name;
}

function tlsFromDir(dir: string, verify: boolean): TlsFiles | undefined {
  const file = (name: string): string | undefined => (existsSync(path.join(dir, name)) ? path.join(dir, name) : undefined);
  const tls = { ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem'), verify };
  return tls.ca || tls.cert || tls.key ? tls : undefined;
}

function contextEndpoint(name: string, configDir: string): Endpoint {
  // The docker CLI stores a context under the sha256 of its name.
  const id = createHash('sha256').update(name).digest('hex');
  const meta = readJson(path.join(configDir, 'contexts', 'meta', id, 'meta.json')) as
    | { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } }
    | undefined;
  const docker = meta?.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || docker.Host === '') {
    throw new EndpointError(`the current docker context "${name}" has no Docker endpoint (${path.join(configDir, 'contexts', 'meta', id, 'meta.json')} is missing or has no Endpoints.docker.Host); run "docker context use default" or set slimfile.docker.host.`);
  }
  return {
    host: docker.Host,
    source: `docker context "${name}"`,
    tls: tlsFromDir(path.join(configDir, 'contexts', 'tls', id, 'docker'), docker.SkipTLSVerify !== true),
  };
}

function envTls(env: NodeJS.ProcessEnv, homeDir: string): TlsFiles | undefined {
  const verify = (env['DOCKER_TLS_VERIFY'] ?? '') !== '';
  const certPath = env['DOCKER_CERT_PATH'] || (verify ? path.join(dockerConfigDir(env, homeDir)) : '');
  if (!certPath) return undefined;
  return tlsFromDir(certPath, verify) ?? (verify ? { ca: undefined, cert: undefined, key: undefined, verify } : undefined);
}

/** The engine address, the way the docker CLI picks it, with Slimfile's setting first. */
export function resolveEndpoint(inputs: EndpointInputs = {}): Endpoint {
  const env = inputs.env ?? process.env;
  const homeDir = inputs.homeDir ?? os.homedir();
  const setting = (inputs.setting ?? '').trim();
  if (setting !== '') return { host: setting, source: 'setting slimfile.docker.host', tls: envTls(env, homeDir) };
  const fromEnv = (env['DOCKER_HOST'] ?? '').trim();
  if (fromEnv !== '') return { host: fromEnv, source: 'DOCKER_HOST', tls: envTls(env, homeDir) };
  const configDir = dockerConfigDir(env, homeDir);
  const context = currentContextName(env, configDir);
  if (context) return contextEndpoint(context, configDir);
  return { host: `unix://${DEFAULT_SOCKET}`, source: 'the default socket', tls: undefined };
}

/** The unix socket path of an endpoint, or undefined for tcp:// and ssh://. */
export function socketPathOf(endpoint: Endpoint): string | undefined {
  if (endpoint.host.startsWith('unix://')) return endpoint.host.slice('unix://'.length);
  if (endpoint.host.startsWith('/')) return endpoint.host;
  return undefined;
}

function readOptional(file: string | undefined): Buffer | undefined {
  return file ? readFileSync(file) : undefined;
}

/** A dockerode client for the endpoint. Throws EndpointError for an address it cannot use. */
export function dockerFor(endpoint: Endpoint, timeoutMs?: number): Docker {
  const timeout = timeoutMs === undefined ? {} : { timeout: timeoutMs };
  const socketPath = socketPathOf(endpoint);
  if (socketPath !== undefined) return new (dockerode())({ socketPath, ...timeout });
  let url: URL;
  try {
    url = new URL(endpoint.host);
  } catch {
    throw new EndpointError(`${endpoint.source} is "${endpoint.host}", which is not a Docker address (unix:///path, tcp://host:port or ssh://user@host).`);
  }
  if (url.protocol === 'ssh:') {
    return new (dockerode())({
      protocol: 'ssh',
      host: url.hostname,
      port: url.port ? Number(url.port) : 22,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      // The ssh agent holds the key, as for the docker CLI.
      sshOptions: process.env['SSH_AUTH_SOCK'] ? { agent: process.env['SSH_AUTH_SOCK'] } : {},
      ...timeout,
    } as Docker.DockerOptions);
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = endpoint.tls;
    const useTls = url.protocol === 'https:' || tls !== undefined;
    return new (dockerode())({
      protocol: useTls ? 'https' : 'http',
      host: url.hostname,
      port: url.port ? Number(url.port) : useTls ? 2376 : 2375,
      ...(useTls
        ? {
            ca: readOptional(tls?.ca),
            cert: readOptional(tls?.cert),
            key: readOptional(tls?.key),
            // docker-modem hands these to https.Agent; rejectUnauthorized follows DOCKER_TLS_VERIFY.
            ...(tls && !tls.verify ? { rejectUnauthorized: false } : {}),
          }
        : {}),
      ...timeout,
    } as Docker.DockerOptions);
  }
  throw new EndpointError(`${endpoint.source} is "${endpoint.host}": Slimfile talks to unix://, tcp:// and ssh:// engines, not ${url.protocol}//.`);
}
