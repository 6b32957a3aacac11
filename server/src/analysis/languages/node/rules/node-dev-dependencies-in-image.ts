// npm install in the final image without --omit=dev: test runners, bundlers and type checkers ship.
import type { Rule } from '../../../findings';
import { languageImageOf } from '../../stage';
import { insertOptionAfterVerb } from '../../../fixes/packageEdits';
import { nodeInstalls } from './installs';
import { devDependencyUses } from './start';
import { nodeImportsOf } from '../nodeImports';
import { nodeMessages } from './messages';
import { messages } from '../../../messages';
import { nodeProjectOf } from '../node';

export const nodeDevDependenciesInImage: Rule = {
  id: 'node-dev-dependencies-in-image',
  language: 'node',
  defaultSeverity: 'warning',
  summary: 'The final image installs the dev dependencies; install with npm ci --omit=dev.',
  check({ model, project }) {
    const final = model.finalStage;
    const node = nodeProjectOf(project, model.context);
    if (!final || !node || node.devDependencies.length === 0) return [];
    if (languageImageOf(model, final)?.language !== 'node' && !final.runs.some((r) => r.commands.some((c) => c.argv[0] === 'npm'))) return [];
    const out = [];
    for (const install of nodeInstalls(final)) {
      if (install.omitsDev || install.manager === 'pnpm') continue;
      const uses = devDependencyUses(final, node, install.run.range.end.line + 1, nodeImportsOf(project, model.context));
      const verb = install.command.argv.slice(1).find((w) => !w.startsWith('-')) ?? '';
      const option = install.manager === 'npm' ? '--omit=dev' : '--production';
      const edit = install.run.heredoc ? undefined : insertOptionAfterVerb(install.run, [install.manager], verb, option);
      const safe = uses.length === 0;
      out.push({
        message: nodeMessages.devDependencies(install.command.argv.join(' '), node.devDependencies),
        range: install.run.range,
        related: uses.map((u) => ({ message: messages.conversionUnproven(nodeMessages.devDependenciesUsedLater(u)), range: install.run.range })),
        fixes: edit ? [{ title: safe ? `Add ${option}` : `Add ${option} (review: a dev dependency may be used)`, edits: [edit], isPreferred: true, safe }] : [],
      });
    }
    return out;
  },
};
