// What a stage's RUN steps may leave in the image: per simple command, the paths it may create.
// A file the program reads that the context lacks is in the original image only if one of them
// may have made it; a folder made by mkdir is where a later COPY puts its files. Pure.
import type { RunStep, Stage } from './model';
import type { SimpleCommand } from './shell';
import { commandName } from './shell';
import { joinPath } from './paths';
import { expandVariables } from './variables';
import { languageCreations } from './languages/answers';

export interface Creation {
  /** The command as written, and the line of its RUN (1-based), to name it in a reason. */
  readonly command: string;
  readonly line: number;
  /**
   * `path`: exactly this path (a file, or an empty folder); `tree`: this path and anything under
   * it; `anything`: any path (a command Slimfile does not know, or a path it cannot read).
   */
  readonly kind: 'path' | 'tree' | 'anything';
  /** Absolute; '' for `anything`. */
  readonly path: string;
  /** The path is a folder (mkdir, install -d): a COPY into it puts its source inside. */
  readonly folder: boolean;
}

/** Commands that write nothing but their output (redirections aside) and the shell's own words. */
const CREATE_NOTHING = new Set([
  'echo', 'printf', 'ls', 'cat', 'true', 'false', 'pwd', 'env', 'printenv', 'which', 'id', 'whoami', 'uname', 'date',
  'sleep', 'test', '[', 'rm', 'rmdir', 'chmod', 'chown', 'chgrp', 'du', 'df', 'file', 'ldd', 'head', 'tail', 'wc',
  'grep', 'stat', 'export', 'set', 'unset', 'fi', 'done', 'esac', 'exit', 'upx', 'strip', 'sha256sum', 'md5sum',
  // sed -i rewrites a file that is there already; without -i it prints.
  'sed',
]);
/** Package managers: they write system folders, never the program's working tree. */
const PACKAGE_MANAGERS = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper', 'dpkg', 'rpm', 'update-ca-certificates']);
const SYSTEM_TREES = ['/etc', '/usr', '/var', '/lib', '/lib64', '/bin', '/sbin', '/opt', '/run', '/tmp', '/root'];
/** Every path the stage's RUN steps may create, in file order. */
export function runCreations(stage: Stage, runs: readonly RunStep[] = stage.runs): Creation[] {
  const out: Creation[] = [];
  for (const run of runs) {
    const line = run.range.start.line + 1;
    let cwd: string | undefined = run.workdir;
    for (const command of run.commands) {
      const text = [...command.argv, ...command.redirects.map((r) => `> ${r}`)].join(' ');
      const add = (kind: Creation['kind'], written: string, folder = false): void => {
        const path = resolve(written, cwd, run);
        if (kind === 'anything' || path === undefined) out.push({ command: text, line, kind: 'anything', path: '', folder: false });
        else out.push({ command: text, line, kind, path, folder });
      };
      for (const target of command.redirects) if (!/^\/dev\//.test(target)) add('path', target);
      const name = commandName(command);
      const operands = command.argv.slice(1).filter((a) => !a.startsWith('-'));
      if (name === 'cd') {
        cwd = operands[0] === undefined ? '/root' : resolve(operands[0], cwd, run);
      } else if (CREATE_NOTHING.has(name) || (name === 'find' && !command.argv.some((a) => /^-(exec|execdir|ok|okdir|fprint\w*|fls)$/.test(a)))) {
        // Nothing besides the redirections above (find only lists unless it runs or writes something).
      } else if (name === 'mkdir') {
        const skip = command.argv.includes('-m') ? 1 : 0; // -m MODE takes a value
        for (const dir of operands.slice(skip)) add('path', dir, true);
      } else if (name === 'touch') {
        for (const file of operands) add('path', file);
      } else if (name === 'tee') {
        for (const file of operands) add('path', file);
      } else if (['cp', 'mv', 'ln', 'install', 'rsync'].includes(name)) {
        const target = flagValue(command, ['-t', '--target-directory']);
        if (name === 'install' && command.argv.includes('-d')) for (const dir of operands) add('path', dir, true);
        else if (target !== undefined) add('tree', target);
        else if (operands.length >= 2) add('tree', operands[operands.length - 1] as string);
        else add('anything', '');
      } else if (languageCreations(command, stage, add)) {
        // A language's own command (Go's `go`), which wrote what it said through add.
      } else if (PACKAGE_MANAGERS.has(name)) {
        for (const tree of SYSTEM_TREES) add('tree', tree);
      } else if (['adduser', 'useradd', 'addgroup', 'groupadd'].includes(name)) {
        for (const tree of ['/etc', '/home']) add('tree', tree);
      } else if (name === 'curl') {
        const output = flagValue(command, ['-o', '--output']);
        if (output !== undefined) add('path', output);
        else if (command.argv.some((a) => a === '-O' || a === '--remote-name' || /^-[a-zA-Z]*O/.test(a))) add('anything', '');
      } else if (name === 'wget' && flagValue(command, ['-O', '--output-document']) !== undefined) {
        const output = flagValue(command, ['-O', '--output-document']) as string;
        if (output !== '-') add('path', output);
      } else {
        // A command Slimfile does not know (a script, make, tar…) may create anything.
        add('anything', '');
      }
    }
  }
  return out;
}

/** The value of a flag written `-o value`, `-o=value` or `--output=value`. */
export function flagValue(command: SimpleCommand, names: readonly string[]): string | undefined {
  const argv = command.argv;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string;
    if (names.includes(word)) return argv[i + 1];
    const eq = names.find((n) => word.startsWith(`${n}=`));
    if (eq) return word.slice(eq.length + 1);
  }
  return undefined;
}

/** An operand as an absolute path, with the RUN's variables; undefined when a variable or the folder is unknown. */
function resolve(written: string, cwd: string | undefined, run: RunStep): string | undefined {
  let path = written;
  if (path.includes('$')) {
    const expanded = expandVariables(path, run.env, '\\', { keepUnknown: true });
    if (expanded.value.includes('$')) return undefined;
    path = expanded.value;
  }
  if (/[*?[]/.test(path) || path.startsWith('~')) return undefined;
  if (path.startsWith('/')) return joinPath('/', path);
  return cwd === undefined ? undefined : joinPath(cwd, path);
}

/** The first RUN command that may create `path` (exactly, or as part of a tree that holds it), or undefined. */
export function mayCreate(creations: readonly Creation[], path: string): Creation | undefined {
  return creations.find((c) => c.kind === 'anything' || c.path === path || (c.kind === 'tree' && (path.startsWith(`${c.path === '/' ? '' : c.path}/`) || c.path === '/')));
}

/** The first RUN command that may create something under `folder` (or the folder itself), or undefined. */
export function mayCreateUnder(creations: readonly Creation[], folder: string): Creation | undefined {
  const prefix = folder === '/' ? '/' : `${folder}/`;
  // An empty folder made at `folder` itself puts nothing under it.
  return creations.find((c) => c.kind === 'anything' || (c.path === folder && !c.folder) || c.path.startsWith(prefix) || (c.kind === 'tree' && folder.startsWith(`${c.path === '/' ? '' : c.path}/`)));
}
