// The final stage runs as root: no USER and a base whose default user is root.
import type { Rule } from '../findings';
import { describeBase } from '../baseImage';
import { messages } from '../messages';

export const runsAsRoot: Rule = {
  id: 'runs-as-root',
  defaultSeverity: 'info',
  summary: 'The final image runs as root; run as a non-root user.',
  check({ model }) {
    const final = model.finalStage;
    if (!final || final.user) return [];
    if (final.base.stage !== undefined) return [];
    const facts = describeBase(final.base.reference, final.base.isScratch);
    if (facts.nonrootDefault !== false) return [];
    return [{ message: messages.runsAsRoot(), range: final.base.range, related: [], fixes: [] }];
  },
};
