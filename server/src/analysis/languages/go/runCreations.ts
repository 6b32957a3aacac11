// What a `go` command in a RUN writes, for what a stage's RUN steps may create (runCreates.ts asks
// through LanguageSupport.runCreations): a file the program reads that the context lacks is in the
// image only if a command may have made it.
import type { Stage } from '../../model';
import type { CreationSink } from '../answers';
import { commandName, type SimpleCommand } from '../../shell';
import { joinPath } from '../../paths';
import { flagValue } from '../../runCreates';

/** `go` subcommands that write only the module cache, GOPATH and go.mod/go.sum (or nothing). */
const GO_QUIET = new Set(['version', 'env', 'vet', 'list', 'doc', 'fmt', 'clean', 'help']);
const GO_MODULE = new Set(['download', 'tidy', 'verify', 'graph', 'why', 'edit', 'init']);

/**
 * What a `go` command writes: its -o; the module cache ($GOPATH/pkg), and in GOPATH mode $GOPATH/src
 * and bin; the working folder's go.mod/go.sum or vendor/. go run, test and generate run anything.
 */
export function goCreations(command: SimpleCommand, stage: Stage, add: CreationSink): boolean {
  if (commandName(command) !== 'go') return false;
  const gopath = stage.env.get('GOPATH') || '/go';
  const moduleCache = stage.env.get('GOMODCACHE') || joinPath(gopath, 'pkg');
  const sub = command.argv.slice(1).find((a) => !a.startsWith('-')) ?? '';
  if (sub === 'build') {
    const out = flagValue(command, ['-o']);
    // Without -o the binary is named after the package, in the working folder.
    add(out === undefined ? 'anything' : out.endsWith('/') ? 'tree' : 'path', out ?? '');
  } else if (sub === 'install' || sub === 'get') {
    for (const tree of [moduleCache, joinPath(gopath, 'pkg'), joinPath(gopath, 'src'), joinPath(gopath, 'bin')]) add('tree', tree);
    add('path', 'go.mod');
    add('path', 'go.sum');
  } else if (sub === 'mod') {
    const action = command.argv.slice(2).find((a) => !a.startsWith('-')) ?? '';
    if (action === 'vendor') add('tree', 'vendor');
    else if (!GO_MODULE.has(action)) add('anything', '');
    add('tree', moduleCache);
    add('path', 'go.mod');
    add('path', 'go.sum');
  } else if (!GO_QUIET.has(sub)) add('anything', '');  return true;
}
