// "Slimfile: Build image": asks the language server to build the Dockerfile (slimfile.build,
// trusted workspaces only) under a cancellable notification; the log goes to the Slimfile Build
// output and the real size, the estimate and the layers to the Image Layers view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LSPErrorCodes, ResponseError, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { BUILD_COMMAND, BuildErrorCodes, type BuildArguments, type BuildResult } from '../../../server/src/protocol';
import type { ImageLayersProvider } from '../views/imageLayers';

export interface BuildUi {
  readonly client: () => LanguageClient | undefined;
  readonly log: vscode.LogOutputChannel;
  readonly layers: ImageLayersProvider;
}

export const TRUST_MESSAGE =
  'Slimfile builds images only in trusted workspaces: a build runs the Dockerfile\'s commands on your Docker Engine. Trust this workspace to build.';

/** False (after telling the user) when the workspace is not trusted. */
export function checkTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(TRUST_MESSAGE, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** The Dockerfile to build (argument or active editor) and a running server, or undefined after saying why. */
export function resolveTarget(ui: BuildUi, uri: vscode.Uri | undefined, verb: string): { client: LanguageClient; uri: vscode.Uri } | undefined {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage(`Slimfile: open a Dockerfile to ${verb}.`);
    return undefined;
  }
  if (target.scheme !== 'file') {
    void vscode.window.showInformationMessage(`Slimfile: save the Dockerfile to disk to ${verb} it: the build context is its folder.`);
    return undefined;
  }
  const client = ui.client();
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('Slimfile: the language server is not running, and it runs the builds. Run "Slimfile: Restart language server" or see the Slimfile output.');
    return undefined;
  }
  return { client, uri: target };
}

/**
 * Runs a build command on the server under a cancellable notification: the server's progress
 * messages show in it, Cancel cancels the request. Undefined (after telling the user) when the
 * build fails or is cancelled.
 */
export async function runOnServer<R>(ui: BuildUi, client: LanguageClient, command: string, target: vscode.Uri, title: string, extra: Omit<BuildArguments, 'uri'> = {}): Promise<R | undefined> {
  // The document must be open on the server: the build uses the editor's text and its estimate.
  await vscode.workspace.openTextDocument(target);
  const args: BuildArguments = { uri: client.code2ProtocolConverter.asUri(target), ...extra };
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const workDoneToken = `slimfile-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'end' && value.message) progress.report({ message: value.message });
      });
      try {
        return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args], workDoneToken }, token)) as R;
      } finally {
        subscription.dispose();
      }
    });
  } catch (error) {
    showFailure(error, ui.log);
    return undefined;
  }
}

/** Shows a refused, cancelled or failed build: the message, with the step's output in the log. */
function showFailure(error: unknown, log: vscode.LogOutputChannel): void {
  const code = error instanceof ResponseError ? error.code : undefined;
  if (code === LSPErrorCodes.RequestCancelled) {
    void vscode.window.showInformationMessage('Slimfile: the build was cancelled.');
    return;
  }
  if (code === BuildErrorCodes.untrusted) {
    checkTrust();
    return;
  }
  const message = (error as Error).message.replace(/^Slimfile: /, '');
  log.error(message);
  // A notification shows the first lines; the whole step output is in the log.
  const short = message.split('\n').slice(0, 6).join('\n');
  void vscode.window.showErrorMessage(`Slimfile: ${short}`, 'Show build log').then((choice) => {
    if (choice) log.show(true);
  });
}

export async function buildCommand(ui: BuildUi, uri?: vscode.Uri): Promise<void> {
  if (!checkTrust()) return;
  const target = resolveTarget(ui, uri, 'build');
  if (!target) return;
  const result = await runOnServer<BuildResult>(ui, target.client, BUILD_COMMAND, target.uri, `Slimfile: building ${path.basename(target.uri.fsPath)}`);
  if (!result) return;
  ui.layers.show([result.image]);
  void vscode.commands.executeCommand('slimfile.imageLayers.focus');
  void vscode.window.showInformationMessage(`Slimfile: ${result.message}`);
}
