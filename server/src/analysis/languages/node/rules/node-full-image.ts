// The full node image in the final stage: node:N-slim runs the same program, and a build stage on
// the full image compiles native addons for it.
import type { Fix, Rule } from '../../../findings';
import type { DockerfileModel, Stage } from '../../../model';
import { splitStage, outsideWorkdir } from '../../../fixes/splitStage';
import { execJson, keyword } from '../../../fixes/edits';
import { nodeImportsOf } from '../nodeImports';
import { linkCheckLines } from '../../linkCheck';
import type { ProjectFacts } from '../../../project';
import { languageImageOf, foreignRuns, healthcheckTool, startWords, HARMLESS } from '../../stage';
import { alpineTag, slimTag } from '../../runtimeImages';
import { nodeMessages } from './messages';
import { nodeOutsideUses, outsideUseProblems } from '../../processUse';
import { messages } from '../../../messages';
import { nodeProjectOf } from '../node';
import type { AnalysisContext } from '../../../context';

const NODE_COMMANDS = new Set(['npm', 'npx', 'yarn', 'pnpm', 'node', 'corepack', ...HARMLESS]);

/**
 * Why the slim image may lack what this stage needs, in two kinds: what only the install needs
 * (native addons to compile, git dependencies, versions resolved without a lock file), which a
 * build stage on the full image takes care of, and the rest, which no stage split changes.
 */
export function slimObstacles(stage: Stage, project: ProjectFacts, context: AnalysisContext): { install: string[]; other: string[] } {
  const install: string[] = [];
  const other: string[] = [];
  const node = nodeProjectOf(project, context);
  if (!node) other.push('package.json was not read');
  else {
    other.push(...node.problems);
    for (const m of node.nativeModules) install.push(`${m.name} builds a native addon (${m.why}); the slim image has no python3, make or g++`);
    for (const g of node.gitDependencies) install.push(`${g} is fetched with git, which the slim image does not have`);
    if (!node.lockFile && node.dependencies.length + node.devDependencies.length > 0) install.push('there is no lock file, so the packages an install pulls in are not known');
  }
  other.push(...outsideUseProblems(nodeOutsideUses(project, context), 'JavaScript/TypeScript'));
  for (const run of foreignRuns(stage, NODE_COMMANDS)) other.push(`line ${run.range.start.line + 1}: a RUN step uses tools the slim image may not have`);
  const tool = healthcheckTool(stage);
  if (tool) other.push(`the HEALTHCHECK runs ${tool}, which the slim image does not have`);
  return { install, other };
}

/** Why the slim image may lack what this stage needs; empty when it provably does not. */
export function slimProblems(stage: Stage, project: ProjectFacts, context: AnalysisContext): string[] {
  const { install, other } = slimObstacles(stage, project, context);
  return [...install, ...other];
}

/**
 * `npm start` / `npm run <script>` as the container's command, resolved through package.json to
 * the command the script runs, when that is plain `node <file> [args]`: node then gets the
 * signals itself. Kept as written when npm would do more: pre/post scripts, a script with shell
 * syntax, or sources that read the npm_* variables only npm sets.
 */
function resolvedStart(model: DockerfileModel, stage: Stage, project: ProjectFacts, context: AnalysisContext): { rewrite: Map<number, string>; note: string } | undefined {
  const cmd = stage.cmd;
  const words = startWords(stage);
  const node = nodeProjectOf(project, context);
  if (!cmd || stage.entrypoint || !words || !node || words[0] !== 'npm') return undefined;
  const script = words[1] === 'start' && words.length === 2 ? 'start' : words[1] === 'run' && words.length === 3 ? words[2] : undefined;
  const command = script === undefined ? undefined : node.scripts.get(script);
  if (script === undefined || command === undefined || node.scripts.has(`pre${script}`) || node.scripts.has(`post${script}`)) return undefined;
  const argv = command.trim().split(/\s+/);
  if (argv[0] !== 'node' || !argv.every((w) => /^[\w./=:@,+-]+$/.test(w))) return undefined;
  if ((nodeImportsOf(project, context)?.npmVariables.length ?? 1) > 0) return undefined;
  return {
    rewrite: new Map([[cmd.range.start.line, `${keyword(model, 'CMD')} ${execJson(argv)}`]]),
    note: `\`${words.join(' ')}\` runs \`${command.trim()}\` (package.json's "${script}" script), which the runtime starts directly.`,
  };
}

/**
 * The stage, as written, becomes the build stage on the full image (compilers, python3, git), and
 * the runtime on the slim image of the same Debian release gets the whole working folder with its
 * node_modules. The build stage proves that every library the addons link is on the slim image.
 */
function buildStageFix(model: DockerfileModel, stage: Stage, project: ProjectFacts, context: AnalysisContext, slim: string, native: boolean, lockFile: boolean, safe: boolean): Fix | undefined {
  const notes = [
    `Built on ${stage.base.written}, with its compilers, and run on ${slim}: the same Node on the same Debian release, with node_modules copied whole.`,
    ...(lockFile ? [] : ['There is no lock file: the versions are resolved when the image is built.']),
  ];
  const check = native ? linkCheckLines(model, { runtimeImage: slim, packages: [], what: 'a Node addon', roots: stage.workdir, files: '*.node' }) : [];
  const start = resolvedStart(model, stage, project, context);
  const split = splitStage(model, stage, { runtimeImage: slim, buildLines: check, notes: [...notes, ...(start ? [start.note] : [])], ...(start ? { rewrite: start.rewrite } : {}) });
  if (!split.ok) return undefined;
  return { title: safe ? `Build on ${stage.base.written}, run on ${slim}` : `Build on ${stage.base.written}, run on ${slim} (review: not proven safe)`, edits: split.edits, safe };
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
    const { install, other } = slimObstacles(final, project, model.context);
    const problems = [...install, ...other];
    const at = final.base.range;
    const fixes: Fix[] = [];
    const toSlim = imageSwap(final, slim);
    if (toSlim) fixes.push({ title: problems.length === 0 ? `Use ${slim}` : `Use ${slim} (review: not proven safe)`, edits: toSlim, isPreferred: problems.length === 0, safe: problems.length === 0 });
    const node = nodeProjectOf(project, model.context);
    const native = node?.nativeModules.map((m) => m.name) ?? [];
    const split = toSlim && install.length > 0 && outsideWorkdir(final).length === 0 ? buildStageFix(model, final, project, model.context, slim, native.length > 0, node?.lockFile !== undefined, other.length === 0) : undefined;
    if (split) fixes.push({ ...split, isPreferred: true });
    const alpine = alpineTag(image);
    const toAlpine = alpine ? imageSwap(final, alpine) : undefined;
    if (alpine && toAlpine) fixes.push({ title: `Use ${alpine} (review: musl)`, edits: toAlpine, safe: false });
    const related = [
      ...(problems.length === 0 ? [{ message: nodeMessages.slimSafeBecause(), range: at }] : (split?.safe ? other : problems).map((p) => ({ message: messages.conversionUnproven(p), range: at }))),
      ...(split ? [{ message: nodeMessages.buildStage(install, slim), range: at }] : []),
      ...(alpine ? [{ message: nodeMessages.alpineCaveat(native), range: at }] : []),
    ];
    return [{ message: nodeMessages.fullImage(final.base.resolved ?? final.base.written, slim), range: at, related, fixes }];
  },
};
