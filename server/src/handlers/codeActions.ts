// Quick fixes for the findings under the cursor, and "fix all" for the file. Edits carry the
// document version they were computed for, so a client never applies them to a newer text.
import { CodeActionKind, LSPErrorCodes, ResponseError, type CancellationToken, type CodeAction, type CodeActionParams, type Diagnostic } from '../lsp';
import type { Finding, Fix } from '../analysis/findings';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import { isDockerfile, isTooLarge } from '../documents';
import { diffAsEdit } from '../analysis/fixes/apply';
import { requestedRefactors } from '../analysis';
import { toDiagnostic } from './diagnostics';
import type { Sessions } from '../sessions';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.slimfile`;

function overlaps(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function versionedEdit(uri: string, version: number, edits: readonly TextEdit[]): CodeAction['edit'] {
  return { documentChanges: [{ textDocument: { uri, version }, edits: [...edits] }] };
}

/** What a fix-all action without its edit carries, so codeAction/resolve can compute the edit. */
export interface FixAllData {
  readonly uri: string;
  readonly version: number;
}

export const FIX_ALL_TITLE = 'Apply all Slimfile fixes in this file';

/**
 * The fix-all action: its edits now, or (`resolveLater`) only its data when the client fills in
 * the edit through codeAction/resolve, so Minimize runs when the user picks the action, not on
 * every cursor move.
 */
export type FixAll = { readonly edits: () => readonly TextEdit[] } | { readonly resolveLater: FixAllData };

/** Minimize applies safe fixes only: without one among the findings it would change nothing. */
function hasSafeFix(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.fixes.some((x) => x.safe && x.edits.length > 0 && !x.files));
}

export function codeActions(
  params: CodeActionParams,
  version: number,
  contextDir: string | undefined,
  findings: readonly Finding[],
  toDiagnostic: (f: Finding) => Diagnostic,
  fixAll: FixAll,
  /** Actions asked for rather than fixes of a finding (the languages' changes on request: UPX), offered when refactors are wanted. */
  refactors: () => ReadonlyArray<{ readonly title: string; readonly edits: readonly TextEdit[] }> = () => [],
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
  if (wants(FIX_ALL_KIND) && (only !== undefined || actions.length > 0) && hasSafeFix(findings)) {
    if ('resolveLater' in fixAll) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, data: fixAll.resolveLater });
    else {
      const edits = fixAll.edits();
      if (edits.length > 0) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: versionedEdit(params.textDocument.uri, version, edits) });
    }
  }
  // After fix-all, whose offer depends on the quick fixes found here only.
  if (wants(CodeActionKind.RefactorRewrite)) {
    for (const refactor of refactors()) actions.push({ title: refactor.title, kind: CodeActionKind.RefactorRewrite, edit: versionedEdit(params.textDocument.uri, version, refactor.edits) });
  }
  return actions;
}

/** The fix-all action with its edit, for codeAction/resolve. */
export function resolvedFixAll(action: CodeAction, data: FixAllData, edits: readonly TextEdit[]): CodeAction {
  return { ...action, edit: versionedEdit(data.uri, data.version, edits) };
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

/** textDocument/codeAction. `resolveEdits`: the client fills in fix-all's edit through codeAction/resolve. */
export async function codeAction(params: CodeActionParams, sessions: Sessions, resolveEdits: boolean, token?: CancellationToken): Promise<CodeAction[]> {
  const document = sessions.store.get(params.textDocument.uri);
  if (!document || !isDockerfile(document) || isTooLarge(document)) return [];
  const session = await sessions.session(document);
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Slimfile: code actions cancelled.');
  // The text moved on while it was analysed: the findings and any edit would name a version that is gone.
  if (document.version !== session.version) return [];
  const { uri } = document;
  const version = session.version;
  const fixAll: FixAll = resolveEdits ? { resolveLater: { uri, version } } : { edits: () => diffAsEdit(session.text, session.minimized().text) };
  const contextDir = session.project.contextDir;
  return codeActions(params, version, contextDir, session.findings, (f) => toDiagnostic(f, uri, contextDir), fixAll, () => requestedRefactors(session.model, session.project, params.range));
}

/** codeAction/resolve: fills in the fix-all edit (Minimize) when the user picks it, for the version it was offered on. */
export async function resolveCodeAction(action: CodeAction, sessions: Sessions): Promise<CodeAction> {
  const data = action.data as FixAllData | undefined;
  if (action.kind !== FIX_ALL_KIND || !data) return action;
  const document = sessions.store.get(data.uri);
  // A newer text: the action was offered for a version that is gone; it stays without an edit.
  if (!document || document.version !== data.version || isTooLarge(document)) return action;
  const session = await sessions.session(document);
  if (session.version !== data.version) return action;
  return resolvedFixAll(action, data, diffAsEdit(session.text, session.minimized().text));
}
