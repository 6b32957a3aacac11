// The final image is a Go toolchain image (golang:*) that builds there: ~800 MB of compiler and
// build cache for a binary of a few MB.
import type { Rule } from '../../../findings';
import { messages } from '../../../messages';
import { goMessages } from '../messages';
import { baseFactsOf } from '../../../runtime';
import { startNeedsToolchainImage, toMultiStage } from '../toMultiStage';
import { goBuildsIn, hiddenBuildsIn } from '../goBuilds';
import { isGolangImage } from '../image';

export const goToolchainInFinalImage: Rule = {
  id: 'go-toolchain-in-final-image',
  defaultSeverity: 'warning',
  summary: 'The final stage builds on a Go toolchain image; build in one stage and run in a small one.',
  check({ model, project, runtime, packages }) {
    const final = model.finalStage;
    if (!final || !isGolangImage(baseFactsOf(model, final))) return [];
    // A stage that builds nothing but compiles at start (go run) or starts through a script says
    // why its toolchain image cannot go.
    if (goBuildsIn(model, final).length === 0 && hiddenBuildsIn(model, final).length === 0 && startNeedsToolchainImage(final) === undefined) return [];
    const result = toMultiStage(model, project, runtime, packages);
    const at = final.base.range;
    // Why Minimize leaves the file, one note per unproven read, write or context entry.
    const related = !result.ok
      ? [{ message: messages.noAutomaticFix(result.reason), range: at }]
      : [
          ...result.conversion.problems.map((p) => ({ message: messages.conversionUnproven(p), range: at })),
          ...result.conversion.notes.map((n) => ({ message: n, range: at })),
        ];
    return [
      {
        message: goMessages.goToolchainInFinalImage(final.base.resolved ?? final.base.written),
        range: at,
        related,
        fixes: result.ok
          ? [{ title: result.conversion.safe ? 'Convert to multi-stage build' : 'Convert to multi-stage build (review the notes: not proven safe)', edits: result.conversion.edits, isPreferred: true, safe: result.conversion.safe }]
          : [],
      },
    ];
  },
};
