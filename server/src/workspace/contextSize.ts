// Bytes of the build context per top-level entry, as the engine would receive it: .dockerignore
// applied (@balena/dockerignore, the matcher the Docker CLI's rules were ported to), symlinks not
// followed, and a cap on entries so a huge tree ends with a partial count instead of a stall.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore from '@balena/dockerignore';

export interface ContextSize {
  readonly total: number;
  /** Bytes under each top-level name (a file's own size, a folder's sum). */
  readonly byEntry: ReadonlyMap<string, number>;
  readonly files: number;
  /** The walk hit its cap; the sizes are lower bounds. */
  readonly truncated: boolean;
}

export async function measureContext(contextDir: string, patterns: readonly string[], maxEntries = 100_000): Promise<ContextSize> {
  const ig = ignore().add([...patterns]);
  const byEntry = new Map<string, number>();
  let files = 0;
  let seen = 0;
  let truncated = false;
  const queue: string[] = [''];
  while (queue.length > 0 && !truncated) {
    const rel = queue.shift() as string;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(contextDir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (++seen > maxEntries) {
        truncated = true;
        break;
      }
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (ig.ignores(child)) continue;
      if (entry.isDirectory()) queue.push(child);
      else if (entry.isFile()) {
        let size = 0;
        try {
          size = (await fs.stat(path.join(contextDir, child))).size;
        } catch {
          continue;
        }
        files++;
        const top = child.split('/')[0] as string;
        byEntry.set(top, (byEntry.get(top) ?? 0) + size);
      }
    }
  }
  let total = 0;
  for (const bytes of byEntry.values()) total += bytes;
  return { total, byEntry, files, truncated };
}
