// pip installs in a stage, with what matters for the image: the cache and what they install.
import type { Stage, RunStep } from '../model';
import type { SimpleCommand } from '../shell';
import type { ProjectFacts } from '../project';
import { commandName } from '../shell';
import { normalizeDistribution, pythonProjectOf } from './python';

export interface PipInstall {
  readonly run: RunStep;
  readonly command: SimpleCommand;
  /** The program word: pip, pip3, pip3.11, or python for `python -m pip`. */
  readonly program: string;
  readonly cacheDisabled: boolean;
  /** Packages named on the command line (not -r files). */
  readonly packages: readonly string[];
  readonly requirementFiles: readonly string[];
}

const TRUE = /^(1|true|yes|on)$/i;

export function pipInstalls(stage: Stage | { readonly runs: readonly RunStep[]; readonly env: ReadonlyMap<string, string> }): PipInstall[] {
  const out: PipInstall[] = [];
  const envOff = TRUE.test(stage.env.get('PIP_NO_CACHE_DIR') ?? '') || stage.env.get('PIP_NO_CACHE_DIR') === 'off';
  for (const run of stage.runs) {
    const mounted = run.mounts.some((m) => m.type === 'cache' && (m.target ?? '').includes('.cache/pip'));
    for (const command of run.commands) {
      const name = commandName(command);
      let args: readonly string[];
      if (/^pip(3(\.\d+)?)?$/.test(name)) args = command.argv.slice(1);
      else if (/^python(3(\.\d+)?)?$/.test(name) && command.argv[1] === '-m' && command.argv[2] === 'pip') args = command.argv.slice(3);
      else continue;
      if (args.find((w) => !w.startsWith('-')) !== 'install') continue;
      const packages: string[] = [];
      const requirementFiles: string[] = [];
      for (let i = args.indexOf('install') + 1; i < args.length; i++) {
        const w = args[i] as string;
        if (w === '-r' || w === '--requirement') requirementFiles.push(args[++i] ?? '');
        else if (/^(-c|--constraint|-i|--index-url|--extra-index-url|-f|--find-links|-t|--target|--prefix|--root)$/.test(w)) i++;
        else if (!w.startsWith('-') && w !== '.') packages.push(w);
      }
      out.push({
        run,
        command,
        program: name,
        cacheDisabled: envOff || mounted || command.assignments.has('PIP_NO_CACHE_DIR') || args.includes('--no-cache-dir'),
        packages,
        requirementFiles,
      });
    }
  }
  return out;
}

/** Every distribution the stage's pip installs name, from the command line and the manifest. */
export function installedDistributions(stage: Stage | { readonly runs: readonly RunStep[]; readonly env: ReadonlyMap<string, string> }, project: ProjectFacts): { names: string[]; unknown: string[] } {
  const names = new Set<string>();
  const unknown: string[] = [];
  for (const install of pipInstalls(stage)) {
    for (const p of install.packages) {
      if (/[/\\]|\.whl$|\.tar\.gz$|^git\+/.test(p)) unknown.push(`pip installs ${p}`);
      else names.add(normalizeDistribution(p.replace(/[[<>=!~;@].*$/, '')));
    }
    if (install.command.argv.includes('.') || install.command.argv.includes('-e')) unknown.push('pip installs the project itself, whose build may compile');
    for (const file of install.requirementFiles) {
      const manifest = pythonProjectOf(project);
      if (!manifest || manifest.manifest !== 'requirements.txt' || !/(^|\/)requirements\.txt$/.test(file)) unknown.push(`${file} was not read`);
      else for (const r of manifest.requirements) names.add(r);
    }
  }
  return { names: [...names], unknown };
}
