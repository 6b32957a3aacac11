// The final image is a Go toolchain image (golang:*) that builds there: ~800 MB of compiler and
// build cache for a binary of a few MB.
import type { Rule } from '../findings';
import { messages } from '../messages';
import { baseFactsOf } from '../runtime';
import { toMultiStage } from '../fixes/toMultiStage';

export const goToolchainInFinalImage: Rule = {
  id: 'go-toolchain-in-final-image',
  defaultSeverity: 'warning',
  summary: 'The final stage builds on a Go toolchain image; build in one stage and run in a small one.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final || baseFactsOf(model, final).kind !== 'go-toolchain') return [];
    if (final.goBuilds.length === 0 && final.hiddenBuilds.length === 0) return [];
    const result = toMultiStage(model, project);
    return [
      {
        message: messages.goToolchainInFinalImage(final.base.resolved ?? final.base.written),
        range: final.base.range,
        related: result.ok ? [] : [{ message: messages.noAutomaticFix(result.reason), range: final.base.range }],
        fixes: result.ok
          ? [{ title: 'Convert to multi-stage build', edits: result.conversion.edits, isPreferred: true, safe: result.conversion.safe }]
          : [],
      },
    ];
  },
};
