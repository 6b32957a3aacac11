// "Slimfile: Compare before/after": asks the language server to build the Dockerfile as it is and
// as Minimize would make it (slimfile.compare; the user's file is untouched), then shows both real
// sizes, the estimates and the ratio. "…, running both" also runs and probes both images and shows
// how they behaved in the Compare table.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMPARE_COMMAND, type CompareResult } from '../../../server/src/protocol';
import { showCompareTable } from '../views/compareTable';
import { checkTrust, resolveTarget, runOnServer, type BuildUi } from './build';

export async function compareCommand(ui: BuildUi, uri?: vscode.Uri, run = false): Promise<void> {
  if (!checkTrust()) return;
  const target = resolveTarget(ui, uri, 'compare');
  if (!target) return;
  const verb = run ? 'comparing and running' : 'comparing';
  const result = await runOnServer<CompareResult>(ui, target.client, COMPARE_COMMAND, target.uri, `Slimfile: ${verb} ${path.basename(target.uri.fsPath)}`, run ? { run: true } : {});
  if (!result) return;
  const behaves = result.behaviour ? [{ text: result.behaviour.same ? 'behaves the same' : 'behaves differently', detail: `${result.behaviour.rows.filter((r) => !r.same).length} of ${result.behaviour.rows.length} checks differ` }] : [];
  ui.layers.show([result.original, result.minimized], [{ text: `${result.ratio.toFixed(1)}x smaller`, detail: `${result.original.size} → ${result.minimized.size}` }, ...behaves]);
  if (result.behaviour) showCompareTable(result, result.behaviour);
  else void vscode.commands.executeCommand('slimfile.imageLayers.focus');
  void vscode.window.showInformationMessage(`Slimfile: ${result.message}`);
}
