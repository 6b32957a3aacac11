// Python manifests -> the distributions a project installs (requirements.txt, pyproject.toml's
// [project] dependencies and Poetry's table) and the Python it asks for, and the pip installs in a
// stage with what matters for the image: the cache and what they install. Pure: text in, facts out.
import type { ProjectFacts } from '../../project';
import { stageChain, type DockerfileModel, type Stage, type RunStep } from '../../model';
import { commandName, type SimpleCommand } from '../../shell';
import { query, type AnalysisContext } from '../../context';
import { contextCopies, toContext } from '../../runtimeFiles';
import { baseName, joinPath } from '../../paths';

export interface PythonProject {
  readonly manifest: 'requirements.txt' | 'pyproject.toml';
  /** Normalised distribution names (PEP 503: lower case, runs of -_. as one -). */
  readonly requirements: readonly string[];
  /** requires-python as written, when pyproject.toml has it. */
  readonly requiresPython: string | undefined;
  /** Requirements given as a folder, an archive or a URL (`./vendor/pkg`, `-e .`): built by pip, unnamed here. */
  readonly unnamed?: readonly string[];
  /** Files a requirements file includes (`-r base.txt`, `--requirement=base.txt`), as written: pip reads them relative to it. Constraints (`-c`) install nothing and are not listed. */
  readonly includes?: readonly string[];
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
  const unnamed: string[] = [];
  const includes: string[] = [];
  // Continuation lines are one requirement (pip joins a line ending in a backslash with the next).
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    // Options (-r other.txt, -e ., --index-url) and URLs name no distribution here.
    if (/^(-e|--editable)\s/.test(line) || /^[a-z+]+:\/\//i.test(line) || line.startsWith('.') || line.startsWith('/')) {
      unnamed.push(line);
      continue;
    }
    const include = /^(?:-r\s*|--requirement(?:\s+|\s*=\s*))(\S+)$/.exec(line)?.[1];
    if (include !== undefined && !includes.includes(include)) includes.push(include);
    if (line === '' || line.startsWith('-')) continue;
    const name = requirementName(line.includes(' @ ') ? (line.split(' @ ')[0] as string) : line);
    if (name && !requirements.includes(name)) requirements.push(name);
  }
  return { manifest: 'requirements.txt', requirements, requiresPython: undefined, unnamed, includes };
}

/**
 * The context paths a requirements file at context path `file` includes (pip reads `-r base.txt`
 * beside the file including it); an absolute path, a URL or a variable names nothing in the context.
 */
export function requirementsIncludes(file: string, text: string): string[] {
  return (readRequirements(text).includes ?? [])
    .filter((include) => !include.startsWith('/') && !include.includes('$') && !/^[a-z+]+:/i.test(include))
    .map((include) => joinPath(joinPath(`/${file}`, '..'), include).slice(1));
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


// ---------------------------------------------------------------- pip installs

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

const REQUIREMENTS_FILES = query<ReadonlyMap<string, PythonProject>>('requirementsFiles');

/** Every requirements.txt the workspace read, at the root and in folders, by context path. */
function requirementsFiles(project: ProjectFacts, context: AnalysisContext): ReadonlyMap<string, PythonProject> {
  return context.memoProject(REQUIREMENTS_FILES, [project], () => {
    const files = new Map<string, PythonProject>();
    for (const [file, text] of project.manifests) if (/(^|\/)requirements\.txt$/.test(file)) files.set(file, readRequirements(text));
    return files;
  });
}

/**
 * The context file a `pip install -r FILE` reads: the COPY before the RUN that put it at that path
 * (COPY app/requirements.txt /app/ reads app/requirements.txt). A RUN with a bind mount may read
 * it from the context directly, which the model does not record: the root's file is taken then,
 * as pip's usual `-r requirements.txt` does.
 */
function requirementsSource(model: DockerfileModel, stage: Stage, run: RunStep, file: string, project: ProjectFacts): string | undefined {
  // The stages it is built FROM copied before it; its own copies count up to the RUN.
  const copies = stageChain(model, stage).flatMap((s) => contextCopies(s, project.contextListing).filter((c) => s !== stage || c.copy.range.start.line < run.range.start.line));
  const source = toContext(copies, joinPath(run.workdir, file), project.contextListing);
  if (source !== undefined) return source;
  return run.mounts.some((m) => m.type === 'bind') && baseName(file) === 'requirements.txt' ? 'requirements.txt' : undefined;
}

/** How deep pip's `-r` includes are followed: a requirements file including one including one… */
const MAX_INCLUDE_DEPTH = 5;

/** The requirements file at a context path: a requirements.txt, or a file one includes, which the workspace reads too. */
function requirementsAt(project: ProjectFacts, context: AnalysisContext, source: string): PythonProject | undefined {
  const named = requirementsFiles(project, context).get(source);
  if (named) return named;
  const text = project.manifests.get(source);
  return text === undefined ? undefined : readRequirements(text);
}

/** Every distribution the stage's pip installs name, from the command line and the manifest; `only`: one RUN's. */
export function installedDistributions(model: DockerfileModel, stage: Stage, project: ProjectFacts, only?: RunStep): { names: string[]; unknown: string[] } {
  const names = new Set<string>();
  const unknown: string[] = [];
  for (const install of pipInstalls(only ? { runs: [only], env: stage.env } : stage)) {
    for (const p of install.packages) {
      if (/[/\\]|\.whl$|\.tar\.gz$|^git\+/.test(p)) unknown.push(`pip installs ${p}`);
      else names.add(normalizeDistribution(p.replace(/[[<>=!~;@].*$/, '')));
    }
    if (install.command.argv.includes('.') || install.command.argv.includes('-e')) unknown.push('pip installs the project itself, whose build may compile');
    // A file and those it includes (`-r base.txt`), each read once; pip finds an include beside the file including it.
    const seen = new Set<string>();
    const read = (file: string, at: string, includedBy: string | undefined, depth: number): void => {
      const source = requirementsSource(model, stage, install.run, at, project);
      if (source !== undefined && seen.has(source)) return;
      if (source !== undefined) seen.add(source);
      const manifest = source === undefined ? undefined : requirementsAt(project, model.context, source);
      if (!manifest) {
        unknown.push(includedBy === undefined ? `${file} was not read` : `${file}, which ${includedBy} includes, was not read`);
        return;
      }
      for (const r of manifest.requirements) names.add(r);
      for (const u of manifest.unnamed ?? []) unknown.push(`${file} installs ${u}, which pip builds from source`);
      for (const include of manifest.includes ?? []) {
        if (depth >= MAX_INCLUDE_DEPTH) unknown.push(`${include}, which ${file} includes, was not read: includes are followed ${MAX_INCLUDE_DEPTH} deep`);
        else read(include, joinPath(joinPath(joinPath(install.run.workdir, at), '..'), include), file, depth + 1);
      }
    };
    for (const file of install.requirementFiles) read(file, file, undefined, 1);
  }
  return { names: [...names], unknown };
}
