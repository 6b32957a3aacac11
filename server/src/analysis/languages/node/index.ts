// Node as one of the languages: the node images, package.json and its lock files, npm, yarn and
// pnpm, and its rules (rules/). What package.json says is read in node.ts.
import type { LanguageSupport } from '../types';
import { WEB_GRAMMARS, WEB_ROUTES } from '../../webRoutes';
import { describeNodeImage } from './image';
import { commandName } from '../../shell';
import { nodeProjectOf } from './node';
import { NODE_RULES } from './rules';
import { catalogEntriesOf } from '../../imageCatalog';
import catalog from './catalog.json';

declare module '../id' {
  interface LanguageIds {
    node: true;
  }
}

export const node: LanguageSupport = {
  id: 'node',
  name: 'Node',
  manifests: ['package.json'],
  companionFiles: ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'],
  sourceExtensions: ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'],
  // Its sources are read through tree-sitter's JavaScript grammar for the packages they import.
  grammars: WEB_GRAMMARS,
  routes: WEB_ROUTES,
  buildCommands: ['npm', 'npx', 'yarn', 'pnpm', 'node'],
  rules: { structure: NODE_RULES },
  describeImage: describeNodeImage,
  estimateRun: (model, _stage, run, project) => {
    const installs = run.commands.filter((c) => ['npm', 'yarn', 'pnpm'].includes(commandName(c)) && ['install', 'i', 'ci', 'add'].includes(c.argv.slice(1).find((w) => !w.startsWith('-')) ?? ''));
    if (installs.length === 0) return [];
    const manifest = nodeProjectOf(project, model.context);
    const count = manifest ? manifest.dependencies.length + manifest.devDependencies.length : undefined;
    if (count === 0 && installs.every((c) => c.argv.slice(1).filter((w) => !w.startsWith('-')).length === 1)) {
      return [{ what: 'node_modules: package.json has no dependencies', bytes: 0, provenance: { origin: 'context', detail: 'package.json read', confidence: 'high' } }];
    }
    return [{ what: count === undefined ? 'node_modules (package.json not read)' : `node_modules (${count} packages named in package.json, and theirs)`, bytes: undefined, provenance: undefined }];
  },
  catalog: { entries: catalogEntriesOf(catalog) },
};
