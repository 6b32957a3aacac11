// The go builds and installs of a Dockerfile, found in its RUN steps by gobuild.ts: a query over
// the model, like cargoBuilds for Rust, whose answer the model's analysis context keeps.
import type { BaseImage, DockerfileModel, Stage } from '../../model';
import { findGoBuilds, type FileCopy, type GoBuild, type HiddenBuild } from './gobuild';
import { query } from '../../context';

interface StageGoBuilds {
  readonly builds: readonly GoBuild[];
  /** Builds behind make, a script or another tool: seen, but not read. */
  readonly hidden: readonly HiddenBuild[];
}

const GO_BUILDS = query<readonly StageGoBuilds[]>('goBuilds');

function goBuildsByStage(model: DockerfileModel): readonly StageGoBuilds[] {
  return model.context.memo(GO_BUILDS, [model], () => model.stages.map((stage) => findStageBuilds(model, stage)));
}

/** Every go build and go install of the file, stage by stage, in file order. */
export function goBuilds(model: DockerfileModel): readonly GoBuild[] {
  return goBuildsByStage(model).flatMap((s) => s.builds);
}

/** The go builds and installs a stage runs. */
export function goBuildsIn(model: DockerfileModel, stage: Stage): readonly GoBuild[] {
  return goBuildsByStage(model)[stage.index]?.builds ?? [];
}

/** The builds a stage runs through make, a script or another tool, which the analysis cannot read. */
export function hiddenBuildsIn(model: DockerfileModel, stage: Stage): readonly HiddenBuild[] {
  return goBuildsByStage(model)[stage.index]?.hidden ?? [];
}

function findStageBuilds(model: DockerfileModel, stage: Stage): StageGoBuilds {
  const builds: GoBuild[] = [];
  const hidden: HiddenBuild[] = [];
  // cp/mv/install steps, each with the number of the stage's builds before it.
  const fileCopies: Array<{ copy: FileCopy; buildsBefore: number }> = [];
  // Folders earlier RUN steps made (mkdir), beside those WORKDIR and COPY made known.
  const made = new Set<string>();
  const goVersion = golangImageVersion(model.stages, stage.base);
  for (const run of stage.runs) {
    const folders = made.size === 0 ? run.folders : new Set([...run.folders, ...made]);
    const found = findGoBuilds(run, { index: stage.index, workdir: run.workdir, env: run.env, escapeChar: model.escapeChar, folders, goVersion });
    for (const { copy, buildsBefore } of found.copies) fileCopies.push({ copy, buildsBefore: builds.length + buildsBefore });
    builds.push(...found.builds);
    hidden.push(...found.hidden);
    for (const folder of found.madeFolders) made.add(folder);
  }
  return {
    builds: builds.map((build, i) => ({ ...build, copiesAfter: fileCopies.filter((c) => c.buildsBefore > i).map((c) => c.copy) })),
    hidden,
  };
}

/** The Go release of the golang image a stage builds on, directly or through earlier stages, from its tag. */
function golangImageVersion(stages: readonly Stage[], base: BaseImage): string | undefined {
  let current = base;
  const seen = new Set<number>();
  while (current.stage !== undefined && !seen.has(current.stage)) {
    seen.add(current.stage);
    const parent = stages[current.stage];
    if (!parent) return undefined;
    current = parent.base;
  }
  if (current.reference?.familiar !== 'golang') return undefined;
  return /^\d+\.\d+(\.\d+)?(?=$|-)/.exec(current.reference.tag ?? '')?.[0];
}
