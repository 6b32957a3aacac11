// The full python image in the final stage: python:X-slim runs the same program, and a
// virtualenv built in a stage brings compiled dependencies along without the compiler.
import type { Fix, Rule } from '../../findings';
import type { DockerfileModel, Stage } from '../../model';
import type { ProjectFacts } from '../../project';
import { languageImageOf, foreignRuns, healthcheckTool, HARMLESS } from '../../languages/stage';
import { slimTag } from '../../languages/runtimeImages';
import { installsWithoutCompiler, NEEDS_SYSTEM_LIBRARY } from '../../languages/python';
import { splitStage, outsideWorkdir } from '../../fixes/splitStage';
import { keyword } from '../../fixes/edits';
import { pipInstalls, installedDistributions } from '../../languages/python';
import { pythonMessages } from './messages';
import { outsideUseProblems, pythonOutsideUses } from '../../languages/processUse';
import { messages } from '../../messages';
import type { AnalysisContext } from '../../context';

const PYTHON_COMMANDS = new Set(['pip', 'pip3', 'python', 'python3', ...HARMLESS]);
const VENV = '/opt/venv';

function slimProblems(stage: Stage, project: ProjectFacts, context: AnalysisContext): string[] {
  const { names, unknown } = installedDistributions(stage, project, context);
  const problems = [...unknown, ...outsideUseProblems(pythonOutsideUses(project, context), 'Python')];
  const compiled = names.filter((n) => !installsWithoutCompiler(n));
  if (compiled.length > 0) problems.push(pythonMessages.unknownRequirements(compiled));
  for (const run of foreignRuns(stage, PYTHON_COMMANDS)) problems.push(`line ${run.range.start.line + 1}: a RUN step uses tools the slim image may not have`);
  const tool = healthcheckTool(stage);
  if (tool) problems.push(`the HEALTHCHECK runs ${tool}, which the slim image does not have`);
  return problems;
}

function venvFix(model: DockerfileModel, stage: Stage, slim: string, project: ProjectFacts): Fix | undefined {
  const k = (w: string): string => keyword(model, w);
  const { names } = installedDistributions(stage, project, model.context);
  const linked = names.filter((n) => NEEDS_SYSTEM_LIBRARY.has(n));
  const notes = [
    'The virtualenv is built on the full image (with its compiler) and copied whole into the slim one.',
    ...(linked.length > 0 ? [`Check before use: ${linked.join(', ')} link${linked.length === 1 ? 's' : ''} a system library at run time; install its runtime package in this stage.`] : []),
  ];
  const split = splitStage(model, stage, {
    runtimeImage: slim,
    buildPrologue: [`${k('RUN')} python3 -m venv ${VENV}`, `${k('ENV')} PATH="${VENV}/bin:$PATH"`],
    runtimeLines: [`${k('COPY')} --from=${stage.name ?? 'build'} ${VENV} ${VENV}`, `${k('ENV')} PATH="${VENV}/bin:$PATH"`],
    buildOnlyEnv: /^(PIP_\w+)$/,
    notes,
  });
  return split.ok ? { title: `Install into a virtualenv in a build stage, run on ${slim} (review)`, edits: split.edits, safe: false } : undefined;
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
    const problems = slimProblems(final, project, model.context);
    const at = final.base.range;
    const fixes: Fix[] = [];
    const swappable = final.base.stage === undefined && !final.base.written.includes('$');
    if (swappable) fixes.push({ title: problems.length === 0 ? `Use ${slim}` : `Use ${slim} (review: not proven safe)`, edits: [{ range: at, newText: slim }], isPreferred: problems.length === 0, safe: problems.length === 0 });
    const venv = pipInstalls(final).length > 0 && problems.length > 0 && outsideWorkdir(final).length === 0 ? venvFix(model, final, slim, project) : undefined;
    if (venv) fixes.push({ ...venv, isPreferred: true });
    const { names } = installedDistributions(final, project, model.context);
    const related = [
      ...(problems.length === 0 ? [{ message: pythonMessages.slimSafeBecause(names.length), range: at }] : problems.map((p) => ({ message: messages.conversionUnproven(p), range: at }))),
      ...(venv ? [{ message: pythonMessages.venvOption(), range: at }] : []),
    ];
    return [{ message: pythonMessages.fullImage(final.base.resolved ?? final.base.written, slim), range: at, related, fixes }];
  },
};
