// The "download modules before copying the sources" fix: go.mod (and go.sum) are copied to the
// folder where the sources' COPY puts them, and `go mod download` runs in that folder.
import type { TextEdit } from 'vscode-languageserver-types';
import type { ModifiableInstruction } from 'dockerfile-ast';
import type { CopyStep, DockerfileModel, Stage } from '../../model';
import { joinPath } from '../../paths';
import { insertLinesBefore, keyword } from '../../fixes/edits';
import { copyLine, shellWord, type CopySource } from '../../fixes/dockerfileWords';

export interface ModuleFiles {
  /** go.mod's folder in the build context: '' for its root, "service" for service/go.mod. */
  readonly dir: string;
  /** Whether go.sum sits next to go.mod; undefined when the project facts do not say. */
  readonly hasSum: boolean | undefined;
}

/** `*` and `./*` copy every top-level entry, but a folder's contents, not the folder, so only top-level files keep their place. */
const TOP_LEVEL_PATTERNS = new Set(['*', './*']);

/** The context folder a COPY source names ('' for the whole context), or undefined for a pattern or an odd path. */
export function contextFolder(source: string): string | undefined {
  if (/[*?[\]\\$]/.test(source)) return undefined;
  const parts: string[] = [];
  for (const part of source.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.join('/');
}

/** Whether the source copies the module's go.mod (as the whole context, a top-level pattern, or a folder holding it). */
export function copiesModule(source: string, moduleDir: string): boolean {
  if (TOP_LEVEL_PATTERNS.has(source)) return true;
  const folder = contextFolder(source);
  return folder !== undefined && (folder === '' || moduleDir === folder || moduleDir.startsWith(`${folder}/`));
}

/**
 * Where `copy` puts go.mod's folder: absolute, or relative to the COPY's working directory ('.'
 * for that directory itself). Undefined when it cannot be known: a pattern or a variable in the
 * way, or more than one source that could hold go.mod.
 */
export function moduleDestination(copy: CopyStep, moduleDir: string): string | undefined {
  const covering = copy.sources.filter((s) => copiesModule(s, moduleDir));
  if (covering.length !== 1) return undefined;
  const source = covering[0] as string;
  let rest: string;
  if (TOP_LEVEL_PATTERNS.has(source)) {
    // A folder matched by `*` has its contents copied into the destination: service/go.mod would land beside main.go.
    if (moduleDir !== '') return undefined;
    rest = '';
  } else {
    const folder = contextFolder(source) as string;
    rest = folder === '' ? moduleDir : moduleDir.slice(folder.length + 1);
  }
  const destination = copy.destination;
  // The model keeps a variable it cannot resolve as `$NAME`: the folder is then unknown.
  if (destination === '' || destination.includes('$')) return undefined;
  // A folder source copies its contents into the destination, with or without a trailing slash.
  if (destination.startsWith('/')) return joinPath('/', rest === '' ? destination : `${destination}/${rest}`);
  const parts: string[] = [];
  for (const part of `${destination}/${rest}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** The working directory at `line` when the Dockerfile sets it (the base image's own WORKDIR is unknown: golang's is /go). */
function knownWorkdir(model: DockerfileModel, stage: Stage, copy: CopyStep): string | undefined {
  const setsAbsolute = (s: Stage, before: number): boolean => {
    for (const instruction of s.instructions) {
      if (instruction.getRange().start.line >= before) break;
      if (instruction.getKeyword() === 'WORKDIR' && /^["']?\//.test((instruction.getArgumentsContent() ?? '').trim())) return true;
    }
    const base = s.base.stage !== undefined ? model.stages[s.base.stage] : undefined;
    return base !== undefined && setsAbsolute(base, Number.POSITIVE_INFINITY);
  };
  if (!copy.workdir.startsWith('/') || copy.workdir.includes('$')) return undefined;
  return setsAbsolute(stage, copy.range.start.line) ? copy.workdir : undefined;
}

/** The --chown flag of the sources' COPY as written, so go.mod and go.sum get the same owner as the sources. */
function chownFlag(model: DockerfileModel, stage: Stage, copy: CopyStep): string | undefined {
  if (copy.chown === undefined) return undefined;
  const instruction = stage.instructions.find((i) => i.getRange().start.line === copy.range.start.line) as ModifiableInstruction | undefined;
  const flag = instruction?.getFlags().find((f) => f.getName().toLowerCase() === 'chown');
  return flag ? model.document.getText(flag.getRange()) : `--chown=${copy.chown}`;
}

/**
 * Copies go.mod (and go.sum) and runs `go mod download` right before the sources' COPY, in the
 * folder that COPY fills. Undefined when that folder cannot be known.
 */
export function downloadModulesFirst(model: DockerfileModel, stage: Stage, copy: CopyStep, module: ModuleFiles): TextEdit | undefined {
  const target = moduleDestination(copy, module.dir);
  // A line break cannot be written inside the RUN's `cd` word without ending the instruction.
  if (target === undefined || /[\r\n]/.test(target)) return undefined;
  const prefix = module.dir === '' ? '' : `${module.dir}/`;
  // When the facts do not say whether go.sum is sent, `go.sum*` copies it when it is there and
  // matches nothing otherwise, which COPY accepts as long as go.mod matches.
  const sum: CopySource[] = module.hasSum === true ? [`${prefix}go.sum`] : module.hasSum === undefined ? [{ literal: `${prefix}go.sum`, wildcard: '*' }] : [];
  const chown = chownFlag(model, stage, copy);
  const here = target === '.' || target === knownWorkdir(model, stage, copy);
  const destination = target === '.' ? './' : `${target}/`;
  // `cd` inside the RUN rather than a WORKDIR line: a WORKDIR would change the working directory
  // of every later instruction up to the next WORKDIR, and restoring it needs the directory in
  // force before, which is the base image's (golang's is /go) when the file sets none.
  const download = here ? 'go mod download' : `cd ${shellWord(target)} && go mod download`;
  const copyModule = copyLine(model, chown ? [chown] : [], [`${prefix}go.mod`, ...sum], destination);
  return insertLinesBefore(model, copy.range.start.line, [copyModule, `${keyword(model, 'RUN')} ${download}`]);
}
