// pip's wheel cache left in the final image's layers.
import type { Rule } from '../../../findings';
import { insertOptionAfterEveryVerb } from '../../../fixes/packageEdits';
import { pipInstalls } from '../python';
import { pythonMessages } from './messages';

export const pipCacheInImage: Rule = {
  id: 'python-pip-cache-in-image',
  language: 'python',
  defaultSeverity: 'warning',
  summary: 'pip install without --no-cache-dir keeps its download cache in the final image.',
  check({ model }) {
    const final = model.finalStage;
    if (!final) return [];
    // One finding per RUN: its fix adds the option to every pip install there that lacks it.
    const runs = [...new Set(pipInstalls(final).filter((i) => !i.cacheDisabled).map((i) => i.run))];
    return runs.map((run) => {
      const edits = run.heredoc ? [] : insertOptionAfterEveryVerb(run, ['pip', 'pip3', 'pip3.9', 'pip3.10', 'pip3.11', 'pip3.12', 'pip3.13'], 'install', '--no-cache-dir');
      return {
        message: pythonMessages.pipCache(),
        range: run.range,
        related: [],
        fixes: edits.length > 0 ? [{ title: 'Add --no-cache-dir', edits, isPreferred: true, safe: true }] : [],
      };
    });
  },
};
