// The final image is a Go toolchain image (golang:*): ~800 MB of compiler for a binary of a few MB.
import type { Rule } from '../findings';
import { describeBase } from '../baseImage';
import { messages } from '../messages';

export const goToolchainInFinalImage: Rule = {
  id: 'go-toolchain-in-final-image',
  defaultSeverity: 'warning',
  summary: 'The final stage runs on a Go toolchain image; build in one stage and run in a small one.',
  check({ model }) {
    const final = model.finalStage;
    if (!final) return [];
    const facts = describeBase(final.base.reference, final.base.isScratch);
    if (facts.kind !== 'go-toolchain') return [];
    return [
      {
        message: messages.goToolchainInFinalImage(final.base.resolved ?? final.base.written, final.goBuilds.length > 0 || final.hiddenBuilds.length > 0),
        range: final.base.range,
        related: [],
        fixes: [],
      },
    ];
  },
};
