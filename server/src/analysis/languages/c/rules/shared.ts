// What the C/C++ rules share: the compiler calls, the binaries that reach the final image, and
// what the sources show the program touching at run time.
import type { DockerfileModel } from '../../../model';
import type { ProjectFacts } from '../../../project';
import { cBuilds } from '../c';
import { deliveredBinaries, type DeliveredBinary } from '../../compiled';
import { unprovenSourceNeeds, type RuntimeView } from '../../compiledSources';
import type { AnalysisContext } from '../../../context';

export const C_EXTENSIONS = ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp'];

export function cDelivered(model: DockerfileModel): DeliveredBinary[] {
  return deliveredBinaries(model, cBuilds(model));
}

/** Why what the program needs at run time is not proven (see unprovenSourceNeeds). */
export function unprovenCNeeds(project: ProjectFacts, context: AnalysisContext, view?: RuntimeView): string[] {
  return unprovenSourceNeeds(project, 'c', context, view);
}
