// What the modules below the registry ask of each language: the final image's shell needs
// (runtime.ts) ask which RUN steps of a stage build the program itself (in the final stage such a
// step makes the program, it is no reason to keep a shell at run time) and which toolchain command
// a start command may run; what a RUN may create (runCreates.ts) asks what the language's own
// commands write. The registry hands the languages over as it loads, as it does the image
// descriptions (images.ts): the languages ask those modules for base facts and context copies, so
// they sit below the registry and cannot import it without an import circle. The image
// descriptions keep their own hand-over (images.ts): model.ts asks it for an image's WORKDIR, and
// this module reads the model's types, so one module for both would be an import circle.
import type { DockerfileModel, RunStep, Stage } from '../model';
import type { SimpleCommand } from '../shell';

/** Where a command's writes go: `path` exactly, `tree` a folder and anything under it, `anything` unknown. */
export type CreationSink = (kind: 'path' | 'tree' | 'anything', written: string, folder?: boolean) => void;

/** The part of a language's support (types.ts) that the modules below the registry read. */
export interface LowerAnswers {
  readonly name: string;
  readonly toolchainCommand?: string;
  programBuilds?(model: DockerfileModel, stage: Stage): readonly RunStep[];
  runCreations?(command: SimpleCommand, stage: Stage, add: CreationSink): boolean;
}

let answers: readonly LowerAnswers[] | undefined;

/** Called once, by registry.ts as it loads, with every language in registry order. */
export function useLowerAnswers(list: readonly LowerAnswers[]): void {
  answers = list;
}

function registered(): readonly LowerAnswers[] {
  if (!answers) throw new Error("Slimfile: a language was asked about a stage before the languages were registered; parse through the analysis' entry (server/src/analysis/index.ts), which loads them.");
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

/** Whether a language knew the command as its own and said what it writes (through `add`). */
export function languageCreations(command: SimpleCommand, stage: Stage, add: CreationSink): boolean {
  return registered().some((l) => l.runCreations?.(command, stage, add) ?? false);
}
