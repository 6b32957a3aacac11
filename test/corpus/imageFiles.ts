// Which files each stage of a Dockerfile holds, and where they came from, without building it:
// COPY/ADD from the context (with .dockerignore) and from other stages, WORKDIR, mkdir/chown/touch
// in RUN, and the binaries `go build` writes. Enough to ask "is the file the program opens at
// this path in the final image, and who owns its folder", which is what the corpus scores.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DockerfileModel, Stage, CopyStep, RunStep } from '../../server/src/analysis/model';
import { contextFilter, readIgnoreRules } from '../../server/src/docker/context';
import { goBuildsIn } from '../../server/src/analysis/languages/go/goBuilds';
import type { GoBuild } from '../../server/src/analysis/languages/go/gobuild';

export interface ImageEntry {
  readonly kind: 'file' | 'dir';
  /**
   * `context:<relative path>`, `binary:<stage>`, `image:<ref>:<path>`, `built:<stage>:<path>` (what a
   * build step the simulation does not follow left there); undefined for folders the build made.
   */
  readonly origin: string | undefined;
  /** The user a COPY --chown or RUN chown gave it; undefined is root. */
  readonly owner: string | undefined;
}

/** Absolute paths (posix) to what lies there. */
export type ImageFiles = Map<string, ImageEntry>;

export interface ContextFiles {
  /** Files the engine receives, relative with forward slashes. */
  readonly files: ReadonlySet<string>;
  readonly dirs: ReadonlySet<string>;
}

export interface SimulatedStage {
  readonly files: ImageFiles;
  /** The working directory the stage ends with (the base image's when the Dockerfile sets none). */
  readonly workdir: string;
  /** The user the stage ends with: USER, else the base image's default (root, or nonroot for distroless :nonroot tags). */
  readonly user: string;
  /** The base image as resolved (a stage's own base when it starts FROM another stage). */
  readonly baseImage: string;
}

const ROOT_USERS = new Set(['', 'root', '0']);

export function isRootUser(user: string): boolean {
  return ROOT_USERS.has(user.split(':')[0] ?? '');
}

/** Users written two ways in the images the corpus meets. */
export function sameUser(a: string, b: string): boolean {
  const norm = (u: string): string => {
    const name = u.split(':')[0] ?? '';
    return name === '65532' ? 'nonroot' : name;
  };
  return norm(a) === norm(b);
}

/** Walks the context as the engine receives it (.dockerignore applied). */
export async function listContext(contextDir: string, dockerfilePath: string): Promise<ContextFiles> {
  const dockerfileName = path.relative(contextDir, dockerfilePath).split(path.sep).join('/');
  const keep = contextFilter(await readIgnoreRules({ contextDir, dockerfileName, dockerfilePath }), [dockerfileName, '.dockerignore']);
  const files = new Set<string>();
  const dirs = new Set<string>();
  const walk = async (relative: string): Promise<void> => {
    const entries = await fs.readdir(path.join(contextDir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (child === '.git') continue;
      if (entry.isDirectory()) {
        // An excluded folder may still hold a `!kept` file, so folders are always walked.
        if (keep(child)) dirs.add(child);
        await walk(child);
      } else if (keep(child)) {
        files.add(child);
        // A kept file's folders travel with it.
        for (let dir = path.posix.dirname(child); dir !== '.'; dir = path.posix.dirname(dir)) dirs.add(dir);
      }
    }
  };
  await walk('');
  return { files, dirs };
}

function defaultWorkdir(baseImage: string): string {
  // The official golang images set WORKDIR /go.
  return /(^|\/)golang(:|@|$)/.test(baseImage) ? '/go' : '/';
}

function defaultUser(baseImage: string): string {
  return /distroless\/.*:(.*-)?nonroot/.test(baseImage) ? 'nonroot' : 'root';
}

function addDirs(files: ImageFiles, folder: string, owner?: string): void {
  // An unresolved `$VAR` workdir is not absolute; anchor it at / so the walk up ends.
  const dir = path.posix.resolve('/', folder);
  for (let d = dir; ; d = path.posix.dirname(d)) {
    const existing = files.get(d);
    if (!existing) files.set(d, { kind: 'dir', origin: undefined, owner: d === dir ? owner : undefined });
    else if (d === dir && owner !== undefined && existing.kind === 'dir') files.set(d, { ...existing, owner });
    if (d === '/') break;
  }
}

function put(files: ImageFiles, target: string, entry: ImageEntry): void {
  addDirs(files, path.posix.dirname(target));
  files.set(target, entry);
}

function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function globRegex(pattern: string): RegExp {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** What a COPY source names in its origin: a list of (path, kind) roots to copy. */
interface SourceTree {
  /** Relative (context) or absolute (stage) paths under the source and what they are. */
  readonly entries: ReadonlyArray<{ readonly at: string; readonly kind: 'file' | 'dir'; readonly origin: string | undefined }>;
}

function contextSource(context: ContextFiles, source: string): Array<{ root: string; tree: SourceTree }> {
  const clean = path.posix.normalize(source.replace(/^\/+/, '')).replace(/\/$/, '');
  const roots: string[] = [];
  if (clean === '.' || clean === '') roots.push('');
  else if (hasGlob(clean)) {
    const re = globRegex(clean);
    for (const p of [...context.dirs, ...context.files]) if (re.test(p)) roots.push(p);
  } else if (context.files.has(clean) || context.dirs.has(clean)) roots.push(clean);
  return roots.map((root) => {
    if (context.files.has(root)) return { root, tree: { entries: [{ at: '', kind: 'file' as const, origin: `context:${root}` }] } };
    const prefix = root === '' ? '' : `${root}/`;
    const entries: SourceTree['entries'][number][] = [{ at: '', kind: 'dir', origin: undefined }];
    for (const d of context.dirs) if (d.startsWith(prefix) && d !== root) entries.push({ at: d.slice(prefix.length), kind: 'dir', origin: undefined });
    for (const f of context.files) if (f.startsWith(prefix)) entries.push({ at: f.slice(prefix.length), kind: 'file', origin: `context:${f}` });
    return { root, tree: { entries } };
  });
}

/** Where a base image keeps what a COPY --from may take that no instruction of the Dockerfile made. */
const SYSTEM_PATHS = /^\/(etc|usr|lib|lib64|bin|sbin)(\/|$)/;

/** A file when the name has an extension, else a folder (or an extensionless binary: either way, something). */
function guessKind(absolute: string): 'file' | 'dir' {
  return /\.[a-z0-9]+$/i.test(absolute) ? 'file' : 'dir';
}

function stageSource(files: ImageFiles, source: string, workdir: string, baseImage: string, builtBy: number | undefined): Array<{ root: string; tree: SourceTree }> {
  const absolute = path.posix.resolve(workdir, source);
  const roots = hasGlob(absolute) ? [...files.keys()].filter((p) => globRegex(absolute).test(p)) : files.has(absolute) ? [absolute] : [];
  if (roots.length === 0 && !hasGlob(absolute) && SYSTEM_PATHS.test(absolute)) {
    // CA certificates, zone data…: the base image's, not the build's.
    return [{ root: absolute, tree: { entries: [{ at: '', kind: guessKind(absolute), origin: `image:${baseImage}:${absolute}` }] } }];
  }
  if (roots.length === 0 && builtBy !== undefined) {
    // cargo, make, mvn, npm, pip…: the simulation does not follow what they write, so a COPY --from
    // of their output is taken as holding something, marked as the build's.
    return [{ root: absolute, tree: { entries: [{ at: '', kind: guessKind(absolute), origin: `built:${builtBy}:${absolute}` }] } }];
  }
  return roots.map((root) => {
    const entry = files.get(root);
    if (!entry || entry.kind === 'file') return { root, tree: { entries: [{ at: '', kind: 'file' as const, origin: entry?.origin }] } };
    const prefix = root === '/' ? '/' : `${root}/`;
    // A whole folder taken from a build stage holds what its RUN steps wrote there too (npm run
    // build's dist/, node_modules): with trusted build outputs, the folder is marked as the build's.
    const entries: SourceTree['entries'][number][] = [{ at: '', kind: 'dir', origin: builtBy !== undefined ? `built:${builtBy}:${root}` : undefined }];
    for (const [p, e] of files) if (p.startsWith(prefix) && p !== root) entries.push({ at: p.slice(prefix.length), kind: e.kind, origin: e.origin });
    return { root, tree: { entries } };
  });
}

function copyInto(files: ImageFiles, copy: CopyStep, workdir: string, sources: Array<{ root: string; tree: SourceTree }>): void {
  const owner = copy.chown?.split(':')[0] || undefined;
  const destination = path.posix.resolve(workdir, copy.destination);
  const many = sources.length > 1 || copy.sources.length > 1;
  const destIsDir = copy.destination.endsWith('/') || copy.destination === '.' || many || files.get(destination)?.kind === 'dir';
  for (const { root, tree } of sources) {
    const only = tree.entries.length === 1 ? tree.entries[0] : undefined;
    if (only?.kind === 'dir' && only.origin !== undefined) {
      // A folder of the base image, known only by name.
      put(files, destination, { kind: 'dir', origin: only.origin, owner });
      continue;
    }
    const single = only?.kind === 'file';
    const base = single ? (destIsDir ? path.posix.join(destination, path.posix.basename(root)) : destination) : destination;
    if (!single) addDirs(files, base, owner);
    for (const entry of tree.entries) {
      const target = entry.at === '' ? base : path.posix.join(base, entry.at);
      if (entry.kind === 'dir' && entry.origin !== undefined) put(files, target, { kind: 'dir', origin: entry.origin, owner });
      else if (entry.kind === 'dir') addDirs(files, target, owner);
      else put(files, target, { kind: 'file', origin: entry.origin, owner });
    }
  }
}

function binaryName(build: GoBuild, moduleName: string | undefined): string {
  const pkg = build.packages.find((p) => !p.startsWith('-'));
  if (pkg && pkg !== '.' && pkg !== './...') {
    const cleaned = pkg.replace(/\/\.\.\.$/, '').replace(/\.go$/, '');
    return path.posix.basename(cleaned);
  }
  // `go build` in a folder names the binary after the module (or the folder in GOPATH mode).
  return moduleName ? path.posix.basename(moduleName) : path.posix.basename(build.cwd);
}

function outputFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '-o' || word === '--o') return argv[i + 1];
    const m = /^--?o=(.*)$/.exec(word);
    if (m) return m[1];
  }
  return undefined;
}

function runEffects(files: ImageFiles, run: RunStep, workdir: string, builds: readonly GoBuild[], moduleName: string | undefined): void {
  for (const command of run.commands) {
    const [word, ...rest] = command.argv;
    const operands = rest.filter((a) => !a.startsWith('-'));
    if (word === 'mkdir') for (const dir of operands) addDirs(files, path.posix.resolve(workdir, dir));
    else if (word === 'touch') for (const file of operands) put(files, path.posix.resolve(workdir, file), { kind: 'file', origin: undefined, owner: undefined });
    else if (word === 'chown' && operands.length >= 2) {
      const owner = (operands[0] ?? '').split(':')[0];
      const recursive = rest.includes('-R');
      for (const target of operands.slice(1).map((t) => path.posix.resolve(workdir, t))) {
        for (const [p, e] of files) if (p === target || (recursive && p.startsWith(`${target}/`))) files.set(p, { ...e, owner });
      }
    }
  }
  for (const build of builds.filter((b) => b.run === run)) {
    const name = binaryName(build, moduleName);
    // The model resolves -o against its own idea of the working directory, which does not know
    // the golang image's WORKDIR /go; rebase the command's folder onto the one simulated here.
    const cwd = path.posix.resolve(workdir, path.posix.relative(path.posix.resolve('/', run.workdir), path.posix.resolve('/', build.cwd)));
    const o = outputFlag(build.argv);
    const output = o !== undefined ? (o.endsWith('/') ? path.posix.join(path.posix.resolve(cwd, o), name) : path.posix.resolve(cwd, o)) : build.command === 'install' ? `/go/bin/${name}` : path.posix.join(cwd, name);
    put(files, output, { kind: 'file', origin: `binary:${build.stage}`, owner: undefined });
  }
}

/** The working directory a WORKDIR instruction leaves, from its text or, with variables in it, from the model. */
function nextWorkdir(stage: Stage, line: number, raw: string, current: string): string {
  if (raw.includes('$')) {
    const later = [...stage.copies, ...stage.runs].filter((s) => s.range.start.line > line).sort((a, b) => a.range.start.line - b.range.start.line)[0];
    return path.posix.resolve('/', later?.workdir ?? stage.workdir);
  }
  return path.posix.resolve(current, raw);
}

export interface SimulateOptions {
  /**
   * Take a COPY --from of a path the simulation did not see made as holding the build's output
   * (languages other than Go, whose build tools the simulation does not follow). Off for Go, where
   * every binary comes from a `go build` the model reads, so a missing one is a real miss.
   */
  readonly trustBuildOutputs?: boolean;
}

export function simulateStages(model: DockerfileModel, context: ContextFiles, moduleName: string | undefined, options: SimulateOptions = {}): SimulatedStage[] {
  const done: SimulatedStage[] = [];
  for (const stage of model.stages) {
    const parent = stage.base.stage !== undefined ? done[stage.base.stage] : undefined;
    const baseImage = parent ? parent.baseImage : (stage.base.resolved ?? stage.base.written);
    const files: ImageFiles = new Map(parent ? [...parent.files] : []);
    let workdir = parent ? parent.workdir : defaultWorkdir(baseImage);
    let user = parent ? parent.user : defaultUser(baseImage);
    addDirs(files, workdir);
    const copies = new Map(stage.copies.map((c) => [c.range.start.line, c]));
    const runs = new Map(stage.runs.map((r) => [r.range.start.line, r]));
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword().toUpperCase();
      const line = instruction.getRange().start.line;
      if (keyword === 'WORKDIR') {
        workdir = nextWorkdir(stage, line, (instruction.getArgumentsContent() ?? '').trim(), workdir);
        addDirs(files, workdir);
      } else if (keyword === 'USER') {
        user = (instruction.getArgumentsContent() ?? '').trim() || user;
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        const copy = copies.get(line);
        if (!copy || copy.heredoc) continue;
        if (copy.fromStage !== undefined) {
          const from = done[copy.fromStage];
          const builtBy = options.trustBuildOutputs ? copy.fromStage : undefined;
          if (from) copyInto(files, copy, workdir, copy.sources.flatMap((s) => stageSource(from.files, s, '/', from.baseImage, builtBy)));
        } else if (copy.from !== undefined) {
          // From an image: what lies there is the image's, named by where it came from.
          const destination = path.posix.resolve(workdir, copy.destination);
          for (const source of copy.sources) {
            const target = copy.sources.length > 1 || copy.destination.endsWith('/') ? path.posix.join(destination, path.posix.basename(source)) : destination;
            put(files, target, { kind: 'dir', origin: `image:${copy.from}:${source}`, owner: copy.chown?.split(':')[0] || undefined });
          }
        } else {
          const remote = copy.sources.filter((s) => /^(https?|git):\/\//.test(s));
          copyInto(files, copy, workdir, copy.sources.filter((s) => !remote.includes(s)).flatMap((s) => contextSource(context, s)));
        }
      } else if (keyword === 'RUN') {
        const run = runs.get(line);
        if (run) runEffects(files, run, workdir, goBuildsIn(model, stage), moduleName);
      }
    }
    done.push({ files, workdir, user, baseImage });
  }
  return done;
}

/** Everything at `at` or under it. */
export function entriesUnder(files: ImageFiles, at: string): Array<[string, ImageEntry]> {
  const prefix = at === '/' ? '/' : `${at}/`;
  return [...files].filter(([p]) => p === at || p.startsWith(prefix));
}
