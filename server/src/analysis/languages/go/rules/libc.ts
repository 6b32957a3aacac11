// Shared by cgo-not-disabled and libc-mismatch: for each binary in the final image, what libc it
// will link and what libc the runtime has.
import type { DockerfileModel } from '../../../model';
import type { ProjectFacts } from '../../../project';
import type { BaseFacts, Libc } from '../../../baseImage';
import { baseFactsOf } from '../../../runtime';
import { cgoEffectivelyOn, deliveredBinaries, stageOf, type BinaryDelivery } from '../binaries';
import { baseName, joinPath } from '../../../paths';
import type { GoBuild } from '../gobuild';
import { goFacts } from '../source/facts';

export interface LinkedBinary {
  readonly build: GoBuild;
  readonly builder: BaseFacts;
  readonly runtime: BaseFacts;
  /** true: cgo on; false: off; undefined: cannot tell. */
  readonly cgo: boolean | undefined;
  /** The libc the binary links dynamically; undefined when static or unknown. */
  readonly links: Libc | undefined;
  /** Why the binary links libc (an import that pulls the cgo resolver). */
  readonly why: string | undefined;
  /** Linked with -extldflags "-static". */
  readonly staticLink: boolean;
  /** Where the binary sits in the final image, when the build and copy say so. */
  readonly finalPath: string | undefined;
}

function finalPathOf(delivery: BinaryDelivery): string | undefined {
  const { copy, path } = delivery;
  if (!copy) return path;
  if (path === undefined || copy.sources.length !== 1) return undefined;
  const destination = joinPath(copy.workdir, copy.destination);
  return copy.destination.endsWith('/') ? joinPath(destination, baseName(path)) : destination;
}

export function linkedBinaries(model: DockerfileModel, project: ProjectFacts): LinkedBinary[] {
  const final = model.finalStage;
  if (!final) return [];
  const runtime = baseFactsOf(model, final);
  return deliveredBinaries(model, project).map((delivery) => {
    const { build } = delivery;
    const stage = stageOf(model, build);
    const builder = baseFactsOf(model, stage);
    const cgo = cgoEffectivelyOn(build, builder, stage);
    const staticLink = /-extldflags[= ]+["']?[^"']*-static/.test(build.ldflags ?? '') || build.tags.includes('netgo') && build.tags.includes('osusergo');
    const evidence = goFacts(project).needs.libcWhenCgo.evidence[0];
    const links = cgo === true && !staticLink && goFacts(project).needs.libcWhenCgo.needed ? builder.libc : undefined;
    return { build, builder, runtime, cgo, links, why: evidence?.what, staticLink, finalPath: finalPathOf(delivery) };
  });
}
