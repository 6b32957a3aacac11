// What the Java, Node and Python rules ask of a stage: its language image (following FROM
// another stage), how the container starts, and the RUN steps that are not the language's own.
import type { DockerfileModel, Stage, RunStep } from '../model';
import { languageImage, type LanguageImage } from './runtimeImages';
import { commandName } from '../shell';
import { baseName } from '../paths';

/** The image a stage finally builds on, and what it is. */
export function languageImageOf(model: DockerfileModel, stage: Stage): LanguageImage | undefined {
  let current: Stage | undefined = stage;
  const seen = new Set<number>();
  while (current && current.base.stage !== undefined && !seen.has(current.index)) {
    seen.add(current.index);
    current = model.stages[current.base.stage];
  }
  return current ? languageImage(current.base.reference) : undefined;
}

/** The words the container starts with (ENTRYPOINT then CMD); undefined when shell syntax hides them. */
export function startWords(stage: Stage): string[] | undefined {
  const words: string[] = [];
  for (const line of [stage.entrypoint, stage.cmd]) {
    if (!line) continue;
    if (line.form === 'exec') words.push(...line.args);
    else {
      const text = line.args[0] ?? '';
      if (/[$`|&;<>(){}*?~"'\\]/.test(text)) return undefined;
      words.push(...text.split(/\s+/).filter(Boolean));
    }
    // A shell-form ENTRYPOINT ignores CMD.
    if (line === stage.entrypoint && line.form === 'shell') break;
  }
  return words.length > 0 ? words : undefined;
}

export function program(words: readonly string[] | undefined): string | undefined {
  return words?.[0] === undefined ? undefined : baseName(words[0]);
}

/** RUN steps whose every command is in `allowed` (by program name) are the language's own. */
export function foreignRuns(stage: Stage, allowed: ReadonlySet<string>): RunStep[] {
  return stage.runs.filter((run) => run.commands.some((c) => !allowed.has(commandName(c))));
}

/** Programs every image here has and that leave nothing behind that matters (folders, messages). */
export const HARMLESS = new Set(['mkdir', 'cp', 'mv', 'rm', 'echo', 'ls', 'true', 'cd', 'chmod', 'test', '[']);

/** A HEALTHCHECK's program, when it needs one the smaller image may lack (curl, wget). */
export function healthcheckTool(stage: Stage): string | undefined {
  const hc = stage.healthcheck;
  if (!hc || hc.none || !hc.command) return undefined;
  const first = hc.command.form === 'exec' ? hc.command.args[0] ?? '' : (hc.command.args[0] ?? '').trim().split(/\s+/)[0] ?? '';
  const name = baseName(first);
  return ['curl', 'wget', 'nc', 'git', 'gcc', 'make'].includes(name) || hc.command.form === 'shell' ? name || 'a shell command' : undefined;
}
