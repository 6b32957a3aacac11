// Which RUN steps of a stage build the program itself, asked of each language (runtime.ts: in the
// final stage such a step makes the program, it is no reason to keep a shell at run time). The
// registry hands the languages' answers over as it loads, as it does the image descriptions
// (images.ts): the languages ask runtime.ts for base facts, so it sits below the registry and
// cannot import it without an import circle.
import type { DockerfileModel, RunStep, Stage } from '../model';

export type ProgramBuilds = (model: DockerfileModel, stage: Stage) => readonly RunStep[];

let answers: readonly ProgramBuilds[] | undefined;

/** Called once, by registry.ts as it loads, with each language's hook that has one. */
export function useProgramBuilds(list: readonly ProgramBuilds[]): void {
  answers = list;
}

/** Whether a language says `run` builds the program `stage` holds. */
export function buildsTheProgram(model: DockerfileModel, stage: Stage, run: RunStep): boolean {
  if (!answers) throw new Error("Slimfile: a stage's builds were asked for before the languages were registered; parse through the analysis' entry (server/src/analysis/index.ts), which loads them.");
  return answers.some((builds) => builds(model, stage).includes(run));
}
