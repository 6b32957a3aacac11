// What a go build that names .go files compiles. `go build -o app main.go` makes a package of
// main.go alone (cmd/go's GoFilesPackage) and builds it with the packages it imports; the other
// files of main.go's folder are not compiled. So when every build of a Dockerfile names files,
// Go's facts are those of the named files and of the context's packages they import: a second
// `package main` file beside main.go that no build compiles (its exec of halt, its writes) is no
// reason to refuse the conversion. Exact or nothing: whenever what a build compiles cannot be
// told from the Dockerfile and the context, the facts stay those of every source in the context,
// which hold whatever a build can compile.
import type { DockerfileModel, RunStep, Stage } from '../../model';
import type { ContextListing, ProjectFacts } from '../../project';
import type { GoBuild } from './gobuild';
import type { GoMod } from './gomod';
import type { GoFile, SourceView } from './source/source';
import { goBuilds, hiddenBuildsIn } from './goBuilds';
import { goFacts, type GoProjectFacts } from './source/facts';
import { analyzeParsedGoSources } from './source/needs';
import { contextCopies, contextRelative, landsAt } from '../../runtimeFiles';
import { runCreations, type Creation } from '../../runCreates';
import { baseName, joinPath, under } from '../../paths';
import { commandName } from '../../shell';
import { query } from '../../context';

const COMPILED = query<Compiled | undefined>('goCompiledFiles');
const BUILT = query<Map<string, ProjectFacts>>('goBuiltProjects');
const GO_FILES = query<readonly string[]>('goFilesSent');

/**
 * The project as the Dockerfile's go builds see it: when every build names .go files and what they
 * compile is known, Go's facts are those of exactly those files and the packages they import.
 * Otherwise every source counts, and a file a build names counts too where its build constraints
 * would leave it out (`go build tool.go` of a `//go:build ignore` file). Go's rules and hooks read
 * the project through this (index.ts).
 */
export function builtProject(model: DockerfileModel, project: ProjectFacts): ProjectFacts {
  const go = goFacts(project);
  if (!go.sources || go.namedFiles) return project;
  const compiled = model.context.memo(COMPILED, [model, project], () => compiledFiles(model, project, go) ?? namedBesideEverySource(model, go));
  if (!compiled) return project;
  // Per project, not per version: the analysis is made again only when a save hands new facts.
  const built = model.context.memoProject(BUILT, [project], () => new Map<string, ProjectFacts>());
  const key = `${compiled.alone}\n${compiled.files.join('\n')}`;
  let facts = built.get(key);
  if (!facts) {
    facts = { ...project, own: { ...project.own, go: factsOf(go, compiled) } };
    built.set(key, facts);
  }
  return facts;
}

/** What the builds compile: `files` alone (NAMED marks the named ones), or every source and the named `files` too. */
interface Compiled {
  readonly alone: boolean;
  readonly files: readonly string[];
}

/** Go's facts of the compiled files. */
function factsOf(go: GoProjectFacts, compiled: Compiled): GoProjectFacts {
  const sources = go.sources as NonNullable<GoProjectFacts['sources']>;
  const named = new Set(compiled.files.filter((f) => !compiled.alone || f.startsWith(NAMED)).map(unmarked));
  const paths = compiled.alone ? [...new Set(compiled.files.map(unmarked))] : [...sources.paths()];
  const view = sources.open();
  try {
    const files = paths.map((p) => view.file(p, named.has(p))).filter((f): f is GoFile => f !== undefined);
    const needs = analyzeParsedGoSources(files, compiled.alone ? paths.length : go.needs.filesScanned, go.goMod, { truncated: !compiled.alone && go.needs.truncated });
    return { ...go, needs, namedFiles: [...named] };
  } finally {
    view.close();
  }
}

/**
 * When what the builds compile is not known: the sources a build's `.go` word names (a glob may
 * name any) that go compiles only because they are named, their build constraints leaving them
 * out of a package. Undefined when there are none: every source as the reader read it is the answer.
 */
function namedBesideEverySource(model: DockerfileModel, go: GoProjectFacts): Compiled | undefined {
  const sources = go.sources;
  const words = goBuilds(model).flatMap((b) => b.packages.filter((w) => w.endsWith('.go') && !w.includes('$')));
  if (!sources || words.length === 0) return undefined;
  const names = new Set(words.map(baseName));
  const anyName = words.some((w) => /[*?[]/.test(w));
  const view = sources.open();
  try {
    const files = [...sources.paths()].filter((p) => (anyName || names.has(baseName(p))) && !view.file(p) && view.file(p, true)).sort();
    return files.length > 0 ? { alone: false, files } : undefined;
  } finally {
    view.close();
  }
}

/** Marks a file the go command names (compiled whatever its build constraints say) in a compiled list. */
const NAMED = '=';

function unmarked(file: string): string {
  return file.startsWith(NAMED) ? file.slice(NAMED.length) : file;
}

/**
 * The context files the Dockerfile's builds compile, sorted, the named ones marked with NAMED;
 * undefined when any build compiles a package (`.`, `./...`, `./cmd/app`), hides behind make or a
 * script, or names files whose content or imports cannot be traced to the context.
 */
function compiledFiles(model: DockerfileModel, project: ProjectFacts, go: GoProjectFacts): Compiled | undefined {
  const builds = goBuilds(model);
  if (builds.length === 0 || model.stages.some((s) => hiddenBuildsIn(model, s).length > 0)) return undefined;
  if (project.contextListing.truncated || go.needs.truncated || !go.goMod?.module || !go.sources) return undefined;
  const all = new Set<string>();
  const view = go.sources.open();
  try {
    for (const build of builds) {
      const files = compiledBy(model, build, project, go, view);
      if (!files) return undefined;
      for (const file of files) all.add(file);
    }
  } finally {
    view.close();
  }
  return { alone: true, files: [...all].sort() };
}

/** Subcommands of `go mod` that leave go.mod's module path and replace directives as they are. */
const MODULE_KEEPING = new Set(['download', 'tidy', 'verify', 'why', 'graph', 'vendor']);

function compiledBy(model: DockerfileModel, build: GoBuild, project: ProjectFacts, go: GoProjectFacts, view: SourceView): string[] | undefined {
  const stage = model.stages[build.stage];
  if (!stage || build.command !== 'build' || stage.base.stage !== undefined || build.cwd.includes('$') || !build.cwd.startsWith('/')) return undefined;
  if (!build.packages.every((w) => w.endsWith('.go') && !/[$*?[\\]/.test(w))) return undefined;
  // -overlay and -modfile put other files in the build's place; a variable may be either.
  const goflags = build.env.get('GOFLAGS') ?? '';
  if ([...build.argv, ...goflags.split(/\s+/)].some((w) => /^--?(overlay|modfile)(=|$)/.test(w)) || goflags.includes('$')) return undefined;
  const gomodule = build.env.get('GO111MODULE');
  if (gomodule === 'off' || gomodule?.includes('$') || build.env.has('GOWORK')) return undefined;

  const line = build.run.range.start.line;
  const runs: RunStep[] = [...stage.runs.filter((r) => r.range.start.line < line), { ...build.run, commands: build.run.commands.slice(0, build.commandIndex) }];
  if (runs.some((r) => r.commands.some(editsInPlace))) return undefined;
  const tree = imageTree(model, stage, line, project);
  const creations = runCreations(stage, runs).filter((c) => !keepsModule(c));
  const opaque = stage.copies.filter((c) => c.range.start.line < line && !followed(c, project.contextListing)).map((c) => joinPath(c.workdir, c.destination));
  const mounts = build.run.mounts.map((m) => (m.target === undefined ? '$' : joinPath(build.run.workdir, m.target)));
  // Whether a file may not be the context's as it is: a RUN step, a copy the tree does not follow or a mount may put another there.
  const fileUnknown = (file: string): boolean =>
    creations.some((c) => c.kind === 'anything' || c.path === file || (c.kind === 'tree' && under(file, c.path))) ||
    [...opaque, ...mounts].some((d) => d.includes('$') || under(file, d));
  // Whether a folder may hold a Go file that is not the context's.
  const folderUnknown = (folder: string): boolean =>
    creations.some((c) => c.kind === 'anything' || (c.kind === 'tree' && under(folder, c.path)) || goFileIn(c.path, folder)) ||
    [...opaque, ...mounts].some((d) => d.includes('$') || under(folder, d) || goFileIn(d, folder));

  // The main module: the go.mod nearest the working folder, which must be the one the facts read;
  // and no go.work from there up, which would make the build a workspace's.
  let root: string | undefined;
  for (let dir = build.cwd; ; dir = parentOf(dir)) {
    const work = joinPath(dir, 'go.work');
    if (tree.has(work) || fileUnknown(work)) return undefined;
    if (root === undefined && tree.has(joinPath(dir, 'go.mod'))) root = dir;
    if (dir === '/') break;
  }
  if (root === undefined || tree.get(joinPath(root, 'go.mod')) !== (go.goModPath ?? 'go.mod') || fileUnknown(joinPath(root, 'go.mod'))) return undefined;

  // The named files: all in one folder of the module (as go requires), each a file of the context.
  const named = build.packages.map((w) => joinPath(build.cwd, w));
  const folder = parentOf(named[0] as string);
  if (!under(folder, root) || named.some((p) => parentOf(p) !== folder || !tree.has(p) || fileUnknown(p))) return undefined;
  const out: string[] = [];
  const pending: GoFile[] = [];
  for (const path of named) {
    const rel = tree.get(path) as string;
    const file = view.file(rel, true);
    if (!file) return undefined;
    out.push(`${NAMED}${rel}`);
    pending.push(file);
  }
  // The packages they import, as go finds them in the image, each back to its files in the context.
  const local = localModules(go.goMod as GoMod, root);
  const sources = go.sources;
  if (!local || !sources) return undefined;
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as GoFile;
    for (const site of file.imports) {
      const imported = packageFolder(site.path, local);
      if (imported === undefined || done.has(imported)) continue;
      done.add(imported);
      if (folderUnknown(imported)) return undefined;
      const inside = [...tree].filter(([image]) => parentOf(image) === imported && image.endsWith('.go'));
      // A local import with no file in the context comes from where the analysis cannot see.
      if (inside.length === 0) return undefined;
      for (const [, rel] of inside) {
        if (!sources.has(rel)) return undefined;
        const compiled = view.file(rel);
        if (!compiled) continue;
        out.push(rel);
        pending.push(compiled);
      }
    }
  }
  return out;
}

/**
 * The Go files (tests aside), go.mod and go.work files the stage's copies before `line` put in the
 * image, by image path, each with its context path; a later copy of the same path wins.
 */
function imageTree(model: DockerfileModel, stage: Stage, line: number, project: ProjectFacts): Map<string, string> {
  const listing = project.contextListing;
  // Once per listing, not per keystroke: a context may send tens of thousands of files.
  const relevant = model.context.memoProject(GO_FILES, [listing], () => [...listing.files.keys()].filter((f) => (f.endsWith('.go') && !f.endsWith('_test.go')) || baseName(f) === 'go.mod' || baseName(f) === 'go.work'));
  const tree = new Map<string, string>();
  for (const copy of contextCopies(stage, listing)) {
    if (copy.copy.range.start.line >= line) continue;
    for (const file of relevant) {
      const imagePath = landsAt(copy, file);
      if (imagePath !== undefined) tree.set(imagePath, file);
    }
  }
  return tree;
}

/**
 * A COPY or ADD whose files the image tree follows: context paths, not from another stage or
 * image; an ADD only of folders, since it unpacks a file that is an archive.
 */
function followed(copy: Stage['copies'][number], listing: ContextListing): boolean {
  if (copy.fromStage !== undefined || copy.from !== undefined || copy.heredoc || [...copy.sources, copy.destination].some((w) => w.includes('$'))) return false;
  return copy.keyword === 'COPY' || copy.sources.every((s) => {
    const rel = contextRelative(s);
    return rel === '' || (rel !== undefined && listing.directories.has(rel));
  });
}

/** `sed -i` changes a file in place, which runCreations does not count as making one. */
function editsInPlace(command: RunStep['commands'][number]): boolean {
  return commandName(command) === 'sed' && command.argv.some((a) => /^-[a-zA-Z]*i|^--in-place/.test(a));
}

/** go.mod and go.sum written by a go command that keeps the module's path and replacements. */
function keepsModule(creation: Creation): boolean {
  if (creation.kind !== 'path' || !['go.mod', 'go.sum'].includes(baseName(creation.path))) return false;
  const words = creation.command.split(' ').filter((w) => !w.startsWith('-'));
  return words[0] === 'go' && (words[1] === 'get' || words[1] === 'install' || (words[1] === 'mod' && MODULE_KEEPING.has(words[2] ?? '')));
}

/** The module paths whose packages are folders of the image: the main module's, and replacements by a local path. */
function localModules(goMod: GoMod, root: string): Array<{ readonly path: string; readonly folder: string }> | undefined {
  const out = [{ path: goMod.module as string, folder: root }];
  for (const r of goMod.replaces) {
    if (!/^(\.{1,2}(\/|$)|\/)/.test(r.to)) continue;
    // A replacement of one version only may or may not be the one the build selects.
    if (r.from.includes('@')) return undefined;
    out.push({ path: r.from, folder: joinPath(root, r.to) });
  }
  // The longest module path an import falls in provides it.
  return out.sort((a, b) => b.path.length - a.path.length);
}

/** The image folder of a local package, undefined for the standard library and other modules. */
function packageFolder(importPath: string, local: ReadonlyArray<{ readonly path: string; readonly folder: string }>): string | undefined {
  const module = local.find((m) => importPath === m.path || importPath.startsWith(`${m.path}/`));
  return module && joinPath(module.folder, importPath.slice(module.path.length + 1));
}

/** `path` is a Go file right inside `folder`. */
function goFileIn(path: string, folder: string): boolean {
  return path.endsWith('.go') && parentOf(path) === folder;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
