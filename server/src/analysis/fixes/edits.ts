// Small edit builders the fixes share. They keep the user's text: instruction casing, line
// endings, and the words around what they change.
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { Argument } from 'dockerfile-ast';
import type { DockerfileModel, Stage, GoBuild } from '../model';
import { goBuildsIn } from '../languages/go/goBuilds';

/** Instruction keywords in the casing the file already uses. */
export function keyword(model: DockerfileModel, word: string): string {
  const first = model.stages[0]?.from.getInstruction() ?? 'FROM';
  return first === first.toLowerCase() ? word.toLowerCase() : word.toUpperCase();
}

export function lineLength(model: DockerfileModel, line: number): number {
  const text = model.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '').length;
}

/** Inserts whole lines after the last line of `range`. */
export function insertLinesAfter(model: DockerfileModel, range: Range, lines: readonly string[]): TextEdit {
  const line = range.end.line;
  const at = { line, character: lineLength(model, line) };
  return { range: { start: at, end: at }, newText: lines.map((l) => `${model.eol}${l}`).join('') };
}

/** Inserts whole lines before `line`. */
export function insertLinesBefore(model: DockerfileModel, line: number, lines: readonly string[]): TextEdit {
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: lines.map((l) => `${l}${model.eol}`).join('') };
}

/** Removes the lines a range covers, with their line break (the last line keeps an empty line). */
export function deleteLines(model: DockerfileModel, range: Range): TextEdit {
  if (range.end.line + 1 < model.document.lineCount) {
    return { range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } }, newText: '' };
  }
  return { range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line, character: lineLength(model, range.end.line) } }, newText: '' };
}

/** The end of the file's last instruction line, where a new line can be appended. */
export function endOfStage(stage: Stage): Range {
  const last = stage.instructions[stage.instructions.length - 1];
  return last ? last.getRange() : stage.fromRange;
}

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

/** Edits without repeats: two builds fixed by the same change (one `export CGO_ENABLED=1` before both, one build copied twice) give it once; LSP rejects overlapping edits. */
export function uniqueEdits(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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

/** Replaces a FROM's image, keeping everything else on the line. */
export function replaceBaseImage(stage: Stage, image: string): TextEdit {
  return { range: stage.base.range, newText: image };
}

/** `FROM image` gains `AS name` when the stage has no name yet; the edit, if any. */
export function nameStage(model: DockerfileModel, stage: Stage, name: string): TextEdit[] {
  if (stage.name) return [];
  const end = stage.from.getRange().end;
  return [{ range: { start: end, end }, newText: ` ${keyword(model, 'AS')} ${name}` }];
}

/** The comment lines directly above `line` (no blank line between), top first. */
export function commentLinesAbove(model: DockerfileModel, line: number): string[] {
  const out: string[] = [];
  for (let l = line - 1; l >= 0; l--) {
    const text = model.document.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }).replace(/\r?\n$/, '');
    if (!/^\s*#/.test(text)) break;
    out.unshift(text);
  }
  return out;
}

/** Exec-form JSON for ENTRYPOINT/CMD. */
export function execJson(args: readonly string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}
