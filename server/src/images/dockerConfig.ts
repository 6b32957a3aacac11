// Reads registry credentials from the user's Docker config (~/.docker/config.json, or
// $DOCKER_CONFIG/config.json), the file `docker login` writes, so private base images resolve.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** A config larger than this is not a login file; do not read it into memory. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Docker Hub's credentials are stored under its legacy v1 address; the others are its aliases. */
const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

export function defaultDockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/**
 * Credentials for `registry` ("docker.io", "ghcr.io", "127.0.0.1:5000"), or undefined when the
 * config is missing, unreadable, malformed or has none for that host: a lookup then goes on
 * anonymously. Only `auths[host].auth` (base64 "user:password") and `username`/`password` are
 * used. `credsStore` and `credHelpers` are skipped on purpose: they mean running an external
 * docker-credential-* program, which a language server should not do behind the user's back.
 * `identitytoken` is skipped too: it needs an OAuth2 refresh-token exchange we do not implement.
 */
export async function readRegistryCredentials(registry: string, configPath: string): Promise<RegistryCredentials | undefined> {
  let config: unknown;
  try {
    const handle = await fs.open(configPath, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_CONFIG_BYTES) return undefined;
      config = JSON.parse(await handle.readFile({ encoding: 'utf8' }));
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const auths = isObject(config) && isObject(config.auths) ? config.auths : undefined;
  if (!auths) return undefined;
  const wanted = registry === 'docker.io' ? DOCKER_HUB_KEYS.map(normaliseHost) : [normaliseHost(registry)];
  for (const [key, entry] of Object.entries(auths)) {
    if (!wanted.includes(normaliseHost(key)) || !isObject(entry)) continue;
    const credentials = credentialsFrom(entry);
    if (credentials) return credentials;
  }
  return undefined;
}

function credentialsFrom(entry: Record<string, unknown>): RegistryCredentials | undefined {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** "https://Registry.example.com:5000/v2/" and "registry.example.com:5000" name the same host. */
function normaliseHost(key: string): string {
  return key.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
