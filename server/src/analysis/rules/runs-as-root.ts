// The final stage runs as root: no USER and a base whose default user is root.
import type { Fix, Rule } from '../findings';
import type { ProjectFacts } from '../project';
import { messages } from '../messages';
import { baseFactsOf } from '../runtime';
import { endOfStage, insertLinesAfter, keyword, replaceBaseImage } from '../fixes/edits';
import { languages } from '../languages/registry';

export const runsAsRoot: Rule = {
  id: 'runs-as-root',
  defaultSeverity: 'info',
  summary: 'The final image runs as root; run as a non-root user.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final || final.user) return [];
    const facts = baseFactsOf(model, final);
    if (facts.nonrootDefault !== false) return [];
    // A language's own conversion of its toolchain image sets the user (Go's go-toolchain-in-final-image).
    if (languages().some((l) => l.convertsFinalStage?.(model, final))) return [];
    // The toolchain image of a language that does not say when it converts (convertsFinalStage,
    // asked above) is its toolchain-in-final-image rule's to convert, which sets the user.
    if (facts.kind === 'toolchain' && !languages().find((l) => l.id === facts.language)?.convertsFinalStage) return [];
    // A privileged port needs root (or a capability) to bind: switching users would break it.
    const privileged = final.expose.some((e) => Number.parseInt(e.value, 10) < 1024);
    // A program that writes files may write where only root can: the switch is offered, not applied.
    const risks = [...languages().flatMap((l) => l.nonrootRisks?.(model, project, final) ?? []), ...containerActionRisks(project)];
    const safeSwitch = !privileged && risks.length === 0;
    const fixes: Fix[] = [];
    const ref = final.base.reference;
    if (facts.kind === 'distroless-static' || facts.kind === 'distroless-base' || facts.kind === 'distroless-cc') {
      if (ref && final.base.stage === undefined) {
        const tag = ref.tag?.includes('debug') ? 'debug-nonroot' : 'nonroot';
        fixes.push({ title: `Use the :${tag} image`, edits: [replaceBaseImage(final, `${ref.familiar}:${tag}`)], isPreferred: true, safe: safeSwitch && !ref.digest });
      }
    }
    fixes.push({
      title: 'Add USER 65532:65532',
      edits: [insertLinesAfter(model, endOfStage(final), [`${keyword(model, 'USER')} 65532:65532`])],
      isPreferred: fixes.length === 0,
      safe: safeSwitch && fixes.length === 0 && (facts.kind === 'scratch' || facts.kind === 'static'),
    });
    return [{ message: messages.runsAsRoot(), range: final.base.range, related: risks.map((r) => ({ message: messages.nonrootRisk(r), range: final.base.range })), fixes }];
  },
};

/** GitHub runs a container action as root whatever its image says, so the action's files may be root's. */
function containerActionRisks(project: ProjectFacts): string[] {
  const action = ['action.yml', 'action.yaml'].find((f) => project.contextListing.files.has(f));
  return action ? [`the context holds ${action}: GitHub runs container actions as root`] : [];
}
