// USER by name on an image whose /etc/passwd does not define it (scratch has none at all).
import type { Rule } from '../findings';
import { messages } from '../messages';
import { baseFactsOf, finalCopiesTo } from '../runtime';

/** Users the shell-less images define: distroless and chainguard static ship these. */
const DISTROLESS_USERS = new Set(['root', 'nonroot', 'nobody']);

export const scratchUnknownUser: Rule = {
  id: 'scratch-unknown-user',
  defaultSeverity: 'error',
  summary: 'USER names a user that the image\'s /etc/passwd does not define.',
  check({ model }) {
    const final = model.finalStage;
    const user = final?.user;
    if (!final || !user) return [];
    const name = user.value.split(':')[0] ?? '';
    if (name === '' || /^\d+$/.test(name) || name.includes('$')) return [];
    const facts = baseFactsOf(model, final);
    if (finalCopiesTo(model, '/etc/passwd').length > 0) return [];
    const known = facts.kind === 'scratch' ? false : facts.kind === 'distroless-static' || facts.kind === 'static' ? DISTROLESS_USERS.has(name) : undefined;
    if (known !== false) return [];
    const group = user.value.split(':')[1];
    const numeric = `65532:${group && /^\d+$/.test(group) ? group : '65532'}`;
    return [
      {
        message: messages.unknownUser(name, final.base.resolved ?? final.base.written),
        range: user.range,
        related: [],
        fixes: [{ title: `Use numeric USER ${numeric}`, edits: [{ range: user.range, newText: numeric }], isPreferred: true, safe: true }],
      },
    ];
  },
};
