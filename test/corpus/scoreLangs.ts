// Scores Minimize on a langs-real.tsv row (Rust, C/C++, Java, Node, Python): converted means the
// final image is no longer the toolchain image; correct means the new image keeps every path the
// program reads where it reads it, lets it write where it writes, holds every shared library it
// links and starts the same program. Unsafe means a must-refuse row was converted, or a converted
// image lost something the program reads, writes or links (it would fail at run time).
import * as path from 'node:path';
import type { CommandLine, DockerfileModel, Stage } from '../../server/src/analysis/model';
import { commandName } from '../../server/src/analysis/shell';
import type { Language, ProgramPath, TruthRow } from './truth';
import { entriesUnder, type ContextFiles, type ImageFiles, type SimulatedStage, simulateStages } from './imageFiles';
import { checkReads, checkWrites, hasCertificates, hasShell, runtimeLibc, type RowScore } from './score';

/** The images whose final stage still carries the language's compiler or full toolchain. */
const TOOLCHAIN: Record<Exclude<Language, 'go'>, RegExp> = {
  rust: /(^|\/)(rust|rustlang\/rust)(:|@|$)/,
  c: /(^|\/)gcc(:|@|$)/,
  cpp: /(^|\/)gcc(:|@|$)/,
  // A JDK: maven and gradle carry one; openjdk/temurin/corretto tags without "jre" are JDKs.
  java: /(^|\/)(maven|gradle)(:|@|$)|(^|\/)(openjdk|eclipse-temurin|amazoncorretto|sapmachine)(:(?!.*jre)[^@]*)?(@|$)/,
  node: /(^|\/)node(:(?!.*(slim|alpine))[^@]*)?(@|$)/,
  python: /(^|\/)python(:(?!.*(slim|alpine))[^@]*)?(@|$)/,
};

export function isToolchainImage(image: string, language: Exclude<Language, 'go'>): boolean {
  return TOOLCHAIN[language].test(image);
}

/** The files a build writes whose names a read's evidence points at: the read is the build's output. */
const BUILD_FILES = /^(Dockerfile|[\w.-]*\.Dockerfile|package\.json|package-lock\.json|pom\.xml|build\.gradle(\.kts)?|Cargo\.toml|Makefile)(:|$)/;

function builtByTheBuild(read: ProgramPath): boolean {
  return read.evidence !== undefined && BUILD_FILES.test(read.evidence);
}

const RELEASES = ['buster', 'bullseye', 'bookworm', 'trixie'] as const;
const DEBIAN_NUMBERS: Record<string, (typeof RELEASES)[number]> = { '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie' };

/**
 * The Debian release an image is built on, when its reference says so: a codename in the tag,
 * distroless' debianNN, debian:NN, or a floating tag of an official toolchain image (latest or
 * none: trixie since August 2025, issue 21). Undefined when the reference does not tell.
 */
export function debianRelease(image: string): (typeof RELEASES)[number] | undefined {
  const named = RELEASES.find((r) => image.includes(r));
  if (named) return named;
  const distroless = /distroless\/[\w-]+-debian(\d+)/.exec(image);
  if (distroless) return DEBIAN_NUMBERS[distroless[1] ?? ''];
  const debian = /(^|\/)debian:(\d+)/.exec(image);
  if (debian) return DEBIAN_NUMBERS[debian[2] ?? ''];
  if (/(^|\/)(rust|gcc|node|python|debian)(:latest)?$/.test(image)) return 'trixie';
  return undefined;
}

type LibraryCheck = (image: string, packages: readonly string[]) => boolean;

const glibc = (image: string): boolean => runtimeLibc(image) === 'glibc' || (/(^|\/)(node|python|rust|gcc|eclipse-temurin|openjdk|maven|gradle)(:|@|$)/.test(image) && !/alpine/.test(image));
const installs = (packages: readonly string[], re: RegExp): boolean => packages.some((p) => re.test(p));
const fullDebian = (image: string): boolean => /(^|\/)(node|python|rust|gcc|buildpack-deps)(:(?!.*(slim|alpine))[^@]*)?(@|$)/.test(image);

/**
 * Where each shared library the corpus names comes from: the runtime image's own (by its family),
 * or a package the final stage installs. A library not named here cannot be told, and counts as
 * missing: the score must not call an image safe on a guess.
 */
const LIBRARIES: ReadonlyArray<readonly [RegExp, LibraryCheck]> = [
  [/^lib(c|m|pthread|dl|rt)\.so\.6$/, (image) => glibc(image) && !/distroless\/static/.test(image)],
  [/^libgcc_s\.so\.1$/, (image, packages) => (glibc(image) && !/distroless\/(static|base)/.test(image)) || installs(packages, /^libgcc/)],
  [/^libstdc\+\+\.so\.6$/, (image, packages) => (glibc(image) && !/distroless\/(static|base)/.test(image)) || installs(packages, /^libstdc\+\+/)],
  [/^lib(ssl|crypto)\.so\.3$/, (image, packages) => /distroless\/(base|cc|java|python3)|(^|\/)python(:|@|$)/.test(image) || fullDebian(image) || installs(packages, /^(libssl3|openssl)/)],
  [/^libsqlite3\.so\.0$/, (image, packages) => /(^|\/)python(:|@|$)/.test(image) || fullDebian(image) || installs(packages, /^libsqlite3/)],
  [/^libpq\.so\.5$/, (image, packages) => fullDebian(image) || installs(packages, /^libpq5$|^libpq-dev$/)],
  [/^libjvm\.so$/, (image) => /(^|\/)(eclipse-temurin|openjdk|amazoncorretto|sapmachine|maven|gradle|ibm-semeru-runtimes)(:|@|$)|distroless\/java/.test(image)],
  [/^libnss3\.so$/, (_image, packages) => installs(packages, /^libnss3/)],
  [/^libX11\.so\.6$/, (_image, packages) => installs(packages, /^libx11-6/)],
];

/**
 * The final stage copies a folder that `jlink … --output DIR` wrote in a build stage: a Java
 * runtime, which holds libjvm.so (java.base's lib/server) whatever the image under it.
 */
function copiesJlinkRuntime(model: DockerfileModel): boolean {
  const jlinkOutputs = (stage: Stage | undefined): string[] =>
    (stage?.runs ?? []).flatMap((run) =>
      run.commands.flatMap((c) => {
        if (commandName(c) !== 'jlink') return [];
        const at = c.argv.indexOf('--output');
        const joined = c.argv.find((a) => a.startsWith('--output='));
        const out = at >= 0 ? c.argv[at + 1] : joined?.slice('--output='.length);
        return out ? [path.posix.resolve(run.workdir, out)] : [];
      }),
    );
  return (model.finalStage?.copies ?? []).some((c) => c.fromStage !== undefined && c.sources.some((s) => jlinkOutputs(model.stages[c.fromStage as number]).includes(s)));
}

function providesLibrary(lib: string, image: string, packages: readonly string[]): boolean | undefined {
  const check = LIBRARIES.find(([re]) => re.test(lib));
  return check ? check[1](image, packages) : undefined;
}

/**
 * A single stage re-based (node → node:slim, python → python:slim) that still runs every RUN of
 * the original (Slimfile may append cache cleaning to one) in the same folder: what the build
 * makes is made in place, so its outputs need no COPY to be there.
 */
function rebased(originalModel: DockerfileModel, minimizedModel: DockerfileModel, original: SimulatedStage, minimized: SimulatedStage): boolean {
  const before = originalModel.finalStage;
  const after = minimizedModel.finalStage;
  if (!before || !after || originalModel.stages.length !== 1 || minimizedModel.stages.length !== 1 || original.workdir !== minimized.workdir) return false;
  return before.runs.every((run) => after.runs.some((kept) => kept.script.includes(run.script.trim())));
}

function words(command: CommandLine | undefined): string[] {
  if (!command) return [];
  return command.form === 'exec' ? [...command.args] : (command.args[0] ?? '').split(/\s+/).filter((w) => w !== '');
}

function startWords(stage: Stage): string[] {
  return [...words(stage.entrypoint), ...(stage.entrypoint && stage.cmd ? words(stage.cmd) : stage.entrypoint ? [] : words(stage.cmd))];
}

/** Something is at `at`, or a folder above it came whole from a build stage or the context. */
function present(files: ImageFiles, at: string): boolean {
  if (files.has(at)) return true;
  for (let d = path.posix.dirname(at); ; d = path.posix.dirname(d)) {
    const entry = files.get(d);
    if (entry?.origin?.startsWith('built:') || entry?.origin?.startsWith('image:')) return true;
    if (d === '/') return false;
  }
}

/** Programs that are the toolchain itself: a start command naming one needs the toolchain image. */
const TOOLCHAIN_PROGRAMS = new Set(['cargo', 'rustc', 'gcc', 'g++', 'cc', 'make', 'cmake', 'javac', 'mvn', 'gradle', './gradlew', './mvnw']);

/** The program a start command names, as an absolute path when it is one (`./app` in /app is /app/app). */
function programAt(word: string, workdir: string): string {
  return word.includes('/') ? path.posix.resolve(workdir, word) : word;
}

function checkStart(original: Stage, originalImage: SimulatedStage, finalStage: Stage, image: SimulatedStage, inPlace: boolean, scripts: ReadonlyMap<string, string>, problems: string[]): void {
  const before = startWords(original);
  const after = startWords(finalStage);
  const command = finalStage.entrypoint ?? finalStage.cmd;
  if (command?.form === 'shell' && !hasShell(image.baseImage)) problems.push(`start: shell-form ${finalStage.entrypoint ? 'ENTRYPOINT' : 'CMD'} needs /bin/sh, which ${image.baseImage} lacks`);
  const program = after[0];
  if (program === undefined) return;
  if (TOOLCHAIN_PROGRAMS.has(program)) problems.push(`start: ${program} runs at start, and ${image.baseImage} is not the toolchain image`);
  if (program.includes('/') && !inPlace && !present(image.files, programAt(program, image.workdir))) problems.push(`start: ${program} is not in the final image`);
  const resolve = (argv: readonly string[], workdir: string): string => [programAt(argv[0] ?? '', workdir), ...argv.slice(1)].join(' ');
  if (resolve(before, originalImage.workdir) === resolve(after, image.workdir)) return;
  // `cargo run [--release] [-- args]` becomes the built binary; `npm start` / `npm run x` its script.
  const cargoRun = before[0] === 'cargo' && before[1] === 'run';
  const script = before[0] === 'npm' ? (before[1] === 'start' ? 'start' : before[1] === 'run' ? before[2] : undefined) : undefined;
  if (cargoRun) {
    const args = before.includes('--') ? before.slice(before.indexOf('--') + 1) : [];
    if (after.slice(1).join(' ') !== args.join(' ')) problems.push(`start: \`${before.join(' ')}\` became \`${after.join(' ')}\`, with other arguments`);
    return;
  }
  if (script !== undefined && scripts.get(script)?.split(/\s+/).join(' ') === after.join(' ')) return;
  problems.push(`start: \`${before.join(' ')}\` became \`${after.join(' ')}\``);
}

/** Checks the reads of what the build made; returns the row with the reads left for checkReads. */
function checkBuiltReads(row: TruthRow, original: SimulatedStage, minimized: SimulatedStage, problems: string[]): TruthRow {
  // Context reads are checked as for Go; a read of what the build made must still be there.
  const fromBuild: ProgramPath[] = [];
  const rest: ProgramPath[] = [];
  for (const read of row.reads) {
    const inContext = entriesUnder(original.files, path.posix.resolve(original.workdir, read.path)).some(([, e]) => e.origin?.startsWith('context:'));
    (builtByTheBuild(read) && !inContext ? fromBuild : rest).push(read);
  }
  for (const read of fromBuild) {
    if (!present(minimized.files, path.posix.resolve(minimized.workdir, read.path))) problems.push(`read ${read.path}: the build's output is not in the final image at ${path.posix.resolve(minimized.workdir, read.path)}`);
  }
  return { ...row, reads: rest };
}

/** What package.json's scripts say, for `npm start` / `npm run x` resolved to the script. */
export type Scripts = ReadonlyMap<string, string>;

export function scoreLangRow(row: TruthRow, originalModel: DockerfileModel, minimizedModel: DockerfileModel, context: ContextFiles, scripts: Scripts = new Map()): RowScore {
  const language = row.language === 'go' ? undefined : row.language;
  if (!language) throw new Error(`${row.repo}: scoreLangRow is for languages other than Go`);
  const options = { trustBuildOutputs: true };
  const originalStages = simulateStages(originalModel, context, undefined, options);
  const minimizedStages = simulateStages(minimizedModel, context, undefined, options);
  const original = originalStages[originalStages.length - 1];
  const minimized = minimizedStages[minimizedStages.length - 1];
  const finalStage = minimizedModel.finalStage;
  const originalFinal = originalModel.finalStage;
  const finalImage = minimized?.baseImage ?? '(none)';
  const converted = minimizedModel.text !== originalModel.text && finalImage !== original?.baseImage && !isToolchainImage(finalImage, language);
  const problems: string[] = [];
  const warnings: string[] = [];
  const unscored: string[] = [];
  if (converted && original && minimized && finalStage && originalFinal) {
    const inPlace = rebased(originalModel, minimizedModel, original, minimized);
    const rest = inPlace ? { ...row, reads: row.reads.filter((r) => !builtByTheBuild(r)) } : checkBuiltReads(row, original, minimized, problems);
    checkReads(rest, original, minimized, problems, unscored);
    checkWrites(row, original, minimized, problems, unscored);
    const packages = finalStage.packageInstalls.flatMap((p) => p.packages);
    for (const lib of row.links) {
      const has = lib === 'libjvm.so' && copiesJlinkRuntime(minimizedModel) ? true : providesLibrary(lib, finalImage, packages);
      if (has === false) problems.push(`links ${lib}: ${finalImage} does not have it and the final stage installs no package that does`);
      else if (has === undefined) problems.push(`links ${lib}: the scorer cannot tell whether ${finalImage} has it`);
    }
    // Node and the JVM carry their own CA store; Python's images install ca-certificates.
    const ownStore = language === 'node' || language === 'java' || /(^|\/)python(:|@|$)/.test(finalImage);
    if (row.tls && !ownStore && !hasCertificates(finalImage, finalStage, minimized.files)) problems.push(`tls: ${finalImage} has no CA certificates and none are copied`);
    if (row.cgo) {
      const builders = [...new Set([...minimized.files.values()].flatMap((e) => (e.origin?.startsWith('built:') ? [Number(e.origin.split(':')[1])] : [])))];
      const runtime = debianRelease(finalImage);
      for (const b of builders) {
        const builderImage = minimizedStages[b]?.baseImage ?? '';
        const built = debianRelease(builderImage);
        if (built && runtime && RELEASES.indexOf(built) > RELEASES.indexOf(runtime)) problems.push(`links: built on Debian ${built} (${builderImage}), run on ${runtime} (${finalImage}): its glibc is older`);
        else if (!built || !runtime) warnings.push(`release: cannot tell whether ${builderImage} and ${finalImage} are the same Debian release`);
        const libc = runtimeLibc(finalImage);
        if (/alpine/.test(builderImage) !== /alpine/.test(finalImage) || libc === 'none') problems.push(`links: built against ${/alpine/.test(builderImage) ? 'musl' : 'glibc'} in ${builderImage}, run on ${finalImage}`);
      }
    }
    checkStart(originalFinal, original, finalStage, minimized, inPlace, scripts, problems);
  }
  const lost = problems.some((p) => /^(read|write|links)[ :]/.test(p));
  return {
    converted,
    correct: row.verdict === 'convertible' && converted ? problems.length === 0 : undefined,
    unsafe: converted && (row.verdict === 'must-refuse' || lost),
    problems,
    warnings,
    unscored,
    finalImage,
  };
}
