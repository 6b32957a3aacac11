// "Build in one stage, run in another" for interpreted and JVM programs: the final stage becomes
// a named build stage, and a new runtime stage on a smaller image receives the whole working
// folder (sources, build output, installed packages) at the same path, the ENV the program sees,
// and the instructions that describe the running container. Copying the working folder whole is
// what lets the program read every file it read before without Slimfile knowing which.
import type { TextEdit } from 'vscode-languageserver-types';
import type { Instruction } from 'dockerfile-ast';
import type { CopyStep, DockerfileModel, Stage } from '../model';
import { deleteLines, insertLinesAfter, keyword, nameStage } from './edits';
import { copyLine, workdirLine } from './dockerfileWords';
import { localZone } from './localZone';
import { joinPath } from '../paths';
import { commandName } from '../shell';

const RUNTIME_ONLY = new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'LABEL', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK']);

export interface SplitPlan {
  readonly runtimeImage: string;
  /** Lines appended to the build stage (a venv's pip, npm prune, jlink). */
  readonly buildLines?: readonly string[];
  /** Lines right after the runtime FROM (copies of a venv or a jlink runtime, their ENV). */
  readonly runtimeLines?: readonly string[];
  /** Lines right after the FROM of the build stage (making a venv before anything installs). */
  readonly buildPrologue?: readonly string[];
  /** ENV names that only the build needs, left out of the runtime. */
  readonly buildOnlyEnv?: RegExp;
  /** Comment lines above the runtime FROM (what the reader of the preview should check). */
  readonly notes?: readonly string[];
  /** Runtime instructions written anew, by the line of the one they replace (`npm start` as the command it runs). */
  readonly rewrite?: ReadonlyMap<number, string>;
}

export type SplitResult = { readonly ok: true; readonly edits: TextEdit[] } | { readonly ok: false; readonly reason: string };

/**
 * Why a stage's files outside its working folder might matter at run time; empty when none can.
 * `unread`: a language's proof that the program never reads what a COPY put at `destination`.
 */
export function outsideWorkdir(stage: Stage, unread?: (copy: CopyStep, destination: string) => boolean): string[] {
  const problems: string[] = [];
  const workdir = stage.workdir;
  for (const copy of stage.copies) {
    const destination = joinPath(copy.workdir, copy.destination);
    if (destination !== workdir && !destination.startsWith(`${workdir.replace(/\/$/, '')}/`) && !unread?.(copy, destination)) {
      problems.push(`a ${copy.keyword} puts files in ${destination}, outside ${workdir}, which the runtime stage does not copy`);
    }
  }
  // cp, mv, mkdir, ln and the like putting files outside the working folder (a jar copied to /app.jar).
  const inside = (p: string): boolean => p === workdir || p.startsWith(`${workdir.replace(/\/$/, '')}/`);
  for (const run of stage.runs) {
    for (const c of run.commands) {
      if (!['cp', 'mv', 'mkdir', 'ln', 'install', 'touch', 'tee'].includes(commandName(c))) continue;
      const outside = c.argv.slice(1).find((a) => a.startsWith('/') && !inside(a) && !a.startsWith('/tmp'));
      if (outside) problems.push(`line ${run.range.start.line + 1}: \`${commandName(c)}\` writes ${outside}, outside ${workdir}, which the runtime stage does not copy`);
    }
  }
  const user = stage.user;
  if (user && stage.runs.some((r) => r.range.start.line > user.range.start.line)) {
    problems.push(`USER ${user.value} is set before a RUN step; that user may not exist in the runtime image`);
  }
  return problems;
}

export function splitStage(model: DockerfileModel, stage: Stage, plan: SplitPlan): SplitResult {
  if (stage.workdir === '/' || stage.workdir.includes('$')) return { ok: false, reason: 'the stage has no WORKDIR of its own to copy into the runtime stage' };
  const workdirWritten = workdirLine(model, stage.workdir);
  if (!workdirWritten.ok) return workdirWritten;
  if (model.unfinished) return { ok: false, reason: model.unfinished };
  const k = (word: string): string => keyword(model, word);
  const name = stage.name ?? 'build';
  const edits: TextEdit[] = [];
  edits.push(...nameStage(model, stage, name));
  if (plan.buildPrologue && plan.buildPrologue.length > 0) edits.push(insertLinesAfter(model, stage.from.getRange(), plan.buildPrologue));
  const lastRunLine = stage.runs.reduce((max, r) => Math.max(max, r.range.end.line), stage.fromRange.end.line);
  const moved: Instruction[] = [];
  for (const instruction of stage.instructions.slice(1)) {
    const word = instruction.getKeyword();
    if (!(RUNTIME_ONLY.has(word) || (word === 'USER' && instruction.getRange().start.line > lastRunLine))) continue;
    moved.push(instruction);
    edits.push(deleteLines(model, instruction.getRange()));
  }
  const env: string[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.getKeyword() !== 'ENV') continue;
    const properties = (instruction as unknown as { getProperties(): Array<{ getName(): string; getRange(): import('vscode-languageserver-types').Range }> }).getProperties();
    const kept = properties.filter((p) => !plan.buildOnlyEnv?.test(p.getName()));
    if (kept.length > 0) env.push(`${k('ENV')} ${kept.map((p) => model.document.getText(p.getRange())).join(' ')}`);
  }
  // The program reads the local zone the image set: the runtime keeps it.
  const zone = localZone(model, stage);
  const lines = [
    '',
    ...[...(plan.notes ?? []), ...zone.notes].map((n) => `# ${n}`),
    `${k('FROM')} ${plan.runtimeImage}`,
    ...(plan.runtimeLines ?? []),
    ...zone.keep.map((file) => copyLine(model, [`--from=${name}`], [file], file)),
    ...env,
    workdirWritten.line,
    copyLine(model, [`--from=${name}`], [stage.workdir], stage.workdir),
    ...moved.map((i) => plan.rewrite?.get(i.getRange().start.line) ?? model.document.getText(i.getRange()).replace(/\r?\n/g, model.eol)),
  ];
  // After the last instruction that stays: every later one moved to the runtime and is deleted.
  const kept = stage.instructions.filter((i) => !moved.includes(i));
  const anchor = (kept[kept.length - 1] ?? stage.from).getRange();
  edits.push(insertLinesAfter(model, anchor, [...(plan.buildLines ?? []), ...lines]));
  return { ok: true, edits };
}
