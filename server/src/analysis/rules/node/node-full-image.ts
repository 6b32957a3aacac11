// The full node image in the final stage: node:N-slim runs the same program.
import type { Fix, Rule } from '../../findings';
import type { Stage } from '../../model';
import type { ProjectFacts } from '../../project';
import { languageImageOf, foreignRuns, healthcheckTool, HARMLESS } from '../../languages/stage';
import { alpineTag, slimTag } from '../../languages/runtimeImages';
import { nodeMessages } from './messages';
import { nodeOutsideUses, outsideUseProblems } from '../../languages/processUse';
import { messages } from '../../messages';
import { nodeProjectOf } from '../../languages/node';
import type { AnalysisContext } from '../../context';

const NODE_COMMANDS = new Set(['npm', 'npx', 'yarn', 'pnpm', 'node', 'corepack', ...HARMLESS]);

/** Why the slim image may lack what this stage needs; empty when it provably does not. */
export function slimProblems(stage: Stage, project: ProjectFacts, context: AnalysisContext): string[] {
  const problems: string[] = [];
  const node = nodeProjectOf(project, context);
  if (!node) problems.push('package.json was not read');
  else {
    for (const p of node.problems) problems.push(p);
    for (const m of node.nativeModules) problems.push(`${m.name} builds a native addon (${m.why}); the slim image has no python3, make or g++`);
    for (const g of node.gitDependencies) problems.push(`${g} is fetched with git, which the slim image does not have`);
    if (!node.lockFile && node.dependencies.length + node.devDependencies.length > 0) problems.push('there is no lock file, so the packages an install pulls in are not known');
  }
  problems.push(...outsideUseProblems(nodeOutsideUses(project, context), 'JavaScript/TypeScript'));
  for (const run of foreignRuns(stage, NODE_COMMANDS)) problems.push(`line ${run.range.start.line + 1}: a RUN step uses tools the slim image may not have`);
  const tool = healthcheckTool(stage);
  if (tool) problems.push(`the HEALTHCHECK runs ${tool}, which the slim image does not have`);
  return problems;
}

/** The FROM's image replaced, when it is written out (not a stage or a build argument). */
function imageSwap(stage: Stage, image: string): Fix['edits'] | undefined {
  if (stage.base.stage !== undefined || stage.base.written.includes('$')) return undefined;
  return [{ range: stage.base.range, newText: image }];
}

export const nodeFullImage: Rule = {
  id: 'node-full-image',
  language: 'node',
  defaultSeverity: 'warning',
  summary: 'The final stage runs on the full node image; node:<version>-slim runs the same program.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    const image = languageImageOf(model, final);
    if (!image || image.language !== 'node' || image.kind !== 'full') return [];
    const slim = slimTag(image) as string;
    const problems = slimProblems(final, project, model.context);
    const at = final.base.range;
    const fixes: Fix[] = [];
    const toSlim = imageSwap(final, slim);
    if (toSlim) fixes.push({ title: problems.length === 0 ? `Use ${slim}` : `Use ${slim} (review: not proven safe)`, edits: toSlim, isPreferred: true, safe: problems.length === 0 });
    const alpine = alpineTag(image);
    const toAlpine = alpine ? imageSwap(final, alpine) : undefined;
    if (alpine && toAlpine) fixes.push({ title: `Use ${alpine} (review: musl)`, edits: toAlpine, safe: false });
    const native = nodeProjectOf(project, model.context)?.nativeModules.map((m) => m.name) ?? [];
    const related = [
      ...(problems.length === 0 ? [{ message: nodeMessages.slimSafeBecause(), range: at }] : problems.map((p) => ({ message: messages.conversionUnproven(p), range: at }))),
      ...(alpine ? [{ message: nodeMessages.alpineCaveat(native), range: at }] : []),
    ];
    return [{ message: nodeMessages.fullImage(final.base.resolved ?? final.base.written, slim), range: at, related, fixes }];
  },
};
