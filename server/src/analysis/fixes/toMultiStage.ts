// "Convert to multi-stage build": the stage that builds on golang:* becomes a named build stage,
// and a runtime stage chosen by what the program needs receives the binary, the files it reads,
// and the instructions that describe the running container (EXPOSE, ENV, USER, CMD…).
import type { TextEdit } from 'vscode-languageserver-types';
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage, CommandLine, RunStep } from '../model';
import type { ProjectFacts } from '../project';
import { binaryPath, cgoEffectivelyOn, isSimpleCommand, programsMissing } from '../runtime';
import { parseImageReference } from '../imageRef';
import { describeBase, distrolessRelease } from '../baseImage';
import { baseName, joinPath } from '../paths';
import { builderGo } from '../builderGo';
import { addBuildFlags, commentLinesAbove, deleteLines, disableCgo, execJson, keyword, nameStage } from './edits';
import { planRuntimeFiles, type RuntimeFilePlan } from '../runtimeFiles';
import { indirectCgoModules } from '../libraryFiles';
import { commandName } from '../shell';
import { applyEdits, diffAsEdit } from './apply';
import type { RuntimeChoice } from '../findings';
import type { GoBuild } from '../model';
import { CA_BUNDLE, ZONEINFO, scratchBlockers, scratchNeeds, zoneDataChoice } from './scratch';

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
/**
 * Packages a Go build installs for itself (a C toolchain, headers, make, version control for
 * `go get`, Debian's golang-*-dev Go source packages); anything else may be used at run time.
 */
const BUILD_ONLY_PACKAGES = /^(gcc|g\+\+|clang|make|build-base|build-essential|musl-dev|libc-dev|libc6-dev|linux-headers|pkgconf(ig)?|pkg-config|binutils|upx|upx-ucl|ca-certificates|tzdata|git|mercurial|golang-[\w.+-]+-dev)$/;
/** Commands after the build that leave nothing the runtime needs (cleaning up, tests, messages). */
const HARMLESS_AFTER_BUILD = new Set(['rm', 'true', 'echo', 'go', 'ls', 'chmod', 'strip', 'upx', 'du', 'file', 'ldd']);
/** Where the conversion makes empty folders in the build stage, to copy them out owned by the runtime user. */
const WRITABLE_STAGING = '/writable';
const NONROOT = '65532:65532';
/** Where the conversion makes the folders a scratch runtime lacks (/tmp), copied out with their modes. */
const SCRATCH_STAGING = '/scratch-root';

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

export function toMultiStage(model: DockerfileModel, project: ProjectFacts, runtime: RuntimeChoice = 'distroless'): ConversionResult {
  const stage = model.finalStage;
  if (!stage) return { ok: false, reason: 'the file has no FROM' };
  if (stage.hiddenBuilds.length > 0) {
    return { ok: false, reason: `the build runs through \`${stage.hiddenBuilds[0]?.tool}\`, so Slimfile cannot see where the binary goes; convert by hand` };
  }
  if (stage.goBuilds.length === 0) return { ok: false, reason: 'no `go build` or `go install` runs in this stage' };
  const binaries = stage.goBuilds.map((b) => ({ build: b, path: binaryPath(b, project) }));
  const unknown = binaries.find((b) => b.path === undefined || b.path.includes('$'));
  if (unknown) return { ok: false, reason: 'the binary\'s path is not known (add `-o /path/name` to the go build)' };

  // Packages installed next to the build may be what the program runs (ffmpeg, fuse…); a -dev
  // package means the cgo binary links its library. The small runtime has neither.
  const runtimePackages = stage.packageInstalls.flatMap((p) => p.packages).filter((p) => !BUILD_ONLY_PACKAGES.test(p));
  if (runtimePackages.length > 0) {
    return { ok: false, reason: `the image installs packages the program may use at run time (${runtimePackages.join(', ')}), which the small runtime lacks` };
  }
  const hcCheck = stage.healthcheck;
  if (hcCheck && !hcCheck.none && hcCheck.command?.form !== 'exec') {
    return { ok: false, reason: 'the HEALTHCHECK runs through a shell, and the small runtime has no shell' };
  }
  const startLine = rewriteStart(stage, binaries.map((b) => b.path as string));
  if (!startLine.ok) return startLine;
  const lastBuildLine = binaries.reduce((max, b) => Math.max(max, b.build.run.range.end.line), -1);
  const after = afterBuild(stage, lastBuildLine);
  const files = planRuntimeFiles({
    stage,
    project,
    binaries: binaries.map((b) => b.path as string),
    preparedFolders: after.preparedFolders.filter((f) => !binaries.some((b) => b.path === f)),
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

  const notes = [...files.notes];
  if (root && rootReasons.length > 0) notes.unshift(`Runs as root: ${rootReasons.join('; ')}.`);
  if (scratch && !scratch.ok) notes.push(`Runs on ${runtimeImage} rather than scratch: ${scratch.reasons.join('; ')}.`);
  if (onScratch?.why) notes.push(`${onScratch.why}.`);
  if (onScratch?.zones) notes.push(`${onScratch.zones.why}.`);
  if (madeUser) notes.push(`USER ${madeUser} is made by a RUN step in the ${name} stage, which the runtime does not have; it runs as ${NONROOT} instead.`);
  if (usersFromBuild) {
    const lookup = project.needs.userLookup.evidence[0];
    notes.push(`USER ${createdUser} is made by a RUN step in the ${name} stage and the program looks users up by name${lookup ? ` (${lookup.file}:${lookup.line + 1})` : ''}, so /etc/passwd and /etc/group come from the ${name} stage.`);
  }
  // The programs the Go code starts must be in the runtime, which has none besides the binary.
  const runtimeFacts = describeBase(parseImageReference(runtimeImage), runtimeImage === 'scratch');
  const programs = programsMissing(project.needs.files.execs, runtimeFacts, runtimeImage, binaries.map((b) => b.path as string), stage.workdir);
  // Turning cgo off breaks a cgo module that a package the scan does not read links (go.mod lists it as indirect).
  const turnsCgoOff = !project.needs.cgo.needed && binaries.some(({ build }) => cgoEffectivelyOn(build, describeBase(stage.base.reference), stage) !== false);
  const linkedCgo = turnsCgoOff ? indirectCgoModules(project).map((m) => `go.mod requires ${m} (indirect), which needs cgo, and a package the program imports may link it; this conversion builds without cgo`) : [];
  const problems = [...files.problems, ...programs, ...after.problems, ...linkedCgo];

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
  for (const binary of new Set(binaries.map((b) => b.path as string))) lines.push(`${k('COPY')} --from=${name} ${binary} ${binary}`);
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
  if (hc && (hc.none || hc.command?.form === 'exec')) {
    const healthLine = hc.none ? `${k('HEALTHCHECK')} NONE` : rewriteHealthcheck(model, hc.command as CommandLine, stage.workdir, binaries.map((b) => b.path as string));
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

type StartLines = { ok: true; lines: Array<{ keyword: string; json: string }> } | { ok: false; reason: string };

/** ENTRYPOINT/CMD with the binary's absolute path; shell form only when it is a plain command. */
function rewriteStart(stage: Stage, binaries: readonly string[]): StartLines {
  const lines: Array<{ keyword: string; json: string }> = [];
  const resolve = (word: string): string | undefined => {
    const absolute = joinPath(stage.workdir, word);
    return binaries.find((b) => b === absolute || (!word.includes('/') && baseName(b) === word));
  };
  const rewrite = (line: CommandLine, keywordName: string, mustBeBinary: boolean): string | undefined => {
    let args: string[];
    if (line.form === 'shell') {
      if (!isSimpleCommand(line.args[0] ?? '')) return `the ${keywordName} uses shell syntax, and the small runtime has no shell`;
      args = (line.args[0] ?? '').trim().split(/\s+/);
    } else args = [...line.args];
    if (mustBeBinary) {
      const bin = resolve(args[0] ?? '');
      if (!bin) return `the ${keywordName} runs \`${args[0] ?? ''}\`, which is not the binary this stage builds`;
      args[0] = bin;
    }
    lines.push({ keyword: keywordName, json: execJson(args) });
    return undefined;
  };
  const entry = stage.entrypoint;
  const cmd = stage.cmd;
  if (entry) {
    const problem = rewrite(entry, 'ENTRYPOINT', true);
    if (problem) return { ok: false, reason: problem };
    if (cmd) {
      const cmdProblem = rewrite(cmd, 'CMD', false);
      if (cmdProblem) return { ok: false, reason: cmdProblem };
    }
  } else if (cmd) {
    const problem = rewrite(cmd, 'CMD', true);
    if (problem) return { ok: false, reason: problem };
  } else {
    lines.push({ keyword: 'CMD', json: execJson([binaries[0] as string]) });
  }
  return { ok: true, lines };
}

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
function afterBuild(stage: Stage, lastBuildLine: number): AfterBuild {
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
