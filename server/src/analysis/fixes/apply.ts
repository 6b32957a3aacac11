// Applying edits to text, and turning a before/after pair back into one small edit.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('untitled:x', 'dockerfile', 0, text), [...edits]);
}

/** Lines with their line breaks, split where LSP splits them: \r\n, \r and \n. */
function linesWithBreaks(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/**
 * One edit that turns `before` into `after`, touching only the lines that differ. Lines are
 * compared with their breaks and positions come from the same line model the editor uses, so a
 * lone \r (which LSP counts as a line break) cannot shift the edit.
 */
export function diffAsEdit(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = linesWithBreaks(before);
  const b = linesWithBreaks(after);
  let start = 0;
  let prefix = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) prefix += (a[start++] as string).length;
  let endA = a.length;
  let endB = b.length;
  let suffix = 0;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    suffix += (a[--endA] as string).length;
    endB--;
  }
  const document = TextDocument.create('untitled:x', 'dockerfile', 0, before);
  const range = { start: document.positionAt(prefix), end: document.positionAt(before.length - suffix) };
  return [{ range, newText: after.slice(prefix, after.length - suffix) }];
}
