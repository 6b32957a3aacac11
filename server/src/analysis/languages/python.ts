// Python manifests -> the distributions a project installs (requirements.txt, pyproject.toml's
// [project] dependencies and Poetry's table) and the Python it asks for. Pure: text in, facts out.
import type { ImageReference } from '../imageRef';
import type { LanguageSupport } from './types';
import type { ProjectFacts } from '../project';
import { languageImageFacts, osFromTag } from './facts';
import { languageImage } from './runtimeImages';
import { installedDistributions, pipInstalls } from './pipInstalls';

export interface PythonProject {
  readonly manifest: 'requirements.txt' | 'pyproject.toml';
  /** Normalised distribution names (PEP 503: lower case, runs of -_. as one -). */
  readonly requirements: readonly string[];
  /** requires-python as written, when pyproject.toml has it. */
  readonly requiresPython: string | undefined;
}

/**
 * Distributions whose PyPI releases ship compiled extensions as manylinux (glibc) wheels: on
 * python:*-slim they install without a compiler; on Alpine (musl) pip finds no musllinux wheel
 * for many releases and builds from source, which needs a compiler, headers and minutes.
 */
export const MANYLINUX_WHEEL_PACKAGES: ReadonlySet<string> = new Set([
  'numpy', 'pandas', 'scipy', 'scikit-learn', 'cryptography', 'grpcio', 'lxml', 'pillow', 'psycopg2-binary', 'matplotlib',
  'pyarrow', 'orjson', 'ujson', 'pydantic-core', 'bcrypt', 'cffi', 'greenlet', 'uvloop', 'httptools', 'msgpack', 'regex',
  'shapely', 'h5py', 'numba', 'llvmlite', 'tokenizers', 'torch', 'opencv-python', 'opencv-python-headless', 'zstandard',
  'pyyaml', 'markupsafe', 'aiohttp', 'frozenlist', 'multidict', 'yarl', 'kiwisolver', 'contourpy', 'scikit-image',
]);

/**
 * Pure-Python distributions (one wheel for every platform): pip installs them anywhere without a
 * compiler.
 */
export const PURE_PYTHON_PACKAGES: ReadonlySet<string> = new Set([
  'flask', 'django', 'requests', 'click', 'jinja2', 'werkzeug', 'itsdangerous', 'gunicorn', 'fastapi', 'starlette', 'uvicorn',
  'urllib3', 'idna', 'certifi', 'six', 'python-dateutil', 'pytz', 'packaging', 'attrs', 'typing-extensions', 'anyio',
  'sniffio', 'h11', 'httpx', 'httpcore', 'boto3', 's3transfer', 'jmespath', 'redis', 'python-dotenv', 'pyjwt', 'tzdata',
  'rich', 'pygments', 'tqdm', 'toml', 'tomli', 'blinker', 'asgiref', 'sqlparse', 'setuptools', 'wheel', 'pip',
]);

/** Whether pip installs this distribution on a glibc image without a compiler. */
export function installsWithoutCompiler(name: string): boolean {
  const n = normalizeDistribution(name);
  return PURE_PYTHON_PACKAGES.has(n) || MANYLINUX_WHEEL_PACKAGES.has(n);
}

/** Distributions that build from source on every platform and link a system library at run time. */
export const NEEDS_SYSTEM_LIBRARY: ReadonlySet<string> = new Set(['psycopg2', 'mysqlclient', 'pycairo', 'pygobject', 'python-ldap', 'pyodbc', 'gssapi', 'uwsgi']);

export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A PEP 508 requirement's name: everything before extras, a version, a marker or a URL. */
function requirementName(line: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
  return m ? normalizeDistribution(m[1] as string) : undefined;
}

export function readRequirements(text: string): PythonProject {
  const requirements: string[] = [];
  // Continuation lines are one requirement (pip joins a line ending in a backslash with the next).
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    // Options (-r other.txt, -e ., --index-url) and URLs name no distribution here.
    if (line === '' || line.startsWith('-') || /^[a-z+]+:\/\//i.test(line) || line.startsWith('.') || line.startsWith('/')) continue;
    const name = requirementName(line.includes(' @ ') ? (line.split(' @ ')[0] as string) : line);
    if (name && !requirements.includes(name)) requirements.push(name);
  }
  return { manifest: 'requirements.txt', requirements, requiresPython: undefined };
}

/**
 * Reads the two tables Slimfile needs from pyproject.toml. A TOML subset reader: `[project]`'s
 * `dependencies = [ "…", … ]` and `requires-python`, and `[tool.poetry.dependencies]` keys —
 * strings and arrays of strings are all it has to understand.
 */
export function readPyproject(text: string): PythonProject {
  const requirements: string[] = [];
  let requiresPython: string | undefined;
  let table = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = header[1] as string;
      continue;
    }
    if (table === 'project') {
      const rp = /^requires-python\s*=\s*["']([^"']*)["']/.exec(line);
      if (rp) requiresPython = rp[1];
      if (/^dependencies\s*=\s*\[/.test(line)) {
        let body = line.slice(line.indexOf('[') + 1);
        while (!/\]\s*(#.*)?$/.test(body.replace(/"[^"]*"|'[^']*'/g, '')) && i + 1 < lines.length) body += `\n${lines[++i] as string}`;
        for (const m of body.matchAll(/"([^"]*)"|'([^']*)'/g)) {
          const name = requirementName((m[1] ?? m[2]) as string);
          if (name && !requirements.includes(name)) requirements.push(name);
        }
      }
    } else if (table === 'tool.poetry.dependencies') {
      const key = /^["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=/.exec(line)?.[1];
      if (key === 'python') requiresPython = /=\s*["']([^"']*)["']/.exec(line)?.[1];
      else if (key) requirements.push(normalizeDistribution(key));
    }
  }
  return { manifest: 'pyproject.toml', requirements, requiresPython };
}

/** BaseFacts of a python image: full (compilers, buildpack-deps) or slim/alpine from runtimeImages.ts, its OS from the tag. */
function describePythonImage(ref: ImageReference) {
  const image = languageImage(ref);
  if (image?.language !== 'python') return undefined;
  const { slim: _slim, ...os } = osFromTag(ref.tag ?? 'latest');
  return languageImageFacts({ kind: image.kind === 'full' ? 'toolchain' : 'language-runtime', ...os, language: 'python', ...(image.version ? { languageVersion: image.version } : {}) });
}

export const python: LanguageSupport = {
  id: 'python',
  name: 'Python',
  manifests: ['requirements.txt', 'pyproject.toml'],
  companionFiles: ['poetry.lock', 'Pipfile', 'Pipfile.lock', 'setup.py'],
  sourceExtensions: ['.py'],
  buildCommands: ['pip', 'pip3', 'python', 'python3', 'poetry', 'uv', 'pipenv'],
  describeImage: describePythonImage,
  estimateRun: (_model, stage, run, project) => {
    if (pipInstalls({ runs: [run], env: stage.env }).length === 0) return [];
    const { names, unknown } = installedDistributions({ runs: [run], env: stage.env }, project);
    if (names.length === 0 && unknown.length === 0) return [{ what: 'pip: no third-party packages named', bytes: 0, provenance: { origin: 'context', detail: 'requirements read', confidence: 'high' } }];
    return [{ what: `pip packages: ${[...names, ...unknown].slice(0, 6).join(', ')}${names.length + unknown.length > 6 ? ', …' : ''}`, bytes: undefined, provenance: undefined }];
  },
};

const parsedPython = new WeakMap<ProjectFacts, PythonProject | undefined>();

/** The context's requirements.txt, else pyproject.toml, read once per project facts. */
export function pythonProjectOf(project: ProjectFacts): PythonProject | undefined {
  if (parsedPython.has(project)) return parsedPython.get(project);
  const requirements = project.manifests.get('requirements.txt');
  const pyproject = project.manifests.get('pyproject.toml');
  const result = requirements !== undefined ? readRequirements(requirements) : pyproject !== undefined ? readPyproject(pyproject) : undefined;
  parsedPython.set(project, result);
  return result;
}
