// "Slimfile: Minimize image": asks the server for every safe fix as one edit, shows the result
// beside the file in a diff editor, and applies it as one undo step when the user accepts.
// (VS Code's Refactor Preview opens edits that need confirmation unticked, so "Apply" there
// would change nothing; the diff shows the whole result and the choice stays explicit.)
import * as vscode from 'vscode';
import * as path from 'node:path';
import { LSPErrorCodes, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import { MINIMIZE_REQUEST, type MinimizeAnswer, type MinimizeParams } from '../../../server/src/protocol';

export const PREVIEW_SCHEME = 'slimfile-preview';

/** Serves the minimized text of the preview's right-hand side. */
export class MinimizePreviews implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  show(target: vscode.Uri, version: number, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `${target.path}.minimized`, query: `v=${version}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }
}

function saving(answer: MinimizeAnswer): string {
  return answer.saving ? ` ${answer.saving}` : '';
}

async function closePreview(preview: vscode.Uri): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === preview.toString()) await vscode.window.tabGroups.close(tab);
    }
  }
}

export async function minimizeImage(client: LanguageClient | undefined, previews: MinimizePreviews, target?: vscode.Uri | string): Promise<void> {
  const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Slimfile: open a Dockerfile to minimize.');
    return;
  }
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('Slimfile: the language server is not running. Run "Slimfile: Restart language server" or see the Slimfile output.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const params: MinimizeParams = { uri: client.code2ProtocolConverter.asUri(document.uri) };
  // Minimize re-analyses after each fix; on a large file the user may cancel, and nothing changes.
  const answer = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Slimfile: minimizing ${path.posix.basename(document.uri.path)}`, cancellable: true },
    (_progress, token) => client.sendRequest<MinimizeAnswer>(MINIMIZE_REQUEST, params, token).catch((error: unknown) => {
      if (token.isCancellationRequested && error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) return undefined;
      throw error;
    }),
  );
  if (!answer) return;
  if (!answer.edit) {
    const why = answer.remaining.map((r) => [r.message, ...(r.details ?? []).map((d) => `• ${d}`)].join('\n')).join('\n\n');
    // Modal with a detail, so every reason (each unknown path or context entry) can be read in full.
    const text = 'Slimfile: nothing is safe to change in this Dockerfile.';
    void (why ? vscode.window.showInformationMessage(text, { modal: true, detail: `Left as is:\n${why}` }) : vscode.window.showInformationMessage(text));
    return;
  }
  const preview = previews.show(document.uri, answer.version, answer.text);
  const name = path.posix.basename(document.uri.path);
  await vscode.commands.executeCommand('vscode.diff', document.uri, preview, `${name} ↔ minimized (Slimfile)`);
  const fixes = answer.applied.length === 1 ? '1 fix' : `${answer.applied.length} fixes`;
  // Modal, so the question cannot slip away into the notification centre while the user reads the diff.
  const choice = await vscode.window.showInformationMessage(
    `Slimfile: apply ${fixes} to ${name}?`,
    { modal: true, detail: `${answer.applied.map((a) => `• ${a}`).join('\n')}${saving(answer) ? `\n\n${saving(answer).trim()}` : ''}` },
    'Apply',
  );
  await closePreview(preview);
  previews.forget(preview);
  if (choice !== 'Apply') return;
  if (document.version !== answer.version) {
    void vscode.window.showWarningMessage('Slimfile: the Dockerfile changed while the preview was open; run "Minimize image" again.');
    return;
  }
  // One WorkspaceEdit without confirmation metadata: applied at once, undone with one undo.
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(answer.edit);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) {
    void vscode.window.showErrorMessage('Slimfile: VS Code did not apply the edit; the file is unchanged.');
    return;
  }
  await vscode.window.showTextDocument(document);
  void vscode.window.showInformationMessage(`Slimfile: applied ${fixes}.${saving(answer)}`);
}
