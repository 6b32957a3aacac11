// Reads the build context from disk for the analysis, in one walk: go.mod, the Go sources,
// .dockerignore, the bytes per top-level entry and the listing of what the engine receives. Bounded (file cap, byte cap per file, no symlink
// following) so a huge or looping tree can never stall the server.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseGoMod } from '../analysis/gomod';
import { analyzeGoSources, mainPackageFolders, type SourceFile } from '../analysis/go/needs';
import { loadGoParser } from './goParser';
import type { ContextEntry, ProjectFacts } from '../analysis/project';
import { ContextTally } from './contextSize';
import { messages } from '../analysis/messages';
import { walkTree } from './walk';
import { languages } from '../analysis/languages/registry';

/** Manifests and lock files the languages read; a bigger file is cut and said so. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Other languages' sources: how many files, and how much of each, the analysis reads. */
const MAX_SOURCE_FILES = 1000;
const MAX_SOURCE_BYTES = 512 * 1024;

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
/** Paths kept in the context listing; beyond it the listing says it is partial. */
const MAX_LISTED = 50_000;

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
  const ignoreText = await readText(path.join(contextDir, '.dockerignore'), 256 * 1024);
  const patterns = ignoreText === undefined ? [] : ignoreText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  // One bounded walk gathers every fact about the context: the Go sources, the bytes the engine
  // receives, the listing of what COPY . sends, the top-level entries and where go.mod files are.
  const tally = new ContextTally(contextDir, patterns);
  const goFiles: SourceFile[] = [];
  const files = new Map<string, number>();
  const directories = new Set<string>();
  const privateFiles = new Set<string>();
  const goMods: string[] = [];
  const topLevel: ContextEntry[] = [];
  let goFilesCut = false;
  const sources = new Map<string, string>();
  let sourcesCut = false;
  const sourceExtensions = new Set(languages().flatMap((l) => l.sourceExtensions ?? []));
  let listingCut = false;
  let entriesSeen = 0;
  const truncated = await walkTree(
    contextDir,
    async (rel, entry) => {
      entriesSeen++;
      const stats = await tally.visit(rel, entry);
      // Owner-only files (a 0600 .env) stay unreadable to a non-root user once copied as root.
      if (stats && (stats.mode & 0o004) === 0 && privateFiles.size < MAX_LISTED) privateFiles.add(rel);
      const top = !rel.includes('/');
      if (top && topLevel.length < 500) topLevel.push({ name: entry.name, directory: entry.isDirectory(), size: entry.isFile() ? await fileSize(path.join(contextDir, rel)) : 0 });
      const sent = !tally.ignores(rel);
      if (sent && !rel.startsWith('.git/')) {
        if (files.size + directories.size >= MAX_LISTED) listingCut = true;
        else if (entry.isDirectory()) directories.add(rel);
        else files.set(rel, stats?.size ?? 0);
      }
      const extension = entry.isFile() ? path.posix.extname(entry.name) : '';
      if (extension && sourceExtensions.has(extension) && sent && !SKIPPED_DIRS.has(rel.split('/')[0] as string)) {
        if (sources.size >= MAX_SOURCE_FILES) sourcesCut = true;
        else {
          const text = await readText(path.join(contextDir, rel), MAX_SOURCE_BYTES);
          if (text !== undefined) sources.set(rel, text);
        }
      }
      if (!entry.isFile() || !goSourcePath(rel)) return;
      if (entry.name === 'go.mod' && sent) goMods.push(rel);
      if (!entry.name.endsWith('.go') || entry.name.endsWith('_test.go')) return;
      if (goFiles.length >= options.maxGoFiles) {
        goFilesCut = true;
        return;
      }
      const text = await readText(path.join(contextDir, rel), MAX_GO_FILE_BYTES);
      if (text !== undefined) goFiles.push({ path: rel, text });
    },
    {
      enter: (rel) => tally.enter(rel) || goSourcePath(rel),
      maxEntries: options.maxEntries ?? 100_000,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  if (truncated || goFilesCut) notes.push(`Go sources: stopped after ${goFiles.length} files (${entriesSeen} entries); run-time needs may be incomplete.`);
  const contextSize = tally.result(truncated);
  if (contextSize.truncated) notes.push(messages.contextSizeTruncated(contextSize.files));

  // go.mod at the root; else the only one the context holds (a repository whose module is in a subfolder).
  const goModRel = goMods.includes('go.mod') ? 'go.mod' : goMods.length === 1 ? goMods[0] : undefined;
  const goModFile = path.join(contextDir, goModRel ?? 'go.mod');
  const goModText = options.openText?.(goModFile) ?? (await readText(goModFile, 1024 * 1024));
  const goMod = goModText !== undefined ? parseGoMod(goModText) : undefined;
  if (goMod && goMod.problems.length > 0) {
    notes.push(`go.mod: ${goMod.problems.length} line(s) could not be read (line ${goMod.problems[0]!.line + 1}: ${goMod.problems[0]!.message})`);
  }

  const manifests = new Map<string, string>();
  for (const name of new Set(languages().flatMap((l) => [...l.manifests, ...(l.companionFiles ?? [])]))) {
    // Only what the engine receives: an ignored manifest cannot shape the build.
    if (!files.has(name) && !listingCut && !truncated) continue;
    const file = path.join(contextDir, name);
    const text = options.openText?.(file) ?? (await readText(file, MAX_MANIFEST_BYTES));
    if (text === undefined) continue;
    if (Buffer.byteLength(text) >= MAX_MANIFEST_BYTES) notes.push(`${name}: only the first ${MAX_MANIFEST_BYTES / 1024 / 1024} MB was read.`);
    manifests.set(name, text);
  }

  // The Go analysis reads the sources through tree-sitter, whose wasm loads once per process.
  await loadGoParser();
  return {
    contextDir,
    goMod,
    goModPath: goMod ? (goModRel ?? 'go.mod') : undefined,
    needs: analyzeGoSources(goFiles, goMod, { truncated: truncated || goFilesCut }),
    hasGoSources: goFiles.length > 0,
    mainPackages: mainPackageFolders(goFiles),
    dockerignore: { present: ignoreText !== undefined, patterns },
    contextEntries: topLevel,
    contextListing: { files, directories, privateFiles, truncated: truncated || listingCut },
    contextSize,
    manifests,
    sources,
    sourcesTruncated: sourcesCut || truncated,
    notes,
  };
}

/** Go's own rule: vendor, testdata, and names starting with . or _ hold no package of the build. */
function goSourcePath(rel: string): boolean {
  return rel.split('/').every((part) => !SKIPPED_DIRS.has(part) && !part.startsWith('.') && !part.startsWith('_'));
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}
