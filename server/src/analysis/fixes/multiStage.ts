// "Convert to multi-stage build", in one shape for every compiled language: the stage that builds
// becomes a named build stage, and a small runtime stage receives the program at the same paths
// with the instructions that describe the running container (EXPOSE, ENV, USER, HEALTHCHECK, CMD…).
// Each language works out only its specifics and hands them in as a MultiStagePlan: the binaries
// and where the start command finds them, the runtime image, what else the runtime keeps (files
// the program reads, folders it writes, context entries), the users, and why the result is or is
// not proven. This module moves the instructions, rewrites the start command and the health
// check, and writes the runtime stage. Every conversion goes through convertToMultiStage with its
// language's hooks (Go: languages/go/toMultiStage.ts; Rust, C/C++: compiledMultiStage.ts).
import type { Instruction } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { CommandLine, DockerfileModel, Stage } from '../model';
import { baseName, joinPath } from '../paths';
import { isSimpleCommand } from '../runtime';
import { splitCommands } from '../shell';
import { applyEdits, diffAsEdit } from './apply';
import { commentLinesAbove, deleteLines, execJson, keyword, nameStage } from './edits';
import { copyLine, workdirLine } from './dockerfileWords';
import { localZone } from './localZone';

/** A conversion every language's converter returns. */
export interface MultiStageConversion {
  readonly edits: TextEdit[];
  readonly runtimeImage: string;
  /** True only when the analysis proves the program keeps what it reads, can write where it writes, and starts the same way. */
  readonly safe: boolean;
  /** Why the conversion is not safe, one reason each (empty when safe). */
  readonly problems: readonly string[];
  /** What the reader of the preview should know (root kept, a file kept, a user made numeric). */
  readonly notes: readonly string[];
}

/** The user every runtime the conversions pick has (distroless's nonroot), by number. */
export const NONROOT = '65532:65532';

/** An instruction that describes the running container and moves to the runtime stage, with the comment lines above it. */
export interface MovedInstruction {
  readonly instruction: Instruction;
  readonly keyword: string;
  readonly comments: readonly string[];
}

/** The build stage once the runtime's instructions leave it. */
export interface BuildStageSplit {
  /** The build stage's name: its own, or "build". */
  readonly name: string;
  /** FROM … AS name, and the moved instructions' lines deleted. */
  readonly edits: readonly TextEdit[];
  /** In file order. */
  readonly moved: readonly MovedInstruction[];
}

const RUNTIME_ONLY = new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'LABEL', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK']);

/** The last line of the stage's RUN steps (its FROM line when it has none). */
export function lastRunLine(stage: Stage): number {
  // reduce, not Math.max(...): a spread of tens of thousands of RUNs overflows the stack.
  return stage.runs.reduce((max, r) => Math.max(max, r.range.end.line), stage.fromRange.end.line);
}

/** Names the stage and takes out what describes the running container; a USER after the last RUN goes too. */
export function splitBuildStage(model: DockerfileModel, stage: Stage): BuildStageSplit {
  const name = stage.name ?? 'build';
  const edits: TextEdit[] = [...nameStage(model, stage, name)];
  const moved: MovedInstruction[] = [];
  const afterRuns = lastRunLine(stage);
  for (const instruction of stage.instructions.slice(1)) {
    const word = instruction.getKeyword();
    if (!RUNTIME_ONLY.has(word) && !(word === 'USER' && instruction.getRange().start.line > afterRuns)) continue;
    // The comment right above an instruction is about it, so it moves along.
    const range = instruction.getRange();
    const comments = commentLinesAbove(model, range.start.line);
    moved.push({ instruction, keyword: word, comments });
    edits.push(deleteLines(model, { start: { line: range.start.line - comments.length, character: 0 }, end: range.end }));
  }
  return { name, edits, moved };
}

/** A port below 1024, which only root may bind. */
export function listensOnPrivilegedPort(stage: Stage): boolean {
  return stage.expose.some((e) => {
    const port = Number.parseInt(e.value, 10);
    return Number.isFinite(port) && port < 1024;
  });
}

export const PRIVILEGED_PORT_REASON = 'it listens on a port below 1024';

/** The language's toolchain command, named when a start command runs it (`go run`). */
export interface Toolchain {
  readonly command: string;
  /** "Go", for "needs the Go toolchain". */
  readonly language: string;
}

export interface StartOptions {
  /** Every path a binary is at when the stage ends, latest place first. */
  readonly binaries: readonly string[];
  /** What runs when the stage names no start command; undefined refuses (several binaries, none named). */
  readonly defaultStart: string | undefined;
  /** The image's PATH, for a start command that names its program without a folder (ENV PATH wins). */
  readonly imagePath?: string;
  /** Turns a start command that runs the program through the toolchain (`cargo run -- x`) into its binary's argv. */
  readonly startThroughToolchain?: (argv: readonly string[]) => string[] | undefined;
  readonly toolchain?: Toolchain;
}

export interface StartLine {
  readonly keyword: string;
  readonly json: string;
}

export type StartRewrite = { ok: true; lines: StartLine[]; used: string[]; notes: string[] } | { ok: false; reason: string };

/**
 * ENTRYPOINT/CMD in exec form with the binary's absolute path (the runtime may have no shell); a
 * shell form only when it is one plain command. `used` says which binary paths the start runs.
 */
export function rewriteStart(stage: Stage, options: StartOptions): StartRewrite {
  const { binaries } = options;
  const lines: StartLine[] = [];
  const used: string[] = [];
  const notes: string[] = [];
  const pathValue = stage.env.get('PATH') ?? options.imagePath;
  const searchPath = pathValue === undefined ? [] : pathValue.split(':');
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
    let args = [...exec.args];
    if (mustBeBinary) {
      const bin = resolve(args[0] ?? '');
      const through = bin ? undefined : options.startThroughToolchain?.(args);
      if (!bin && !through) return startProblem(keywordName, args, options.toolchain);
      args = bin ? [bin, ...args.slice(1)] : (through as string[]);
      used.push(args[0] as string);
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
  } else if (options.defaultStart !== undefined) {
    lines.push({ keyword: 'CMD', json: execJson([options.defaultStart]) });
    used.push(options.defaultStart);
  } else {
    return { ok: false, reason: 'the stage builds several binaries and names none to start' };
  }
  return { ok: true, lines, used, notes };
}

/** The command in exec form: as written, or the words of a shell-form one that is a single plain command; undefined when it needs a shell. */
export function execFormOf(line: CommandLine | undefined): CommandLine | undefined {
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

export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);

/** Why a start command that is not the built binary cannot run on the small runtime. */
export function startProblem(keywordName: string, args: readonly string[], toolchain: Toolchain | undefined): string {
  const first = args[0] ?? '';
  const program = baseName(first);
  if (toolchain && program === toolchain.command) return `the ${keywordName} runs \`${args.slice(0, 2).join(' ')}\`, which needs the ${toolchain.language} toolchain, and the small runtime has none`;
  if (SHELLS.has(program)) return `the ${keywordName} runs ${program}, and the small runtime has no shell`;
  if (/\.(sh|bash)$/.test(program)) return `the ${keywordName} runs the shell script ${first}, and the small runtime has no shell`;
  return `the ${keywordName} runs \`${first}\`, which is not the binary this stage builds`;
}

/** The stage's HEALTHCHECK for the runtime: NONE as is, or one that runs the built binary, in exec form with its absolute path. */
export function rewriteHealthcheck(model: DockerfileModel, stage: Stage, binaries: readonly string[]): { ok: true; line: string | undefined } | { ok: false; reason: string } {
  const hc = stage.healthcheck;
  if (!hc) return { ok: true, line: undefined };
  if (hc.none) return { ok: true, line: `${keyword(model, 'HEALTHCHECK')} NONE` };
  const command = execFormOf(hc.command);
  if (!command) return { ok: false, reason: 'the HEALTHCHECK runs through a shell, and the small runtime has no shell' };
  const first = command.args[0] ?? '';
  const absolute = joinPath(stage.workdir, first);
  const bin = binaries.find((b) => b === absolute || baseName(b) === first);
  if (!bin) return { ok: false, reason: 'the HEALTHCHECK runs a program the runtime image does not have' };
  const text = model.document.getText(command.range);
  const options = /HEALTHCHECK\s+(.*?)\s*CMD\s/is.exec(text)?.[1] ?? '';
  return { ok: true, line: `${keyword(model, 'HEALTHCHECK')} ${options ? `${options} ` : ''}${keyword(model, 'CMD')} ${execJson([bin, ...command.args.slice(1)])}` };
}

/** The stage's ENV lines without the variables only the build reads. */
export function runtimeEnv(model: DockerfileModel, stage: Stage, buildOnly: RegExp): string[] {
  const lines: string[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.getKeyword() !== 'ENV') continue;
    const properties = (instruction as unknown as { getProperties(): Array<{ getName(): string; getRange(): Range }> }).getProperties();
    const kept = properties.filter((p) => !buildOnly.test(p.getName()));
    if (kept.length > 0) lines.push(`${keyword(model, 'ENV')} ${kept.map((p) => model.document.getText(p.getRange())).join(' ')}`);
  }
  return lines;
}

/** What a language hands the converter: everything it decided, in lines the runtime stage is written from. */
export interface MultiStagePlan {
  /** As FROM names it, tag included (gcr.io/distroless/static-debian12:nonroot, scratch). */
  readonly runtimeImage: string;
  /** The binaries, each copied once to the same path in the runtime. */
  readonly binaries: readonly string[];
  /** The rewritten ENTRYPOINT/CMD (rewriteStart). */
  readonly start: readonly StartLine[];
  /** The rewritten HEALTHCHECK (rewriteHealthcheck), written before the start lines. */
  readonly healthcheck: string | undefined;
  /** Written as comments above the runtime stage. */
  readonly notes: readonly string[];
  /** Why the result is not proven, written as "Check before use" comments; empty when proven. */
  readonly problems: readonly string[];
  /** ENV names that only the build reads: they stay in the build stage. */
  readonly buildOnlyEnv: RegExp;
  /** Edits inside the build stage besides naming it (CGO_ENABLED=0, -tags timetzdata). */
  readonly buildEdits?: readonly TextEdit[];
  /** Lines appended to the build stage: what they prepare the runtime copies (empty folders, a user). */
  readonly buildLines?: readonly string[];
  /** Lines before WORKDIR: files at the runtime's root, and a working folder made writable before WORKDIR makes it root's. */
  readonly beforeWorkdir?: readonly string[];
  /** Lines after WORKDIR, before the binaries (context entries kept where the image had them). */
  readonly beforeBinaries?: readonly string[];
  /** Lines after the binaries (files the program reads, folders it writes). */
  readonly afterBinaries?: readonly string[];
  /** USER lines: one written before the moved instructions, the value a moved USER is written as, and one after them. */
  readonly user?: { readonly before?: string; readonly movedAs?: string; readonly after?: string };
}

/** A COPY line from the build stage to the same path in the runtime. */
export function copyFromBuild(model: DockerfileModel, split: BuildStageSplit, path: string, options: { readonly chown?: string; readonly to?: string } = {}): string {
  return copyLine(model, [`--from=${split.name}`, ...(options.chown ? [`--chown=${options.chown}`] : [])], [path], options.to ?? path);
}

/** Writes the runtime stage after the build stage, as one edit of the whole file. */
export function writeMultiStage(model: DockerfileModel, stage: Stage, split: BuildStageSplit, plan: MultiStagePlan): MultiStageConversion {
  const k = (word: string): string => keyword(model, word);
  const edits: TextEdit[] = [...split.edits];
  for (const edit of plan.buildEdits ?? []) if (!edits.some((e) => JSON.stringify(e) === JSON.stringify(edit))) edits.push(edit);
  const lines: string[] = ['', `${k('FROM')} ${plan.runtimeImage}`];
  // Every language's program reads the local zone the image set: the runtime keeps it.
  const zone = localZone(model, stage);
  const notes = [...plan.notes, ...zone.notes];
  for (const note of notes) lines.push(`# ${note}`);
  for (const problem of plan.problems) lines.push(`# Check before use: ${problem}.`);
  lines.push(...(plan.beforeWorkdir ?? []));
  for (const file of zone.keep) lines.push(copyFromBuild(model, split, file));
  const workdir = stage.workdir !== '/' ? workdirLine(model, stage.workdir) : undefined;
  if (workdir?.ok) lines.push(workdir.line);
  lines.push(...(plan.beforeBinaries ?? []));
  // Several builds may write the same path (the last one wins); it is copied once.
  for (const binary of new Set(plan.binaries)) lines.push(copyFromBuild(model, split, binary));
  lines.push(...(plan.afterBinaries ?? []));
  lines.push(...runtimeEnv(model, stage, plan.buildOnlyEnv));
  if (plan.user?.before) lines.push(`${k('USER')} ${plan.user.before}`);
  const startKeywords = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'];
  for (const { instruction, keyword: word, comments } of split.moved) {
    if (startKeywords.includes(word)) continue;
    lines.push(...comments);
    if (word === 'USER' && plan.user?.movedAs) lines.push(`${k('USER')} ${plan.user.movedAs}`);
    else lines.push(model.document.getText(instruction.getRange()).replace(/\r?\n/g, model.eol));
  }
  if (plan.user?.after) lines.push(`${k('USER')} ${plan.user.after}`);
  // The rewritten HEALTHCHECK, ENTRYPOINT and CMD keep the comments that were above them.
  for (const { keyword: word, comments } of split.moved) if (startKeywords.includes(word)) lines.push(...comments);
  if (plan.healthcheck) lines.push(plan.healthcheck);
  lines.push(...plan.start.map((l) => `${k(l.keyword)} ${l.json}`));
  // The final stage ends the file, so the runtime stage is appended after it. Built as text and
  // turned back into one edit, because the deletions above may reach the file's last line.
  const withoutRuntime = applyEdits(model.text, edits).replace(/(\r?\n[ \t]*)+$/, '');
  const converted = `${withoutRuntime}${[...(plan.buildLines ?? []), ...lines].map((l) => `${model.eol}${l}`).join('')}${model.eol}`;
  return { edits: diffAsEdit(model.text, converted), runtimeImage: plan.runtimeImage, safe: plan.problems.length === 0, problems: plan.problems, notes };
}

/**
 * Why the runtime stage cannot start in the stage's working folder: a `$` in the model's value is
 * a variable it could not resolve (or a literal `$`: the two read alike), whose value in the new
 * stage is not known; and some folder names no WORKDIR line can say.
 */
function unwritableWorkdir(model: DockerfileModel, stage: Stage): string | undefined {
  if (stage.workdir === '/') return undefined;
  if (stage.workdir.includes('$')) return `the WORKDIR ${stage.workdir} holds a variable whose value in the runtime stage is not known`;
  const written = workdirLine(model, stage.workdir);
  return written.ok ? undefined : written.reason;
}

/** Why a stage is not converted, said to the user. */
export type Refusal = { readonly ok: false; readonly reason: string };

/**
 * What a language decides in a conversion, called by convertToMultiStage in this order: `check`
 * refuses what the language cannot convert before anything is planned, and hands its findings on;
 * `start` says where the start command may find the binaries; `plan` decides the runtime stage
 * from the rewritten start command and the split build stage, and `finish` turns what was
 * written into the language's result.
 */
export interface MultiStageConverter<Checked, Result> {
  check(): Refusal | { readonly ok: true; readonly checked: Checked };
  start(checked: Checked): StartOptions;
  plan(checked: Checked, start: Extract<StartRewrite, { ok: true }>, split: BuildStageSplit): Refusal | { readonly ok: true; readonly plan: MultiStagePlan; readonly finish: (written: MultiStageConversion) => Result };
}

/**
 * The one conversion every compiled language goes through: the language's refusals, the start
 * command rewritten to the binaries' absolute paths, the stage named as the build stage with the
 * runtime's instructions moved out, and the runtime stage written from the language's plan.
 */
export function convertToMultiStage<Checked, Result>(model: DockerfileModel, stage: Stage, converter: MultiStageConverter<Checked, Result>): Refusal | Result {
  const checked = converter.check();
  if (!checked.ok) return checked;
  const workdirProblem = unwritableWorkdir(model, stage);
  if (workdirProblem) return { ok: false, reason: workdirProblem };
  const start = rewriteStart(stage, converter.start(checked.checked));
  if (!start.ok) return start;
  const split = splitBuildStage(model, stage);
  const planned = converter.plan(checked.checked, start, split);
  if (!planned.ok) return planned;
  return planned.finish(writeMultiStage(model, stage, split, planned.plan));
}
