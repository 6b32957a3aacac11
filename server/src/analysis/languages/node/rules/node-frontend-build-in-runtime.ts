// The front end is built in the final image: the bundler, the dev dependencies and the sources ship.
import type { Rule } from '../../../findings';
import { languageImageOf } from '../../stage';
import { slimTag } from '../../runtimeImages';
import { splitStage, outsideWorkdir } from '../../../fixes/splitStage';
import { keyword } from '../../../fixes/edits';
import { nodeInstalls, scriptRun } from './installs';
import { devDependencyUses } from './start';
import { nodeImportsOf } from '../nodeImports';
import { slimProblems } from './node-full-image';
import { nodeMessages } from './messages';
import { messages } from '../../../messages';
import { nodeProjectOf } from '../node';

export const nodeFrontendBuildInRuntime: Rule = {
  id: 'node-frontend-build-in-runtime',
  language: 'node',
  defaultSeverity: 'warning',
  summary: 'The final stage runs the front-end build; build in a stage and keep only the built assets and production dependencies.',
  check({ model, project }) {
    const final = model.finalStage;
    const node = nodeProjectOf(project, model.context);
    const build = node?.frontendBuild;
    if (!final || !node || !build) return [];
    const image = languageImageOf(model, final);
    if (image?.language !== 'node') return [];
    const buildRun = final.runs.find((r) => r.commands.some((c) => scriptRun(c) === 'build'));
    if (!buildRun) return [];
    const npm = nodeInstalls(final).find((i) => i.run.range.start.line <= buildRun.range.start.line);
    const at = buildRun.range;
    if (!npm || npm.manager !== 'npm') {
      return [{ message: nodeMessages.frontendBuild(build.tool, build.output), range: at, related: [{ message: messages.noAutomaticFix('the packages are not installed with npm in this stage'), range: at }], fixes: [] }];
    }
    const runtimeImage = slimTag(image) ?? final.base.resolved ?? final.base.written;
    // The build stage drops its dev dependencies once the bundle is built; the runtime copies the
    // working folder (bundle, production node_modules, server code) and nothing of the npm cache.
    const problems = [
      ...outsideWorkdir(final),
      ...devDependencyUses(final, node, buildRun.range.end.line + 1, nodeImportsOf(project, model.context)).map((u) => nodeMessages.devDependenciesUsedLater(u)),
      ...(image.kind === 'full' ? slimProblems(final, project, model.context) : []),
    ];
    const split = splitStage(model, final, {
      runtimeImage,
      buildLines: [`${keyword(model, 'RUN')} npm prune --omit=dev`],
      notes: problems.map((p) => `Check before use: ${p}.`),
    });
    const related = split.ok ? problems.map((p) => ({ message: messages.conversionUnproven(p), range: at })) : [{ message: messages.noAutomaticFix(split.reason), range: at }];
    const safe = problems.length === 0;
    return [
      {
        message: nodeMessages.frontendBuild(build.tool, build.output),
        range: at,
        related,
        fixes: split.ok ? [{ title: safe ? `Build in a stage, run on ${runtimeImage}` : `Build in a stage, run on ${runtimeImage} (review: not proven safe)`, edits: split.edits, isPreferred: true, safe }] : [],
      },
    ];
  },
};
