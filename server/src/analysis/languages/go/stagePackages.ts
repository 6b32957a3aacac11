// What the small runtime of a converted Go stage must still give the program besides its binary:
// each package the stage installs, classified (used only to build, provided by the runtime, a
// program nobody starts, a library the binary does not link: left behind with a note; else kept,
// which refuses the conversion or leaves it to review), and the programs the Go code starts.
// Pure: the stage, the project facts and the builds in; decisions out. What each package is comes
// from packages/classes.ts.
import { CGO_MODULES, type Evidence } from './source/needs';
import type { AlpineIndex } from '../../packages/alpineIndex';
import { classifyPackage } from '../../packages/classes';
import type { PackageInstall, Stage } from '../../model';
import type { ProjectFacts } from '../../project';
import { baseName, joinPath } from '../../paths';
import { startCommandPrograms } from '../../runtime';
import type { GoBuild } from './gobuild';
import { goFacts } from './source/facts';

/** What the analysis knows about the programs the Go code starts. */
type CodeStarts = { readonly known: true; readonly programs: ReadonlyMap<string, Evidence> } | { readonly known: false; readonly why: string };

const at = (e: Evidence): string => `${e.file}:${e.line + 1}`;

/**
 * The programs the code starts, by name without a folder, from FileAccess.execs. Unknown when the
 * sources were not all read, a started program's name is not a literal, or the code imports
 * os/exec and the analysis reported no start at all (the lexical scan does not look for them).
 */
function codeStarts(project: ProjectFacts): CodeStarts {
  const needs = goFacts(project).needs;
  if (needs.filesScanned === 0) return { known: false, why: 'the Go sources were not read' };
  if (needs.truncated) return { known: false, why: 'not every Go source was read' };
  const execs = needs.files.execs;
  const unnamed = execs.find((e) => e.programs === undefined);
  if (unnamed) return { known: false, why: `${unnamed.evidence.what} at ${at(unnamed.evidence)} starts a program whose name is not known` };
  if (execs.length === 0 && needs.imports.has('os/exec')) return { known: false, why: 'the program imports os/exec and no start of a program was reported' };
  const programs = new Map<string, Evidence>();
  for (const e of execs) for (const p of e.programs ?? []) if (!programs.has(baseName(p))) programs.set(baseName(p), e.evidence);
  return { known: true, programs };
}

type Link = { readonly linked: 'no'; readonly why: string } | { readonly linked: 'yes'; readonly why: string } | { readonly linked: 'unknown'; readonly why: string };

/** Whether the converted binary links the system's copy of a shared library (`sqlite`, or a package's stem). */
function linksLibrary(library: string, project: ProjectFacts, builds: readonly GoBuild[]): Link {
  // The conversion builds with CGO_ENABLED=0 unless the program needs cgo: a static binary links nothing.
  if (!goFacts(project).needs.cgo.needed) return { linked: 'no', why: 'the binary is static' };
  if (goFacts(project).needs.imports.has('C')) return { linked: 'unknown', why: 'the program\'s own cgo code (import "C") may link it' };
  const requires = (goFacts(project).goMod?.requires ?? []).filter((r) => !r.indirect).map((r) => r.path);
  const cgoModules = CGO_MODULES.map((m) => m.path).filter((m) => [...goFacts(project).needs.imports, ...requires].some((p) => p === m || p.startsWith(`${m}/`)));
  const others = cgoModules.filter((m) => m !== 'github.com/mattn/go-sqlite3');
  if (others.length > 0) return { linked: 'unknown', why: `${others[0]} uses cgo, and which libraries it links is not known` };
  if (cgoModules.length === 0) return { linked: 'unknown', why: 'which module needs cgo is not known' };
  // mattn/go-sqlite3 links libc, and the system's SQLite only when built with -tags libsqlite3.
  if (library !== 'sqlite') return { linked: 'no', why: 'the only cgo module, github.com/mattn/go-sqlite3, links no library but libc and SQLite' };
  // It compiles the SQLite amalgamation into the binary unless built with -tags libsqlite3.
  const tagged = builds.find((b) => b.tags.includes('libsqlite3'));
  if (tagged) return { linked: 'yes', why: 'github.com/mattn/go-sqlite3 is built with -tags libsqlite3, so the binary links the system\'s SQLite library' };
  return { linked: 'no', why: 'github.com/mattn/go-sqlite3 compiles its own copy of SQLite into the binary' };
}

export interface PackageDecisions {
  /** Why the small runtime cannot give the program what it had: the conversion is refused. */
  readonly refusals: readonly string[];
  /** Why leaving a package behind is not proven harmless: the conversion is offered to review. */
  readonly problems: readonly string[];
  /** What is left in the build stage and why, one note per kind. */
  readonly notes: readonly string[];
  /** Programs the code starts that a package installs: its refusal already names them. */
  readonly startedFromPackages: ReadonlySet<string>;
}

/**
 * Decides, package by package, what the runtime of a converted stage must still give the program.
 * `installs` are the stage's package installs and those of the stages it builds FROM: the image
 * had them all.
 */
export function decidePackages(stage: Stage, installs: readonly PackageInstall[], project: ProjectFacts, builds: readonly GoBuild[], alpine?: AlpineIndex): PackageDecisions {
  const names = [...new Set(installs.flatMap((p) => p.packages))];
  const unknown: string[] = [];
  const refusals: string[] = [];
  const problems: string[] = [];
  const buildOnly: string[] = [];
  const unusedPrograms: string[] = [];
  const unlinked: Array<{ name: string; why: string }> = [];
  const starts = codeStarts(project);
  const startCommand = startCommandPrograms(stage);
  const startedFromPackages = new Set<string>();
  for (const name of names) {
    const known = classifyPackage(name, alpine);
    if (!known) {
      unknown.push(name);
      continue;
    }
    const byStart = known.programs.find((p) => startCommand.has(p));
    const byCode = starts.known ? known.programs.find((p) => starts.programs.has(p)) : undefined;
    if (byStart !== undefined) {
      refusals.push(`${startCommand.get(byStart)} runs ${byStart}, which the ${name} package installs and the small runtime lacks`);
      continue;
    }
    if (byCode !== undefined) {
      startedFromPackages.add(byCode);
      const e = starts.known ? starts.programs.get(byCode) : undefined;
      refusals.push(`the program starts ${byCode}${e ? ` (${at(e)})` : ''}, which the ${name} package installs and the small runtime lacks`);
      continue;
    }
    if (!starts.known && known.programs.length > 0) {
      problems.push(`the ${name} package installs ${known.programs.join(', ')}, and whether the program starts ${known.programs.length === 1 ? 'it' : 'any of them'} is not known (${starts.why})`);
      continue;
    }
    if (known.library) {
      const link = linksLibrary(known.library, project, builds);
      if (link.linked === 'yes') {
        refusals.push(`${link.why}, which the ${name} package brings in and the small runtime lacks`);
        continue;
      }
      if (link.linked === 'unknown') {
        problems.push(`whether the binary links the library of ${name} is not known: ${link.why}`);
        continue;
      }
      if (known.class === 'library') {
        unlinked.push({ name, why: link.why });
        continue;
      }
    }
    if (known.class === 'build') buildOnly.push(name);
    else if (known.class === 'program') unusedPrograms.push(name);
    // `files`: distroless has them; on scratch or Alpine, scratch-missing-ca-certificates and
    // scratch-missing-zoneinfo give the converted image what the program reads.
  }
  if (unknown.length > 0) refusals.unshift(`the image installs packages the program may use at run time (${unknown.join(', ')}), which the small runtime lacks`);
  const notes: string[] = [];
  const them = (list: readonly string[]): string => (list.length === 1 ? 'it' : 'them');
  if (buildOnly.length > 0) {
    const started = buildOnly.some((n) => (classifyPackage(n, alpine)?.programs.length ?? 0) > 0);
    notes.push(`Not in the runtime: ${buildOnly.join(', ')}, used only to build${started ? `; the program does not start ${them(buildOnly)}` : ''}.`);
  }
  if (unusedPrograms.length > 0) notes.push(`Not in the runtime: ${unusedPrograms.join(', ')}, which neither the program nor its start command runs.`);
  for (const { name, why } of unlinked) notes.push(`Not in the runtime: ${name}, a library the binary does not link (${why}).`);
  return { refusals, problems, notes, startedFromPackages };
}

/** Folders on the PATH of the runtimes a conversion picks (distroless's and Alpine's default). */
const RUNTIME_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Busybox's programs that Alpine's base image has (a subset: the ones Go programs start). */
const BUSYBOX = new Set(['sh', 'ash', 'ls', 'cat', 'cp', 'mv', 'rm', 'mkdir', 'chmod', 'chown', 'ln', 'ps', 'kill', 'sleep', 'echo', 'date', 'env', 'tar', 'gzip', 'gunzip', 'wget', 'nc', 'ping', 'hostname', 'id', 'df', 'du', 'find', 'grep', 'sed', 'awk', 'sort', 'head', 'tail', 'wc', 'touch', 'true', 'false', 'uname', 'mount', 'umount']);
const SHELLS = new Set(['sh', 'ash']);

/**
 * Programs the Go code starts that are not the binaries the runtime gets: the toolchain image had
 * them (golang images carry git, curl, ssh…); distroless and scratch have none, Alpine only
 * busybox's. `binaries` are the paths the runtime gets, `runtimeImage` the runtime's name;
 * programs a package installs are decidePackages' to name.
 */
export function decideStartedPrograms(project: ProjectFacts, binaries: readonly string[], runtimeImage: string, packages: PackageDecisions, workdir: string): Pick<PackageDecisions, 'refusals' | 'problems'> {
  const refusals: string[] = [];
  const problems: string[] = [];
  const busybox = runtimeImage.startsWith('alpine');
  const has = busybox ? `${runtimeImage} has only busybox's programs besides ${binaries.join(', ')}` : `the small runtime has no program besides ${binaries.join(', ')}`;
  const starts = codeStarts(project);
  if (!starts.known) {
    // Sources not read are said elsewhere; this is about what the code was seen to do.
    if (goFacts(project).needs.filesScanned > 0 && !goFacts(project).needs.truncated) problems.push(`${has}, and which programs the code starts is not known (${starts.why})`);
    return { refusals, problems };
  }
  for (const [program, evidence] of starts.programs) {
    if (packages.startedFromPackages.has(program)) continue;
    // A relative path ("./app") is found from the process's working folder, the stage's WORKDIR.
    const written = execsNaming(project, program).map((w) => (w.includes('/') && !w.startsWith('/') ? joinPath(workdir, w) : w));
    const absolute = written.filter((w) => w.startsWith('/'));
    if (absolute.length > 0 && absolute.length === written.length && absolute.every((w) => binaries.includes(w))) continue;
    const named = binaries.filter((b) => baseName(b) === program);
    if (named.length > 0 && absolute.length === 0) {
      if (named.some((b) => RUNTIME_PATH.some((dir) => b === `${dir}/${program}`))) continue;
      problems.push(`the program starts ${program} by name (${at(evidence)}), and the runtime's PATH holds no folder with ${named.join(', ')}`);
      continue;
    }
    if (busybox && SHELLS.has(program)) {
      problems.push(`the program starts ${program} (${at(evidence)}): ${runtimeImage} has busybox's ${program}, but which programs its commands run is not known`);
      continue;
    }
    if (busybox && BUSYBOX.has(program) && absolute.every((w) => RUNTIME_PATH.some((dir) => w === `${dir}/${program}`))) continue;
    refusals.push(`the program starts ${program} (${at(evidence)}), and ${has}`);
  }
  return { refusals, problems };
}

/** The program names as the code writes them (a path or a bare name) for one program. */
function execsNaming(project: ProjectFacts, program: string): string[] {
  return [...new Set(goFacts(project).needs.files.execs.flatMap((e) => (e.programs ?? []).filter((p) => baseName(p) === program)))];
}
