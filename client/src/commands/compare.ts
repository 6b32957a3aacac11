// "Slimfile: Compare before/after": asks the language server to build the Dockerfile as it is and
// as Minimize would make it (slimfile.compare; the user's file is untouched), then shows both real
// sizes, the estimates and the ratio.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMPARE_COMMAND, type CompareResult } from '../../../server/src/protocol';
import { checkTrust, resolveTarget, runOnServer, type BuildUi } from './build';

export async function compareCommand(ui: BuildUi, uri?: vscode.Uri): Promise<void> {
  if (!checkTrust()) return;
  const target = resolveTarget(ui, uri, 'compare');
  if (!target) return;
  const result = await runOnServer<CompareResult>(ui, target.client, COMPARE_COMMAND, target.uri, `Slimfile: comparing ${path.basename(target.uri.fsPath)}`);
  if (!result) return;
  ui.layers.show([result.original, result.minimized], [{ text: `${result.ratio.toFixed(1)}x smaller`, detail: `${result.original.size} → ${result.minimized.size}` }]);
  void vscode.commands.executeCommand('slimfile.imageLayers.focus');
  void vscode.window.showInformationMessage(`Slimfile: ${result.message}`);
}
