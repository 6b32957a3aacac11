// Package manager caches and extras left in the final image's layers.
import type { Rule } from '../findings';
import { messages } from '../messages';
import { insertOptionAfterVerb } from '../fixes/packageEdits';

export const packageCacheInFinalImage: Rule = {
  id: 'package-cache-in-final-image',
  defaultSeverity: 'warning',
  summary: 'apt/apk in the final image leaves caches or recommended packages behind.',
  check({ model }) {
    const final = model.finalStage;
    if (!final) return [];
    const out = [];
    for (const p of final.packageInstalls) {
      if (p.run.heredoc || p.cacheMounted) continue;
      if (p.manager === 'apt') {
        if (!p.cleansLists) {
          const end = p.run.range.end;
          out.push({ message: messages.aptListsKept(), range: p.run.range, related: [], fixes: [{ title: 'Remove the apt lists in the same RUN', edits: [{ range: { start: end, end }, newText: ' && rm -rf /var/lib/apt/lists/*' }], isPreferred: true, safe: true }] });
        }
        if (!p.lean) {
          const edit = insertOptionAfterVerb(p.run, ['apt-get', 'apt'], 'install', '--no-install-recommends');
          out.push({ message: messages.aptRecommends(), range: p.run.range, related: [], fixes: edit ? [{ title: 'Add --no-install-recommends', edits: [edit], isPreferred: true, safe: true }] : [] });
        }
      } else if (!p.lean) {
        const edit = insertOptionAfterVerb(p.run, ['apk'], 'add', '--no-cache');
        out.push({ message: messages.apkCache(), range: p.run.range, related: [], fixes: edit ? [{ title: 'Add --no-cache', edits: [edit], isPreferred: true, safe: true }] : [] });
      }
    }
    return out;
  },
};
