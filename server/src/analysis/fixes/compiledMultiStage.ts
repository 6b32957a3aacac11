// "Convert to multi-stage build" for compiled languages other than Go (Rust, C/C++): the stage
// that compiles becomes a named build stage, and a small runtime stage receives the binaries at
// the same paths with the instructions that describe the running container (EXPOSE, ENV, USER,
// CMD…). Unlike Go's conversion it does not follow which files the program reads: the language
// says what its sources touch, and anything it touches makes the conversion one to review.
import type { Instruction } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import type { CommandLine, DockerfileModel, Stage } from '../model';
import { baseName, joinPath } from '../paths';
import { isSimpleCommand } from '../runtime';
import { commandName } from '../shell';
import type { KeptEntry } from '../languages/keptContext';
import { applyEdits, diffAsEdit } from './apply';
import { commentLinesAbove, deleteLines, execJson, keyword, nameStage } from './edits';

export interface CompiledConversionInput {
  /** Absolute paths of the binaries the stage builds. */
  readonly binaries: readonly string[];
  /** The last line of the RUN steps that build them: RUN steps after it stay behind in the build stage. */
  readonly lastBuildLine: number;
  /** The runtime image, without a :nonroot tag (the conversion adds it when it can). */
  readonly runtimeImage: string;
  /** distroless images have a :nonroot tag; others get `USER 65532:65532`. */
  readonly runtimeHasNonrootTag: boolean;
  /** The program may write files or needs root: keep root. */
  readonly rootReasons: readonly string[];
  /** Why the result is not proven to behave the same; empty when proven. */
  readonly problems: readonly string[];
  /** ENV names that only the build uses (RUSTFLAGS, CC…); they stay in the build stage. */
  readonly buildOnlyEnv: RegExp;
  /** Packages that only the build uses; any other installed package refuses the conversion. */
  readonly buildOnlyPackages: RegExp;
  /**
   * What the stage copied from the build context that the runtime keeps at the same paths (see
   * languages/keptContext.ts); undefined when that cannot be told, which leaves the conversion unproven.
   */
  readonly keptFromContext: readonly KeptEntry[] | undefined;
  /**
   * Lines that end the build stage and check, on the built binaries, what the text cannot prove
   * (languages/compiled.ts linkProof: the libraries they link, the glibc they need).
   */
  readonly buildProof?: readonly string[];
  /** Turns a start command that runs the program through the toolchain (`cargo run -- x`) into its binary's argv. */
  readonly startThroughToolchain?: (argv: readonly string[]) => string[] | undefined;
}

export type CompiledConversion =
  | { readonly ok: true; readonly edits: TextEdit[]; readonly runtimeImage: string; readonly safe: boolean; readonly problems: readonly string[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

const RUNTIME_ONLY = new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'LABEL', 'VOLUME', 'STOPSIGNAL']);
/**
 * Commands after the build that leave nothing the runtime needs. chmod: the runtime stage copies
 * the binaries and kept entries from the build stage, and COPY --from keeps their mode bits.
 */
const HARMLESS_AFTER_BUILD = new Set(['rm', 'true', 'echo', 'ls', 'strip', 'du', 'file', 'ldd', 'cargo', 'rustc', 'gcc', 'g++', 'cc', 'c++', 'make', 'chmod']);
/** Users every runtime the conversion picks defines (distroless: root, nonroot, nobody). */
const KNOWN_USER = /^(root|nonroot|nobody|\d+)(:(root|nonroot|nobody|\d+))?$/;
const NONROOT = '65532:65532';

export function toCompiledMultiStage(model: DockerfileModel, stage: Stage, input: CompiledConversionInput): CompiledConversion {
  if (input.binaries.length === 0) return { ok: false, reason: 'where the build leaves its binary is not known' };
  if (input.binaries.some((b) => b.includes('$'))) return { ok: false, reason: 'the binary\'s path holds a variable' };
  const runtimePackages = stage.packageInstalls.flatMap((p) => p.packages).filter((p) => !input.buildOnlyPackages.test(p));
  if (runtimePackages.length > 0) return { ok: false, reason: `the image installs packages the program may use at run time (${runtimePackages.join(', ')}), which the small runtime lacks` };
  const hc = stage.healthcheck;
  if (hc && !hc.none) return { ok: false, reason: 'the HEALTHCHECK runs a command the small runtime may not have' };
  if (stage.user && !KNOWN_USER.test(stage.user.value)) return { ok: false, reason: `USER ${stage.user.value} is not defined in the runtime image` };

  const start = rewriteStart(stage, input);
  if (!start.ok) return start;

  const problems = [...input.problems];
  if (input.keptFromContext === undefined) problems.push('the build context was not read in full, so the files the program may read from it cannot be carried over');
  const kept = input.keptFromContext ?? [];
  const lastRunLine = stage.runs.reduce((max, r) => Math.max(max, r.range.end.line), stage.fromRange.end.line);
  for (const run of stage.runs.filter((r) => r.range.start.line > input.lastBuildLine)) {
    for (const command of run.commands) {
      if (HARMLESS_AFTER_BUILD.has(commandName(command))) continue;
      problems.push(`\`${command.argv.join(' ')}\` at line ${run.range.start.line + 1} runs after the build and stays in the build stage; what it prepares for run time is not carried over`);
    }
  }

  const k = (word: string): string => keyword(model, word);
  const name = stage.name ?? 'build';
  const edits: TextEdit[] = [];
  edits.push(...nameStage(model, stage, name));
  const moved: Array<{ instruction: Instruction; comments: string[] }> = [];
  for (const instruction of stage.instructions.slice(1)) {
    const word = instruction.getKeyword();
    const movesToRuntime = RUNTIME_ONLY.has(word) || word === 'HEALTHCHECK' || (word === 'USER' && instruction.getRange().start.line > lastRunLine);
    if (!movesToRuntime) continue;
    const comments = commentLinesAbove(model, instruction.getRange().start.line);
    moved.push({ instruction, comments });
    const range = instruction.getRange();
    edits.push(deleteLines(model, { start: { line: range.start.line - comments.length, character: 0 }, end: range.end }));
  }

  const privileged = stage.expose.some((e) => Number.parseInt(e.value, 10) < 1024);
  const rootReasons = [...input.rootReasons, ...(privileged ? ['it listens on a port below 1024'] : [])];
  // A USER set before the build (so it stays in the build stage) still says who the program runs as.
  const userMoved = moved.some((m) => m.instruction.getKeyword() === 'USER');
  const userKept = stage.user !== undefined && !userMoved && !/^(root|0)(:.*)?$/.test(stage.user.value) ? stage.user.value : undefined;
  const userWritten = userMoved || userKept !== undefined;
  const root = rootReasons.length > 0 || /^(root|0)(:.*)?$/.test(stage.user?.value ?? '');
  const nonrootTag = !root && !userWritten && input.runtimeHasNonrootTag;
  const runtimeImage = `${input.runtimeImage}${nonrootTag ? ':nonroot' : ''}`;

  const notes: string[] = [];
  if (root && rootReasons.length > 0) notes.push(`Runs as root: ${rootReasons.join('; ')}.`);
  // For the preview only: the Dockerfile says it once, above the COPY lines.
  const keptNotes = kept.map((entry) => `Keeps ${entry.source}${entry.directory ? '/' : ''} at ${entry.target}: ${entry.reason}.`);
  const lines: string[] = [...(input.buildProof ?? []), '', `${k('FROM')} ${runtimeImage}`];
  for (const note of notes) lines.push(`# ${note}`);
  for (const problem of problems) lines.push(`# Check before use: ${problem}.`);
  if (stage.workdir !== '/') lines.push(`${k('WORKDIR')} ${stage.workdir}`);
  if (kept.length > 0) lines.push(`# Kept where the original image had them: Slimfile does not read these sources for the files they open.`);
  // The program could write where the original image let root write; the new runtime user owns them.
  const chown = root ? '' : ` --chown=${NONROOT}`;
  for (const entry of kept) lines.push(`${k('COPY')} --from=${name}${chown} ${entry.target} ${entry.target}`);
  for (const binary of new Set(input.binaries)) lines.push(`${k('COPY')} --from=${name} ${binary} ${binary}`);
  lines.push(...runtimeEnv(model, stage, input.buildOnlyEnv));
  if (userKept) lines.push(`${k('USER')} ${userKept}`);
  for (const { instruction, comments } of moved) {
    if (['CMD', 'ENTRYPOINT'].includes(instruction.getKeyword())) continue;
    lines.push(...comments, model.document.getText(instruction.getRange()).replace(/\r?\n/g, model.eol));
  }
  if (!root && !userWritten && !nonrootTag) lines.push(`${k('USER')} ${NONROOT}`);
  // Said in the file, not left to the image's default: runs-as-root would otherwise switch the
  // user on Minimize's next round, undoing the reason written above.
  if (root && rootReasons.length > 0 && !userWritten) lines.push(`${k('USER')} root`);
  for (const { instruction, comments } of moved) if (['CMD', 'ENTRYPOINT'].includes(instruction.getKeyword())) lines.push(...comments);
  lines.push(...start.lines.map((l) => `${k(l.keyword)} ${l.json}`));
  const withoutRuntime = applyEdits(model.text, edits).replace(/(\r?\n[ \t]*)+$/, '');
  const converted = `${withoutRuntime}${lines.map((l) => `${model.eol}${l}`).join('')}${model.eol}`;
  return { ok: true, edits: diffAsEdit(model.text, converted), runtimeImage, safe: problems.length === 0, problems, notes: [...notes, ...keptNotes] };
}

type StartLines = { ok: true; lines: Array<{ keyword: string; json: string }> } | { ok: false; reason: string };

/** ENTRYPOINT/CMD in exec form with the binary's absolute path (the runtime may have no shell). */
function rewriteStart(stage: Stage, input: CompiledConversionInput): StartLines {
  const lines: Array<{ keyword: string; json: string }> = [];
  const resolve = (word: string): string | undefined => {
    const absolute = joinPath(stage.workdir, word);
    return input.binaries.find((b) => b === absolute || (!word.includes('/') && baseName(b) === word));
  };
  const rewrite = (line: CommandLine, keywordName: string, mustBeBinary: boolean): string | undefined => {
    let args: string[];
    if (line.form === 'shell') {
      if (!isSimpleCommand(line.args[0] ?? '')) return `the ${keywordName} uses shell syntax, and the small runtime has no shell`;
      args = (line.args[0] ?? '').trim().split(/\s+/);
    } else args = [...line.args];
    if (mustBeBinary) {
      const bin = resolve(args[0] ?? '');
      const through = bin ? undefined : input.startThroughToolchain?.(args);
      if (!bin && !through) return `the ${keywordName} runs \`${args[0] ?? ''}\`, which is not the binary this stage builds`;
      args = bin ? [bin, ...args.slice(1)] : (through as string[]);
    }
    lines.push({ keyword: keywordName, json: execJson(args) });
    return undefined;
  };
  if (stage.entrypoint) {
    const problem = rewrite(stage.entrypoint, 'ENTRYPOINT', true) ?? (stage.cmd ? rewrite(stage.cmd, 'CMD', false) : undefined);
    if (problem) return { ok: false, reason: problem };
  } else if (stage.cmd) {
    const problem = rewrite(stage.cmd, 'CMD', true);
    if (problem) return { ok: false, reason: problem };
  } else if (input.binaries.length === 1) {
    lines.push({ keyword: 'CMD', json: execJson([input.binaries[0] as string]) });
  } else {
    return { ok: false, reason: 'the stage builds several binaries and names none to start' };
  }
  return { ok: true, lines };
}

function runtimeEnv(model: DockerfileModel, stage: Stage, buildOnly: RegExp): string[] {
  const lines: string[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.getKeyword() !== 'ENV') continue;
    const properties = (instruction as unknown as { getProperties(): Array<{ getName(): string; getRange(): import('vscode-languageserver-types').Range }> }).getProperties();
    const kept = properties.filter((p) => !buildOnly.test(p.getName()));
    if (kept.length > 0) lines.push(`${keyword(model, 'ENV')} ${kept.map((p) => model.document.getText(p.getRange())).join(' ')}`);
  }
  return lines;
}
