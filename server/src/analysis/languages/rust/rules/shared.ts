// What the Rust rules share: the cargo builds, the binaries that reach the final image, and what
// the sources show the program touching at run time.
import type { DockerfileModel, Stage } from '../../../model';
import type { ProjectFacts } from '../../../project';
import { cargoBuilds, readCargoToml } from '../rust';
import { dependencyFeatures, linkedLibraries, readCargoLock } from '../cargoLock';
import { deliveredBinaries, type CompiledBuild, type DeliveredBinary } from '../../compiled';
import { unprovenSourceNeeds, type RuntimeView } from '../../compiledSources';
import type { TextEdit } from 'vscode-languageserver-types';
import type { Argument } from 'dockerfile-ast';
import type { AnalysisContext } from '../../../context';

export function rustDelivered(model: DockerfileModel, project: ProjectFacts): DeliveredBinary[] {
  return deliveredBinaries(model, cargoBuilds(model, project));
}

export function buildsIn(model: DockerfileModel, project: ProjectFacts, stage: Stage): CompiledBuild[] {
  return cargoBuilds(model, project).filter((b) => b.stage === stage.index);
}

/**
 * Why the program's run-time needs are not proven: what its sources touch (see
 * unprovenSourceNeeds), and the system libraries its crates bind.
 */
export function unprovenRuntimeNeeds(project: ProjectFacts, context: AnalysisContext, view?: RuntimeView): string[] {
  return [...unprovenSourceNeeds(project, 'rust', context, view), ...crateLibraryReasons(project)];
}

/**
 * What the crates bring to run time, from Cargo.lock: the system libraries its -sys crates bind
 * (unless a feature builds them in). Other crates are Rust compiled into the binary. Without a
 * lock file the versions, and so the crates, are only known once cargo resolves them.
 */
function crateLibraryReasons(project: ProjectFacts): string[] {
  const manifest = project.manifests.get('Cargo.toml');
  const deps = manifest !== undefined ? readCargoToml(manifest).dependencies : [];
  if (manifest === undefined || deps.length === 0) return [];
  const lockText = project.manifests.get('Cargo.lock');
  if (lockText === undefined) return [`there is no Cargo.lock, so the crates (${deps.slice(0, 5).join(', ')}) are resolved at build time, and which of them bind system libraries is not known`];
  const lock = readCargoLock(lockText);
  if (lock.crates === undefined) return [`Cargo.lock could not be read (${lock.problem})`];
  return linkedLibraries(lock, dependencyFeatures(manifest)).map((l) =>
    l.library !== undefined
      ? `the ${l.crate} crate (Cargo.lock) loads ${l.library} at run time, and Slimfile does not check that the small runtime has it`
      : `the ${l.crate} crate (Cargo.lock) binds a system library Slimfile has no record of`,
  );
}

/**
 * Crates are not read for the files they write, so a program that uses any keeps the original
 * image's user (root), which could write everywhere.
 */
export function crateRootReasons(project: ProjectFacts): string[] {
  const manifest = project.manifests.get('Cargo.toml');
  const deps = manifest !== undefined ? readCargoToml(manifest).dependencies : [];
  return deps.length > 0 ? [`its crates (${deps.slice(0, 3).join(', ')}${deps.length > 3 ? ', …' : ''}) are not read for the files they write, so it keeps the original image's user`] : [];
}

/** The `cargo` word of a build's command inside its RUN, when the words and the shell parse agree on one cargo command. */
export function cargoWord(build: CompiledBuild): Argument | undefined {
  if (build.run.instruction.getArgumentsContent()?.trim().startsWith('[')) return undefined;
  const words = build.run.instruction.getArguments().filter((a) => a.getValue() === 'cargo' || a.getValue().endsWith('/cargo'));
  const commands = build.run.commands.filter((c) => (c.argv[0] ?? '').replace(/.*\//, '') === 'cargo');
  return words.length === 1 && commands.length === 1 ? words[0] : undefined;
}

/** Puts `NAME=value ` before the cargo command (an assignment for that command only). */
export function prefixCargo(build: CompiledBuild, assignments: readonly string[]): TextEdit[] | undefined {
  const word = cargoWord(build);
  if (!word) return undefined;
  const at = word.getRange().start;
  return [{ range: { start: at, end: at }, newText: `${assignments.join(' ')} ` }];
}
