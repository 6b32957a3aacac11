// Debian's package indexes, fetched from a mirror and kept on disk like the registry's answers:
// offline mode answers from the cache (even an old one), a fresh enough cache is not fetched
// again, and each release is parsed once per process. The closure itself is pure
// (analysis/packages/debianIndex.ts).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parseDebianIndex, type DebianIndex } from '../analysis/packages/debianIndex';
import { writeAtomically } from './diskCache';

const gunzipAsync = promisify(gunzip);

/** Debian's redirector; every official image's sources name it. */
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org';
const DEFAULT_TTL_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_TIMEOUT_MS = 60_000;
/** bookworm's main/binary-amd64/Packages.gz is 12 MB (2026-12-06); anything far larger is not an index. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

export interface PackageIndexOptions {
  /** Where fetched indexes are kept; without it every process fetches again. */
  readonly cacheDir?: string;
  /** Never open a connection: answer from the cache, however old, or fail. */
  readonly offline?: boolean;
  /** How long a cached index is fresh. Default 7 days. */
  readonly ttlMs?: number;
  /** Per file, body included. Default 60 s. */
  readonly timeoutMs?: number;
  /** Scheme and host of the mirror, e.g. http://deb.debian.org (SLIMFILE_DEBIAN_MIRROR in the tests). */
  readonly mirror?: string;
  readonly fetch?: typeof fetch;
}

export interface ReleaseIndex {
  readonly index: DebianIndex;
  /** For messages: "Debian bookworm main amd64 Packages, 2026-12-06". */
  readonly source: string;
  /** When the oldest of its files was fetched, in ms since the epoch. */
  readonly fetchedAt: number;
}

export class PackageIndexError extends Error {}

/** The files a Debian release's images read from: the release, its updates and its security suite. */
function releaseFiles(mirror: string, release: string, arch: string): Array<{ url: string; name: string }> {
  const file = `main/binary-${arch}/Packages.gz`;
  return [
    { url: `${mirror}/debian/dists/${release}/${file}`, name: `${release}-main-${arch}` },
    { url: `${mirror}/debian/dists/${release}-updates/${file}`, name: `${release}-updates-main-${arch}` },
    { url: `${mirror}/debian-security/dists/${release}-security/${file}`, name: `${release}-security-main-${arch}` },
  ];
}

export class DebianPackageIndexes {
  private readonly parsed = new Map<string, Promise<ReleaseIndex>>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: PackageIndexOptions = {}) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** The index of a Debian release (a codename such as bookworm) for an architecture; parsed once. */
  release(release: string, arch = 'amd64'): Promise<ReleaseIndex> {
    const key = `${release}/${arch}`;
    let pending = this.parsed.get(key);
    if (!pending) {
      pending = this.load(release, arch);
      // A failure is not remembered: the next question tries again (the mirror may be back).
      pending.catch(() => this.parsed.delete(key));
      this.parsed.set(key, pending);
    }
    return pending;
  }

  private async load(release: string, arch: string): Promise<ReleaseIndex> {
    if (!/^[a-z]+$/.test(release) || !/^[a-z0-9]+$/.test(arch)) throw new PackageIndexError(`"${release}/${arch}" is not a Debian release and architecture`);
    const mirror = (this.options.mirror ?? DEFAULT_DEBIAN_MIRROR).replace(/\/+$/, '');
    let index: DebianIndex | undefined;
    let fetchedAt = Date.now();
    for (const [i, file] of releaseFiles(mirror, release, arch).entries()) {
      const got = await this.file(file.url, file.name).catch((error: unknown) => {
        // The release itself is required; its updates and security suites only refine it.
        if (i === 0) throw error;
        return undefined;
      });
      if (!got) continue;
      index = parseDebianIndex(got.text, index);
      fetchedAt = Math.min(fetchedAt, got.storedAt);
    }
    return { index: index as DebianIndex, source: `Debian ${release} main ${arch} Packages, ${new Date(fetchedAt).toISOString().slice(0, 10)}`, fetchedAt };
  }

  /** One Packages.gz: from the cache when fresh (or offline), else from the mirror. */
  private async file(url: string, name: string): Promise<{ text: string; storedAt: number }> {
    const cached = this.options.cacheDir ? path.join(this.options.cacheDir, `debian-${name}.Packages.gz`) : undefined;
    const stat = cached ? await fs.stat(cached).catch(() => undefined) : undefined;
    const ttl = this.options.ttlMs ?? DEFAULT_TTL_MS;
    if (cached && stat && (this.options.offline || Date.now() - stat.mtimeMs < ttl)) {
      const text = await this.unpack(await fs.readFile(cached), url).catch(() => undefined);
      if (text !== undefined) return { text, storedAt: stat.mtimeMs };
    }
    if (this.options.offline) throw new PackageIndexError(`offline, and no cached copy of ${url}`);
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    } catch (error) {
      throw new PackageIndexError(`cannot reach ${url}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new PackageIndexError(`${url} answered ${response.status}`);
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_INDEX_BYTES) throw new PackageIndexError(`${url} is ${length} bytes, more than a package index`);
    const body = Buffer.from(await response.arrayBuffer());
    const text = await this.unpack(body, url);
    if (cached) await writeAtomically(cached, body).catch(() => undefined);
    return { text, storedAt: Date.now() };
  }

  private async unpack(body: Buffer, url: string): Promise<string> {
    try {
      return (await gunzipAsync(body, { maxOutputLength: MAX_INDEX_BYTES * 8 })).toString('utf8');
    } catch (error) {
      throw new PackageIndexError(`${url} is not a gzip file: ${(error as Error).message}`);
    }
  }
}
