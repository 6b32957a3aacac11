// The package installs of a Node stage: npm install / npm ci / yarn install, with the options that
// matter for the image (dev dependencies left out, the cache cleaned in the same RUN).
import type { Stage, RunStep } from '../../../model';
import type { SimpleCommand } from '../../../shell';
import { commandName } from '../../../shell';

export interface NodeInstall {
  readonly run: RunStep;
  readonly command: SimpleCommand;
  readonly manager: 'npm' | 'yarn' | 'pnpm';
  /** --omit=dev, --production, --only=prod(uction), or NODE_ENV=production around it. */
  readonly omitsDev: boolean;
  /** The same RUN cleans the cache, or mounts a cache over it. */
  readonly cacheCleaned: boolean;
}

const INSTALL_VERBS: Record<string, readonly string[]> = { npm: ['install', 'i', 'ci', 'add'], yarn: ['install', ''], pnpm: ['install', 'i'] };

export function nodeInstalls(stage: Stage): NodeInstall[] {
  const out: NodeInstall[] = [];
  const productionEnv = stage.env.get('NODE_ENV') === 'production';
  for (const run of stage.runs) {
    const cacheMounted = run.mounts.some((m) => m.type === 'cache' && /\.npm|yarn|pnpm|\.cache/.test(m.target ?? ''));
    for (const command of run.commands) {
      const name = commandName(command);
      if (name !== 'npm' && name !== 'yarn' && name !== 'pnpm') continue;
      const verb = command.argv.slice(1).find((w) => !w.startsWith('-')) ?? '';
      if (!(INSTALL_VERBS[name] as readonly string[]).includes(verb)) continue;
      // `npm install express` adds a package; it is an install all the same.
      const args = command.argv;
      const omitsDev =
        productionEnv ||
        command.assignments.get('NODE_ENV') === 'production' ||
        args.some((a) => a === '--production' || a === '--omit=dev' || /^--only=prod/.test(a) || a === '--prod') ||
        args.some((a, i) => a === '--omit' && args[i + 1] === 'dev');
      const cleans = run.commands.some((c) => {
        const n = commandName(c);
        return (n === 'npm' && c.argv[1] === 'cache' && c.argv[2] === 'clean') || (n === 'yarn' && c.argv[1] === 'cache' && c.argv[2] === 'clean') || (n === 'pnpm' && c.argv[1] === 'store' && c.argv[2] === 'prune') || (n === 'rm' && c.argv.some((a) => /\.npm|\.cache\/yarn|yarn-cache/.test(a)));
      });
      out.push({ run, command, manager: name, omitsDev, cacheCleaned: cleans || cacheMounted });
    }
  }
  return out;
}

/** `npm run build`, `yarn build`, `npx vite build`: the script or tool a command runs, if any. */
export function scriptRun(command: SimpleCommand): string | undefined {
  const name = commandName(command);
  const words = command.argv.slice(1).filter((w) => !w.startsWith('-'));
  if (name === 'npm' && (words[0] === 'run' || words[0] === 'run-script')) return words[1];
  if (name === 'npm' && ['test', 'start', 't'].includes(words[0] ?? '')) return words[0];
  if (name === 'yarn' || name === 'pnpm') return words[0] === 'run' ? words[1] : words[0] !== undefined && !['install', 'add', 'i', 'cache', 'store'].includes(words[0]) ? words[0] : undefined;
  if (name === 'npx') return words[0];
  return undefined;
}
