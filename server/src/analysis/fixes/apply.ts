// Applying edits to text, and turning a before/after pair back into one small edit.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('untitled:x', 'dockerfile', 0, text), [...edits]);
}

/** One edit that turns `before` into `after`, touching only the lines that differ. */
export function diffAsEdit(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const newText = b.slice(start, endB).join('\n');
  if (endA < a.length) {
    // Replace whole lines [start, endA) and keep the line break before the common tail.
    return [{ range: { start: { line: start, character: 0 }, end: { line: endA, character: 0 } }, newText: endB > start ? `${newText}\n` : '' }];
  }
  // The change runs to the end of the text.
  const lastLine = a.length - 1;
  const startPos = start <= lastLine ? { line: start, character: 0 } : { line: lastLine, character: (a[lastLine] ?? '').length };
  const prefix = start > lastLine ? '\n' : '';
  return [{ range: { start: startPos, end: { line: lastLine, character: (a[lastLine] ?? '').length } }, newText: prefix + newText }];
}
