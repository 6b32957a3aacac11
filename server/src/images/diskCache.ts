// A small on-disk JSON cache: one file per key, written atomically, read back only when its
// shape checks out. A broken or unreadable cache never fails a lookup; it is a miss.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const FORMAT = 1;
/** An entry larger than this is not one we wrote; skip it rather than parse it. */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

export interface CacheHit<T> {
  readonly value: T;
  /** When the entry was written, in ms since the epoch. */
  readonly storedAt: number;
}

interface CacheFile {
  format: number;
  key: string;
  storedAt: number;
  value: unknown;
}

export class DiskCache<T> {
  constructor(
    private readonly dir: string,
    private readonly isValue: (value: unknown) => value is T,
  ) {}

  /** The file that holds `key`; hashed so any key is a safe file name. */
  fileFor(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  }

  async read(key: string): Promise<CacheHit<T> | undefined> {
    try {
      const file = this.fileFor(key);
      const { size } = await fs.stat(file);
      if (size > MAX_ENTRY_BYTES) return undefined;
      const entry = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<CacheFile> | null;
      // The key is stored too, so a hash collision or a hand-edited file is a miss, not a wrong answer.
      if (!entry || entry.format !== FORMAT || entry.key !== key || typeof entry.storedAt !== 'number') return undefined;
      return this.isValue(entry.value) ? { value: entry.value, storedAt: entry.storedAt } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes through a temporary file and a rename, so a reader never sees half an entry. */
  async write(key: string, value: T, storedAt = Date.now()): Promise<void> {
    const entry: CacheFile = { format: FORMAT, key, storedAt, value };
    // A read-only or full disk only costs the next lookup a trip to the registry.
    await writeAtomically(this.fileFor(key), JSON.stringify(entry)).catch(() => undefined);
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a file; the temporary file never stays. */
export async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(temp, data, { mode: 0o600 });
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * One promise per key, made on the first question. A rejected one is forgotten, so the next
 * question tries again (a mirror that was down may be back); a fulfilled one is kept.
 */
export class OncePerKey<T> {
  private readonly pending = new Map<string, Promise<T>>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    let promise = this.pending.get(key);
    if (!promise) {
      promise = make();
      promise.catch(() => this.pending.delete(key));
      this.pending.set(key, promise);
    }
    return promise;
  }
}

/** A downloaded file's text, when it was stored, and its size as downloaded. */
export interface Download {
  readonly text: string;
  readonly storedAt: number;
  readonly bytes: number;
}

/**
 * A file kept on disk as downloaded: read back from `cached` while it is fresh (or offline,
 * however old, as long as it still unpacks), else fetched by `download` and kept for next time.
 * The callers (the Debian and Alpine package indexes) supply their own fetch, checks and errors.
 */
export async function cachedDownload(options: {
  readonly cached: string | undefined;
  readonly ttlMs: number;
  readonly offline: boolean;
  readonly unpack: (body: Buffer) => Promise<string>;
  readonly download: () => Promise<Buffer>;
  /** The error when offline without a usable copy. */
  readonly offlineError: () => Error;
}): Promise<Download> {
  const { cached } = options;
  const stat = cached ? await fs.stat(cached).catch(() => undefined) : undefined;
  if (cached && stat && (options.offline || Date.now() - stat.mtimeMs < options.ttlMs)) {
    const text = await options.unpack(await fs.readFile(cached)).catch(() => undefined);
    if (text !== undefined) return { text, storedAt: stat.mtimeMs, bytes: stat.size };
  }
  if (options.offline) throw options.offlineError();
  const body = await options.download();
  const text = await options.unpack(body);
  // A read-only or full disk only costs the next process a download.
  if (cached) await writeAtomically(cached, body).catch(() => undefined);
  return { text, storedAt: Date.now(), bytes: body.length };
}
