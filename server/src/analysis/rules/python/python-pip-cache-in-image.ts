// pip's wheel cache left in the final image's layers.
import type { Rule } from '../../findings';
import { insertOptionAfterVerb } from '../../fixes/packageEdits';
import { pipInstalls } from './installs';
import { pythonMessages } from './messages';

export const pipCacheInImage: Rule = {
  id: 'python-pip-cache-in-image',
  language: 'python',
  defaultSeverity: 'warning',
  summary: 'pip install without --no-cache-dir keeps its download cache in the final image.',
  check({ model }) {
    const final = model.finalStage;
    if (!final) return [];
    return pipInstalls(final)
      .filter((i) => !i.cacheDisabled)
      .map((install) => {
        const program = /^python/.test(install.program) ? 'pip' : install.program;
        const edit = install.run.heredoc ? undefined : insertOptionAfterVerb(install.run, [program], 'install', '--no-cache-dir');
        return {
          message: pythonMessages.pipCache(),
          range: install.run.range,
          related: [],
          fixes: edit ? [{ title: 'Add --no-cache-dir', edits: [edit], isPreferred: true, safe: true }] : [],
        };
      });
  },
};
