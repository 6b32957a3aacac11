// Small edit builders the fixes share. They keep the user's text: instruction casing, line
// endings, and the words around what they change.
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../model';

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
