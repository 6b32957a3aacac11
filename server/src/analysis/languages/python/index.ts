// Python as one of the languages: the python images, requirements and pyproject, pip, and its
// rules (rules/). What the requirements say is read in python.ts.
import type { LanguageSupport } from '../types';
import { WEB_ROUTES } from '../../webRoutes';
import { describePythonImage } from './image';
import { installedDistributions, pipInstalls, requirementsIncludes } from './python';
import { PYTHON_RULES } from './rules';
import { catalogEntriesOf } from '../../imageCatalog';
import catalog from './catalog.json';

declare module '../id' {
  interface LanguageIds {
    python: true;
  }
}

export const python: LanguageSupport = {
  id: 'python',
  name: 'Python',
  manifests: ['requirements.txt', 'pyproject.toml'],
  companionFiles: ['poetry.lock', 'Pipfile', 'Pipfile.lock', 'setup.py'],
  manifestIncludes: (file, text) => (file.endsWith('.txt') ? requirementsIncludes(file, text) : []),
  sourceExtensions: ['.py'],
  routes: WEB_ROUTES,
  buildCommands: ['pip', 'pip3', 'python', 'python3', 'poetry', 'uv', 'pipenv'],
  rules: { structure: PYTHON_RULES },
  describeImage: describePythonImage,
  estimateRun: (model, stage, run, project) => {
    if (pipInstalls({ runs: [run], env: stage.env }).length === 0) return [];
    const { names, unknown } = installedDistributions(model, stage, project, run);
    if (names.length === 0 && unknown.length === 0) return [{ what: 'pip: no third-party packages named', bytes: 0, provenance: { origin: 'context', detail: 'requirements read', confidence: 'high' } }];
    return [{ what: `pip packages: ${[...names, ...unknown].slice(0, 6).join(', ')}${names.length + unknown.length > 6 ? ', …' : ''}`, bytes: undefined, provenance: undefined }];
  },
  catalog: { entries: catalogEntriesOf(catalog) },
};
