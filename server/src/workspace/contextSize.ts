// Bytes of the build context per top-level entry, as the engine would receive it: .dockerignore
// applied (@balena/dockerignore, the matcher the Docker CLI's rules were ported to). The tally is
// a visitor so the project loader counts sizes in the same bounded walk that reads the languages' sources.
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import ignore from '@balena/dockerignore';
import { walkTree } from './walk';

export interface ContextSize {
  readonly total: number;
  /** Bytes under each top-level name (a file's own size, a folder's sum). */
  readonly byEntry: ReadonlyMap<string, number>;
  readonly files: number;
  /** The walk hit its cap; the sizes are lower bounds. */
  readonly truncated: boolean;
}

/** Counts what the engine receives; `visit` feeds it the walk's entries, `enter` says which folders to walk. */
export class ContextTally {
  private readonly ig: ReturnType<typeof ignore>;
  private readonly hasExceptions: boolean;
  private readonly byEntry = new Map<string, number>();
  private files = 0;

  constructor(
    private readonly contextDir: string,
    patterns: readonly string[],
  ) {
    this.ig = ignore().add([...patterns]);
    this.hasExceptions = patterns.some((p) => p.startsWith('!'));
  }

  /** Whether .dockerignore keeps `rel` out of the context. */
  ignores(rel: string): boolean {
    return this.ig.ignores(rel);
  }

  /** Ignored folders are skipped unless a `!` pattern may bring something inside them back. */
  enter(rel: string): boolean {
    return this.hasExceptions || !this.ig.ignores(rel);
  }

  /** Counts a file the engine receives; returns its stat (the loader reads its mode too). */
  async visit(rel: string, entry: Dirent): Promise<Stats | undefined> {
    if (!entry.isFile() || this.ig.ignores(rel)) return undefined;
    const stats = await fs.stat(path.join(this.contextDir, rel)).catch(() => undefined);
    if (stats === undefined) return undefined;
    this.files++;
    const top = rel.split('/')[0] as string;
    this.byEntry.set(top, (this.byEntry.get(top) ?? 0) + stats.size);
    return stats;
  }

  /** A counted file's size changed (a save): its top-level entry's bytes follow. */
  resized(rel: string, before: number, after: number): void {
    const top = rel.split('/')[0] as string;
    this.byEntry.set(top, (this.byEntry.get(top) ?? 0) - before + after);
  }

  /** The counts so far; a copy, so a later `resized` leaves results handed out as they were. */
  result(truncated: boolean): ContextSize {
    let total = 0;
    for (const bytes of this.byEntry.values()) total += bytes;
    return { total, byEntry: new Map(this.byEntry), files: this.files, truncated };
  }
}

export async function measureContext(contextDir: string, patterns: readonly string[], maxEntries = 100_000, signal?: AbortSignal): Promise<ContextSize> {
  const tally = new ContextTally(contextDir, patterns);
  const truncated = await walkTree(contextDir, async (rel, entry) => void (await tally.visit(rel, entry)), {
    enter: (rel) => tally.enter(rel),
    maxEntries,
    ...(signal ? { signal } : {}),
  });
  return tally.result(truncated);
}
