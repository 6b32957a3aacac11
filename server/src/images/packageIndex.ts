// Debian's and Ubuntu's package indexes (one format, deb822 Packages files), fetched from a
// mirror and kept on disk like the registry's answers:
// offline mode answers from the cache (even an old one), a fresh enough cache is not fetched
// again, and each release is parsed once per process. The closure itself is pure
// (analysis/packages/debianIndex.ts).
import { fork } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { UBUNTU_RELEASES } from '../analysis/baseFacts';
import { parseDebianIndex, type DebianIndex } from '../analysis/packages/debianIndex';
import { cachedDownload, OncePerKey, writeAtomically, type Download } from './diskCache';
import { DebianIndexFile, encodeIndexFile } from './packageIndexFile';
import { gunzip } from './gunzip';

/** Debian's redirector; every official image's sources name it. */
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org';
/**
 * Ubuntu's archive and its security suites: the hosts the official ubuntu images' apt sources
 * name (jammy's /etc/apt/sources.list, noble's /etc/apt/sources.list.d/ubuntu.sources), each
 * under /ubuntu.
 */
export const DEFAULT_UBUNTU_MIRROR = 'http://archive.ubuntu.com';
const UBUNTU_SECURITY_MIRROR = 'http://security.ubuntu.com';
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
  /**
   * Scheme and host of an Ubuntu mirror (SLIMFILE_UBUNTU_MIRROR), which then serves the security
   * suites too, as Ubuntu's mirrors do; by default archive.ubuntu.com and security.ubuntu.com.
   */
  readonly ubuntuMirror?: string;
  readonly fetch?: typeof fetch;
  /**
   * Fetch and parse in this process. By default, with a cache folder, a child process does both
   * and leaves the release's file, so that the caller (the language server) neither holds the
   * release's 50 MB of text and its parse nor stops answering for the seconds the parse takes.
   */
  readonly inProcess?: boolean;
}

/** What the child (packageIndexChild.ts) is asked, and answers. */
export interface ChildRequest {
  readonly release: string;
  readonly arch: string;
  readonly options: Omit<PackageIndexOptions, 'fetch' | 'inProcess'>;
}
export type ChildAnswer = { readonly ok: true } | { readonly error: string };

export interface ReleaseIndex {
  /** With a cache folder, read from disk one package at a time (packageIndexFile.ts); else parsed in memory. */
  readonly index: DebianIndex;
  /** For messages: "Debian bookworm main amd64 Packages, 2026-12-06". */
  readonly source: string;
  /** When the oldest of its files was fetched, in ms since the epoch. */
  readonly fetchedAt: number;
  /**
   * Bytes of its compressed Packages files: what `apt-get update` leaves in /var/lib/apt/lists
   * on the official images, which keep the indexes compressed (docker-gzip-indexes).
   */
  readonly listsBytes: number;
}

export class PackageIndexError extends Error {}

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

/** Where Debian's package indexes are kept, as fetched and in their compact form. */
export function packageCacheDir(): string {
  return path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'slimfile', 'packages');
}

/** Whether a codename is Ubuntu's (jammy, noble) rather than Debian's: the two never share one. */
function isUbuntu(release: string): boolean {
  return Object.hasOwn(UBUNTU_RELEASES, release);
}

/** The files a release's images read from, each suite in order; the first `required` must be had. */
function releaseFiles(options: PackageIndexOptions, release: string, arch: string): { files: Array<{ url: string; name: string }>; required: number } {
  return isUbuntu(release) ? ubuntuFiles(options, release, arch) : { files: debianFiles((options.mirror ?? DEFAULT_DEBIAN_MIRROR).replace(/\/+$/, ''), release, arch), required: 1 };
}

/**
 * Ubuntu's: the release, -updates and -security suites, each with its main and universe
 * components (Ubuntu's archive layout, dists/<suite>/<component>/binary-<arch>/, as the official
 * images' apt sources list them; restricted and multiverse, which they list too, hold no package
 * a Dockerfile commonly installs and are left out). Both components of the release are required.
 */
function ubuntuFiles(options: PackageIndexOptions, release: string, arch: string): { files: Array<{ url: string; name: string }>; required: number } {
  const archive = `${(options.ubuntuMirror ?? DEFAULT_UBUNTU_MIRROR).replace(/\/+$/, '')}/ubuntu`;
  const security = `${(options.ubuntuMirror ?? UBUNTU_SECURITY_MIRROR).replace(/\/+$/, '')}/ubuntu`;
  const files: Array<{ url: string; name: string }> = [];
  for (const [base, suite] of [[archive, release], [archive, `${release}-updates`], [security, `${release}-security`]] as const) {
    for (const component of ['main', 'universe']) files.push({ url: `${base}/dists/${suite}/${component}/binary-${arch}/Packages`, name: `${suite}-${component}-${arch}` });
  }
  return { files, required: 2 };
}

/** The files a Debian release's images read from: the release, its updates and its security suite. */
function debianFiles(mirror: string, release: string, arch: string): Array<{ url: string; name: string }> {
  // Without its compression: Packages.gz is asked first, since gunzip is fast where the
  // WebAssembly xz decoder took 20 s for bookworm's main suite; Packages.xz after a 404 (the
  // -updates and -security suites publish only that).
  const file = `main/binary-${arch}/Packages`;
  return [
    { url: `${mirror}/debian/dists/${release}/${file}`, name: `${release}-main-${arch}` },
    { url: `${mirror}/debian/dists/${release}-updates/${file}`, name: `${release}-updates-main-${arch}` },
    { url: `${mirror}/debian-security/dists/${release}-security/${file}`, name: `${release}-security-main-${arch}` },
  ];
}

/** The mirrors the environment names (the tests' fake ones): SLIMFILE_DEBIAN_MIRROR, SLIMFILE_UBUNTU_MIRROR. */
export function aptMirrors(env: NodeJS.ProcessEnv = process.env): Pick<PackageIndexOptions, 'mirror' | 'ubuntuMirror'> {
  return { mirror: env['SLIMFILE_DEBIAN_MIRROR'] || undefined, ubuntuMirror: env['SLIMFILE_UBUNTU_MIRROR'] || undefined };
}

/** The child's script beside this module: the bundle's dist/packageIndexChild.js, or the source under tsx. */
function childScript(): string | undefined {
  const script = path.join(__dirname, `packageIndexChild${path.extname(__filename) === '.ts' ? '.ts' : '.js'}`);
  return existsSync(script) ? script : undefined;
}

/**
 * Runs one release's load in a child process (the same code, inProcess), which writes its file.
 * Rejects with the child's own error (offline without a cache, a mirror that is down); false when
 * the child could not start or ended without answering.
 */
function inChild(script: string, request: ChildRequest): Promise<boolean> {
  return new Promise((resolve, reject) => {
    // Node's own flags (tsx's loader in the tests) carry over; the language server's stdio is not shared.
    const child = fork(script, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
    let answer: ChildAnswer | undefined;
    child.on('message', (message: ChildAnswer) => (answer = message));
    child.on('error', () => resolve(false));
    child.on('exit', () => {
      if (answer && 'error' in answer) reject(new PackageIndexError(answer.error));
      else resolve(answer !== undefined);
    });
    child.send(request);
  });
}

export class DebianPackageIndexes {
  private readonly parsed = new OncePerKey<ReleaseIndex>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: PackageIndexOptions = {}) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** The index of a Debian or Ubuntu release (a codename such as bookworm or jammy) for an architecture; parsed once. */
  release(release: string, arch = 'amd64'): Promise<ReleaseIndex> {
    return this.parsed.get(`${release}/${arch}`, () => this.load(release, arch));
  }

  private async load(release: string, arch: string): Promise<ReleaseIndex> {
    if (!/^[a-z]+$/.test(release) || !/^[a-z0-9]+$/.test(arch)) throw new PackageIndexError(`"${release}/${arch}" is not a Debian or Ubuntu release and architecture`);
    // Files of each distribution apart: a name is a release of one or the other, never both.
    const distro = isUbuntu(release) ? 'ubuntu' : 'debian';
    // What is kept is a file read one package at a time: opening it takes milliseconds and holds
    // no package in memory, where parsing the release's 50 MB of text takes seconds and its parse
    // 18-33 MB of heap (bench/results.md, "Package index").
    const lookup = this.options.cacheDir ? path.join(this.options.cacheDir, `${distro}-${release}-${arch}.lookup`) : undefined;
    const kept = lookup ? DebianIndexFile.open(lookup) : undefined;
    const keptIndex = kept && { index: kept, source: kept.header.source, fetchedAt: kept.header.fetchedAt, listsBytes: kept.header.listsBytes };
    if (keptIndex && (this.options.offline || Date.now() - keptIndex.fetchedAt < (this.options.ttlMs ?? DEFAULT_TTL_MS))) return keptIndex;
    const child = lookup && !this.options.inProcess && !this.options.fetch ? childScript() : undefined;
    if (lookup && child) {
      const { fetch: _fetch, inProcess: _inProcess, ...options } = this.options;
      const made = (await inChild(child, { release, arch, options })) ? DebianIndexFile.open(lookup) : undefined;
      if (made) {
        kept?.close();
        return { index: made, source: made.header.source, fetchedAt: made.header.fetchedAt, listsBytes: made.header.listsBytes };
      }
      // The child could not run, or could not write the file (a read-only cache): the load is done here.
    }
    const { files, required } = releaseFiles(this.options, release, arch);
    const texts: string[] = [];
    let fetchedAt = Date.now();
    let listsBytes = 0;
    try {
      for (const [i, file] of files.entries()) {
        const got = await this.file(file.url, `${distro}-${file.name}`).catch((error: unknown) => {
          // The release itself is required; its updates and security suites only refine it.
          if (i < required) throw error;
          return undefined;
        });
        if (!got) continue;
        texts.push(got.text);
        fetchedAt = Math.min(fetchedAt, got.storedAt);
        listsBytes += got.bytes;
      }
    } catch (error) {
      // An old copy is better than none when the mirror cannot be reached.
      if (keptIndex) return keptIndex;
      throw error;
    }
    kept?.close();
    // One parse of the suites in order: a later stanza of a name (an update) replaces the earlier.
    const parsed: ReleaseIndex = { index: parseDebianIndex(texts.join('\n\n')), source: `${distro === 'ubuntu' ? `Ubuntu ${release} main universe` : `Debian ${release} main`} ${arch} Packages, ${new Date(fetchedAt).toISOString().slice(0, 10)}`, fetchedAt, listsBytes };
    if (!lookup) return parsed;
    // The parse is dropped once written: from here on the release is read from its file. A disk
    // that cannot take the file leaves the parse in memory, for this process only.
    const written = await writeAtomically(lookup, encodeIndexFile(parsed.index, parsed)).then(() => DebianIndexFile.open(lookup), () => undefined);
    // The JSON form earlier versions kept, read whole into the heap: replaced by the file above.
    await fs.rm(path.join(path.dirname(lookup), `${distro}-${release}-${arch}.index.json`), { force: true }).catch(() => undefined);
    return written ? { ...parsed, index: written } : parsed;
  }

  /** One Packages file, xz or gzip: from the cache when fresh (or offline), else from the mirror. */
  private file(url: string, name: string): Promise<Download> {
    return cachedDownload({
      cached: this.options.cacheDir ? path.join(this.options.cacheDir, `${name}.Packages`) : undefined,
      ttlMs: this.options.ttlMs ?? DEFAULT_TTL_MS,
      offline: this.options.offline === true,
      unpack: (body) => this.unpack(body, url),
      offlineError: () => new PackageIndexError(`offline, and no cached copy of ${url}`),
      download: async () => {
        let response = await this.get(`${url}.gz`);
        if (response.status === 404) response = await this.get(`${url}.xz`);
        if (!response.ok) throw new PackageIndexError(`${response.url || url} answered ${response.status}`);
        const length = Number(response.headers.get('content-length') ?? 0);
        if (length > MAX_INDEX_BYTES) throw new PackageIndexError(`${url} is ${length} bytes, more than a package index`);
        return Buffer.from(await response.arrayBuffer());
      },
    });
  }

  private async get(url: string): Promise<Response> {
    try {
      return await this.fetchImpl(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    } catch (error) {
      throw new PackageIndexError(`cannot reach ${url}: ${(error as Error).message}`);
    }
  }

  /** By its first bytes: xz (FD 37 7A 58 5A 00) through a WebAssembly decoder, else gzip. */
  private async unpack(body: Buffer, url: string): Promise<string> {
    if (body.subarray(0, 6).equals(XZ_MAGIC)) {
      try {
        const { XzReadableStream } = await import('xz-decompress');
        return await new Response(new XzReadableStream(new Blob([body]).stream())).text();
      } catch (error) {
        throw new PackageIndexError(`${url} is not a readable xz file: ${(error as Error).message}`);
      }
    }
    try {
      return (await gunzip(body, MAX_INDEX_BYTES * 8)).toString('utf8');
    } catch (error) {
      throw new PackageIndexError(`${url} is not a gzip file: ${(error as Error).message}`);
    }
  }
}
