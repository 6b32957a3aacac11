// What the final image's shell needs (runtime.ts) ask of each language: which RUN steps of a stage
// build the program itself (in the final stage such a step makes the program, it is no reason to
// keep a shell at run time), and which toolchain command a start command may run. The registry
// hands the languages over as it loads, as it does the image descriptions (images.ts): the
// languages ask runtime.ts for base facts, so it sits below the registry and cannot import it
// without an import circle.
import type { DockerfileModel, RunStep, Stage } from '../model';

/** The part of a language's support (types.ts) that the shell needs read. */
export interface ShellNeedsAnswers {
  readonly name: string;
  readonly toolchainCommand?: string;
  programBuilds?(model: DockerfileModel, stage: Stage): readonly RunStep[];
}

let answers: readonly ShellNeedsAnswers[] | undefined;

/** Called once, by registry.ts as it loads, with every language in registry order. */
export function useShellNeedsAnswers(list: readonly ShellNeedsAnswers[]): void {
  answers = list;
}

function registered(): readonly ShellNeedsAnswers[] {
  if (!answers) throw new Error("Slimfile: a stage's shell needs were asked for before the languages were registered; parse through the analysis' entry (server/src/analysis/index.ts), which loads them.");
  return answers;
}

/** Whether a language says `run` builds the program `stage` holds. */
export function buildsTheProgram(model: DockerfileModel, stage: Stage, run: RunStep): boolean {
  return registered().some((l) => l.programBuilds?.(model, stage).includes(run) ?? false);
}

/** The language whose toolchain a start command's program is (`go`, `/usr/local/go/bin/go`), if any. */
export function toolchainRunBy(program: string): string | undefined {
  return registered().find((l) => l.toolchainCommand !== undefined && (program === l.toolchainCommand || program.endsWith(`/${l.toolchainCommand}`)))?.name;
}
