// What the hover on a base image says about a Go program (estimate/present.ts asks through
// LanguageSupport.hover): a smaller base for the final stage by what the program needs, and each
// binary a stage builds with its measured or modelled size.
import type { BaseFacts } from '../../baseFacts';
import type { DockerfileModel, Stage } from '../../model';
import type { ProjectFacts } from '../../project';
import type { RuntimeChoice } from '../../findings';
import type { LanguageHover, SmallerBase } from '../types';
import { CA_BUNDLE_BYTES } from '../../estimate/files';
import { approxBytes, formatBytes } from '../../estimate/sizes';
import { distrolessRelease, binaryPath, deliveredBinaries, stageOf } from './binaries';
import { scratchBlockers, scratchNeeds } from './scratch';
import { goBuildsIn } from './goBuilds';
import { goBinarySize } from './binarySize';
import { builderGo } from './builderGo';
import { goFacts } from './source/facts';

export const goHover: LanguageHover = {
  smallerBase: smallerGoBase,
  stageLines(model, stage, project, knowledge) {
    const lines: string[] = [];
    for (const build of goFacts(project).hasGoSources ? goBuildsIn(model, stage) : []) {
      // Sized as the estimate sizes it (measured, or the model for the builder's Go), `project` as the build compiles it.
      const binary = knowledge.sizes && goBinarySize(knowledge.sizes, build, project, builderGo(model, stage));
      if (binary) lines.push(`**Binary** \`${binaryPath(build, project) ?? build.packages.join(' ')}\`: ${approxBytes(binary.bytes)} — ${binary.provenance.detail} (${binary.provenance.confidence} confidence)`);
    }
    return lines;
  },
};

/** A smaller base for what the Go program needs, when there is one. */
function smallerGoBase(model: DockerfileModel, final: Stage, project: ProjectFacts, facts: BaseFacts, runtime: RuntimeChoice): SmallerBase | undefined {
  // The distroless release of the stage that builds the program (debian13 for trixie builders).
  const builder = deliveredBinaries(model, project).map((b) => stageOf(model, b.build))[0] ?? final;
  const release = distrolessRelease(builder);
  if (facts.kind === 'scratch' || !goFacts(project).hasGoSources) return undefined;
  if (runtime === 'scratch' && !goFacts(project).needs.cgo.needed) {
    const blockers = scratchBlockers(project);
    if (blockers.length === 0) {
      // What Minimize copies into scratch for this program, by the measured sizes.
      const needs = goFacts(project).needs;
      const wanted = scratchNeeds(project);
      const adds: string[] = [];
      let extra = 0;
      if (wanted.caBundle) {
        adds.push(`the CA bundle (${formatBytes(CA_BUNDLE_BYTES)})`);
        extra += CA_BUNDLE_BYTES;
      }
      if (wanted.zones) adds.push('zone data (-tags timetzdata, about 0.5 MB in the binary)');
      if (needs.files.tempFiles.length > 0) adds.push('an empty /tmp');
      if (needs.userLookup.needed) adds.push('/etc/passwd and /etc/group');
      return { image: 'scratch', why: `a static Go binary (CGO_ENABLED=0) needs no libc; Minimize adds ${adds.length > 0 ? adds.join(', ') : 'nothing but the binary'}`, extra };
    }
    if (facts.kind === 'distroless-static' || facts.kind === 'static') return undefined;
    return { image: `gcr.io/distroless/static-debian${release}:nonroot`, why: `a static Go binary needs no libc (not scratch: ${blockers.join('; ')})` };
  }
  if (facts.kind === 'distroless-static' || facts.kind === 'static') return undefined;
  if (goFacts(project).needs.cgo.needed) {
    if (facts.kind === 'distroless-cc' || facts.kind === 'distroless-base') return undefined;
    return { image: `gcr.io/distroless/cc-debian${release}:nonroot`, why: 'the program needs cgo, so glibc; distroless cc has it without a shell or package manager' };
  }
  const needs = [goFacts(project).needs.tls.needed ? 'CA certificates' : '', goFacts(project).needs.zoneinfo.needed ? 'zoneinfo' : ''].filter(Boolean);
  return {
    image: `gcr.io/distroless/static-debian${release}:nonroot`,
    why: `a static Go binary (CGO_ENABLED=0) needs no libc${needs.length > 0 ? `; it has the ${needs.join(' and ')} the program uses` : ''}`,
  };
}
