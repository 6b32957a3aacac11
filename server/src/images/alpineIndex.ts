// Alpine's package indexes (APKINDEX.tar.gz of a branch's main and community repositories),
// fetched from a mirror and kept on disk like Debian's (packageIndex.ts): offline mode answers
// from the cache, however old, a fresh enough copy is not fetched again, and each branch is parsed
// once per process. Not measured against a real Alpine mirror: none is reachable where Slimfile is
// developed, so the tests serve an index from a local fake.
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { parseAlpineIndex, type AlpineIndex } from '../analysis/packages/alpineIndex';
import { cachedDownload, OncePerKey, type Download } from './diskCache';
import { gunzip } from './gunzip';

/** Alpine's CDN, which the official images' /etc/apk/repositories name. */
export const DEFAULT_ALPINE_MIRROR = 'https://dl-cdn.alpinelinux.org';
const DEFAULT_TTL_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_TIMEOUT_MS = 60_000;
/** Far above a branch's index (main's is a few MB unpacked); anything larger is not one. */
const MAX_INDEX_BYTES = 32 * 1024 * 1024;

export interface AlpineIndexOptions {
  readonly cacheDir?: string;
  readonly offline?: boolean;
  readonly ttlMs?: number;
  readonly timeoutMs?: number;
  /** Scheme and host of the mirror (a local fake in the tests). */
  readonly mirror?: string;
  readonly fetch?: typeof fetch;
}

export interface BranchIndex {
  readonly index: AlpineIndex;
  /** For messages: "Alpine v3.20 x86_64 APKINDEX, 2026-12-06". */
  readonly source: string;
  readonly fetchedAt: number;
  /** The repositories' APKINDEX.tar.gz as downloaded: what `apk add` without --no-cache leaves in /var/cache/apk. */
  readonly archiveBytes: number;
}

export class AlpineIndexError extends Error {}

export class AlpinePackageIndexes {
  private readonly parsed = new OncePerKey<BranchIndex>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AlpineIndexOptions = {}) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** The index of a branch ("3.20", or "edge") for an architecture; parsed once. */
  branch(branch: string, arch = 'x86_64'): Promise<BranchIndex> {
    return this.parsed.get(`${branch}/${arch}`, () => this.load(branch, arch));
  }

  private async load(branch: string, arch: string): Promise<BranchIndex> {
    if (!/^(\d+\.\d+|edge)$/.test(branch) || !/^[a-z0-9_]+$/.test(arch)) throw new AlpineIndexError(`"${branch}/${arch}" is not an Alpine branch and architecture`);
    const mirror = (this.options.mirror ?? DEFAULT_ALPINE_MIRROR).replace(/\/+$/, '');
    const dir = branch === 'edge' ? 'edge' : `v${branch}`;
    let index: AlpineIndex | undefined;
    let fetchedAt = Date.now();
    let archiveBytes = 0;
    for (const [i, repository] of ['main', 'community'].entries()) {
      const url = `${mirror}/alpine/${dir}/${repository}/${arch}/APKINDEX.tar.gz`;
      const got = await this.file(url, `${dir}-${repository}-${arch}`).catch((error: unknown) => {
        // main is required; community only adds packages.
        if (i === 0) throw error;
        return undefined;
      });
      if (!got) continue;
      index = parseAlpineIndex(got.text, index);
      fetchedAt = Math.min(fetchedAt, got.storedAt);
      archiveBytes += got.bytes;
    }
    return { index: index as AlpineIndex, source: `Alpine ${dir} ${arch} APKINDEX, ${new Date(fetchedAt).toISOString().slice(0, 10)}`, fetchedAt, archiveBytes };
  }

  private file(url: string, name: string): Promise<Download> {
    return cachedDownload({
      cached: this.options.cacheDir ? path.join(this.options.cacheDir, `alpine-${name}.APKINDEX.tar.gz`) : undefined,
      ttlMs: this.options.ttlMs ?? DEFAULT_TTL_MS,
      offline: this.options.offline === true,
      unpack: (body) => apkIndexText(body, url),
      offlineError: () => new AlpineIndexError(`offline, and no cached copy of ${url}`),
      download: async () => {
        let response: Response;
        try {
          response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
        } catch (error) {
          throw new AlpineIndexError(`cannot reach ${url}: ${(error as Error).message}`);
        }
        if (!response.ok) throw new AlpineIndexError(`${url} answered ${response.status}`);
        const body = Buffer.from(await response.arrayBuffer());
        if (body.length > MAX_INDEX_BYTES) throw new AlpineIndexError(`${url} is ${body.length} bytes, more than a package index`);
        return body;
      },
    });
  }
}

/**
 * The APKINDEX file inside an APKINDEX.tar.gz. The archive is two gzip members one after the
 * other (the signature, then DESCRIPTION and APKINDEX), which gunzip reads as one tar stream.
 */
export async function apkIndexText(body: Buffer, url: string): Promise<string> {
  let tar: Buffer;
  try {
    tar = await gunzip(body, MAX_INDEX_BYTES * 4);
  } catch (error) {
    throw new AlpineIndexError(`${url} is not a gzip file: ${(error as Error).message}`);
  }
  // Loaded on first use: the server starts without it, and most files never need Alpine's index.
  const { extract } = await import('tar-stream');
  const found = await new Promise<string | undefined>((resolve, reject) => {
    const entries = extract();
    let text: string | undefined;
    entries.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => {
        if (header.name === 'APKINDEX') chunks.push(chunk as Buffer);
      });
      stream.on('end', () => {
        if (header.name === 'APKINDEX') text = Buffer.concat(chunks).toString('utf8');
        next();
      });
      stream.resume();
    });
    entries.on('finish', () => resolve(text));
    entries.on('error', reject);
    Readable.from([tar]).pipe(entries);
  }).catch((error: unknown) => {
    throw new AlpineIndexError(`${url} is not a tar archive: ${(error as Error).message}`);
  });
  if (found === undefined) throw new AlpineIndexError(`${url} holds no APKINDEX file`);
  return found;
}
