// "Slimfile: Compare before/after": builds the Dockerfile as it is and as Minimize would make it
// (the minimized text goes to the engine inside the context tar; the user's file is untouched),
// then shows both real sizes, the estimates and the ratio.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { MINIMIZE_REQUEST, type MinimizeAnswer, type MinimizeParams } from '../../../server/src/protocol';
import { formatBytes } from '../../../server/src/analysis/estimate/sizes';
import { compareBuilds } from '../docker/compare';
import { askEstimate, checkTrust, connect, resolveTarget, showBuildFailure, withBuildProgress, type BuildUi } from './build';

/** The minimized text: the server's Minimize edit applied to the editor's text. */
async function minimizedText(ui: BuildUi, document: vscode.TextDocument): Promise<{ text: string; applied: readonly string[] } | undefined> {
  const client = ui.client();
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('Slimfile: the language server is not running, so there is no minimized Dockerfile to compare. Run "Slimfile: Restart language server" or see the Slimfile output.');
    return undefined;
  }
  const params: MinimizeParams = { uri: client.code2ProtocolConverter.asUri(document.uri) };
  const answer = await client.sendRequest<MinimizeAnswer>(MINIMIZE_REQUEST, params);
  if (!answer.edit) {
    void vscode.window.showInformationMessage('Slimfile: nothing is safe to change in this Dockerfile, so there is nothing to compare.');
    return undefined;
  }
  const text = document.getText();
  const edits: TextEdit[] = [];
  for (const [uri, changes] of Object.entries(answer.edit.changes ?? {})) if (uri === params.uri) edits.push(...changes);
  for (const change of answer.edit.documentChanges ?? []) {
    if ('textDocument' in change && change.textDocument.uri === params.uri) edits.push(...change.edits.filter((e): e is TextEdit => 'range' in e));
  }
  const original = TextDocument.create(params.uri, 'dockerfile', answer.version, text);
  return { text: TextDocument.applyEdits(original, edits), applied: answer.applied };
}

export async function compareCommand(ui: BuildUi, uri?: vscode.Uri): Promise<void> {
  if (!checkTrust()) return;
  const target = await resolveTarget(uri, 'compare');
  if (!target) return;
  if (target.document.isDirty) {
    void vscode.window.showInformationMessage('Slimfile: save the Dockerfile first; Compare builds the file as it is on disk and its minimized form.');
    return;
  }
  const name = path.basename(target.dockerfilePath);
  try {
    const minimized = await minimizedText(ui, target.document);
    if (!minimized) return;
    ui.log.info(`Minimized with: ${minimized.applied.join('; ')}`);
    const engine = await connect(target);
    const estimate = askEstimate(ui.client(), target.document, ui.log);
    const result = await withBuildProgress(`Slimfile: comparing ${name}`, ui.log, (hooks, report) =>
      compareBuilds(engine, { contextDir: target.contextDir, dockerfilePath: target.dockerfilePath, minimizedText: minimized.text }, {
        ...hooks,
        onPhase: (phase) => report(phase === 'original' ? 'building as written' : 'building minimized'),
      }),
    );
    const answer = await estimate;
    const ratio = `${result.ratio.toFixed(1)}x smaller`;
    ui.layers.show(
      [
        { label: 'as written', image: result.original, estimate: answer?.bytes },
        { label: 'minimized', image: result.minimized, estimate: answer?.minimizedBytes },
      ],
      [{ text: ratio, detail: `${formatBytes(result.original.bytes)} → ${formatBytes(result.minimized.bytes)}` }],
    );
    void vscode.commands.executeCommand('slimfile.imageLayers.focus');
    void vscode.window.showInformationMessage(`Slimfile: ${name} is ${formatBytes(result.original.bytes)} as written and ${formatBytes(result.minimized.bytes)} minimized: ${ratio}.`);
  } catch (error) {
    showBuildFailure(error, ui.log);
  }
}
