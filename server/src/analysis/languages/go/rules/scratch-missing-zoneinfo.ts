// A program that loads time zones, in an image without /usr/share/zoneinfo.
import { builderGo } from '../builderGo';
import type { Fix, Rule } from '../../../findings';
import { goMessages } from '../messages';
import { baseFactsOf, finalCopiesTo } from '../../../runtime';
import { deliveredBinaries, stageOf } from '../binaries';
import { stageRef, zoneDataChoice } from '../scratch';
import { ZONEINFO } from '../../../estimate/files';
import { insertLinesAfter, keyword } from '../../../fixes/edits';
import { addBuildFlags } from '../buildEdits';
import { goFacts } from '../source/facts';

export const scratchMissingZoneinfo: Rule = {
  id: 'scratch-missing-zoneinfo',
  defaultSeverity: 'warning',
  summary: 'The program loads time zones but the image has no zoneinfo.',
  check({ model, project }) {
    const final = model.finalStage;
    const needs = goFacts(project).needs;
    if (!final || !needs.zoneinfo.needed || needs.embeddedTzdata.needed) return [];
    if (baseFactsOf(model, final).zoneinfo !== false) return [];
    if (finalCopiesTo(model, ZONEINFO).length > 0) return [];
    if (final.packageInstalls.some((p) => p.packages.includes('tzdata'))) return [];
    if (final.env.has('ZONEINFO')) return [];
    const binaries = deliveredBinaries(model, project);
    if (binaries.some((b) => b.build.tags.includes('timetzdata'))) return [];
    const fixes: Fix[] = [];
    const first = binaries.find((b) => b.copy !== undefined);
    if (first) {
      const source = stageOf(model, first.build);
      if (baseFactsOf(model, source).zoneinfo) {
        const line = `${keyword(model, 'COPY')} --from=${stageRef(model, source.index)} ${ZONEINFO} ${ZONEINFO}`;
        fixes.push({ title: 'Copy zoneinfo from the build stage', edits: [insertLinesAfter(model, final.fromRange, [line])], isPreferred: true, safe: true });
      }
    }
    const tagEdits = binaries.map((b) => addBuildFlags(model, b.build, { tags: ['timetzdata'] }));
    if (binaries.length > 0 && tagEdits.every((e) => e !== undefined)) {
      // The smaller of the two by their measured sizes goes first: Minimize applies it.
      const tags: Fix = { title: 'Embed zoneinfo in the binary (-tags timetzdata)', edits: tagEdits.flatMap((e) => e ?? []), isPreferred: true, safe: true };
      if (fixes.length === 0 || zoneDataChoice(binaries[0]!.build, project, builderGo(model, model.stages[binaries[0]!.build.stage]!)).choice === 'tags') fixes.unshift(tags, ...fixes.splice(0).map((f) => ({ ...f, isPreferred: false })));
      else fixes.push({ ...tags, isPreferred: false });
    }
    return [
      {
        message: goMessages.missingZoneinfo(final.base.resolved ?? final.base.written),
        range: final.base.range,
        related: needs.zoneinfo.evidence.map((e) => ({ message: `loads a time zone: ${e.what}`, file: e.file, line: e.line })),
        fixes,
      },
    ];
  },
};
