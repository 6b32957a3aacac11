// npm/yarn keep every downloaded tarball in ~/.npm or the yarn cache: bytes no container reads.
import type { Rule } from '../../../findings';
import { nodeInstalls } from './installs';
import { canAppendCommand } from '../../../rules/package-cache-in-final-image';
import { nodeMessages } from './messages';

const CLEAN: Record<string, string> = { npm: 'npm cache clean --force', yarn: 'yarn cache clean', pnpm: 'pnpm store prune' };

export const npmCacheInImage: Rule = {
  id: 'node-package-cache-in-image',
  language: 'node',
  defaultSeverity: 'info',
  summary: 'npm or yarn leaves its download cache in the final image.',
  check({ model }) {
    const final = model.finalStage;
    if (!final) return [];
    const out = [];
    const seen = new Set<unknown>();
    for (const install of nodeInstalls(final)) {
      if (install.cacheCleaned || seen.has(install.run)) continue;
      seen.add(install.run);
      const clean = CLEAN[install.manager] as string;
      const end = install.run.range.end;
      const fixes = !install.run.heredoc && canAppendCommand(model, install.run.range)
        ? [{ title: `Add && ${clean}`, edits: [{ range: { start: end, end }, newText: ` && ${clean}` }], isPreferred: true, safe: true }]
        : [];
      out.push({ message: nodeMessages.npmCache(install.manager, clean), range: install.run.range, related: [], fixes });
    }
    return out;
  },
};
