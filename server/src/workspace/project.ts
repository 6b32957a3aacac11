// Reads the build context from disk for the analysis: go.mod, the Go sources' imports,
// .dockerignore and the top-level entries. Bounded (file cap, byte cap per file, no symlink
// following) so a huge or looping tree can never stall the server.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseGoMod } from '../analysis/gomod';
import { analyzeGoSources, type SourceFile } from '../analysis/goimports';
import type { ContextEntry, ProjectFacts } from '../analysis/project';
import { measureContext } from './contextSize';
import { messages } from '../analysis/messages';
import { walkTree } from './walk';

export interface LoadOptions {
  /** How many .go files to read at most. */
  readonly maxGoFiles: number;
  /** Stop walking after this many directory entries, whatever they are. */
  readonly maxEntries?: number;
  readonly signal?: AbortSignal;
  /** Text of files open in the editor, which wins over the disk (unsaved go.mod edits). */
  readonly openText?: (absolutePath: string) => string | undefined;
}

const SKIPPED_DIRS = new Set(['vendor', 'testdata', 'node_modules', '.git', '.hg', '.svn', '.idea', '.vscode']);
const MAX_GO_FILE_BYTES = 512 * 1024;

/**
 * The build context of a Dockerfile: an explicit setting wins; otherwise the nearest folder from
 * the Dockerfile's own up to `stopAt` that holds go.mod; otherwise the Dockerfile's folder.
 */
export async function findBuildContext(dockerfilePath: string, stopAt: string | undefined, configured?: string): Promise<string> {
  if (configured) return configured;
  const start = path.dirname(dockerfilePath);
  const root = stopAt ? path.resolve(stopAt) : path.parse(start).root;
  let dir = start;
  for (;;) {
    if (await exists(path.join(dir, 'go.mod'))) return dir;
    if (dir === root || !isInside(dir, root)) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return start;
}

function isInside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function readText(file: string, limit: number): Promise<string | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const buffer = Buffer.alloc(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

export async function loadProject(contextDir: string, options: LoadOptions): Promise<ProjectFacts> {
  const notes: string[] = [];
  const goModPath = path.join(contextDir, 'go.mod');
  const goModText = options.openText?.(goModPath) ?? (await readText(goModPath, 1024 * 1024));
  const goMod = goModText !== undefined ? parseGoMod(goModText) : undefined;
  if (goMod && goMod.problems.length > 0) {
    notes.push(`go.mod: ${goMod.problems.length} line(s) could not be read (line ${goMod.problems[0]!.line + 1}: ${goMod.problems[0]!.message})`);
  }
  const ignoreText = await readText(path.join(contextDir, '.dockerignore'), 256 * 1024);
  const patterns = ignoreText === undefined ? [] : ignoreText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  const goFiles: SourceFile[] = [];
  let entriesSeen = 0;
  const truncated = await walkTree(
    contextDir,
    async (rel, entry) => {
      entriesSeen++;
      if (goFiles.length >= options.maxGoFiles) return false;
      if (entry.isFile() && entry.name.endsWith('.go') && !entry.name.endsWith('_test.go')) {
        const text = await readText(path.join(contextDir, rel), MAX_GO_FILE_BYTES);
        if (text !== undefined) goFiles.push({ path: rel, text });
      }
      return true;
    },
    {
      enter: (_rel, name) => !SKIPPED_DIRS.has(name) && !name.startsWith('.') && !name.startsWith('_'),
      maxEntries: options.maxEntries ?? 50_000,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  if (truncated) notes.push(`Go sources: stopped after ${goFiles.length} files (${entriesSeen} entries); run-time needs may be incomplete.`);
  const contextSize = await measureContext(contextDir, patterns, undefined, options.signal);
  if (contextSize.truncated) notes.push(messages.contextSizeTruncated(contextSize.files));

  return {
    contextDir,
    goMod,
    goModPath: goMod ? 'go.mod' : undefined,
    needs: analyzeGoSources(goFiles, goMod, { truncated }),
    hasGoSources: goFiles.length > 0,
    dockerignore: { present: ignoreText !== undefined, patterns },
    contextEntries: await topLevelEntries(contextDir),
    contextSize,
    notes,
  };
}

async function topLevelEntries(contextDir: string): Promise<ContextEntry[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(contextDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: ContextEntry[] = [];
  for (const entry of entries.slice(0, 500)) {
    let size = 0;
    if (entry.isFile()) {
      try {
        size = (await fs.stat(path.join(contextDir, entry.name))).size;
      } catch {
        size = 0;
      }
    }
    out.push({ name: entry.name, directory: entry.isDirectory(), size });
  }
  return out;
}
