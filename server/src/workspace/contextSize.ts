// Bytes of the build context per top-level entry, as the engine would receive it: .dockerignore
// applied (@balena/dockerignore, the matcher the Docker CLI's rules were ported to), walked with
// the shared bounded walk so a huge tree ends with a partial count instead of a stall.
import { promises as fs } from 'node:fs';
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

export async function measureContext(contextDir: string, patterns: readonly string[], maxEntries = 100_000, signal?: AbortSignal): Promise<ContextSize> {
  const ig = ignore().add([...patterns]);
  const byEntry = new Map<string, number>();
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  let files = 0;
  const truncated = await walkTree(
    contextDir,
    async (rel, entry) => {
      if (!entry.isFile() || ig.ignores(rel)) return;
      const size = (await fs.stat(path.join(contextDir, rel)).catch(() => undefined))?.size;
      if (size === undefined) return;
      files++;
      const top = rel.split('/')[0] as string;
      byEntry.set(top, (byEntry.get(top) ?? 0) + size);
    },
    // Ignored folders are skipped unless a `!` pattern may bring something inside them back.
    { enter: (rel) => hasExceptions || !ig.ignores(rel), maxEntries, ...(signal ? { signal } : {}) },
  );
  let total = 0;
  for (const bytes of byEntry.values()) total += bytes;
  return { total, byEntry, files, truncated };
}
