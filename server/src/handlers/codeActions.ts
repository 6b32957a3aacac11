// Quick fixes for the findings under the cursor, and "fix all" for the file. Edits carry the
// document version they were computed for, so a client never applies them to a newer text.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Fix } from '../analysis/findings';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import * as path from 'node:path';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.slimfile`;

function overlaps(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function versionedEdit(uri: string, version: number, edits: readonly TextEdit[]): CodeAction['edit'] {
  return { documentChanges: [{ textDocument: { uri, version }, edits: [...edits] }] };
}

export function codeActions(
  params: CodeActionParams,
  version: number,
  contextDir: string | undefined,
  findings: readonly Finding[],
  toDiagnostic: (f: Finding) => Diagnostic,
  fixAll: () => readonly TextEdit[],
): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const finding of findings) {
      if (!overlaps(finding.range, params.range)) continue;
      const diagnostic = toDiagnostic(finding);
      for (const fix of finding.fixes) {
        const action = quickFix(params.textDocument.uri, version, contextDir, fix, diagnostic);
        if (action) actions.push(action);
      }
    }
  }
  if (wants(FIX_ALL_KIND) && (only !== undefined || actions.length > 0)) {
    const edits = fixAll();
    if (edits.length > 0) {
      actions.push({ title: 'Apply all Slimfile fixes in this file', kind: FIX_ALL_KIND, edit: versionedEdit(params.textDocument.uri, version, edits) });
    }
  }
  return actions;
}

function quickFix(uri: string, version: number, contextDir: string | undefined, fix: Fix, diagnostic: Diagnostic): CodeAction | undefined {
  const edit = versionedEdit(uri, version, fix.edits);
  if (fix.files && fix.files.length > 0) {
    // New files live in the build context; without one (an unsaved file) the fix cannot apply.
    if (!contextDir) return undefined;
    const changes: NonNullable<WorkspaceEdit['documentChanges']> = [];
    for (const file of fix.files) {
      const fileUri = URI.file(path.join(contextDir, file.path)).toString();
      changes.push({ kind: 'create', uri: fileUri, options: { ignoreIfExists: true } });
      changes.push({ textDocument: { uri: fileUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }] });
    }
    if (fix.edits.length > 0) changes.push(...(edit?.documentChanges ?? []));
    return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], ...(fix.isPreferred ? { isPreferred: true } : {}), edit: { documentChanges: changes } };
  }
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.isPreferred ? { isPreferred: true } : {}),
    edit,
  };
}
