// What the C/C++ rules share: the compiler calls, the binaries that reach the final image, and
// what the sources show the program touching at run time.
import type { DockerfileModel } from '../../model';
import type { ProjectFacts } from '../../project';
import { cBuilds, C_SOURCE_PATTERNS } from '../../languages/c';
import { deliveredBinaries, hasSources, scanSources, type DeliveredBinary } from '../../languages/compiled';
import type { AnalysisContext } from '../../context';

export const C_EXTENSIONS = ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp'];

export function cDelivered(model: DockerfileModel): DeliveredBinary[] {
  return deliveredBinaries(model, cBuilds(model));
}

/** Why what the program needs at run time is not proven: sources missing, or lines that touch files, users, names or programs. */
export function unprovenCNeeds(project: ProjectFacts, context: AnalysisContext): string[] {
  const reasons: string[] = [];
  if (!hasSources(project, C_EXTENSIONS)) reasons.push('the C/C++ sources were not read, so what the program opens at run time is not known');
  else if (project.sourcesTruncated) reasons.push('not every C/C++ source was read');
  const uses = scanSources(project, C_EXTENSIONS, C_SOURCE_PATTERNS, context).filter((u, i, all) => all.findIndex((o) => o.file === u.file && o.what === u.what) === i);
  for (const use of uses.slice(0, 3)) reasons.push(`${use.file}:${use.line} ${use.what}; Slimfile does not follow which paths a C program uses`);
  return reasons;
}
