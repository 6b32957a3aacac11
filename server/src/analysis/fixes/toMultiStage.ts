// "Convert to multi-stage build": the stage that builds on golang:* becomes a named build stage,
// and a runtime stage chosen by what the program needs receives the binary, the files it reads,
// and the instructions that describe the running container (EXPOSE, ENV, USER, CMD…).
import type { TextEdit } from 'vscode-languageserver-types';
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage, CommandLine, RunStep } from '../model';
import type { ProjectFacts } from '../project';
import { baseFactsOf, binaryLocations, cgoEffectivelyOn, isSimpleCommand } from '../runtime';
import { describeBase, distrolessRelease } from '../baseImage';
import { baseName, joinPath } from '../paths';
import { builderGo } from '../builderGo';
import { addBuildFlags, commentLinesAbove, deleteLines, disableCgo, execJson, keyword, nameStage } from './edits';
import { planRuntimeFiles, type RuntimeFilePlan } from '../runtimeFiles';
import { commandName, splitCommands } from '../shell';
import { applyEdits, diffAsEdit } from './apply';
import type { RuntimeChoice } from '../findings';
import type { GoBuild } from '../model';
import { scratchBlockers, scratchNeeds, zoneDataChoice } from './scratch';
import { CA_BUNDLE, ZONEINFO } from '../estimate/estimate';
import { decidePackages, decideStartedPrograms } from '../stagePackages';
import { alpineIndexFor, type PackageIndexes } from '../packages/indexes';
import { goBuildsIn, hiddenBuildsIn } from '../goBuilds';

export interface Conversion {
  readonly edits: TextEdit[];
  readonly runtimeImage: string;
  /** True only when the analysis proves the program keeps what it reads, can write where it writes, and starts the same way. */
  readonly safe: boolean;
  /** Why the conversion is not safe, one reason each (empty when safe). */
  readonly problems: readonly string[];
  /** What the reader of the preview should know (root kept, .env shipped, a user made numeric). */
  readonly notes: readonly string[];
  readonly files: RuntimeFilePlan;
}

export type ConversionResult = { readonly ok: true; readonly conversion: Conversion } | { readonly ok: false; readonly reason: string };

const RUNTIME_ONLY = new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'LABEL', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK']);
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
const NONROOT = '65532:65532';
/** Where the conversion makes the folders a scratch runtime lacks (/tmp), copied out with their modes. */
const SCRATCH_STAGING = '/scratch-root';

/** The stage and the stages it builds FROM (`FROM base`), oldest first: the image holds what each installed. */
function stageChain(model: DockerfileModel, stage: Stage): Stage[] {
  const chain = [stage];
  const seen = new Set([stage.index]);
  for (let s = stage; s.base.stage !== undefined && !seen.has(s.base.stage); ) {
    const parent = model.stages[s.base.stage];
    if (!parent) break;
    seen.add(parent.index);
    chain.unshift(parent);
    s = parent;
  }
  return chain;
}

/** The build stage name to use: the stage's own, or "build". */
function buildStageName(stage: Stage): string {
  return stage.name ?? 'build';
}

function privilegedPort(stage: Stage): boolean {
  return stage.expose.some((e) => {
    const port = Number.parseInt(e.value, 10);
    return Number.isFinite(port) && port < 1024;
  });
}

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
  if (!project.needs.cgo.needed) return `gcr.io/distroless/static-debian${debian}${tag}`;
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
  const needs = project.needs;
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
  const healthCommand = execFormOf(stage.healthcheck?.command);
  const hcCheck = stage.healthcheck;
  if (hcCheck && !hcCheck.none && !healthCommand) {
    return { ok: false, reason: 'the HEALTHCHECK runs through a shell, and the small runtime has no shell' };
  }
  // Latest place first: with no start command, the first build's binary runs from where it was put last.
  const startLine = rewriteStart(stage, locations.flatMap((b) => [...b.paths].reverse()));
  if (!startLine.ok) return startLine;
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
  const rootReasons = [...(privilegedPort(stage) ? ['it listens on a port below 1024'] : []), ...files.rootReasons, ...after.rootReasons];
  const root = rootReasons.length > 0 || /^(root|0)(:.*)?$/.test(stage.user?.value ?? '');
  // A user made with adduser in the build stage does not exist in the runtime; its numeric stand-in does.
  const createdUser = stage.user && after.createdUsers.includes(stage.user.value.split(':')[0] as string) ? stage.user.value : undefined;
  // A program that looks users up by name needs the user in /etc/passwd: the build stage's files
  // come along. Otherwise the made user becomes the numeric one every runtime has.
  const usersFromBuild = createdUser !== undefined && project.needs.userLookup.needed;
  const madeUser = usersFromBuild ? undefined : createdUser;
  const owner = root ? undefined : stage.user && !madeUser && !/^(root|0)(:.*)?$/.test(stage.user.value) ? stage.user.value : NONROOT;
  const runtimeUser = stage.user && !madeUser && !usersFromBuild && [stage.user.value, owner ?? ''].some((v) => v.split(':').some((n) => n !== '' && !/^\d+$/.test(n))) ? stage.user.value : undefined;
  const scratch = runtime === 'scratch' ? scratchFit(model, stage, project, binaries.map((b) => b.build), files, { namedInRuntime: runtimeUser, passwdFromBuild: usersFromBuild }) : undefined;
  const onScratch = scratch?.ok === true ? scratch : undefined;
  const runtimeImage = onScratch ? 'scratch' : chooseRuntime(stage, project, root);
  const k = (word: string): string => keyword(model, word);
  const name = buildStageName(stage);

  const edits: TextEdit[] = [];
  // FROM golang:1.22 -> FROM golang:1.22 AS build
  edits.push(...nameStage(model, stage, name));
  const runtimeInstructions: Instruction[] = [];
  const commentsOf = new Map<Instruction, string[]>();
  // reduce, not Math.max(...): a spread of tens of thousands of RUNs overflows the stack.
  const lastRunLine = stage.runs.reduce((max, r) => Math.max(max, r.range.end.line), stage.fromRange.end.line);
  for (const instruction of stage.instructions.slice(1)) {
    const word = instruction.getKeyword();
    const movesToRuntime = RUNTIME_ONLY.has(word) || (word === 'USER' && instruction.getRange().start.line > lastRunLine);
    if (!movesToRuntime) continue;
    runtimeInstructions.push(instruction);
    // The comment right above an instruction is about it, so it moves along.
    const comments = commentLinesAbove(model, instruction.getRange().start.line);
    commentsOf.set(instruction, comments);
    const range = instruction.getRange();
    edits.push(deleteLines(model, { start: { line: range.start.line - comments.length, character: 0 }, end: range.end }));
  }
  if (!project.needs.cgo.needed) {
    for (const { build } of binaries) {
      if (cgoEffectivelyOn(build, describeBase(stage.base.reference), stage) === false) continue;
      // An exec-form RUN ["go", "build", …] has no shell to take an assignment: ENV above it does the same.
      const runStart = { line: build.run.range.start.line, character: 0 };
      const cgoEdit = disableCgo(model, build) ?? [{ range: { start: runStart, end: runStart }, newText: `${k('ENV')} CGO_ENABLED=0${model.eol}` }];
      for (const edit of cgoEdit) if (!edits.some((e) => JSON.stringify(e) === JSON.stringify(edit))) edits.push(edit);
    }
  }

  if (onScratch?.zones?.how === 'tags') for (const edit of onScratch.zones.edits) if (!edits.some((e) => JSON.stringify(e) === JSON.stringify(edit))) edits.push(edit);

  const notes = [...files.notes, ...packages.notes, ...startLine.notes];
  if (root && rootReasons.length > 0) notes.unshift(`Runs as root: ${rootReasons.join('; ')}.`);
  if (scratch && !scratch.ok) notes.push(`Runs on ${runtimeImage} rather than scratch: ${scratch.reasons.join('; ')}.`);
  if (onScratch?.why) notes.push(`${onScratch.why}.`);
  if (onScratch?.zones) notes.push(`${onScratch.zones.why}.`);
  if (madeUser) notes.push(`USER ${madeUser} is made by a RUN step in the ${name} stage, which the runtime does not have; it runs as ${NONROOT} instead.`);
  if (usersFromBuild) {
    const lookup = project.needs.userLookup.evidence[0];
    notes.push(`USER ${createdUser} is made by a RUN step in the ${name} stage and the program looks users up by name${lookup ? ` (${lookup.file}:${lookup.line + 1})` : ''}, so /etc/passwd and /etc/group come from the ${name} stage.`);
  }
  const problems = [...files.problems, ...packages.problems, ...started.problems, ...after.problems];

  const buildLines: string[] = [];
  const lines: string[] = ['', `${k('FROM')} ${runtimeImage}`];
  for (const note of notes) lines.push(`# ${note}`);
  for (const problem of problems) lines.push(`# Check before use: ${problem}.`);
  const chown = owner ? ` --chown=${owner}` : '';
  // Folders the program writes: from the context (with their files), made by a RUN step, or made empty here.
  const writable = files.writable;
  const staged = writable.filter((w) => !w.fromContext);
  const stagedRoots = staged.filter((w) => !staged.some((o) => o !== w && w.path.startsWith(`${o.path}/`)));
  if (stagedRoots.length > 0) buildLines.push(`${k('RUN')} mkdir -p ${stagedRoots.map((w) => `${WRITABLE_STAGING}${w.path}`).join(' ')}`);
  const writableCopies = writable
    .filter((w) => !staged.includes(w) || stagedRoots.includes(w))
    .map((w) => ({ path: w.path, line: `${k('COPY')} --from=${name}${chown} ${staged.includes(w) ? `${WRITABLE_STAGING}${w.path}` : w.path} ${w.path}` }));
  // Before any --chown by name, which the runtime resolves through its own /etc/passwd.
  if (usersFromBuild || onScratch?.users) {
    // On scratch the user database is the build stage's, with the nonroot user the binary runs as.
    if (onScratch?.users && !root) buildLines.push(`${k('RUN')} ${NONROOT_PASSWD}`);
    lines.push(`${k('COPY')} --from=${name} /etc/passwd /etc/passwd`, `${k('COPY')} --from=${name} /etc/group /etc/group`);
  }
  if (onScratch?.caBundle) lines.push(`${k('COPY')} --from=${name} ${CA_BUNDLE} ${CA_BUNDLE}`);
  if (onScratch?.zones?.how === 'tree') lines.push(`${k('COPY')} --from=${name} ${ZONEINFO} ${ZONEINFO}`);
  if (onScratch?.tmp) {
    // scratch has no /tmp: an empty one, world-writable with the sticky bit like every system's.
    buildLines.push(`${k('RUN')} mkdir -p ${SCRATCH_STAGING}/tmp && chmod 1777 ${SCRATCH_STAGING}/tmp`);
    lines.push(`${k('COPY')} --from=${name} ${SCRATCH_STAGING}/ /`);
  }
  // The working folder itself is made writable before WORKDIR creates it root-owned.
  for (const w of writableCopies) if (w.path === stage.workdir) lines.push(w.line);
  if (stage.workdir !== '/') lines.push(`${k('WORKDIR')} ${stage.workdir}`);
  // Several builds may write the same path (the last one wins); it is copied once.
  for (const binary of new Set(binaries.map((b) => b.path))) lines.push(`${k('COPY')} --from=${name} ${binary} ${binary}`);
  for (const file of files.copies) lines.push(`${k('COPY')} --from=${name}${files.owned.has(file) && owner ? ` --chown=${owner}` : ''} ${file} ${file}`);
  for (const w of writableCopies) if (w.path !== stage.workdir) lines.push(w.line);
  const envLines = runtimeEnv(model, stage);
  lines.push(...envLines);
  let userWritten = false;
  const startComments: string[] = [];
  for (const instruction of runtimeInstructions) {
    const word = instruction.getKeyword();
    if (word === 'CMD' || word === 'ENTRYPOINT' || word === 'HEALTHCHECK') continue;
    if (word === 'USER') userWritten = true;
    lines.push(...(commentsOf.get(instruction) ?? []));
    if (word === 'USER' && madeUser) lines.push(`${k('USER')} ${NONROOT}`);
    else lines.push(model.document.getText(instruction.getRange()).replace(/\r?\n/g, model.eol));
  }
  // The rewritten HEALTHCHECK, ENTRYPOINT and CMD keep the comments that were above them.
  for (const instruction of runtimeInstructions) {
    if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.getKeyword())) startComments.push(...(commentsOf.get(instruction) ?? []));
  }
  if (!userWritten && !root && (runtimeImage.startsWith('alpine') || runtimeImage === 'scratch')) lines.push(`${k('USER')} ${NONROOT}`);
  lines.push(...startComments);
  const hc = stage.healthcheck;
  if (hc && (hc.none || healthCommand)) {
    const healthLine = hc.none || !healthCommand ? `${k('HEALTHCHECK')} NONE` : rewriteHealthcheck(model, healthCommand, stage.workdir, binaries.map((b) => b.path));
    if (healthLine === undefined) return { ok: false, reason: 'the HEALTHCHECK runs a program the runtime image does not have' };
    lines.push(healthLine);
  }
  lines.push(...startLine.lines.map((l) => `${k(l.keyword)} ${l.json}`));
  // The final stage ends the file, so the runtime stage is appended after it. Built as text and
  // turned back into one edit, because the deletions above may reach the file's last line.
  const withoutRuntime = applyEdits(model.text, edits).replace(/(\r?\n[ \t]*)+$/, '');
  const converted = `${withoutRuntime}${[...buildLines, ...lines].map((l) => `${model.eol}${l}`).join('')}${model.eol}`;
  return { ok: true, conversion: { edits: diffAsEdit(model.text, converted), runtimeImage, safe: problems.length === 0, problems, notes, files } };
}

type StartLines = { ok: true; lines: Array<{ keyword: string; json: string }>; used: string[]; notes: string[] } | { ok: false; reason: string };

/** Folders a golang image's PATH holds, for a start command that names its program without a folder. */
const GOLANG_PATH = '/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * ENTRYPOINT/CMD with the binary's absolute path; shell form only when it is a plain command.
 * `binaries` holds every path a binary is at; `used` says which ones the start command runs.
 */
function rewriteStart(stage: Stage, binaries: readonly string[]): StartLines {
  const lines: Array<{ keyword: string; json: string }> = [];
  const used: string[] = [];
  const notes: string[] = [];
  const searchPath = (stage.env.get('PATH') ?? GOLANG_PATH).split(':');
  const resolve = (word: string): string | undefined => {
    const absolute = joinPath(stage.workdir, word);
    const exact = binaries.find((b) => b === absolute && word.includes('/'));
    if (exact || word.includes('/')) return exact;
    // A bare name is looked up on PATH; a copy in a PATH folder is the one that runs.
    const named = binaries.filter((b) => baseName(b) === word);
    const onPath = searchPath.map((dir) => named.find((b) => b === joinPath(dir, word))).find((b) => b !== undefined);
    return onPath ?? named[0];
  };
  const rewrite = (line: CommandLine, keywordName: string, mustBeBinary: boolean): string | undefined => {
    const exec = execFormOf(line);
    if (!exec) return `the ${keywordName} uses shell syntax, and the small runtime has no shell`;
    const args = [...exec.args];
    if (mustBeBinary) {
      const first = args[0] ?? '';
      const bin = resolve(first);
      if (!bin) return startProblem(keywordName, args);
      args[0] = bin;
      used.push(bin);
    }
    lines.push({ keyword: keywordName, json: execJson(args) });
    return undefined;
  };
  const entry = stage.entrypoint;
  const cmd = stage.cmd;
  if (entry) {
    const problem = rewrite(entry, 'ENTRYPOINT', true);
    if (problem) return { ok: false, reason: problem };
    if (cmd && entry.form === 'shell') {
      notes.push('The CMD is left out: the ENTRYPOINT was in shell form, which never passed the CMD to the program (in exec form it now receives the arguments of `docker run IMAGE args…`, which the shell dropped).');
    } else if (cmd && cmd.form === 'shell') {
      // Docker appends a shell-form CMD to an exec-form ENTRYPOINT as `/bin/sh -c "<text>"`: the
      // program got those three words as arguments, and still gets them; no shell runs either way.
      lines.push({ keyword: 'CMD', json: execJson(['/bin/sh', '-c', cmd.args[0] ?? '']) });
      notes.push('The CMD was in shell form after an exec-form ENTRYPOINT, so the program receives `/bin/sh -c …` as its arguments; it is kept that way (write the CMD in exec form if that is not meant).');
    } else if (cmd) {
      const cmdProblem = rewrite(cmd, 'CMD', false);
      if (cmdProblem) return { ok: false, reason: cmdProblem };
    }
  } else if (cmd) {
    const problem = rewrite(cmd, 'CMD', true);
    if (problem) return { ok: false, reason: problem };
  } else {
    lines.push({ keyword: 'CMD', json: execJson([binaries[0] as string]) });
    used.push(binaries[0] as string);
  }
  return { ok: true, lines, used, notes };
}

/** The command in exec form: as written, or the words of a shell-form one that is a single plain command; undefined when it needs a shell. */
function execFormOf(line: CommandLine | undefined): CommandLine | undefined {
  if (!line || line.form === 'exec') return line;
  const text = line.args[0] ?? '';
  const commands = isSimpleCommand(text) ? splitCommands(text) : [];
  const command = commands.length === 1 ? commands[0] : undefined;
  if (!command || command.assignments.size > 0) return undefined;
  // splitCommands reads through `exec`, `env`, `nohup`, `time`…: only `exec` (the shell replaces
  // itself with the program) starts the same program as the exec form; with the others, or an
  // assignment (`FOO=1 ./app`, `env FOO=1 ./app`), the words are not the program's.
  const written = text.trim().split(/\s+/);
  const words = written[0] === 'exec' ? written.slice(1) : written;
  return words.length === command.argv.length && words.every((w, i) => w === command.argv[i]) ? { form: 'exec', args: [...command.argv], range: line.range } : undefined;
}

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
    if (program === 'go' || /\.(sh|bash)$/.test(program) || (SHELLS.has(program) && argv.includes('-c'))) return startProblem(keywordName, argv);
    // The CMD is the ENTRYPOINT's arguments: only the ENTRYPOINT's first word starts.
    break;
  }
  return undefined;
}

/** Why a start command that is not the built binary cannot run on the small runtime. */
function startProblem(keywordName: string, args: readonly string[]): string {
  const first = args[0] ?? '';
  const program = baseName(first);
  if (program === 'go') return `the ${keywordName} runs \`${args.slice(0, 2).join(' ')}\`, which needs the Go toolchain, and the small runtime has none`;
  if (SHELLS.has(program)) return `the ${keywordName} runs ${program}, and the small runtime has no shell`;
  if (/\.(sh|bash)$/.test(program)) return `the ${keywordName} runs the shell script ${first}, and the small runtime has no shell`;
  return `the ${keywordName} runs \`${first}\`, which is not the binary this stage builds`;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);

function rewriteHealthcheck(model: DockerfileModel, command: CommandLine, workdir: string, binaries: readonly string[]): string | undefined {
  const first = command.args[0] ?? '';
  const absolute = joinPath(workdir, first);
  const bin = binaries.find((b) => b === absolute || baseName(b) === first);
  if (!bin) return undefined;
  const text = model.document.getText(command.range);
  const options = /HEALTHCHECK\s+(.*?)\s*CMD\s/is.exec(text)?.[1] ?? '';
  return `${keyword(model, 'HEALTHCHECK')} ${options ? `${options} ` : ''}${keyword(model, 'CMD')} ${execJson([bin, ...command.args.slice(1)])}`;
}

function runtimeEnv(model: DockerfileModel, stage: Stage): string[] {
  const lines: string[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.getKeyword() !== 'ENV') continue;
    const properties = (instruction as unknown as { getProperties(): Array<{ getName(): string; getRange(): import('vscode-languageserver-types').Range }> }).getProperties();
    const kept = properties.filter((p) => !BUILD_ONLY_ENV.test(p.getName()));
    if (kept.length === 0) continue;
    lines.push(`${keyword(model, 'ENV')} ${kept.map((p) => model.document.getText(p.getRange())).join(' ')}`);
  }
  return lines;
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
