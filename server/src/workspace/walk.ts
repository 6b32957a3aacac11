// One bounded walk of a folder tree for every reader of the build context: breadth first,
// symlinks never followed (so loops cannot trap it), unreadable folders skipped, a cap on entries.
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';

export interface WalkOptions {
  /** Whether to descend into a folder (relative path, forward slashes). */
  readonly enter?: (rel: string, name: string) => boolean;
  /** Stop after this many entries; the walk then reports itself truncated. */
  readonly maxEntries?: number;
  /** Visit each folder's entries in name order (for fingerprints). */
  readonly sorted?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Calls `visit` for every file (and folder) below `root`; `visit` may return false to stop.
 * Resolves with true when the walk stopped early (cap, abort, or visit said stop).
 */
export async function walkTree(root: string, visit: (rel: string, entry: Dirent) => boolean | void | Promise<boolean | void>, options: WalkOptions = {}): Promise<boolean> {
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  let seen = 0;
  const queue: string[] = [''];
  while (queue.length > 0) {
    if (options.signal?.aborted) return true;
    const dir = queue.shift() as string;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    // By code unit, not localeCompare: the same order under every locale, and no ICU collation loaded.
    if (options.sorted) entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++seen > maxEntries) return true;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if ((await visit(rel, entry)) === false) return true;
      if (entry.isDirectory() && (options.enter?.(rel, entry.name) ?? true)) queue.push(rel);
    }
  }
  return false;
}
