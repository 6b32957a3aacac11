// "Convert to multi-stage build" for Go: the stage that builds on golang:* becomes a named build
// stage, and a runtime stage chosen by what the program needs receives the binary, the files it
// reads, and the instructions that describe the running container. What is Go's own is decided
// here (where each binary is, cgo, the runtime and scratch, the files and users the program needs);
// these are Go's hooks in the converter every compiled language goes through (convertToMultiStage in
// fixes/multiStage.ts), which rewrites the start command, splits the stage and writes the runtime stage.
import type { TextEdit } from 'vscode-languageserver-types';
import { stageChain, type DockerfileModel, type Stage, type RunStep } from '../../model';
import type { ProjectFacts } from '../../project';
import { baseFactsOf } from '../../runtime';
import { binaryLocations, cgoEffectivelyOn, distrolessRelease } from './binaries';
import { describeBase } from '../../baseImage';
import { baseName, joinPath } from '../../paths';
import { builderGo } from './builderGo';
import { keyword } from '../../fixes/edits';
import { shellWord } from '../../fixes/dockerfileWords';
import { addBuildFlags, disableCgo } from './buildEdits';
import { planRuntimeFiles, type RuntimeFilePlan } from './runtimeFiles';
import { commandName, splitCommands } from '../../shell';
import type { RuntimeChoice } from '../../findings';
import { scratchBlockers, scratchNeeds, zoneDataChoice } from './scratch';
import { CA_BUNDLE, ZONEINFO } from '../../estimate/files';
import { decidePackages, decideStartedPrograms } from './stagePackages';
import { alpineIndexFor, type PackageIndexes } from '../../packages/indexes';
import { goBuildsIn, hiddenBuildsIn } from './goBuilds';
import type { FileCopy, GoBuild } from './gobuild';
import {
  convertToMultiStage,
  copyFromBuild,
  execFormOf,
  listensOnPrivilegedPort,
  NONROOT,
  PRIVILEGED_PORT_REASON,
  rewriteHealthcheck,
  SHELLS,
  startProblem,
  type BuildStageSplit,
  type MultiStageConversion,
  type MultiStageConverter,
  type MultiStagePlan,
  type Refusal,
  type StartOptions,
  type StartRewrite,
} from '../../fixes/multiStage';
import { goFacts } from './source/facts';

/** Go's conversion, with the plan of the files the program reads and writes. */
export interface Conversion extends MultiStageConversion {
  readonly files: RuntimeFilePlan;
}
export type ConversionResult = { readonly ok: true; readonly conversion: Conversion } | { readonly ok: false; readonly reason: string };

/**
 * ENV the go build reads, which the runtime stage does not need. The Go runtime's own settings
 * (GOGC, GOMEMLIMIT, GODEBUG, GOMAXPROCS, GOTRACEBACK) are read by the running program: they stay.
 */
const BUILD_ONLY_ENV = /^((?!GOGC$|GOMEMLIMIT$|GODEBUG$|GOMAXPROCS$|GOTRACEBACK$)GO\w*|CGO_\w+|PATH|HOME)$/;
/** Commands after the build that leave nothing the runtime needs (cleaning up, tests, messages). */
const HARMLESS_AFTER_BUILD = new Set(['rm', 'true', 'echo', 'go', 'ls', 'chmod', 'strip', 'upx', 'du', 'file', 'ldd']);
const PACKAGE_MANAGERS = new Set(['apk', 'apt-get', 'apt']);
/** Where the conversion makes empty folders in the build stage, to copy them out owned by the runtime user. */
const WRITABLE_STAGING = '/writable';
/** Where the conversion makes the folders a scratch runtime lacks (/tmp), copied out with their modes. */
const SCRATCH_STAGING = '/scratch-root';

/**
 * The runtime image for the program: static when cgo is not needed, else the builder's libc
 * family; distroless of the builder's Debian release (a trixie golang image, as golang:1.24 has
 * been since 2025-08, gets debian13: its glibc 2.41 binaries need no older runtime, and its CA
 * bundle and zoneinfo are the same vintage as the build's).
 */
export function chooseRuntime(stage: Stage, project: ProjectFacts, root: boolean): string {
  const tag = root ? '' : ':nonroot';
  const builder = describeBase(stage.base.reference, stage.base.isScratch);
  const debian = distrolessRelease(stage);
  if (!goFacts(project).needs.cgo.needed) return `gcr.io/distroless/static-debian${debian}${tag}`;
  if (builder.libc === 'musl') return `alpine:${builder.release ?? '3'}`;
  return `gcr.io/distroless/cc-debian${debian}${tag}`;
}

/** What a scratch runtime gets, each only when the program needs it; or why scratch would break it. */
type ScratchFit =
  | {
      readonly ok: true;
      readonly caBundle: boolean;
      /** Zone data: linked into the binary (with the go build edits), or the tree copied. */
      readonly zones: { readonly how: 'tags'; readonly edits: readonly TextEdit[]; readonly why: string } | { readonly how: 'tree'; readonly why: string } | undefined;
      /** /etc/passwd and /etc/group: the program looks users up by name. */
      readonly users: boolean;
      readonly tmp: boolean;
      /** Why the CA bundle or zone data comes along when the program's own calls do not ask for it. */
      readonly why: string | undefined;
    }
  | { readonly ok: false; readonly reasons: readonly string[] };

function scratchFit(
  model: DockerfileModel,
  stage: Stage,
  project: ProjectFacts,
  builds: readonly GoBuild[],
  files: RuntimeFilePlan,
  user: { readonly namedInRuntime: string | undefined; readonly passwdFromBuild: boolean },
): ScratchFit {
  const reasons = scratchBlockers(project);
  const needs = goFacts(project).needs;
  const where = (e: { file: string; line: number } | undefined): string => (e ? ` (${e.file}:${e.line + 1})` : '');
  if (user.namedInRuntime) reasons.push(`USER ${user.namedInRuntime} names a user, and scratch has no user database`);
  const builder = describeBase(stage.base.reference, stage.base.isScratch);
  const wanted = scratchNeeds(project, builds);
  const caBundle = wanted.caBundle;
  if (caBundle && builder.caCertificates !== true) reasons.push(`${needs.tls.needed ? `the program makes TLS calls${where(needs.tls.evidence[0])}` : 'go.mod\'s modules may make TLS calls'} and the build stage has no CA bundle to copy`);
  let zones: Extract<ScratchFit, { ok: true }>['zones'];
  if (wanted.zones) {
    const choice = zoneDataChoice(builds[0] as GoBuild, project, builderGo(model, stage));
    const tagEdits = builds.map((b) => (b.tags.includes('timetzdata') ? [] : addBuildFlags(model, b, { tags: ['timetzdata'] })));
    if (choice.choice === 'tags' && tagEdits.every((e) => e !== undefined)) zones = { how: 'tags', edits: tagEdits.flatMap((e) => e ?? []), why: choice.why };
    else if (builder.zoneinfo === true) zones = { how: 'tree', why: choice.choice === 'tree' ? choice.why : `Zone data: ${ZONEINFO} is copied, since -tags timetzdata cannot be added to this go build` };
    else reasons.push(`${needs.zoneinfo.needed ? `the program loads time zones${where(needs.zoneinfo.evidence[0])}` : 'go.mod\'s modules may load time zones'}, the go build cannot take -tags timetzdata here and the build stage has no zoneinfo`);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, caBundle, zones, users: needs.userLookup.needed && !user.passwdFromBuild, tmp: files.needsTmp, why: wanted.why };
}

/** The nonroot user distroless defines, added to the build stage's user database for a scratch runtime. */
const NONROOT_PASSWD = "echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> /etc/passwd && echo 'nonroot:x:65532:' >> /etc/group";

export function toMultiStage(model: DockerfileModel, project: ProjectFacts, runtime: RuntimeChoice = 'distroless', packageIndexes?: PackageIndexes): ConversionResult {
  const stage = model.finalStage;
  if (!stage) return { ok: false, reason: 'the file has no FROM' };
  return convertToMultiStage(model, stage, goConverter(model, stage, project, runtime, packageIndexes));
}

/** Where each go build leaves its binary when the stage ends, and what the stage's packages are to the program. */
interface GoChecked {
  readonly locations: ReadonlyArray<{ readonly build: GoBuild; readonly paths: readonly string[]; readonly steps: readonly FileCopy[] }>;
  readonly packages: ReturnType<typeof decidePackages>;
}

/** Go's hooks in the one converter shape (fixes/multiStage.ts convertToMultiStage). */
function goConverter(model: DockerfileModel, stage: Stage, project: ProjectFacts, runtime: RuntimeChoice, packageIndexes: PackageIndexes | undefined): MultiStageConverter<GoChecked, ConversionResult> {
  return { check: () => goCheck(model, stage, project, packageIndexes), start: goStart, plan: (checked, start, split) => goPlan(model, stage, project, runtime, checked, start, split) };
}

function goCheck(model: DockerfileModel, stage: Stage, project: ProjectFacts, packageIndexes: PackageIndexes | undefined): Refusal | { ok: true; checked: GoChecked } {
  if (hiddenBuildsIn(model, stage).length > 0) {
    return { ok: false, reason: `the build runs through \`${hiddenBuildsIn(model, stage)[0]?.tool}\`, so Slimfile cannot see where the binary goes; convert by hand` };
  }
  if (goBuildsIn(model, stage).length === 0) return { ok: false, reason: startNeedsToolchainImage(stage) ?? 'no `go build` or `go install` runs in this stage' };
  // Where each binary is when the stage ends: the build's output, or where cp/mv/install took it.
  const located = goBuildsIn(model, stage).map((b) => ({ build: b, at: binaryLocations(b, project) }));
  if (located.some((b) => b.at === undefined)) return { ok: false, reason: 'the binary\'s path is not known (add `-o /path/name` to the go build)' };
  const locations = located.map((b) => ({ build: b.build, paths: b.at?.paths ?? [], steps: b.at?.steps ?? [] }));

  // Each package installed next to the build is left behind only when the analysis shows the
  // program does without it (a build tool, a CLI nobody starts, a library the binary does not link).
  const alpine = alpineIndexFor(baseFactsOf(model, stage), packageIndexes)?.index;
  const packages = decidePackages(stage, stageChain(model, stage).flatMap((s) => s.packageInstalls), project, goBuildsIn(model, stage), alpine);
  if (packages.refusals.length > 0) return { ok: false, reason: packages.refusals.join('; ') };
  // A shell-form HEALTHCHECK that is one plain command runs the same in exec form.
  const hcCheck = stage.healthcheck;
  if (hcCheck && !hcCheck.none && !execFormOf(hcCheck.command)) {
    return { ok: false, reason: 'the HEALTHCHECK runs through a shell, and the small runtime has no shell' };
  }
  return { ok: true, checked: { locations, packages } };
}

function goStart({ locations }: GoChecked): StartOptions {
  // Latest place first: with no start command, the first build's binary runs from where it was put last.
  const candidates = locations.flatMap((b) => [...b.paths].reverse());
  return { binaries: candidates, defaultStart: candidates[0], imagePath: GOLANG_PATH, toolchain: GO_TOOLCHAIN };
}

function goPlan(
  model: DockerfileModel,
  stage: Stage,
  project: ProjectFacts,
  runtime: RuntimeChoice,
  { locations, packages }: GoChecked,
  startLine: Extract<StartRewrite, { ok: true }>,
  split: BuildStageSplit,
): Refusal | { ok: true; plan: MultiStagePlan; finish: (written: MultiStageConversion) => ConversionResult } {
  // The runtime gets each binary where the start command runs it, else where it was left last.
  const binaries = locations.map((b) => ({ build: b.build, path: b.paths.find((p) => startLine.used.includes(p)) ?? (b.paths[b.paths.length - 1] as string) }));
  const lastBuildLine = binaries.reduce((max, b) => Math.max(max, b.build.run.range.end.line), -1);
  // The steps that put a binary in place, by RUN and command (equal scripts share their parse).
  const followed = new Set(locations.flatMap((b) => b.steps.map((step) => followedKey(step.run, step.argv))));
  // Which runtime family the program gets (distroless or Alpine) does not depend on the user.
  const started = decideStartedPrograms(project, [...new Set(binaries.map((b) => b.path))], chooseRuntime(stage, project, true), packages, stage.workdir);
  if (started.refusals.length > 0) return { ok: false, reason: started.refusals.join('; ') };
  const after = afterBuild(stage, lastBuildLine, followed);
  const files = planRuntimeFiles({
    stage,
    project,
    binaries: binaries.map((b) => b.path),
    preparedFolders: after.preparedFolders.filter((f) => !binaries.some((b) => b.path === f)),
    context: model.context,
  });
  const rootReasons = [...(listensOnPrivilegedPort(stage) ? [PRIVILEGED_PORT_REASON] : []), ...files.rootReasons, ...after.rootReasons];
  const root = rootReasons.length > 0 || /^(root|0)(:.*)?$/.test(stage.user?.value ?? '');
  // A user made with adduser in the build stage does not exist in the runtime; its numeric stand-in does.
  const createdUser = stage.user && after.createdUsers.includes(stage.user.value.split(':')[0] as string) ? stage.user.value : undefined;
  // A program that looks users up by name needs the user in /etc/passwd: the build stage's files
  // come along. Otherwise the made user becomes the numeric one every runtime has.
  const usersFromBuild = createdUser !== undefined && goFacts(project).needs.userLookup.needed;
  const madeUser = usersFromBuild ? undefined : createdUser;
  const owner = root ? undefined : stage.user && !madeUser && !/^(root|0)(:.*)?$/.test(stage.user.value) ? stage.user.value : NONROOT;
  const runtimeUser = stage.user && !madeUser && !usersFromBuild && [stage.user.value, owner ?? ''].some((v) => v.split(':').some((n) => n !== '' && !/^\d+$/.test(n))) ? stage.user.value : undefined;
  const scratch = runtime === 'scratch' ? scratchFit(model, stage, project, binaries.map((b) => b.build), files, { namedInRuntime: runtimeUser, passwdFromBuild: usersFromBuild }) : undefined;
  const onScratch = scratch?.ok === true ? scratch : undefined;
  const runtimeImage = onScratch ? 'scratch' : chooseRuntime(stage, project, root);
  const name = split.name;
  const k = (word: string): string => keyword(model, word);

  // FROM golang:1.22 -> FROM golang:1.22 AS build; then CGO_ENABLED=0 where the program needs no cgo.
  const buildEdits: TextEdit[] = [];
  if (!goFacts(project).needs.cgo.needed) {
    for (const { build } of binaries) {
      if (cgoEffectivelyOn(build, describeBase(stage.base.reference), stage) === false) continue;
      // An exec-form RUN ["go", "build", …] has no shell to take an assignment: ENV above it does the same.
      const runStart = { line: build.run.range.start.line, character: 0 };
      buildEdits.push(...(disableCgo(model, build) ?? [{ range: { start: runStart, end: runStart }, newText: `${k('ENV')} CGO_ENABLED=0${model.eol}` }]));
    }
  }
  if (onScratch?.zones?.how === 'tags') buildEdits.push(...onScratch.zones.edits);

  const notes = [...files.notes, ...packages.notes, ...startLine.notes];
  if (root && rootReasons.length > 0) notes.unshift(`Runs as root: ${rootReasons.join('; ')}.`);
  if (scratch && !scratch.ok) notes.push(`Runs on ${runtimeImage} rather than scratch: ${scratch.reasons.join('; ')}.`);
  if (onScratch?.why) notes.push(`${onScratch.why}.`);
  if (onScratch?.zones) notes.push(`${onScratch.zones.why}.`);
  if (madeUser) notes.push(`USER ${madeUser} is made by a RUN step in the ${name} stage, which the runtime does not have; it runs as ${NONROOT} instead.`);
  if (usersFromBuild) {
    const lookup = goFacts(project).needs.userLookup.evidence[0];
    notes.push(`USER ${createdUser} is made by a RUN step in the ${name} stage and the program looks users up by name${lookup ? ` (${lookup.file}:${lookup.line + 1})` : ''}, so /etc/passwd and /etc/group come from the ${name} stage.`);
  }
  const problems = [...files.problems, ...packages.problems, ...started.problems, ...after.problems];

  const buildLines: string[] = [];
  const beforeWorkdir: string[] = [];
  const afterBinaries: string[] = [];
  // Folders the program writes: from the context (with their files), made by a RUN step, or made empty here.
  const writable = files.writable;
  const staged = writable.filter((w) => !w.fromContext);
  const stagedRoots = staged.filter((w) => !staged.some((o) => o !== w && w.path.startsWith(`${o.path}/`)));
  if (stagedRoots.length > 0) buildLines.push(`${k('RUN')} mkdir -p ${stagedRoots.map((w) => shellWord(`${WRITABLE_STAGING}${w.path}`)).join(' ')}`);
  const writableCopies = writable
    .filter((w) => !staged.includes(w) || stagedRoots.includes(w))
    .map((w) => ({ path: w.path, line: copyFromBuild(model, split, staged.includes(w) ? `${WRITABLE_STAGING}${w.path}` : w.path, { chown: owner, to: w.path }) }));
  // Before any --chown by name, which the runtime resolves through its own /etc/passwd.
  if (usersFromBuild || onScratch?.users) {
    // On scratch the user database is the build stage's, with the nonroot user the binary runs as.
    if (onScratch?.users && !root) buildLines.push(`${k('RUN')} ${NONROOT_PASSWD}`);
    beforeWorkdir.push(copyFromBuild(model, split, '/etc/passwd'), copyFromBuild(model, split, '/etc/group'));
  }
  if (onScratch?.caBundle) beforeWorkdir.push(copyFromBuild(model, split, CA_BUNDLE));
  if (onScratch?.zones?.how === 'tree') beforeWorkdir.push(copyFromBuild(model, split, ZONEINFO));
  if (onScratch?.tmp) {
    // scratch has no /tmp: an empty one, world-writable with the sticky bit like every system's.
    buildLines.push(`${k('RUN')} mkdir -p ${SCRATCH_STAGING}/tmp && chmod 1777 ${SCRATCH_STAGING}/tmp`);
    beforeWorkdir.push(copyFromBuild(model, split, `${SCRATCH_STAGING}/`, { to: '/' }));
  }
  // The working folder itself is made writable before WORKDIR creates it root-owned.
  for (const w of writableCopies) if (w.path === stage.workdir) beforeWorkdir.push(w.line);
  for (const file of files.copies) afterBinaries.push(copyFromBuild(model, split, file, { chown: files.owned.has(file) ? owner : undefined }));
  for (const w of writableCopies) if (w.path !== stage.workdir) afterBinaries.push(w.line);
  const health = rewriteHealthcheck(model, stage, binaries.map((b) => b.path));
  if (!health.ok) return health;
  const userWritten = split.moved.some((m) => m.keyword === 'USER');
  const plan: MultiStagePlan = {
    runtimeImage,
    binaries: binaries.map((b) => b.path),
    start: startLine.lines,
    healthcheck: health.line,
    notes,
    problems,
    buildOnlyEnv: BUILD_ONLY_ENV,
    buildEdits,
    buildLines,
    beforeWorkdir,
    afterBinaries,
    user: {
      movedAs: madeUser ? NONROOT : undefined,
      // distroless runs as nonroot through its :nonroot tag; alpine and scratch are told.
      after: !userWritten && !root && (runtimeImage.startsWith('alpine') || runtimeImage === 'scratch') ? NONROOT : undefined,
    },
  };
  return { ok: true, plan, finish: (conversion) => ({ ok: true, conversion: { ...conversion, files } }) };
}

/** Folders a golang image's PATH holds, for a start command that names its program without a folder. */
const GOLANG_PATH = '/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const GO_TOOLCHAIN = { command: 'go', language: 'Go' } as const;

/**
 * Why a stage that builds nothing itself cannot lose its toolchain image: its start command
 * compiles (`CMD go run main.go`, `ENTRYPOINT ["go", "run", "."]`) or goes through a shell or a
 * script (`ENTRYPOINT ./start.sh`), which may do anything the image allows. Undefined otherwise.
 */
export function startNeedsToolchainImage(stage: Stage): string | undefined {
  for (const [keywordName, line] of [['ENTRYPOINT', stage.entrypoint], ['CMD', stage.cmd]] as const) {
    if (!line) continue;
    const argv = line.form === 'exec' ? line.args : (splitCommands(line.args[0] ?? '')[0]?.argv ?? []);
    const program = baseName(argv[0] ?? '');
    // A bare shell (CMD ["bash"]) is a development image with no program to keep: nothing to say.
    if (program === 'go' || /\.(sh|bash)$/.test(program) || (SHELLS.has(program) && argv.includes('-c'))) return startProblem(keywordName, argv, GO_TOOLCHAIN);
    // The CMD is the ENTRYPOINT's arguments: only the ENTRYPOINT's first word starts.
    break;
  }
  return undefined;
}

interface AfterBuild {
  /** Folders RUN steps make or hand to a user (mkdir, chown), absolute; they exist in the build stage. */
  readonly preparedFolders: string[];
  readonly createdUsers: string[];
  readonly rootReasons: string[];
  readonly problems: string[];
}

/**
 * RUN steps after the last build stay in the build stage. What they prepare for run time (users,
 * folders and their owners) is carried into the runtime without a shell; anything else is a reason
 * the conversion cannot be proven.
 */
function followedKey(run: RunStep, argv: readonly string[]): string {
  return `${run.range.start.line}:${argv.join('\0')}`;
}

function afterBuild(stage: Stage, lastBuildLine: number, followed: ReadonlySet<string>): AfterBuild {
  const out: AfterBuild = { preparedFolders: [], createdUsers: [], rootReasons: [], problems: [] };
  const runs: RunStep[] = stage.runs.filter((r) => r.range.start.line > lastBuildLine);
  for (const run of runs) {
    for (const command of run.commands) {
      const name = commandName(command);
      const operands = command.argv.slice(1).filter((a) => !a.startsWith('-'));
      if (name === 'mkdir') {
        const skip = command.argv.includes('-m') ? 1 : 0; // -m MODE takes a value
        out.preparedFolders.push(...operands.slice(skip).map((p) => joinPath(stage.workdir, p)));
      } else if (name === 'chown') {
        out.preparedFolders.push(...operands.slice(1).map((p) => joinPath(stage.workdir, p)));
      } else if (['adduser', 'useradd', 'addgroup', 'groupadd'].includes(name)) {
        const user = operands[operands.length - 1];
        if (user) out.createdUsers.push(user);
      } else if (name === 'setcap') {
        out.rootReasons.push(`setcap at line ${run.range.start.line + 1} grants file capabilities, which a copy between stages does not keep`);
      } else if (followed.has(followedKey(run, command.argv))) {
        // It puts a binary where the runtime gets it: followed by binaryLocations.
      } else if (PACKAGE_MANAGERS.has(name)) {
        // What it installs is decided package by package (stagePackages.ts), wherever the RUN is.
      } else if (!HARMLESS_AFTER_BUILD.has(name) || command.redirects.some((r) => !r.startsWith('/dev/'))) {
        // `echo … > file` writes a file, which stays in the build stage.
        out.problems.push(`\`${command.argv.join(' ')}\` at line ${run.range.start.line + 1} runs after the build and stays in the build stage; what it prepares for run time is not carried over`);
      }
    }
  }
  // The binary itself is not a folder to prepare (mkdir -p /app/bin && chown app /app/bin/main).
  const folders = [...new Set(out.preparedFolders)].filter((f) => !f.includes('$'));
  return { ...out, preparedFolders: folders };
}
