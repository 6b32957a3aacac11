// The full python image in the final stage: python:X-slim runs the same program, and a wheel
// stage on the full image brings compiled dependencies along without the compiler (pythonWheels.ts).
import type { Fix, Rule } from '../../../findings';
import type { DockerfileModel, Stage } from '../../../model';
import type { ProjectFacts } from '../../../project';
import { languageImageOf, foreignRuns, healthcheckTool, HARMLESS } from '../../stage';
import { slimTag } from '../../runtimeImages';
import { installsWithoutCompiler } from '../python';
import { STARTS_PROGRAMS, wheelStage } from '../pythonWheels';
import { installedDistributions } from '../python';
import { pythonMessages } from './messages';
import { outsideUseProblems, pythonOutsideUses } from '../../processUse';
import { messages } from '../../../messages';

const PYTHON_COMMANDS = new Set(['pip', 'pip3', 'python', 'python3', ...HARMLESS]);

/** What stops the stage from running on the slim image, and the distributions that may compile. */
function slimProblems(model: DockerfileModel, stage: Stage, project: ProjectFacts): { blockers: string[]; compiled: string[] } {
  const { names, unknown } = installedDistributions(model, stage, project);
  const blockers = [...unknown, ...outsideUseProblems(pythonOutsideUses(project, model.context), 'Python')];
  for (const name of names) {
    const program = STARTS_PROGRAMS.get(name);
    if (program) blockers.push(pythonMessages.startsProgram(name, program));
  }
  for (const run of foreignRuns(stage, PYTHON_COMMANDS)) blockers.push(`line ${run.range.start.line + 1}: a RUN step uses tools the slim image may not have`);
  const tool = healthcheckTool(stage);
  if (tool) blockers.push(`the HEALTHCHECK runs ${tool}, which the slim image does not have`);
  return { blockers, compiled: names.filter((n) => !installsWithoutCompiler(n)) };
}

function wheelsFix(model: DockerfileModel, stage: Stage, project: ProjectFacts, full: string, slim: string, release: string | undefined, safe: boolean): { fix: Fix; packages: readonly string[] } | undefined {
  const { names } = installedDistributions(model, stage, project);
  const plan = wheelStage(model, stage, full, slim, names, release);
  if (!plan) return undefined;
  return { fix: { title: safe ? `Build wheels on ${full}, run on ${slim}` : `Build wheels on ${full}, run on ${slim} (review: not proven safe)`, edits: plan.edits, safe }, packages: plan.runtimePackages };
}

export const pythonFullImage: Rule = {
  id: 'python-full-image',
  language: 'python',
  defaultSeverity: 'warning',
  summary: 'The final stage runs on the full python image; python:<version>-slim runs the same program.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    const image = languageImageOf(model, final);
    if (!image || image.language !== 'python' || image.kind !== 'full') return [];
    const slim = slimTag(image) as string;
    const { blockers, compiled } = slimProblems(model, final, project);
    const at = final.base.range;
    const fixes: Fix[] = [];
    const swappable = final.base.stage === undefined && !final.base.written.includes('$');
    const swapSafe = blockers.length === 0 && compiled.length === 0;
    if (swappable) fixes.push({ title: swapSafe ? `Use ${slim}` : `Use ${slim} (review: not proven safe)`, edits: [{ range: at, newText: slim }], isPreferred: swapSafe, safe: swapSafe });
    const release = image.os ?? undefined;
    const wheels = swappable && compiled.length > 0 ? wheelsFix(model, final, project, final.base.written, slim, release, blockers.length === 0) : undefined;
    if (wheels) fixes.push({ ...wheels.fix, isPreferred: true });
    const { names } = installedDistributions(model, final, project);
    const problems = [...blockers, ...(compiled.length > 0 && !wheels ? [pythonMessages.unknownRequirements(compiled)] : [])];
    const related = [
      ...(swapSafe ? [{ message: pythonMessages.slimSafeBecause(names.length), range: at }] : problems.map((p) => ({ message: messages.conversionUnproven(p), range: at }))),
      ...(wheels ? [{ message: pythonMessages.wheelsBecause(compiled, wheels.packages, slim), range: at }] : []),
    ];
    return [{ message: pythonMessages.fullImage(final.base.resolved ?? final.base.written, slim), range: at, related, fixes }];
  },
};
