// "Slimfile: Build image": builds the Dockerfile on the Docker Engine (trusted workspaces only),
// streams the log to an output channel under a cancellable notification, and shows the real size
// beside the estimate and the size of each layer.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ESTIMATE_REQUEST, type EstimateAnswer, type EstimateParams } from '../../../server/src/protocol';
import { findBuildContext } from '../../../server/src/workspace/project';
import { formatBytes } from '../../../server/src/analysis/estimate/sizes';
import { buildImage, connectEngine, tagFor, type BuildHooks, type Engine } from '../docker/build';
import { BuildError } from '../docker/errors';
import { estimateText, type ImageLayersProvider } from '../views/imageLayers';

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

export interface Target {
  readonly document: vscode.TextDocument;
  readonly dockerfilePath: string;
  readonly contextDir: string;
}

/** The Dockerfile to build (argument or active editor) and its build context, or undefined after saying why. */
export async function resolveTarget(uri: vscode.Uri | undefined, verb: string): Promise<Target | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage(`Slimfile: open a Dockerfile to ${verb}.`);
    return undefined;
  }
  if (target.scheme !== 'file') {
    void vscode.window.showInformationMessage(`Slimfile: save the Dockerfile to disk to ${verb} it: the build context is its folder.`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(target);
  const folder = vscode.workspace.getWorkspaceFolder(target)?.uri.fsPath;
  const configured = vscode.workspace.getConfiguration('slimfile', target).get<string>('buildContext', '');
  const explicit = configured ? path.resolve(folder ?? path.dirname(target.fsPath), configured) : undefined;
  const contextDir = await findBuildContext(target.fsPath, folder, explicit);
  return { document, dockerfilePath: target.fsPath, contextDir };
}

/** The engine for this Dockerfile (setting slimfile.docker.host, DOCKER_HOST, docker context). */
export function connect(target: Target): Promise<Engine> {
  const setting = vscode.workspace.getConfiguration('slimfile', target.document.uri).get<string>('docker.host', '');
  return connectEngine({ setting });
}

/** The server's estimate, or undefined when the server cannot answer (the build still runs). */
export async function askEstimate(client: LanguageClient | undefined, document: vscode.TextDocument, log: vscode.LogOutputChannel): Promise<EstimateAnswer | undefined> {
  if (!client?.isRunning()) {
    log.warn('The language server is not running: no size estimate to compare with.');
    return undefined;
  }
  try {
    const params: EstimateParams = { uri: client.code2ProtocolConverter.asUri(document.uri) };
    return await client.sendRequest<EstimateAnswer>(ESTIMATE_REQUEST, params);
  } catch (error) {
    log.warn(`No size estimate: ${(error as Error).message}`);
    return undefined;
  }
}

/** Runs work under a cancellable notification; the build log goes to the channel. */
export function withBuildProgress<T>(title: string, log: vscode.LogOutputChannel, work: (hooks: BuildHooks, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => {
      log.info('Cancelling the build.');
      controller.abort();
    });
    try {
      const report = (message: string): void => progress.report({ message });
      return await work({ signal: controller.signal, onLog: (line) => log.info(line), onStep: (step) => report(step) }, report);
    } finally {
      subscription.dispose();
    }
  });
}

/** Shows a failed build: the message, with the step's output in the log. */
export function showBuildFailure(error: unknown, log: vscode.LogOutputChannel): void {
  if (error instanceof BuildError && error.kind === 'cancelled') {
    log.info('The build was cancelled.');
    void vscode.window.showInformationMessage('Slimfile: the build was cancelled.');
    return;
  }
  const message = error instanceof BuildError ? error.message : `Slimfile: the build failed: ${(error as Error).message}`;
  log.error(message);
  // A notification shows the first lines; the whole step output is in the log.
  const short = message.split('\n').slice(0, 6).join('\n');
  void vscode.window.showErrorMessage(`Slimfile: ${short}`, 'Show build log').then((choice) => {
    if (choice) log.show(true);
  });
}

export async function buildCommand(ui: BuildUi, uri?: vscode.Uri): Promise<void> {
  if (!checkTrust()) return;
  const target = await resolveTarget(uri, 'build');
  if (!target) return;
  const name = path.basename(target.dockerfilePath);
  try {
    const engine = await connect(target);
    const estimate = askEstimate(ui.client(), target.document, ui.log);
    const image = await withBuildProgress(`Slimfile: building ${name}`, ui.log, (hooks) =>
      buildImage(
        engine,
        {
          contextDir: target.contextDir,
          dockerfilePath: target.dockerfilePath,
          // Unsaved edits are built as they stand in the editor; the file is not saved.
          ...(target.document.isDirty ? { dockerfileText: target.document.getText() } : {}),
          tag: tagFor(target.contextDir, 'latest'),
        },
        hooks,
      ),
    );
    const estimated = (await estimate)?.bytes;
    ui.layers.show([{ label: name, image, estimate: estimated }]);
    void vscode.commands.executeCommand('slimfile.imageLayers.focus');
    void vscode.window.showInformationMessage(`Slimfile: ${image.tag} is ${formatBytes(image.bytes)} (${estimateText(image.bytes, estimated)}), built in ${image.seconds.toFixed(1)} s.`);
  } catch (error) {
    showBuildFailure(error, ui.log);
  }
}
