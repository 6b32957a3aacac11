// "Slimfile: Minimize image": asks the server for every safe fix as one edit, shows it as a
// refactor preview, and applies it as one undo step.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MINIMIZE_REQUEST, type MinimizeAnswer, type MinimizeParams } from '../../../server/src/protocol';

export async function minimizeImage(client: LanguageClient | undefined, uri?: vscode.Uri): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage('Slimfile: open a Dockerfile to minimize.');
    return;
  }
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('Slimfile: the language server is not running. Run "Slimfile: Restart language server" or see the Slimfile output.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(target);
  const params: MinimizeParams = { uri: client.code2ProtocolConverter.asUri(document.uri) };
  const answer = await client.sendRequest<MinimizeAnswer>(MINIMIZE_REQUEST, params);
  if (!answer.edit) {
    const why = answer.remaining.length > 0 ? ` Left as is: ${answer.remaining.map((r) => r.message).join(' ')}` : '';
    void vscode.window.showInformationMessage(`Slimfile: nothing is safe to change in this Dockerfile.${why}`);
    return;
  }
  if (document.version !== answer.version) {
    void vscode.window.showWarningMessage('Slimfile: the Dockerfile changed while minimizing; run the command again.');
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(answer.edit);
  const preview = new vscode.WorkspaceEdit();
  const label = `Minimize image: ${answer.applied.join('; ')}`;
  for (const [docUri, edits] of edit.entries()) {
    for (const e of edits) preview.replace(docUri, e.range, e.newText, { label, needsConfirmation: true });
  }
  const applied = await vscode.workspace.applyEdit(preview, { isRefactoring: true });
  if (applied) void vscode.window.showInformationMessage(`Slimfile: applied ${answer.applied.length} fix(es): ${answer.applied.join('; ')}.`);
}
