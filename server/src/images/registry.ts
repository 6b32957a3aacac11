// Live image lookup over the OCI distribution API (index -> platform manifest -> layer sizes,
// config blob for user/OS), for images the catalog lacks or to refresh it. Every failure ends as
// a RegistryError with a sentence for the user, within the lookup's deadline.
import { createHash } from 'node:crypto';
import { ImageReference, effectiveTag } from '../analysis/imageRef';
import { DiskCache } from './diskCache';
import { RegistryCredentials, defaultDockerConfigPath, readRegistryCredentials } from './dockerConfig';

export interface PlatformImage {
  /** "linux/amd64", "linux/arm64/v8". */
  platform: string;
  manifestDigest: string;
  /** Sum of the layer sizes: what a pull downloads. */
  compressedSize: number;
  layerSizes: number[];
  configDigest: string;
  /** From the config blob; filled for the selected platform only. */
  user?: string;
  os?: string;
  architecture?: string;
  variant?: string;
  env?: string[];
  created?: string;
}

export interface RegistryImage {
  /** The reference as asked. */
  reference: string;
  registry: string;
  repository: string;
  /** Digest of the top-level manifest or index the reference resolved to. */
  digest: string;
  /** Media type of that top-level document. */
  mediaType: string;
  /** Every runnable platform (attestations left out), in the registry's order. */
  platforms: PlatformImage[];
  /** The platform the lookup selected; an element of `platforms`, with its config read. */
  selected: PlatformImage;
  /** ISO time of the registry answer (older than now when served from the cache). */
  fetchedAt: string;
  /** True when this answer came from the disk cache. */
  fromCache?: boolean;
}

export type RegistryErrorKind = 'offline' | 'timeout' | 'unauthorized' | 'forbidden' | 'not-found' | 'rate-limited' | 'server' | 'malformed' | 'unreachable';

export interface RegistryErrorContext {
  /** Registry as the user knows it: "docker.io", "gcr.io", "127.0.0.1:5000". */
  readonly registry: string;
  /** Image as the user wrote it, with the tag that applies: "golang:latest". */
  readonly image: string;
  /** What went wrong in a few words, or the registry's own error text. */
  readonly detail?: string;
  readonly status?: number;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly registry: string;
  readonly image: string;
  readonly status: number | undefined;

  constructor(readonly kind: RegistryErrorKind, context: RegistryErrorContext) {
    super(registryErrorMessage(kind, context));
    this.registry = context.registry;
    this.image = context.image;
    this.status = context.status;
  }
}

/** The sentence shown for each kind of failure; the tests call it too. */
export function registryErrorMessage(kind: RegistryErrorKind, { registry, image, detail, status }: RegistryErrorContext): string {
  const http = status !== undefined ? ` (HTTP ${status})` : '';
  const because = detail ? `: ${detail}` : '';
  switch (kind) {
    case 'offline':
      return `Slimfile is set to stay offline, so it did not look up ${image} on ${registry}.`;
    case 'timeout':
      return `${registry} did not answer in time for ${image}${because}.`;
    case 'unauthorized':
      return `${registry} refused to show ${image} without valid credentials${http}${because}; if the image is private, run docker login ${registry}.`;
    case 'forbidden':
      return `${registry} denied access to ${image}${http}${because}.`;
    case 'not-found':
      return `${registry} has no image ${image}${http}${because}.`;
    case 'rate-limited':
      return `${registry} is limiting requests and did not answer for ${image}${http}${because}; try again later.`;
    case 'server':
      return `${registry} failed while answering for ${image}${http}${because}.`;
    case 'malformed':
      return `${registry} sent an answer for ${image} that Slimfile cannot read${because}.`;
    case 'unreachable':
      return `Slimfile could not reach ${registry} to look up ${image}${because}.`;
  }
}

export interface RegistryOptions {
  /** Per request, including reading its body. Default 5000. */
  timeoutMs?: number;
  /** The whole lookup, every request included. Default 15000. */
  totalTimeoutMs?: number;
  /** Never open a connection; answer from the disk cache (even expired) or fail with 'offline'. */
  offline?: boolean;
  /** Where answers are cached; no disk cache without it. */
  cacheDir?: string;
  /** How long a tag's answer is fresh. Default 7 days. Digest-pinned answers never expire. */
  cacheTtlMs?: number;
  /** 'none' in untrusted workspaces: the Docker config is then never opened. Default 'docker-config'. */
  credentials?: 'docker-config' | 'none';
  /** Default $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  dockerConfigPath?: string;
  /** Hosts spoken to over plain HTTP, e.g. ['127.0.0.1:5000']; every other host over HTTPS. */
  plainHttpHosts?: string[];
  fetch?: typeof fetch;
}

export interface LookupOptions {
  /** "os/arch[/variant]"; default linux/amd64. */
  platform?: string;
  signal?: AbortSignal;
}

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export const DEFAULT_PLATFORM = 'linux/amd64';

const INDEX_TYPES: readonly string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList];
const MANIFEST_TYPES: readonly string[] = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest];
const MANIFEST_ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ');
const SCHEMA1_TYPES = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_TOTAL_TIMEOUT_MS = 15000;
const DEFAULT_CACHE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** The OCI spec asks registries to accept manifests up to 4 MB; nothing larger is a manifest. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_TOKEN_BYTES = 1024 * 1024;
/** Only read far enough into an error answer to quote the registry's message. */
const MAX_ERROR_BYTES = 16 * 1024;
/** Indexes with more platforms than this are trimmed: each platform costs one request. */
const MAX_PLATFORMS = 16;
const PLATFORM_CONCURRENCY = 4;
const MAX_AUTH_CACHE = 100;
const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-fA-F0-9]{32,})$/;

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
}

interface IndexEntry extends Descriptor {
  platform?: { os: string; architecture: string; variant?: string };
}

type ManifestDocument =
  | { kind: 'index'; mediaType: string; manifests: IndexEntry[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  user?: string;
  env?: string[];
  created?: string;
}

interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** State of one lookup: where it goes, its deadline, and the authorization it earned. */
interface Lookup {
  readonly ref: ImageReference;
  readonly baseUrl: string;
  readonly context: { registry: string; image: string };
  readonly userSignal: AbortSignal | undefined;
  readonly deadline: AbortSignal;
  /** Aborted when the lookup ends, so requests still in flight after a failure stop too. */
  readonly done: AbortController;
  /** Deadline, caller's signal and `done`, together. */
  readonly cancel: AbortSignal;
  readonly totalTimeoutMs: number;
  readonly authKey: string;
  authorization: string | undefined;
  /** Whether `authorization` came from the user's credentials (for the 401 message). */
  usedCredentials: boolean;
}

interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

export class RegistryClient {
  private readonly timeoutMs: number;
  private readonly totalTimeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly offline: boolean;
  private readonly useCredentials: boolean;
  private readonly dockerConfigPath: string | undefined;
  private readonly plainHttpHosts: ReadonlySet<string>;
  private readonly fetchImpl: typeof fetch;
  private readonly cache: DiskCache<RegistryImage> | undefined;
  /** Bearer tokens by host and repository, so a second lookup skips the 401 round trip. */
  private readonly authCache = new Map<string, { authorization: string; expiresAt: number; usedCredentials: boolean }>();

  constructor(options: RegistryOptions = {}) {
    this.timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.totalTimeoutMs = positive(options.totalTimeoutMs, DEFAULT_TOTAL_TIMEOUT_MS);
    this.cacheTtlMs = options.cacheTtlMs !== undefined && options.cacheTtlMs >= 0 ? options.cacheTtlMs : DEFAULT_CACHE_TTL_MS;
    this.offline = options.offline === true;
    this.useCredentials = options.credentials !== 'none';
    this.dockerConfigPath = options.dockerConfigPath;
    this.plainHttpHosts = new Set((options.plainHttpHosts ?? []).map((host) => host.toLowerCase()));
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.cache = options.cacheDir ? new DiskCache(options.cacheDir, isRegistryImage) : undefined;
  }

  async lookup(ref: ImageReference, options: LookupOptions = {}): Promise<RegistryImage> {
    const context = { registry: ref.registry, image: describeImage(ref) };
    const wanted = parsePlatform(options.platform ?? DEFAULT_PLATFORM);
    if (!wanted) throw new RegistryError('not-found', { ...context, detail: `"${options.platform}" is not a platform (expected os/architecture, like linux/amd64)` });
    const platformKey = formatPlatform(wanted);
    const cacheKey = `${ref.registry}/${ref.path}:${ref.tag ?? ''}@${ref.digest ?? ''}#${platformKey}`;

    const hit = await this.cache?.read(cacheKey);
    // A digest names immutable content, so its answer never goes stale.
    if (hit && (this.offline || ref.digest !== undefined || Date.now() - hit.storedAt < this.cacheTtlMs)) {
      return { ...hit.value, reference: ref.raw, fromCache: true };
    }
    if (this.offline) throw new RegistryError('offline', context);
    if (options.signal?.aborted) throw options.signal.reason;

    const host = registryHost(ref.registry);
    const deadline = AbortSignal.timeout(this.totalTimeoutMs);
    const done = new AbortController();
    const lookup: Lookup = {
      ref,
      baseUrl: `${this.plainHttpHosts.has(host.toLowerCase()) ? 'http' : 'https'}://${host}/v2/${ref.path}`,
      context,
      userSignal: options.signal,
      deadline,
      done,
      cancel: AbortSignal.any([deadline, done.signal, ...(options.signal ? [options.signal] : [])]),
      totalTimeoutMs: this.totalTimeoutMs,
      authKey: `${host}/${ref.path}`,
      authorization: undefined,
      usedCredentials: false,
    };
    const cached = this.authCache.get(lookup.authKey);
    if (cached && cached.expiresAt > Date.now()) {
      lookup.authorization = cached.authorization;
      lookup.usedCredentials = cached.usedCredentials;
    }
    try {
      const image = await this.resolve(lookup, wanted, options.platform !== undefined);
      if (this.cache) await this.cache.write(cacheKey, image);
      return image;
    } finally {
      done.abort();
    }
  }

  private async resolve(lookup: Lookup, wanted: Platform, platformAsked: boolean): Promise<RegistryImage> {
    const { ref } = lookup;
    const reference = ref.digest ?? effectiveTag(ref) ?? 'latest';
    const top = await this.manifest(lookup, reference, ref.digest);
    let platforms: PlatformImage[];
    let selected: PlatformImage;

    if (top.document.kind === 'index') {
      const runnable = top.document.manifests.filter(isRunnable);
      const chosen = choosePlatform(runnable, wanted);
      if (!chosen) {
        const available = runnable.map((entry) => formatPlatform(entry.platform)).join(', ') || 'none';
        throw new RegistryError('not-found', { ...lookup.context, detail: `no ${formatPlatform(wanted)} image in its index (it has: ${available})` });
      }
      const entries = runnable.slice(0, MAX_PLATFORMS);
      if (!entries.includes(chosen)) entries.push(chosen);
      const images = await mapBounded(entries, PLATFORM_CONCURRENCY, async (entry) => {
        const fetched = await this.manifest(lookup, entry.digest, entry.digest);
        if (fetched.document.kind !== 'image') {
          throw new RegistryError('malformed', { ...lookup.context, detail: `the ${formatPlatform(entry.platform)} entry of its index is itself an index` });
        }
        return platformImage(formatPlatform(entry.platform), entry.digest, fetched.document, entry.platform);
      });
      platforms = images;
      selected = images[entries.indexOf(chosen)]!;
      Object.assign(selected, await this.config(lookup, selected.configDigest));
      // The index is authoritative for the platform; the config only adds to it.
      selected.os = chosen.platform.os;
      selected.architecture = chosen.platform.architecture;
      if (chosen.platform.variant) selected.variant = chosen.platform.variant;
      else delete selected.variant;
    } else {
      const config = await this.config(lookup, top.document.config.digest);
      const platform = config.os && config.architecture ? { os: config.os, architecture: config.architecture, variant: config.variant } : undefined;
      selected = { ...platformImage(platform ? formatPlatform(platform) : 'unknown', top.digest, top.document, platform), ...config };
      if (platformAsked && (!platform || !platformMatches(platform, wanted))) {
        throw new RegistryError('not-found', { ...lookup.context, detail: `no ${formatPlatform(wanted)} image (it is a single ${selected.platform} image)` });
      }
      platforms = [selected];
    }
    return {
      reference: ref.raw,
      registry: ref.registry,
      repository: ref.path,
      digest: top.digest,
      mediaType: top.document.mediaType,
      platforms,
      selected,
      fetchedAt: new Date().toISOString(),
    };
  }

  /** GET a manifest or index by tag or digest, checked against `expectedDigest` when given. */
  private async manifest(lookup: Lookup, reference: string, expectedDigest: string | undefined): Promise<{ digest: string; document: ManifestDocument }> {
    // Tags and digests come through the reference grammar: nothing in them needs escaping.
    const answer = await this.get(lookup, `${lookup.baseUrl}/manifests/${reference}`, MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, 'manifest');
    const digest = expectedDigest ?? `sha256:${createHash('sha256').update(answer.body).digest('hex')}`;
    if (expectedDigest && !digestMatches(answer.body, expectedDigest)) {
      throw new RegistryError('malformed', { ...lookup.context, detail: `the manifest it sent for ${shortDigest(expectedDigest)} does not match that digest` });
    }
    const document = parseManifest(answer.body, answer.headers.get('content-type'));
    if (typeof document === 'string') throw new RegistryError('malformed', { ...lookup.context, detail: document });
    return { digest, document };
  }

  private async config(lookup: Lookup, digest: string): Promise<ImageConfig> {
    const answer = await this.get(lookup, `${lookup.baseUrl}/blobs/${digest}`, 'application/json, */*', MAX_CONFIG_BYTES, 'image config');
    if (!digestMatches(answer.body, digest)) {
      throw new RegistryError('malformed', { ...lookup.context, detail: `the image config it sent does not match its digest ${shortDigest(digest)}` });
    }
    const config = parseConfig(answer.body);
    if (typeof config === 'string') throw new RegistryError('malformed', { ...lookup.context, detail: config });
    return config;
  }

  /** One registry GET, with the bearer-token or basic-auth dance when the registry asks for it. */
  private async get(lookup: Lookup, url: string, accept: string, maxBytes: number, what: string): Promise<Exchange> {
    let answer = await this.exchange(lookup, url, this.headers(accept, lookup.authorization), maxBytes, what);
    if (answer.status === 401) {
      const authorization = await this.authenticate(lookup, answer.headers.get('www-authenticate'));
      if (authorization) {
        lookup.authorization = authorization;
        answer = await this.exchange(lookup, url, this.headers(accept, authorization), maxBytes, what);
      }
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw this.statusError(lookup, answer, what);
  }

  private headers(accept: string, authorization: string | undefined): Record<string, string> {
    return { accept, 'user-agent': 'slimfile', ...(authorization ? { authorization } : {}) };
  }

  /**
   * Answers a 401 challenge. Bearer (Docker Hub, gcr.io, ghcr.io, cgr.dev): fetch a token from the
   * realm, with the user's credentials when allowed, and cache it. Basic: the credentials
   * themselves. Undefined when there is nothing to answer with.
   */
  private async authenticate(lookup: Lookup, header: string | null): Promise<string | undefined> {
    const challenge = header ? parseChallenge(header) : undefined;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') {
      const credentials = await this.credentials(lookup);
      if (!credentials) return undefined;
      lookup.usedCredentials = true;
      return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer') return undefined;
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
    } catch {
      throw new RegistryError('malformed', { ...lookup.context, detail: 'its authentication challenge names no valid token address' });
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw new RegistryError('malformed', { ...lookup.context, detail: 'its authentication challenge names no valid token address' });
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    const scopes = (challenge.params.scope ?? `repository:${lookup.ref.path}:pull`).split(' ').filter(Boolean);
    for (const scope of scopes) realm.searchParams.append('scope', scope);

    // Credentials travel only over HTTPS, or to a host the user declared plain-HTTP.
    const trusted = realm.protocol === 'https:' || this.plainHttpHosts.has(realm.host.toLowerCase());
    const credentials = trusted ? await this.credentials(lookup) : undefined;
    const headers = this.headers('application/json', credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined);
    const answer = await this.exchange(lookup, realm.href, headers, MAX_TOKEN_BYTES, 'token');
    if (answer.status < 200 || answer.status >= 300) {
      const error = this.statusError(lookup, answer, 'token');
      if (error.kind === 'unauthorized' && credentials) {
        throw new RegistryError('unauthorized', { ...lookup.context, status: answer.status, detail: 'its token service refused the credentials in your Docker config' });
      }
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.body.toString('utf8'));
    } catch {
      body = undefined;
    }
    const token = isObject(body) ? (nonEmptyString(body.token) ?? nonEmptyString(body.access_token)) : undefined;
    if (!token || !isObject(body)) throw new RegistryError('malformed', { ...lookup.context, detail: 'its token service answered without a token' });
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    const authorization = `Bearer ${token}`;
    lookup.usedCredentials = credentials !== undefined;
    // Renew a little early: a token that expires between two requests costs a failed lookup.
    this.rememberAuthorization(lookup.authKey, { authorization, expiresAt: Date.now() + Math.max(0, expiresIn - 10) * 1000, usedCredentials: lookup.usedCredentials });
    return authorization;
  }

  private rememberAuthorization(key: string, entry: { authorization: string; expiresAt: number; usedCredentials: boolean }): void {
    this.authCache.delete(key);
    this.authCache.set(key, entry);
    if (this.authCache.size > MAX_AUTH_CACHE) {
      const oldest = this.authCache.keys().next().value;
      if (oldest !== undefined) this.authCache.delete(oldest);
    }
  }

  private async credentials(lookup: Lookup): Promise<RegistryCredentials | undefined> {
    if (!this.useCredentials) return undefined;
    return readRegistryCredentials(lookup.ref.registry, this.dockerConfigPath ?? defaultDockerConfigPath());
  }

  /**
   * One HTTP exchange bounded by the per-request timeout and the lookup's deadline, both covering
   * the body too: a registry that drips bytes is cut off like one that never answers.
   */
  private async exchange(lookup: Lookup, url: string, headers: Record<string, string>, maxBytes: number, what: string): Promise<Exchange> {
    const requestTimeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([lookup.cancel, requestTimeout]);
    try {
      const response = await this.fetchImpl(url, { headers, signal, redirect: 'follow' });
      const ok = response.status >= 200 && response.status < 300;
      let body: Buffer;
      if (ok) {
        body = await readBounded(response, maxBytes, signal);
      } else {
        // The error text is a courtesy: if it is slow or huge, the status alone will do.
        body = await readBounded(response, MAX_ERROR_BYTES, signal).catch(() => Buffer.alloc(0));
      }
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      throw this.failure(lookup, requestTimeout, error, what);
    }
  }

  /** Turns whatever a fetch threw into a RegistryError, or the caller's own abort reason. */
  private failure(lookup: Lookup, requestTimeout: AbortSignal, error: unknown, what: string): unknown {
    if (lookup.userSignal?.aborted) return lookup.userSignal.reason;
    if (lookup.deadline.aborted) {
      return new RegistryError('timeout', { ...lookup.context, detail: `the lookup took longer than ${seconds(lookup.totalTimeoutMs)}` });
    }
    if (requestTimeout.aborted) {
      return new RegistryError('timeout', { ...lookup.context, detail: `no complete ${what} answer within ${seconds(this.timeoutMs)}` });
    }
    if (error instanceof RegistryError) return error;
    if (error instanceof BodyTooLarge) {
      return new RegistryError('malformed', { ...lookup.context, detail: `its ${what} answer is larger than ${formatBytes(error.limit)}` });
    }
    return new RegistryError('unreachable', { ...lookup.context, detail: describeNetworkError(error) });
  }

  private statusError(lookup: Lookup, answer: Exchange, what: string): RegistryError {
    const status = answer.status;
    const registryText = registryMessage(answer.body);
    const context = { ...lookup.context, status, detail: registryText };
    if (status === 401) {
      return new RegistryError('unauthorized', {
        ...context,
        detail: registryText ?? (lookup.usedCredentials ? 'the credentials in your Docker config were not accepted' : 'the image may be private or may not exist'),
      });
    }
    if (status === 403) return new RegistryError('forbidden', context);
    if (status === 404) {
      return new RegistryError('not-found', { ...context, detail: what === 'manifest' ? registryText : `its ${what} is missing${registryText ? ` (${registryText})` : ''}` });
    }
    if (status === 429) {
      const retryAfter = answer.headers.get('retry-after');
      const wait = retryAfter && /^\d+$/.test(retryAfter.trim()) ? `it asks to wait ${retryAfter.trim()} s` : undefined;
      return new RegistryError('rate-limited', { ...context, detail: [registryText, wait].filter(Boolean).join('; ') || undefined });
    }
    return new RegistryError('server', { ...context, detail: registryText ?? (status >= 500 ? undefined : `unexpected answer to the ${what} request`) });
  }
}

/** Docker Hub's API lives on another host than its name. */
export function registryHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

function describeImage(ref: ImageReference): string {
  const tag = effectiveTag(ref);
  return `${ref.familiar}${tag ? `:${tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Reads at most `maxBytes` of the body; aborting `signal` ends the read, even mid-drip. */
async function readBounded(response: Response, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stop = (): void => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (signal.aborted) throw signal.reason;
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw new BodyTooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
  return Buffer.concat(chunks);
}

/**
 * Runs `work` over `items`, at most `limit` at a time; stops taking items once one fails. After
 * the deadline each `work` fails fast with its own timeout error, so no separate check is needed.
 */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Promise.all listens to every worker, so a second failure is never an unhandled rejection.
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A manifest or index, shape-checked; a string says what is wrong with it. */
function parseManifest(body: Buffer, contentType: string | null): ManifestDocument | string {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return 'its manifest is not valid JSON';
  }
  if (!isObject(doc)) return 'its manifest is not a JSON object';
  const headerType = contentType?.split(';')[0]?.trim().toLowerCase();
  const mediaType = nonEmptyString(doc.mediaType) ?? headerType ?? '';
  if (doc.schemaVersion === 1 || SCHEMA1_TYPES.includes(mediaType)) return 'its manifest uses the old schema 1 format, which lists no layer sizes';
  if (doc.schemaVersion !== 2) return 'its manifest has no schemaVersion 2';
  const isIndex = INDEX_TYPES.includes(mediaType) || (!MANIFEST_TYPES.includes(mediaType) && Array.isArray(doc.manifests));
  if (isIndex) {
    if (!Array.isArray(doc.manifests)) return 'its index has no manifests list';
    const manifests: IndexEntry[] = [];
    for (const item of doc.manifests) {
      const descriptor = parseDescriptor(item);
      if (!descriptor) return 'its index lists a manifest without a valid digest and size';
      const platform = isObject(item) && isObject(item.platform) ? item.platform : undefined;
      const entry: IndexEntry = { ...descriptor };
      if (platform && typeof platform.os === 'string' && typeof platform.architecture === 'string') {
        entry.platform = { os: platform.os, architecture: platform.architecture, ...(typeof platform.variant === 'string' && platform.variant ? { variant: platform.variant } : {}) };
      }
      manifests.push(entry);
    }
    return { kind: 'index', mediaType: mediaType || MEDIA_TYPES.ociIndex, manifests };
  }
  if (MANIFEST_TYPES.includes(mediaType) || (mediaType === '' && Array.isArray(doc.layers)) || headerType === 'application/json') {
    const config = parseDescriptor(doc.config);
    if (!config) return 'its manifest has no valid config descriptor';
    if (!Array.isArray(doc.layers)) return 'its manifest has no layers list';
    const layers: Descriptor[] = [];
    for (const item of doc.layers) {
      const layer = parseDescriptor(item);
      if (!layer) return 'its manifest lists a layer without a valid digest and size';
      layers.push(layer);
    }
    return { kind: 'image', mediaType: mediaType || MEDIA_TYPES.ociManifest, config, layers };
  }
  return `its manifest has a media type Slimfile does not know (${mediaType.slice(0, 100) || 'none'})`;
}

function parseDescriptor(value: unknown): Descriptor | undefined {
  if (!isObject(value)) return undefined;
  const { digest, size, mediaType } = value;
  if (typeof digest !== 'string' || !DIGEST.test(digest)) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  return { digest, size, ...(typeof mediaType === 'string' ? { mediaType } : {}) };
}

function parseConfig(body: Buffer): ImageConfig | string {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return 'its image config is not valid JSON';
  }
  if (!isObject(doc)) return 'its image config is not a JSON object';
  const config = isObject(doc.config) ? doc.config : {};
  const result: ImageConfig = {};
  if (nonEmptyString(doc.os)) result.os = doc.os as string;
  if (nonEmptyString(doc.architecture)) result.architecture = doc.architecture as string;
  if (nonEmptyString(doc.variant)) result.variant = doc.variant as string;
  if (typeof doc.created === 'string') result.created = doc.created;
  if (typeof config.User === 'string') result.user = config.User;
  if (Array.isArray(config.Env) && config.Env.every((item) => typeof item === 'string')) result.env = config.Env as string[];
  return result;
}

function platformImage(platform: string, manifestDigest: string, manifest: { config: Descriptor; layers: Descriptor[] }, from: Platform | undefined): PlatformImage {
  const layerSizes = manifest.layers.map((layer) => layer.size);
  return {
    platform,
    manifestDigest,
    compressedSize: layerSizes.reduce((sum, size) => sum + size, 0),
    layerSizes,
    configDigest: manifest.config.digest,
    ...(from ? { os: from.os, architecture: from.architecture, ...(from.variant ? { variant: from.variant } : {}) } : {}),
  };
}

/** Attestation and signature entries carry "unknown/unknown" or no platform; they are not images to run. */
function isRunnable(entry: IndexEntry): entry is IndexEntry & { platform: Platform } {
  if (!entry.platform || entry.platform.os === 'unknown' || entry.platform.architecture === 'unknown') return false;
  return entry.mediaType === undefined || !INDEX_TYPES.includes(entry.mediaType);
}

export function parsePlatform(text: string): Platform | undefined {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9._-]+$/.test(part))) return undefined;
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  const aliases: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };
  return { os, architecture: aliases[architecture] ?? architecture, ...(variant ? { variant } : {}) };
}

export function formatPlatform(platform: Platform): string {
  return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}

/** arm64 without a variant is v8; a request without a variant accepts any. */
function platformMatches(candidate: Platform, wanted: Platform): boolean {
  if (candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  if (!wanted.variant) return true;
  const implied = (p: Platform): string | undefined => p.variant ?? (p.architecture === 'arm64' ? 'v8' : undefined);
  return implied(candidate) === implied(wanted);
}

function choosePlatform<T extends IndexEntry & { platform: Platform }>(entries: readonly T[], wanted: Platform): T | undefined {
  const matching = entries.filter((entry) => platformMatches(entry.platform, wanted));
  // Without a variant asked for, prefer the architecture's default one (arm64/v8, arm/v7).
  const preferred = wanted.variant ? undefined : matching.find((entry) => !entry.platform.variant || entry.platform.variant === (wanted.architecture === 'arm64' ? 'v8' : 'v7'));
  return preferred ?? matching[0];
}

function digestMatches(body: Buffer, digest: string): boolean {
  const match = DIGEST.exec(digest);
  const algorithm = match?.[1];
  // Only algorithms we can compute are checked; the grammar allows others.
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return true;
  return createHash(algorithm).update(body).digest('hex') === match![2]!.toLowerCase();
}

/** Challenge from a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } | undefined {
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const param = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))/g;
  for (const [, name, quoted, bare] of match[2]!.matchAll(param)) {
    params[name!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** The first message of a distribution-spec error body (`{"errors":[{"code","message"}]}`), tidied. */
function registryMessage(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const doc: unknown = JSON.parse(body.toString('utf8'));
    const first = isObject(doc) && Array.isArray(doc.errors) && isObject(doc.errors[0]) ? doc.errors[0] : undefined;
    const text = first ? (nonEmptyString(first.message) ?? nonEmptyString(first.code)) : undefined;
    // The registry is not trusted to write our messages: no control characters, no essays.
    return text?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200) || undefined;
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown): string {
  const cause = isObject(error) && 'cause' in error && error.cause ? error.cause : error;
  const code = isObject(cause) && typeof cause.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its host name could not be resolved';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was closed unexpectedly';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return 'the network is unreachable';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'the TLS handshake failed (is it a plain-HTTP registry?)';
  }
  if (code && /CERT|SELF_SIGNED|TLS|SSL/.test(code)) return `its TLS certificate was not accepted (${code})`;
  const message = error instanceof Error ? (cause instanceof Error ? cause.message : error.message) : String(error);
  return message.slice(0, 200);
}

export function isRegistryImage(value: unknown): value is RegistryImage {
  if (!isObject(value)) return false;
  const strings = ['reference', 'registry', 'repository', 'digest', 'mediaType', 'fetchedAt'] as const;
  if (!strings.every((key) => typeof value[key] === 'string')) return false;
  return Array.isArray(value.platforms) && value.platforms.length > 0 && value.platforms.every(isPlatformImage) && isPlatformImage(value.selected);
}

function isPlatformImage(value: unknown): value is PlatformImage {
  return (
    isObject(value) &&
    typeof value.platform === 'string' &&
    typeof value.manifestDigest === 'string' &&
    typeof value.configDigest === 'string' &&
    typeof value.compressedSize === 'number' &&
    Array.isArray(value.layerSizes) &&
    value.layerSizes.every((size) => typeof size === 'number')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}
