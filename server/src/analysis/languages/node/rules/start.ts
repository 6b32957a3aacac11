// Whether the running program can need a dev dependency: what the container starts, and what
// the final stage runs after its install.
import type { Stage } from '../../../model';
import type { NodeProject } from '../node';
import { startWords, program } from '../../stage';
import { scriptRun } from './installs';
import type { NodeImports } from '../nodeImports';

/**
 * Why dev dependencies may be needed after the install at `line`; empty when they provably are
 * not. `imports` is what the program's sources load (undefined: not read), so a dev dependency
 * that the running program requires is never dropped.
 */
export function devDependencyUses(stage: Stage, node: NodeProject, afterLine: number, imports: NodeImports | undefined): string[] {
  const uses: string[] = [];
  if (!imports) uses.push('the program (its sources were not read for the packages they load)');
  else {
    for (const dev of node.devDependencies) {
      const at = imports.packages.get(dev);
      if (at) uses.push(`the program (${at.file}:${at.line + 1} loads ${dev}, a dev dependency)`);
    }
    for (const gap of imports.gaps) uses.push(`the program (${gap})`);
  }
  for (const run of stage.runs) {
    if (run.range.start.line < afterLine) continue;
    for (const c of run.commands) {
      const script = scriptRun(c);
      if (script !== undefined) uses.push(`\`${c.argv.join(' ')}\``);
    }
  }
  const words = startWords(stage);
  const first = program(words);
  if (first === 'node') return uses;
  if ((first === 'npm' && (words?.[1] === 'start' || (words?.[1] === 'run' && words[2] === 'start'))) || (first === 'yarn' && words?.[1] === 'start')) {
    const start = node.scripts.get('start');
    // npm start without a script runs `node server.js`.
    if (start === undefined || /^node\s+[\w./-]+(\s+[\w./=-]+)*$/.test(start.trim())) return uses;
    uses.push(`the start script \`${start}\``);
    return uses;
  }
  uses.push(words ? `the start command \`${words.join(' ')}\`` : 'the start command (not known)');
  return uses;
}
