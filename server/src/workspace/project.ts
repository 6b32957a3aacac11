// Reads the build context from disk for the analysis, in one walk: .dockerignore, the bytes per
// top-level entry, the listing of what the engine receives, the languages' manifests and sources,
// and what each language reads its own way (LanguageSupport.contextReader: Go's go.mod and sources).
// Bounded (file cap, byte cap per file, no symlink following) so a huge or looping tree can never
// stall the server. A ContextState keeps what the walk found, so a saved file is read again alone.
import { promises as fs } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import * as path from 'node:path';
import { loadGrammars, loadGrammarsForSources } from './grammars';
import type { ContextEntry, ContextListing, LanguageLoadLimits, ProjectFacts } from '../analysis/project';
import type { ContextFactsState, ContextReader, LanguageSupport } from '../analysis/languages/types';
import { ContextTally } from './contextSize';
import { messages } from '../analysis/messages';
import { walkTree } from './walk';
import { languages } from '../analysis/languages/registry';
import { baseName } from '../analysis/paths';

/** Manifests and lock files the languages read; a bigger file is cut and said so. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Manifests in folders below the context's root read as well (a monorepo's many package.json files are not all wanted). */
const MAX_NESTED_MANIFESTS = 64;
const MAX_NESTED_BYTES = 64 * 1024;
/** The languages' sources read as text: how many files, and how much of each, the analysis reads. */
const MAX_SOURCE_FILES = 1000;
const MAX_SOURCE_BYTES = 512 * 1024;

/** The languages' limits on what their readers take (Go's maxGoFiles), and the walk's own. */
export interface LoadOptions extends LanguageLoadLimits {
  /** Stop walking after this many directory entries, whatever they are. */
  readonly maxEntries?: number;
  readonly signal?: AbortSignal;
  /** Without a signal: each walk of the context stops after this many milliseconds. */
  readonly budgetMs?: number;
  /** Text of files open in the editor, which wins over the disk (unsaved manifest edits). */
  readonly openText?: (absolutePath: string) => string | undefined;
}

const SKIPPED_DIRS = new Set(['vendor', 'testdata', 'node_modules', '.git', '.hg', '.svn', '.idea', '.vscode']);
/** Paths kept in the context listing; beyond it the listing says it is partial. */
const MAX_LISTED = 50_000;

/** The languages that read the context their own way, each with its reader. */
function readers(): Array<{ readonly language: LanguageSupport; readonly reader: ContextReader }> {
  return languages().flatMap((language) => (language.contextReader ? [{ language, reader: language.contextReader }] : []));
}

/**
 * The languages' load limits from the user's settings (each reader's `limit`: Go's
 * `slimfile.goScan.maxFiles`, a positive number) or, where unset, the reader's default for `caller`.
 */
export function loadLimits(settings: Readonly<Record<string, unknown>>, caller: 'editor' | 'cli'): LanguageLoadLimits {
  const limits: Record<string, number> = {};
  for (const { reader } of readers()) {
    if (!reader.limit) continue;
    const { section, key, field, editorDefault, cliDefault } = reader.limit;
    const group = settings[section];
    const value = Number(group !== null && typeof group === 'object' ? (group as Record<string, unknown>)[key] : undefined);
    limits[field] = Number.isFinite(value) && value > 0 ? Math.floor(value) : caller === 'cli' ? cliDefault : editorDefault;
  }
  return limits as unknown as LanguageLoadLimits;
}

/** File names that mark the root of a build context (ContextReader.roots: Go's go.mod). */
export function contextRootNames(): ReadonlySet<string> {
  return new Set(readers().flatMap(({ reader }) => reader.roots));
}

/**
 * The build context of a Dockerfile: an explicit setting wins; otherwise the nearest folder from
 * the Dockerfile's own up to `stopAt` that holds a language's root file (go.mod); otherwise the
 * Dockerfile's folder.
 */
export async function findBuildContext(dockerfilePath: string, stopAt: string | undefined, configured?: string): Promise<string> {
  if (configured) return configured;
  const start = path.dirname(dockerfilePath);
  const root = stopAt ? path.resolve(stopAt) : path.parse(start).root;
  const names = [...contextRootNames()];
  let dir = start;
  for (;;) {
    for (const name of names) if (await exists(path.join(dir, name))) return dir;
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
    // A buffer of the file's size, not of the limit: the limit zero-filled 512 KiB or 1 MiB for each
    // file read, and each such block's free raises glibc's mmap threshold to its size for the rest
    // of the process (bench/findings.md, "mem4").
    const size = Math.min((await handle.stat()).size, limit);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** Reads the build context once; a server keeps a ContextState instead, to take later saves cheaply. */
export async function loadProject(contextDir: string, options: LoadOptions): Promise<ProjectFacts> {
  const state = new ContextState(contextDir, options);
  try {
    return await state.load();
  } finally {
    state.dispose();
  }
}

/** What one walk of the context found. A file whose content changed is read again into it, alone. */
interface Walked {
  readonly ignoreText: string | undefined;
  readonly patterns: readonly string[];
  readonly tally: ContextTally;
  /** Sent files with their sizes; a save updates a size in place (the names never change without a walk). */
  readonly files: Map<string, number>;
  readonly directories: Set<string>;
  privateFiles: Set<string>;
  topLevel: ContextEntry[];
  /** What each language's own reader found (LanguageSupport.contextReader). */
  readonly own: ReadonlyMap<ContextReader, ReaderFound>;
  /** Other languages' sources; replaced, not changed, once facts were handed out. */
  sources: Map<string, string>;
  /** Folders the walk went into ('' for the root): it saw no file anywhere else. */
  readonly entered: ReadonlySet<string>;
  /** Entries the walk may visit before it stops (LoadOptions.maxEntries). */
  readonly maxEntries: number;
  readonly truncated: boolean;
  readonly sourcesCut: boolean;
  readonly listingCut: boolean;
  readonly entriesSeen: number;
}

/** What the walk found for one language's reader. */
interface ReaderFound {
  /** The files read, in walk order. */
  readonly files: Map<string, string>;
  /** Its root files (go.mod) the engine receives. */
  readonly roots: string[];
  /** Its file cap stopped it. */
  cut: boolean;
}

/** One change on disk, as a file watcher reports it. */
export interface FileChange {
  readonly path: string;
  readonly kind: 'created' | 'changed' | 'deleted';
}

/**
 * The facts of one build context, kept up to date as files change. A saved file is read again
 * alone and only the facts that come from file contents are derived again (a language's reader
 * keeps what it derived per file: Go re-parses only the sources whose text changed); a file made
 * or removed, .dockerignore or anything the first walk stopped short of walks the context again,
 * still re-parsing only changed sources.
 */
export class ContextState {
  private walked: Walked | undefined;
  private last: ProjectFacts | undefined;
  /** Each language reader's state, kept for the life of the context (Go's parse trees). */
  private readonly states = new Map<ContextReader, ContextFactsState>(readers().map(({ reader }) => [reader, reader.open()]));
  /** The manifests (go.mod among them) as last read, by absolute path; a change to one reads it again. */
  private readonly rootTexts = new Map<string, string | undefined>();

  constructor(
    readonly contextDir: string,
    private readonly options: LoadOptions,
  ) {}

  /** Walks the whole context and derives every fact. */
  async load(): Promise<ProjectFacts> {
    const signal = this.options.signal ?? (this.options.budgetMs !== undefined ? AbortSignal.timeout(this.options.budgetMs) : undefined);
    this.rootTexts.clear();
    this.walked = await walkContext(this.contextDir, this.options, signal);
    return (this.last = await this.facts(this.walked));
  }

  /** The facts after `changes`: the changed files read again, or the context walked again when that cannot be told from them. */
  async changed(changes: readonly FileChange[]): Promise<ProjectFacts> {
    const walked = this.walked;
    if (!walked || !this.last) return this.load();
    let read = false;
    for (const change of changes) {
      this.rootTexts.delete(change.path);
      const rel = path.relative(this.contextDir, change.path).split(path.sep).join('/');
      const outcome = change.kind === 'changed' ? await rereadFile(this.contextDir, walked, rel) : 'walk';
      if (outcome === 'walk') return this.load();
      read ||= outcome === 'read';
    }
    return read ? (this.last = await this.facts(walked)) : this.last;
  }

  dispose(): void {
    for (const state of this.states.values()) state.dispose();
  }

  private async readRoot(file: string, limit: number): Promise<string | undefined> {
    if (!this.rootTexts.has(file)) this.rootTexts.set(file, await readText(file, limit));
    return this.rootTexts.get(file);
  }

  private async facts(walked: Walked): Promise<ProjectFacts> {
    const { contextDir } = this;
    const notes: string[] = [];
    const { truncated, files, listingCut } = walked;
    for (const { language, reader } of readers()) {
      const found = walked.own.get(reader);
      if (truncated || found?.cut) notes.push(messages.sourcesCut(language.name, found?.files.size ?? 0, walked.entriesSeen));
    }
    const contextSize = walked.tally.result(truncated);
    if (contextSize.truncated) notes.push(messages.contextSizeTruncated(contextSize.files));

    // The languages' grammars load once per process, and only for a context holding their sources.
    for (const { language, reader } of readers()) if (language.grammars && (walked.own.get(reader)?.files.size ?? 0) > 0) await loadGrammars(language.grammars);
    await loadGrammarsForSources(walked.sources.keys());

    // What each language reads its own way (Go's go.mod and sources), in its record of `own`.
    const read = (rel: string): Promise<string | undefined> => this.readManifest(rel);
    let own: ProjectFacts['own'] = {};
    for (const [reader, state] of this.states) {
      const found = walked.own.get(reader);
      if (!found) continue;
      const facts = await state.facts({ files: found.files, roots: found.roots, truncated: truncated || found.cut, read, sameIfEqual }, this.last);
      own = { ...own, ...facts.own };
      notes.push(...facts.notes);
    }

    const manifests = new Map<string, string>();
    for (const name of new Set(languages().flatMap((l) => [...l.manifests, ...(l.companionFiles ?? [])]))) {
      // Only what the engine receives: an ignored manifest cannot shape the build.
      if (!files.has(name) && !listingCut && !truncated) continue;
      const text = await this.readManifest(name);
      if (text === undefined) continue;
      if (Buffer.byteLength(text) >= MAX_MANIFEST_BYTES) notes.push(`${name}: only the first ${MAX_MANIFEST_BYTES / 1024 / 1024} MB was read.`);
      manifests.set(name, text);
    }
    // A manifest or companion file in a folder (COPY app/requirements.txt ., a Spring Boot
    // src/main/resources/application.yaml) is what a build step or the program may read; a
    // bounded number of small ones is read, by path, beside the root ones.
    const names = new Set(languages().flatMap((l) => [...l.manifests, ...(l.companionFiles ?? [])]));
    let nested = 0;
    for (const [rel, size] of files) {
      const slash = rel.lastIndexOf('/');
      if (slash < 0 || size > MAX_NESTED_BYTES || !names.has(rel.slice(slash + 1)) || /(^|\/)node_modules\//.test(rel)) continue;
      if (nested++ >= MAX_NESTED_MANIFESTS) break;
      const text = await this.readManifest(rel);
      if (text !== undefined) manifests.set(rel, text);
    }
    // The files a manifest includes (requirements.txt's `-r base.txt`), whatever their names, and
    // those they include, within the same bound.
    const pending = [...manifests].flatMap(([file, text]) => languages().filter((l) => l.manifestIncludes && l.manifests.includes(baseName(file))).map((language) => ({ file, text, language })));
    for (let next = pending.shift(); next; next = pending.shift()) {
      for (const rel of next.language.manifestIncludes?.(next.file, next.text) ?? []) {
        if (manifests.has(rel) || (!files.has(rel) && !listingCut && !truncated) || (files.get(rel) ?? 0) > MAX_NESTED_BYTES) continue;
        if (nested++ >= MAX_NESTED_MANIFESTS) break;
        const text = await this.readManifest(rel);
        if (text === undefined) continue;
        manifests.set(rel, text);
        pending.push({ file: rel, text, language: next.language });
      }
    }

    return {
      contextDir,
      own,
      dockerignore: { present: walked.ignoreText !== undefined, patterns: walked.patterns },
      contextEntries: walked.topLevel,
      contextListing: sameListing({ files, directories: walked.directories, privateFiles: walked.privateFiles, truncated: truncated || listingCut }, this.last?.contextListing),
      contextSize,
      manifests,
      sources: walked.sources,
      sourcesTruncated: walked.sourcesCut || truncated,
      notes,
    };
  }

  /** A file at a path relative to the context, as a manifest is read: the editor's text wins. */
  private async readManifest(rel: string): Promise<string | undefined> {
    const file = path.join(this.contextDir, rel);
    return this.options.openText?.(file) ?? (await this.readRoot(file, MAX_MANIFEST_BYTES));
  }
}

async function walkContext(contextDir: string, options: LoadOptions, signal: AbortSignal | undefined): Promise<Walked> {
  const ignoreText = await readText(path.join(contextDir, '.dockerignore'), 256 * 1024);
  const patterns = ignoreText === undefined ? [] : ignoreText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  // One bounded walk gathers every fact about the context: the bytes the engine receives, the
  // listing of what COPY . sends, the top-level entries, the languages' sources, and what each
  // language's own reader reads (Go's sources, and where go.mod files are).
  const tally = new ContextTally(contextDir, patterns);
  const own = new Map<ContextReader, ReaderFound>(readers().map(({ reader }) => [reader, { files: new Map(), roots: [], cut: false }]));
  const files = new Map<string, number>();
  const directories = new Set<string>();
  const privateFiles = new Set<string>();
  const topLevel: ContextEntry[] = [];
  const entered = new Set<string>(['']);
  const sources = new Map<string, string>();
  let sourcesCut = false;
  const sourceExtensions = sourceExtensionsOfLanguages();
  let listingCut = false;
  let entriesSeen = 0;
  const maxEntries = options.maxEntries ?? 100_000;
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
      if (entry.isFile() && readsAsSource(rel, sent, sourceExtensions)) {
        if (sources.size >= MAX_SOURCE_FILES) sourcesCut = true;
        else {
          const text = await readText(path.join(contextDir, rel), MAX_SOURCE_BYTES);
          if (text !== undefined) sources.set(rel, text);
        }
      }
      if (!entry.isFile()) return;
      for (const [reader, found] of own) {
        if (!reader.sees(rel)) continue;
        if (sent && reader.roots.includes(entry.name)) found.roots.push(rel);
        if (!reader.reads(rel)) continue;
        if (found.files.size >= reader.maxFiles(options)) {
          found.cut = true;
          continue;
        }
        const text = await readText(path.join(contextDir, rel), reader.maxFileBytes);
        if (text !== undefined) found.files.set(rel, text);
      }
    },
    {
      enter: (rel) => {
        const enters = tally.enter(rel) || [...own.keys()].some((reader) => reader.sees(rel));
        if (enters) entered.add(rel);
        return enters;
      },
      maxEntries,
      ...(signal ? { signal } : {}),
    },
  );
  return {
    ignoreText,
    patterns,
    tally,
    files,
    directories,
    privateFiles,
    topLevel,
    own,
    sources,
    entered,
    maxEntries,
    truncated,
    sourcesCut,
    listingCut: listingCut || privateFiles.size >= MAX_LISTED,
    entriesSeen,
  };
}

/**
 * Reads one changed file again into what the walk found, as the walk would have read it: 'read'.
 * 'same' for a file the walk never looks at. 'walk' when a read cannot stand in for a walk:
 * .dockerignore, a file the walk never saw (so it is new), one that is gone or no longer a plain
 * file, or a walk that stopped at a cap.
 */
async function rereadFile(contextDir: string, walked: Walked, rel: string): Promise<'read' | 'same' | 'walk'> {
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return 'same';
  const readersCut = [...walked.own.values()].some((found) => found.cut);
  if (rel === '.dockerignore' || rel.startsWith('.git/') || walked.truncated || readersCut || walked.sourcesCut || walked.listingCut) return 'walk';
  const slash = rel.lastIndexOf('/');
  // The walk never goes there, so nothing it found can change.
  if (!walked.entered.has(slash < 0 ? '' : rel.slice(0, slash))) return 'same';
  const sent = !walked.tally.ignores(rel);
  // The language readers that read the file (Go's, for a .go source).
  const readBy = [...walked.own].filter(([reader]) => reader.sees(rel) && reader.reads(rel));
  // Whether the walk saw the file: one it did not see is new, and a walk finds what comes with it.
  let known: boolean;
  if (sent) known = walked.files.has(rel);
  // Top-level entries are listed whether the engine receives them or not.
  else if (slash < 0) known = walked.topLevel.some((e) => e.name === rel);
  // A language reader's files are read whether the engine receives them or not.
  else if (readBy.length > 0) known = readBy.some(([, found]) => found.files.has(rel));
  // Any other ignored file shapes nothing the walk found, new or not, unless one more entry
  // would have stopped the walk at its cap.
  else return walked.entriesSeen < walked.maxEntries ? 'same' : 'walk';
  const stats = await fs.lstat(path.join(contextDir, rel)).catch(() => undefined);
  if (!known || !stats?.isFile()) return 'walk';
  if (sent) {
    const before = walked.files.get(rel) ?? 0;
    if (before !== stats.size) {
      // In place: the listing keeps its identity, and with it what the analysis derived from
      // its names (a save changes a size, never which files there are).
      walked.files.set(rel, stats.size);
      walked.tally.resized(rel, before, stats.size);
    }
    const ownerOnly = (stats.mode & 0o004) === 0;
    if (ownerOnly !== walked.privateFiles.has(rel)) {
      walked.privateFiles = new Set(walked.privateFiles);
      if (ownerOnly) walked.privateFiles.add(rel);
      else walked.privateFiles.delete(rel);
    }
  }
  // Top-level entries are listed whether the engine receives them or not.
  if (slash < 0 && walked.topLevel.some((e) => e.name === rel && e.size !== stats.size)) {
    walked.topLevel = walked.topLevel.map((e) => (e.name === rel ? { ...e, size: stats.size } : e));
  }
  if (readsAsSource(rel, sent, sourceExtensionsOfLanguages())) {
    const text = await readText(path.join(contextDir, rel), MAX_SOURCE_BYTES);
    walked.sources = new Map(walked.sources);
    if (text === undefined) walked.sources.delete(rel);
    else walked.sources.set(rel, text);
  }
  for (const [reader, found] of readBy) {
    const text = await readText(path.join(contextDir, rel), reader.maxFileBytes);
    if (text === undefined) found.files.delete(rel);
    else found.files.set(rel, text);
  }
  return 'read';
}

function sourceExtensionsOfLanguages(): Set<string> {
  return new Set(languages().flatMap((l) => l.sourceExtensions ?? []));
}

/** Another language's source the analysis reads: one the engine receives, outside vendored and tool folders. */
function readsAsSource(rel: string, sent: boolean, extensions: ReadonlySet<string>): boolean {
  const extension = path.posix.extname(rel);
  return extension !== '' && extensions.has(extension) && sent && !SKIPPED_DIRS.has(rel.split('/')[0] as string);
}

/**
 * The last value when a save left it as it was: the analysis keeps work per object (the classing
 * of every context entry, per listing and file access), so that work stays done.
 */
function sameIfEqual<T>(value: T, last: T | undefined): T {
  return last !== undefined && isDeepStrictEqual(value, last) ? last : value;
}

/** The last listing when it is made of the same parts (the analysis keeps work per listing). */
function sameListing(listing: ContextListing, last: ContextListing | undefined): ContextListing {
  const same = last && last.files === listing.files && last.directories === listing.directories && last.privateFiles === listing.privateFiles && last.truncated === listing.truncated;
  return same ? last : listing;
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}
