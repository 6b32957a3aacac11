// Reads go.mod: module path, go directive, toolchain, requires (direct/indirect) and replaces.
// Hand-written because no maintained npm package parses go.mod; the grammar is small
// (directives, parenthesised blocks, `//` comments) and fixed by the Go reference.
import type { Range } from 'vscode-languageserver-types';

export interface GoRequirement {
  readonly path: string;
  readonly version: string;
  readonly indirect: boolean;
  /** The line of the requirement, for diagnostics on go.mod. */
  readonly range: Range;
}

export interface GoReplacement {
  readonly from: string;
  readonly to: string;
  readonly toVersion: string | undefined;
}

export interface GoMod {
  readonly module: string | undefined;
  readonly go: string | undefined;
  readonly goRange: Range | undefined;
  readonly toolchain: string | undefined;
  readonly requires: readonly GoRequirement[];
  readonly replaces: readonly GoReplacement[];
  /** Lines that could not be read; the rest of the file is still used. */
  readonly problems: ReadonlyArray<{ readonly line: number; readonly message: string }>;
}

function tokenize(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

export function parseGoMod(text: string): GoMod {
  let module: string | undefined;
  let go: string | undefined;
  let goRange: Range | undefined;
  let toolchain: string | undefined;
  const requires: GoRequirement[] = [];
  const replaces: GoReplacement[] = [];
  const problems: Array<{ line: number; message: string }> = [];
  let block: string | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, lineNo) => {
    const commentAt = raw.indexOf('//');
    const comment = commentAt >= 0 ? raw.slice(commentAt + 2).trim() : '';
    const code = (commentAt >= 0 ? raw.slice(0, commentAt) : raw).trim();
    if (code === '') return;
    const range: Range = {
      start: { line: lineNo, character: raw.length - raw.trimStart().length },
      end: { line: lineNo, character: raw.trimEnd().length },
    };
    let verb: string | undefined;
    let words: string[];
    if (block !== undefined) {
      if (code === ')') {
        block = undefined;
        return;
      }
      verb = block;
      words = tokenize(code);
    } else {
      const all = tokenize(code);
      verb = all[0];
      words = all.slice(1);
      if (words.length === 1 && words[0] === '(') {
        block = verb;
        return;
      }
    }
    const indirect = /(^|;)\s*indirect\s*(;|$)/.test(comment);
    switch (verb) {
      case 'module':
        module = words[0];
        break;
      case 'go':
        go = words[0];
        goRange = range;
        break;
      case 'toolchain':
        toolchain = words[0];
        break;
      case 'require':
        if (words.length >= 2) requires.push({ path: words[0] as string, version: words[1] as string, indirect, range });
        else problems.push({ line: lineNo, message: 'require needs a module path and a version' });
        break;
      case 'replace': {
        const arrow = words.indexOf('=>');
        if (arrow > 0 && words[arrow + 1]) {
          replaces.push({ from: words[0] as string, to: words[arrow + 1] as string, toVersion: words[arrow + 2] });
        } else problems.push({ line: lineNo, message: 'replace needs `old => new`' });
        break;
      }
      case 'exclude':
      case 'retract':
      case 'godebug':
      case 'tool':
      case 'ignore':
        break;
      default:
        problems.push({ line: lineNo, message: `unknown directive ${JSON.stringify(verb)}` });
    }
  });
  return { module, go, goRange, toolchain, requires, replaces, problems };
}

/** "1.22", "1.22.3", "go1.23.1" -> [1, 22, 3]; undefined when not a Go version. */
export function goVersionParts(version: string | undefined): [number, number, number] | undefined {
  const m = /^(?:go)?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareGoVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
