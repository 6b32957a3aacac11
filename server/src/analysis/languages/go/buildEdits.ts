// Edits to one `go build` command: its words inside the RUN, CGO_ENABLED=0 before it, and flags
// after it. Go's own; the edits every language shares are in fixes/edits.ts.
import type { TextEdit } from 'vscode-languageserver-types';
import type { Argument } from 'dockerfile-ast';
import type { DockerfileModel } from '../../model';
import { goBuildsIn } from './goBuilds';
import type { GoBuild } from './gobuild';

interface GoWord {
  readonly go: Argument;
  /** The words of this go command, `go` first. */
  readonly words: readonly Argument[];
}

/** The `go build` words of one build inside its RUN (the n-th go build of that RUN). */
export function goCommandWords(model: DockerfileModel, build: GoBuild): GoWord | undefined {
  const stage = model.stages[build.stage];
  if (!stage || build.run.instruction.getArgumentsContent()?.trim().startsWith('[')) return undefined;
  const inRun = goBuildsIn(model, stage).filter((b) => b.run === build.run);
  const nth = inRun.indexOf(build);
  const args = build.run.instruction.getArguments();
  const isGoVerb = (i: number): boolean => {
    const word = args[i]?.getValue() ?? '';
    const next = args[i + 1]?.getValue() ?? '';
    return (word === 'go' || word.endsWith('/go')) && (next === 'build' || next === 'install');
  };
  // The words and the shell parse must agree on how many builds the RUN has; when they do not
  // (a `go build` the shell reads otherwise, a RUN keyword continued into this one), the n-th
  // match could be another build, so nothing is edited.
  let found = 0;
  for (let i = 0; i < args.length - 1; i++) if (isGoVerb(i)) found++;
  if (found !== inRun.length) return undefined;
  let seen = -1;
  for (let i = 0; i < args.length - 1; i++) {
    const word = args[i]?.getValue() ?? '';
    const next = args[i + 1]?.getValue() ?? '';
    if ((word === 'go' || word.endsWith('/go')) && (next === 'build' || next === 'install')) {
      seen++;
      if (seen !== nth) continue;
      let end = i + 2;
      while (end < args.length && !/^(&&|\|\||;|\||\)|then|fi|done)$/.test(args[end]?.getValue() ?? '') && !/[;&|]$/.test(args[end - 1]?.getValue() ?? '')) end++;
      return { go: args[i] as Argument, words: args.slice(i, end) };
    }
  }
  return undefined;
}

/** Sets CGO_ENABLED=0 for one build: rewrites an assignment in the RUN, or prefixes the go command. */
export function disableCgo(model: DockerfileModel, build: GoBuild): TextEdit[] | undefined {
  const words = goCommandWords(model, build);
  if (!words) return undefined;
  const args = build.run.instruction.getArguments();
  const goIndex = args.indexOf(words.go);
  // An assignment written in this command (`CGO_ENABLED=1 go build`) or earlier in the RUN.
  for (let i = goIndex - 1; i >= 0; i--) {
    const arg = args[i] as Argument;
    const m = /^(export\s+)?CGO_ENABLED=(\S*)$/.exec(arg.getValue());
    if (m) return [{ range: arg.getRange(), newText: 'CGO_ENABLED=0' }];
  }
  const at = words.go.getRange().start;
  return [{ range: { start: at, end: at }, newText: 'CGO_ENABLED=0 ' }];
}

/** Adds build flags right after `go build`, or merges "-s -w" into an existing -ldflags. */
export function addBuildFlags(
  model: DockerfileModel,
  build: GoBuild,
  wanted: { readonly strip?: readonly string[]; readonly trimpath?: boolean; readonly tags?: readonly string[] },
): TextEdit[] | undefined {
  const words = goCommandWords(model, build);
  if (!words) return undefined;
  // A flag go does not know (a stray byte in its name) fails the build; where to add ours is unclear.
  if (words.words.some((w) => w.getValue().startsWith('-') && /[^\x21-\x7e]/.test(w.getValue().split('=')[0] as string))) return undefined;
  const edits: TextEdit[] = [];
  const afterVerb = (words.words[1] as Argument).getRange().end;
  const inserted: string[] = [];
  if (wanted.trimpath) inserted.push('-trimpath');
  if (wanted.strip && wanted.strip.length > 0) {
    const ldIndex = words.words.findIndex((w) => /^--?ldflags(=|$)/.test(w.getValue()));
    if (ldIndex < 0) {
      inserted.push(`-ldflags="${wanted.strip.join(' ')}"`);
    } else {
      const flagWord = words.words[ldIndex] as Argument;
      const inline = flagWord.getValue().includes('=');
      const valueWord = inline ? flagWord : words.words[ldIndex + 1];
      if (!valueWord) return undefined;
      const value = valueWord.getValue();
      const valueStart = inline ? value.indexOf('=') + 1 : 0;
      const quote = value[valueStart];
      const start = valueWord.getRange().start;
      if (quote === '"' || quote === "'") {
        const pos = { line: start.line, character: start.character + valueStart + 1 };
        edits.push({ range: { start: pos, end: pos }, newText: `${wanted.strip.join(' ')} ` });
      } else {
        // An unquoted single-word value: quote it together with the new flags.
        const range = { start: { line: start.line, character: start.character + valueStart }, end: valueWord.getRange().end };
        edits.push({ range, newText: `"${wanted.strip.join(' ')} ${value.slice(valueStart)}"` });
      }
    }
  }
  if (wanted.tags && wanted.tags.length > 0) {
    const tagIndex = words.words.findIndex((w) => /^--?tags(=|$)/.test(w.getValue()));
    if (tagIndex < 0) inserted.push(`-tags=${wanted.tags.join(',')}`);
    else {
      const flagWord = words.words[tagIndex] as Argument;
      const inline = flagWord.getValue().includes('=');
      const valueWord = inline ? flagWord : words.words[tagIndex + 1];
      if (!valueWord) return undefined;
      const value = valueWord.getValue();
      const quoted = /["']$/.test(value);
      const end = valueWord.getRange().end;
      const pos = { line: end.line, character: end.character - (quoted ? 1 : 0) };
      edits.push({ range: { start: pos, end: pos }, newText: `,${wanted.tags.join(',')}` });
    }
  }
  if (inserted.length > 0) edits.push({ range: { start: afterVerb, end: afterVerb }, newText: ` ${inserted.join(' ')}` });
  return edits;
}
