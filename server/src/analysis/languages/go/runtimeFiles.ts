// What the running Go program needs from the files of its image, and what it may drop. Every entry the
// build context sends into the final stage gets a class and a reason; the program's reads are
// mapped back through the stage's COPY/ADD to context paths, and its writes to folders that must
// be writable by the runtime user. Pure: it reads the model and the project facts.
import ignore from '@balena/dockerignore';
import type { Stage } from '../../model';
import type { ContextListing, ProjectFacts } from '../../project';
import type { PathUse } from './source/fileAccess';
import type { Evidence, RuntimeNeeds } from './source/needs';
import { baseName, compareNames, joinPath } from '../../paths';
import { mayCreate, mayCreateUnder, runCreations, type Creation } from '../../runCreates';
import { libraryAccess, unreadImports } from './source/libraryFiles';
import { query, type AnalysisContext } from '../../context';
import { CLUTTER, contextCopies, exists, landsAt, matching, parentOf, toContext, under, type ContextCopy } from '../../runtimeFiles';
import { goFacts } from './source/facts';
import { cleanPath, expandValue, isPattern, literalValue, plainValue, variableStart } from './source/values';

export type EntryClass = 'run-time' | 'embedded' | 'go-source' | 'build-input' | 'clutter' | 'unread' | 'unknown';

export interface ClassifiedEntry {
  /** Context path, relative ("templates", ".env", "cmd"). */
  readonly name: string;
  readonly directory: boolean;
  readonly class: EntryClass;
  readonly reason: string;
}

export interface WritableFolder {
  /** Absolute path in the image. */
  readonly path: string;
  /** The folder comes from the build context (its files are copied along); else it is created empty. */
  readonly fromContext: boolean;
  readonly reason: string;
}

export interface RuntimeFilePlan {
  /** Top-level entries the stage's COPY/ADD send into the image, each with its class. */
  readonly entries: readonly ClassifiedEntry[];
  /** Absolute image paths to copy from the build stage, read-only. */
  readonly copies: readonly string[];
  /** Copies whose files are not readable by others in the context, so the runtime user must own them. */
  readonly owned: ReadonlySet<string>;
  readonly writable: readonly WritableFolder[];
  /** The program makes temporary files, so /tmp must be writable (distroless has it; scratch does not). */
  readonly needsTmp: boolean;
  /** Why root must stay the user (a write where no other user may write, a write the scan cannot place). */
  readonly rootReasons: readonly string[];
  /** Each reason the conversion cannot be proven safe. */
  readonly problems: readonly string[];
  /** Said in the preview without blocking (a read file the context lacks, secrets shipped). */
  readonly notes: readonly string[];
}

/** Names that are repository clutter: documentation, licences, manifests, CI and editor configuration. */
const SPEC_FOLDERS = /^(api|apis|proto|protos|openapi|swagger|init|systemd)$/i;
const SPEC_FILES = /\.(ya?ml|json|proto|service|socket|timer|conf|md|txt)$/i;
/** Build inputs: the module files, vendored sources, build scripts and the Dockerfile itself. */
const BUILD_INPUT = /^(go\.(mod|sum|work|work\.sum)|vendor|makefile|gnumakefile|.*\.mk|taskfile\.ya?ml|magefile\.go|[\w.-]+\.sh|scripts?|hack|tools|(.*\.)?dockerfile(\..*)?|containerfile(\..*)?|\.dockerignore|tools\.go|sqlc\.ya?ml|[\w.-]+\.proto|buf(\.gen|\.work)?\.ya?ml)$/i;
/** Libraries that load env files: with none imported, a .env nothing reads is for compose or the shell. */
const ENV_FILE_LOADERS = /^(github\.com\/(joho\/godotenv|spf13\/viper|subosito\/gotenv|ilyakaznacheev\/cleanenv|knadh\/koanf|gobuffalo\/envy|hashicorp\/go-envparse|lpernett\/godotenv))(\/|$)/;
/** Libraries that read migration or SQL files at run time: with none imported, .sql files are for tools outside the program. */
const SQL_FILE_READERS = /^(github\.com\/(golang-migrate\/migrate|pressly\/goose|rubenv\/sql-migrate|amacneil\/dbmate|gobuffalo\/pop|go-gormigrate)|ariga\.io\/atlas)(\/|$)/;
/** Folders every runtime provides, or that are not files: reads there never need a copy. */
const SYSTEM_READS = /^\/(proc|sys|dev)(\/|$)|^\/etc\/(ssl|ca-certificates|passwd|group|hosts|resolv\.conf|nsswitch\.conf|hostname|localtime|os-release|mime\.types)(\/|$)|^\/usr\/share\/zoneinfo(\/|$)|^\/tmp(\/|$)/;
/** Folders where the build image (a golang or OS image) holds files that a small runtime lacks. */
const BUILD_IMAGE_FOLDERS = /^\/(etc|usr|bin|sbin|lib\w*|var|go|opt|root|run)(\/|$)/;
/** Folders that belong to root in every image: a program writing directly in one needs root. */
const ROOT_FOLDERS = /^\/(|etc|usr(\/[^/]+)?|bin|sbin|lib\w*|var|var\/(run|log|lib|cache|spool)|run|opt|srv|home|root|boot|mnt|media)$/;

/** Folders that scratch-like runtimes have too. */
const EVERY_IMAGE_HAS = /^\/(|etc|usr|home|root|tmp)$/;


function where(e: Evidence): string {
  return `${e.file}:${e.line + 1}`;
}

/**
 * A path with its `${VAR}` parts set from the image's ENV, made absolute in the image; still a
 * value of values.ts's language (a pattern keeps its `*`, a literal `[` its `\\`). Undefined when a
 * variable has no value there.
 */
function imagePathOf(use: PathUse, stage: Stage): string | undefined {
  const expanded = expandValue(use.path, (name) => stage.env.get(name));
  if (expanded.unset.length > 0) return undefined;
  // Joined as values (paths.ts's joinPath would take a literal `$` for a Dockerfile variable).
  return cleanPath(expanded.value.startsWith('/') ? expanded.value : `${literalValue(stage.workdir)}/${expanded.value}`);
}

/**
 * The known leading part of a path the scan could not resolve: its prefix with the image's ENV
 * expanded, up to the first variable the image does not set ("/etc/", "data/", "" when nothing is known).
 */
function knownPrefix(prefix: string | undefined, stage: Stage): string {
  if (!prefix) return '';
  const expanded = expandValue(prefix, (name) => stage.env.get(name)).value;
  const variable = variableStart(expanded);
  return plainValue(variable < 0 ? expanded : expanded.slice(0, variable));
}

/** The folder an absolute known prefix lies in ("/etc/" and "/etc/app-" -> "/etc"); undefined for a relative or empty one. */
function prefixFolder(prefix: string): string | undefined {
  if (!prefix.startsWith('/')) return undefined;
  return parentOf(`${prefix.slice(0, prefix.lastIndexOf('/') + 1)}x`);
}

/** Variables the engine sets in every container, whatever the Dockerfile says. */
const ENGINE_ENV = new Set(['HOME', 'PATH', 'HOSTNAME']);

/** Whether the running image has the variable set and not empty (the final stage's ENV, or the engine's own). */
function setInImage(stage: Stage, name: string): boolean {
  const value = stage.env.get(name);
  return ENGINE_ENV.has(name) || (value !== undefined && value !== '');
}

/**
 * A path value as the folder before its first pattern segment and the pattern from there
 * ("templates/*.html" -> "templates" and "*.html"); a path with no pattern is all folder.
 */
function splitPattern(imagePath: string): { readonly folder: string; readonly pattern: string } {
  const parts = imagePath.split('/');
  const first = parts.findIndex(isPattern);
  if (first < 0) return { folder: plainValue(imagePath), pattern: '' };
  return { folder: plainValue(parts.slice(0, first).join('/')) || '/', pattern: parts.slice(first).join('/') };
}




/** Words of the start command that name context paths (`./app -config conf/prod.yaml`, `--templates=web`). */
function startCommandPaths(stage: Stage): string[] {
  const words = [stage.entrypoint, stage.cmd].flatMap((l) => (l ? (l.form === 'exec' ? l.args.slice(l === stage.entrypoint || !stage.entrypoint ? 1 : 0) : (l.args[0] ?? '').trim().split(/\s+/).slice(1)) : []));
  return words.map((w) => w.replace(/^-{1,2}[\w-]+=/, '')).filter((w) => w !== '' && !w.startsWith('-') && /[/.]/.test(w) && !/^\d+(\.\d+)*$/.test(w) && !/^:\d+$/.test(w));
}

export interface PlanInput {
  readonly stage: Stage;
  readonly project: ProjectFacts;
  /** Absolute paths of the binaries the stage builds (never copied as files). */
  readonly binaries: readonly string[];
  /** Folders made writable by RUN steps carried over (mkdir + chown), absolute. */
  readonly preparedFolders: readonly string[];
  /** Where the listing's indexes are kept (the model's context). */
  readonly context: AnalysisContext;
}

export function planRuntimeFiles(input: PlanInput): RuntimeFilePlan {
  const { stage, project, binaries, context } = input;
  const listing = project.contextListing;
  const go = goFacts(project);
  const files = go.needs.files;
  const copies = contextCopies(stage, listing);
  /** What the stage's RUN steps may leave in the image, besides what the context sends. */
  const creations = runCreations(stage);
  const problems: string[] = [];
  const notes: string[] = [];
  const rootReasons: string[] = [];
  const toCopy = new Set<string>();
  /** Context paths the program reads, with the first reason. */
  const readContext = new Map<string, string>();
  /**
   * Calls whose path may be any file under the working folder: the context's entries are kept as
   * the original image had them, since which one the call opens cannot be known.
   */
  const keepAll = new Set<string>();

  // Every read is known only when every source and every context file was seen.
  const complete = project.contextDir !== undefined && go.hasGoSources && !go.needs.truncated && !listing.truncated;
  if (project.contextDir === undefined) problems.push('the build context was not read (an unsaved file, or standard input), so what the program reads at run time is not known');
  else if (!go.hasGoSources) problems.push('no Go sources were read, so what the program reads at run time is not known');
  if (go.needs.truncated) problems.push('the Go sources were not all read (the file cap or the time budget), so some reads may be missing');
  if (listing.truncated) problems.push('the build context holds more files than Slimfile lists, so some copied files may be missing');

  /** A path used only when a variable the image does not set is set: the image as built never touches it. */
  const neverTouched = (use: PathUse, verb: 'reads' | 'writes'): boolean => {
    const name = use.onlyWhenSet;
    if (name === undefined || setInImage(stage, name)) return false;
    const mount = verb === 'reads' ? 'mount the file there' : 'mount a writable volume there';
    notes.push(`${use.evidence.what} at ${where(use.evidence)} ${verb} ${plainValue(use.path)} only when ${name} is set, and the image does not set it: if you set ${name} at run time, ${mount}.`);
    return true;
  };

  // What the program writes itself is made at run time, so reading it back needs no copy.
  const written = files.writes.flatMap((use) => {
    if (use.onlyWhenSet !== undefined && !setInImage(stage, use.onlyWhenSet)) return [];
    const p = imagePathOf(use, stage);
    return p === undefined ? [] : [{ path: p, directory: use.directory }];
  });
  const madeAtRunTime = (p: string): boolean => written.some((w) => p === w.path || (w.directory && under(p, w.path)));

  /**
   * A read or write whose path is known only up to `prefix`: relative or wholly unknown, it may be
   * any file the original image had in its working folder, so they are all kept; under one copied
   * folder, that folder is kept. A read under a system folder is refused when the small runtime
   * lacks what the build image has there; a write there keeps root and the folder as they were.
   * `written` is the path as the program names it when only a variable the image does not set hides it.
   */
  const placeUnknown = (prefix: string, call: string, verb: 'reads' | 'writes', written?: { path: string; unset: readonly string[] }): void => {
    const folder = prefixFolder(prefix);
    const what = (inFolder: boolean): string =>
      written ? `${written.path} (the image does not set ${written.unset.join(' or ')})` : inFolder && folder ? `a path under ${folder}/ the scan cannot see` : 'a path the scan cannot see';
    if (folder === undefined || folder === '/') {
      keepAll.add(`${call} ${verb} ${what(false)}`);
      return;
    }
    const contextPath = toContext(copies, folder, listing);
    if (contextPath === '' || (contextPath === undefined && copies.some((c) => under(c.target, folder)))) {
      keepAll.add(`${call} ${verb} ${what(true)}`);
      return;
    }
    if (contextPath !== undefined) {
      if (exists(listing, contextPath) !== undefined) {
        readContext.set(contextPath, `${call} ${verb} under it`);
        toCopy.add(folder);
      }
      return;
    }
    if (verb === 'writes' || madeAtRunTime(literalValue(folder)) || SYSTEM_READS.test(folder)) return;
    // The unknown path's text names the folder already; a path with a variable may not.
    const there = written ? `under ${folder}/` : 'there';
    const maker = mayCreateUnder(creations, folder);
    if (BUILD_IMAGE_FOLDERS.test(folder)) problems.push(`${call} reads ${what(true)}, and the small runtime does not have what the build image has ${there}`);
    else if (maker) problems.push(`${call} reads ${what(true)}, and ${runMaking(maker)} may create files ${there}`);
    else notes.push(`${call} reads ${what(true)}; the original image had nothing ${there} either (a volume, or a file made at run time), so nothing is copied.`);
  };
  /** A path whose variables the image does not all set: placed by what comes before the first of them. */
  const placeUnset = (use: PathUse, verb: 'reads' | 'writes'): void => {
    const { unset } = expandValue(use.path, (name) => stage.env.get(name));
    placeUnknown(knownPrefix(use.path, stage), `${use.evidence.what} at ${where(use.evidence)}`, verb, { path: plainValue(use.path), unset: [...new Set(unset)] });
  };

  for (const e of files.unknownReads) placeUnknown(knownPrefix(e.prefix, stage), `unknown path at ${where(e)}: ${e.what}`, 'reads');

  const reads: Array<{ imagePath: string; reason: string }> = [];
  for (const use of files.reads) {
    if (neverTouched(use, 'reads')) continue;
    const imagePath = imagePathOf(use, stage);
    if (imagePath === undefined) {
      placeUnset(use, 'reads');
      continue;
    }
    reads.push({ imagePath, reason: `${use.evidence.what} at ${where(use.evidence)}` });
  }
  for (const word of startCommandPaths(stage)) {
    const imagePath = joinPath(stage.workdir, word);
    if (binaries.includes(imagePath)) continue;
    if (toContext(copies, imagePath, listing) !== undefined) reads.push({ imagePath: literalValue(imagePath), reason: `the start command names ${word}` });
  }
  // An ENV value naming a copied file or folder (CONFIG=/app/conf/prod.yaml) is read through the
  // environment, maybe by a library the scan does not follow: it stays.
  for (const [name, value] of stage.env) {
    if (!/^[\w./-]+$/.test(value) || !/[/.]/.test(value) || /^\.+$/.test(value)) continue;
    const imagePath = joinPath(stage.workdir, value);
    const contextPath = toContext(copies, imagePath, listing);
    if (contextPath !== undefined && contextPath !== '' && exists(listing, contextPath) !== undefined && !binaries.includes(imagePath)) reads.push({ imagePath: literalValue(imagePath), reason: `ENV ${name} names it` });
  }

  // Each read's image path is a value (a pattern, or a literal with its escapes); `shown` is as the program names it.
  for (const read of reads) {
    if (SYSTEM_READS.test(read.imagePath) || madeAtRunTime(read.imagePath)) continue;
    const pattern = isPattern(read.imagePath);
    const split = splitPattern(read.imagePath);
    const base = split.folder;
    const shown = plainValue(read.imagePath);
    const contextPath = toContext(copies, base, listing);
    if (contextPath === undefined) {
      // Above every copy (http.Dir(".") over WORKDIR): every copy below it is read.
      const below = copies.filter((c) => under(c.target, base));
      if (below.length > 0) {
        for (const c of below) {
          toCopy.add(c.target);
          readContext.set(c.source, read.reason);
        }
        continue;
      }
      problems.push(`${read.reason} reads ${shown}, which does not come from the build context`);
      continue;
    }
    if (pattern && base === stage.workdir) {
      // A pattern right in the working folder ("*.yaml", viper's "app.*"): copy each match.
      const matches = matching(listing, contextPath === '' ? split.pattern : `${literalValue(contextPath)}/${split.pattern}`);
      for (const m of matches) {
        readContext.set(m, read.reason);
        toCopy.add(joinPath(base, m.slice(contextPath === '' ? 0 : contextPath.length + 1)));
      }
      continue;
    }
    if (exists(listing, contextPath) === undefined) {
      const maker = mayCreate(creations, pattern ? read.imagePath : base);
      if (maker) problems.push(`${read.reason} reads ${shown}, which the build context does not have, and ${runMaking(maker)} may create it`);
      else notes.push(`${read.reason} reads ${shown}, which neither image has (the build context lacks it and no RUN step makes it), so the program behaves the same.`);
      continue;
    }
    readContext.set(contextPath, read.reason);
    toCopy.add(base);
  }

  // GitHub runs a Docker container action as the image's default user and expects root (its
  // workspace and file commands belong to root).
  const action = ['action.yml', 'action.yaml'].find((f) => listing.files.has(f));
  if (action) rootReasons.push(`the context holds ${action}: GitHub runs container actions as root`);

  // Writes: the folder each write lands in must exist and be writable by the runtime user. A write
  // the scan cannot place keeps root, the user the original image had, and the folders it may write in.
  const writable = new Map<string, WritableFolder>();
  let needsTmp = files.tempFiles.length > 0;
  for (const e of files.unknownWrites) {
    const call = `unknown path at ${where(e)}: ${e.what}`;
    rootReasons.push(`${call} writes where the scan cannot see`);
    placeUnknown(knownPrefix(e.prefix, stage), call, 'writes');
  }
  /** Files the program writes that come from the context: the runtime user must own them. */
  const ownedFiles = new Set<string>();
  for (const use of files.writes) {
    if (neverTouched(use, 'writes')) continue;
    const value = imagePathOf(use, stage);
    const reason = `${use.evidence.what} at ${where(use.evidence)}`;
    if (value === undefined) {
      rootReasons.push(`${reason} writes ${plainValue(use.path)}, and the image does not set that variable`);
      placeUnset(use, 'writes');
      continue;
    }
    const pattern = isPattern(value);
    // The path itself when it names one file or folder (no pattern in it).
    const imagePath = splitPattern(value).folder;
    // A file the program writes that the context already has (a committed SQLite database) held data
    // in the original image, which the program may read back: it is copied, owned by the runtime user.
    const writtenFromContext = use.directory || pattern ? undefined : toContext(copies, imagePath, listing);
    if (writtenFromContext !== undefined && exists(listing, writtenFromContext) === 'file') {
      readContext.set(writtenFromContext, readContext.get(writtenFromContext) ?? `${reason} writes it, and the original image had it`);
      toCopy.add(imagePath);
      ownedFiles.add(imagePath);
    }
    // In a folder the program names, under a name chosen at run time (data/*): that folder.
    const folder = pattern ? imagePath : use.directory ? imagePath : parentOf(imagePath);
    if (/^\/tmp(\/|$)/.test(folder)) {
      needsTmp = true;
      continue;
    }
    if (/^\/(proc|sys|dev)(\/|$)/.test(folder)) continue;
    if (ROOT_FOLDERS.test(folder)) {
      // One reason per folder: a MkdirAll and the write after it say the same thing.
      if (!rootReasons.some((r) => r.endsWith(` in ${folder}, where only root may write`))) rootReasons.push(`${reason} writes in ${folder}, where only root may write`);
      // A small runtime may lack /var/run or /opt: the folder is made, root-owned like the original's.
      if (!EVERY_IMAGE_HAS.test(folder) && !writable.has(folder)) writable.set(folder, { path: folder, fromContext: false, reason });
      continue;
    }
    if (writable.has(folder) || [...writable.keys()].some((w) => under(folder, w) && use.directory)) continue;
    const contextPath = toContext(copies, folder, listing);
    // A folder the whole context went into (a write in WORKDIR) is made empty, never copied with the sources.
    const fromContext = contextPath !== undefined && contextPath !== '' && exists(listing, contextPath) === 'directory';
    if (fromContext) readContext.set(contextPath as string, readContext.get(contextPath as string) ?? `${reason} writes in it`);
    writable.set(folder, { path: folder, fromContext, reason });
  }
  for (const prepared of input.preparedFolders) {
    if (!writable.has(prepared)) {
      const contextPath = toContext(copies, prepared, listing);
      // A folder the whole context went into (chown -R app /app) is made empty, not copied with the sources.
      const fromContext = contextPath !== undefined && contextPath !== '' && exists(listing, contextPath) === 'directory';
      writable.set(prepared, { path: prepared, fromContext, reason: 'a RUN step makes it or gives it to the user' });
    }
  }

  // A COPY that names a folder or file the program is not known to read still says the image needs
  // it; it is kept (a copy too many costs bytes, never a broken start).
  for (const c of copies) {
    if (c.source === '' || readContext.has(c.source) || [...toCopy].some((t) => under(c.target, t))) continue;
    if (classOf(c.source, c.directory, listing, go.needs, new Map(), context).class !== 'unknown') continue;
    readContext.set(c.source, `the Dockerfile copies ${c.source} into the image by name`);
    toCopy.add(c.target);
  }

  // Packages whose code the scan does not read: one not known to open no files may read any file
  // of the working folder and write anywhere, so the data files stay and so does the user the
  // original image had; one known only to read the files the program names keeps the files.
  const libraries = librariesNotFollowed(project);
  if (libraries.unknown.length > 0) {
    const one = outermost(libraries.unknown).length === 1;
    keepAll.add(`${named(libraries.unknown)} ${one ? 'is' : 'are'} imported, and Slimfile does not know which files ${one ? 'it opens' : 'they open'}`);
    rootReasons.push(libraryWriteRisk(libraries.unknown));
  }
  if (libraries.readers.length > 0) keepAll.add(`${named(libraries.readers)} ${outermost(libraries.readers).length === 1 ? 'reads' : 'read'} files the program names through calls Slimfile does not follow`);

  // A call that may open any file of the working folder: every entry that is not source, build
  // input or clutter stays where the original image had it.
  if (keepAll.size > 0) {
    const kept: string[] = [];
    for (const entry of classifyEntries(stage, project, copies, readContext, context)) {
      if (entry.class !== 'unknown') continue;
      const target = entryTarget(copies, entry.name);
      if (target === undefined) continue;
      readContext.set(entry.name, `kept as the original image had it: ${[...keepAll][0]}`);
      toCopy.add(target);
      kept.push(entry.directory ? `${entry.name}/` : entry.name);
    }
    if (kept.length > 0) notes.push(`Keeps ${kept.join(', ')} where the original image had ${kept.length === 1 ? 'it' : 'them'}: ${[...keepAll].join('; ')}.`);
  }
  // A library opens files of its formats by names the scan does not see (a config file, a
  // certificate a connection string names): the files of those formats stay.
  const loaders = unreadImports(project).flatMap((library) => {
    const access = libraryAccess(library);
    return access.kind === 'formats' ? [{ library, formats: access.formats }] : [];
  });
  if (loaders.length > 0) {
    for (const entry of classifyEntries(stage, project, copies, readContext, context)) {
      if (entry.class !== 'unknown') continue;
      const inside = entry.directory ? filesUnder(listing, entry.name, context) : [entry.name];
      const loader = loaders.find((l) => inside.some((f) => l.formats.test(f)));
      const target = entryTarget(copies, entry.name);
      if (!loader || target === undefined) continue;
      readContext.set(entry.name, `${loader.library} is imported, and it opens files by names the scan does not follow`);
      toCopy.add(target);
    }
  }
  // A writable folder is copied with its owner; a read copy inside it comes along.
  for (const w of writable.values()) for (const c of [...toCopy]) if (under(c, w.path) && w.fromContext) toCopy.delete(c);

  // An entry whose copy lands in a folder copied whole is in the image with that folder, unless a
  // later copy replaces every file it brings.
  const whole = [...toCopy, ...[...writable.values()].filter((w) => w.fromContext).map((w) => w.path)];
  for (const entry of classifyEntries(stage, project, copies, readContext, context)) {
    if (entry.class !== 'unknown') continue;
    const target = entryTarget(copies, entry.name);
    const folder = target === undefined ? undefined : whole.find((k) => under(target, k));
    if (target === undefined || folder === undefined) continue;
    const inside = entry.directory ? filesUnder(listing, entry.name, context) : [entry.name];
    const inImage = inside.some((f) =>
      copies.some((c) => {
        const at = landsAt(c, f);
        return at !== undefined && under(at, folder) && toContext(copies, at, listing) === f;
      }),
    );
    if (inImage) readContext.set(entry.name, `its copy lands in ${folder}, which is copied whole`);
  }

  const owned = new Set<string>();
  for (const c of toCopy) {
    const contextPath = toContext(copies, c, listing);
    if (ownedFiles.has(c) || (contextPath !== undefined && hasPrivateFile(listing, contextPath))) owned.add(c);
  }
  // A path inside a folder copied whole with the same owner comes along with it: copying it again
  // changes nothing. With another owner its own COPY stays, after the folder's (sorted), so it wins.
  const copied: string[] = [];
  for (const c of [...toCopy].sort()) {
    const outer = copied.filter((k) => under(c, k)).pop();
    if (outer === undefined || owned.has(outer) !== owned.has(c)) copied.push(c);
    else owned.delete(c);
  }

  // With every read known, an entry none of them reaches is not needed at run time; without, it
  // may be what an unseen read opens.
  const entries = classifyEntries(stage, project, copies, readContext, context).map((entry): ClassifiedEntry => (entry.class === 'unknown' && complete ? { ...entry, class: 'unread', reason: UNREAD } : entry));
  for (const entry of entries) {
    const name = entry.directory ? `${entry.name}/` : entry.name;
    if (entry.class === 'unknown') problems.push(`${name}: ${entry.reason}`);
    else if (entry.class === 'unread') notes.push(`Not copied: ${name}: ${entry.reason}.`);
  }
  if (readContext.has('.env') || [...readContext.keys()].some((k) => baseName(k).startsWith('.env'))) {
    notes.push('.env is read by the program, so it is kept in the image; it ships whatever secrets it holds to everyone who can pull the image');
  }
  return { entries, copies: copied, owned, writable: [...writable.values()].sort((a, b) => compareNames(a.path, b.path)), needsTmp, rootReasons, problems, notes };
}

const UNREAD = 'nothing reads it at run time';

/** Imported packages the scan does not follow: `unknown` may read and write anything, `readers` only read what the program names. */
function librariesNotFollowed(project: ProjectFacts): { unknown: string[]; readers: string[] } {
  const unread = unreadImports(project);
  return { unknown: unread.filter((i) => libraryAccess(i).kind === 'unknown'), readers: unread.filter((i) => libraryAccess(i).kind === 'reads') };
}

/** The paths without those inside another one listed (`minio-go/v7/pkg/credentials` goes with `minio-go/v7`). */
function outermost(all: readonly string[]): string[] {
  return all.filter((p) => !all.some((o) => o !== p && p.startsWith(`${o}/`)));
}

/** Up to three package paths, then how many more. */
function named(all: readonly string[]): string {
  const paths = outermost(all);
  return paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ');
}

function libraryWriteRisk(unknown: readonly string[]): string {
  return `${named(unknown)} may write files where only root may, and Slimfile does not read ${outermost(unknown).length === 1 ? 'its' : 'their'} code`;
}

/** The RUN command a reason names: `cp .env.example .env` at line 7. */
function runMaking(creation: Creation): string {
  const command = creation.command.length > 60 ? `${creation.command.slice(0, 59)}…` : creation.command;
  return `\`${command}\` at line ${creation.line}`;
}

/** The image path a top-level context entry lands at (the last copy that sends it wins). */
function entryTarget(copies: readonly ContextCopy[], name: string): string | undefined {
  for (let i = copies.length - 1; i >= 0; i--) {
    const c = copies[i] as ContextCopy;
    if (c.source === name) return c.target;
    if (c.source === '' && !name.includes('/')) return joinPath(c.target, name);
  }
  return undefined;
}

/**
 * Why a switch to a non-root user may break the program: each write outside /tmp (the folder may
 * belong to root), each write the scan cannot place, and a GitHub container action. A write used
 * only under a variable the final stage does not set never happens in the image as built.
 */
export function nonrootRisks(project: ProjectFacts, final?: Stage): string[] {
  const files = goFacts(project).needs.files;
  const risks: string[] = [];
  for (const use of files.writes) {
    if (/^\/(tmp|dev|proc)(\/|$)/.test(use.path)) continue;
    if (final && use.onlyWhenSet !== undefined && !setInImage(final, use.onlyWhenSet)) continue;
    risks.push(`${use.evidence.what} at ${where(use.evidence)} writes ${plainValue(use.path)}, which a non-root user may not be allowed to write`);
  }
  for (const e of files.unknownWrites) risks.push(`unknown path at ${where(e)}: ${e.what} writes where the scan cannot see`);
  const libraries = librariesNotFollowed(project);
  if (libraries.unknown.length > 0) risks.push(libraryWriteRisk(libraries.unknown));
  return risks;
}

/** A file under `contextPath` that only its owner may read (a 0600 .env): root-owned in the image, the runtime user could not read it. */
function hasPrivateFile(listing: ContextListing, contextPath: string): boolean {
  for (const p of listing.privateFiles) if (contextPath === '' || p === contextPath || p.startsWith(`${contextPath}/`)) return true;
  return false;
}

/** Each top-level entry the stage's copies send into the image, with its class and the reason. */
export function classifyEntries(stage: Stage, project: ProjectFacts, copies: readonly ContextCopy[], readContext: ReadonlyMap<string, string>, context: AnalysisContext): ClassifiedEntry[] {
  const listing = project.contextListing;
  // Top-level names of what the copies send: a folder source sends its children.
  const sent = new Map<string, boolean>();
  for (const c of copies) {
    if (c.source === '') {
      for (const p of [...listing.files.keys(), ...listing.directories]) if (!p.includes('/')) sent.set(p, listing.directories.has(p));
    } else sent.set(c.source, c.directory);
  }
  const out: ClassifiedEntry[] = [];
  const { needs } = goFacts(project);
  for (const [name, directory] of [...sent].sort((a, b) => compareNames(a[0], b[0]))) {
    out.push({ name, directory, ...classOf(name, directory, listing, needs, readContext, context) });
  }
  return out;
}

/** Files per top-level folder, built once per listing: classing runs on every keystroke. */
const FILES_BY_TOP_FOLDER = query<ReadonlyMap<string, string[]>>('filesByTopFolder');

function filesUnder(listing: ContextListing, top: string, context: AnalysisContext): readonly string[] {
  if (top.includes('/')) return [...listing.files.keys()].filter((f) => f.startsWith(`${top}/`));
  const index = context.memoProject(FILES_BY_TOP_FOLDER, [listing], () => {
    const byTop = new Map<string, string[]>();
    for (const file of listing.files.keys()) {
      const slash = file.indexOf('/');
      if (slash < 0) continue;
      const name = file.slice(0, slash);
      const list = byTop.get(name);
      if (list) list.push(file);
      else byTop.set(name, [file]);
    }
    return byTop;
  });
  return index.get(top) ?? [];
}

type ClassAndReason = { class: EntryClass; reason: string };

/** What each entry is when the program does not read it; per listing and scan, so a keystroke reuses it. */
const STATIC_CLASSES = query<{ embeds: ReturnType<typeof ignore>; byName: Map<string, ClassAndReason> }>('staticClasses');

function classOf(name: string, directory: boolean, listing: ContextListing, needs: RuntimeNeeds, readContext: ReadonlyMap<string, string>, context: AnalysisContext): ClassAndReason {
  const files = needs.files;
  for (const [p, why] of readContext) if (under(p, name) || under(name, p)) return { class: 'run-time', reason: p === name ? why : `${p}: ${why}` };
  const cache = context.memoProject(STATIC_CLASSES, [listing, files], () => ({ embeds: ignore().add(files.embeds.map((e) => e.path.replace(/^all:/, ''))), byName: new Map<string, ClassAndReason>() }));
  const key = `${directory ? 'd' : 'f'}${name}`;
  let known = cache.byName.get(key);
  if (!known) cache.byName.set(key, (known = staticClassOf(name, directory, listing, cache.embeds, needs.imports, context)));
  return known;
}

function staticClassOf(name: string, directory: boolean, listing: ContextListing, embeds: ReturnType<typeof ignore>, imports: ReadonlySet<string>, context: AnalysisContext): ClassAndReason {
  const leaf = baseName(name);
  const sqlForTools = ![...imports].some((i) => SQL_FILE_READERS.test(i));
  if (BUILD_INPUT.test(leaf)) return { class: 'build-input', reason: directory ? 'build input (vendored sources, scripts or tools)' : 'build input' };
  if (!directory) {
    if (leaf.endsWith('.go')) return { class: 'go-source', reason: 'Go source, compiled into the binary' };
    if (embeds.ignores(name)) return { class: 'embedded', reason: 'embedded in the binary with //go:embed' };
    if (CLUTTER.test(leaf)) return { class: 'clutter', reason: 'repository file the program does not use' };
    // Env files are read only through a loader; nothing else in the program opens them by name.
    if (/^(\.env|[\w.-]+\.env)$/.test(leaf) && ![...imports].some((i) => ENV_FILE_LOADERS.test(i))) {
      return { class: 'clutter', reason: 'an env file for compose or the shell: the program reads no env file (no loader is imported)' };
    }
    if (leaf.endsWith('.sql') && sqlForTools) return { class: 'build-input', reason: 'SQL for a tool outside the program (no migration library is imported)' };
    return { class: 'unknown', reason: 'not read by any call Slimfile recognises, and not a known build or repository file' };
  }
  if (CLUTTER.test(leaf)) return { class: 'clutter', reason: 'documentation, manifests or tool configuration' };
  const inside0 = filesUnder(listing, name, context);
  if (inside0.some((f) => f === `${name}/package.json`)) return { class: 'build-input', reason: 'front-end sources (package.json), not built by this Dockerfile' };
  if (inside0.length > 0 && sqlForTools && inside0.every((f) => f.endsWith('.sql') || CLUTTER.test(baseName(f)))) {
    return { class: 'build-input', reason: 'SQL for a tool outside the program (no migration library is imported)' };
  }
  // Go's common layout keeps API definitions in api/ and service-manager files in init/.
  if (inside0.length > 0 && SPEC_FOLDERS.test(leaf) && inside0.every((f) => SPEC_FILES.test(f))) return { class: 'clutter', reason: 'API definitions or service-manager files, not read by the program' };
  const inside = inside0;
  if (inside.length > 0 && inside.every((f) => embeds.ignores(f))) return { class: 'embedded', reason: 'embedded in the binary with //go:embed' };
  // Go's own layout: packages, their tests and testdata, plus the assets they embed and their docs.
  const stray = inside.find((f) => {
    const parts = f.split('/');
    const file = parts[parts.length - 1] as string;
    return !(file.endsWith('.go') || parts.includes('testdata') || embeds.ignores(f) || CLUTTER.test(file) || BUILD_INPUT.test(file) || (file.endsWith('.sql') && sqlForTools));
  });
  if (inside.some((f) => f.endsWith('.go')) && stray === undefined) return { class: 'go-source', reason: 'Go packages, compiled into the binary' };
  if (inside.length === 0) return { class: 'unknown', reason: 'an empty folder the program does not name' };
  return { class: 'unknown', reason: stray ? `holds ${stray}, which no recognised call reads` : 'not read by any call Slimfile recognises' };
}
