// Activation: start the language server and register every command (always, so a command
// whose server is down says so instead of being missing).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { minimizeImage, MinimizePreviews, PREVIEW_SCHEME } from './commands/minimize';
import { buildCommand } from './commands/build';
import { compareCommand } from './commands/compare';
import { ImageLayersProvider } from './views/imageLayers';
import { TRUST_NOTIFICATION } from '../../server/src/protocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Slimfile');
  const previews = new MinimizePreviews();
  const buildLog = vscode.window.createOutputChannel('Slimfile Build', { log: true });
  const layers = new ImageLayersProvider();
  const buildUi = { client: () => client, log: buildLog, layers };
  context.subscriptions.push(
    output,
    buildLog,
    vscode.window.createTreeView('slimfile.imageLayers', { treeDataProvider: layers }),
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand('slimfile.minimize', (uri?: vscode.Uri | string) => minimizeImage(client, previews, uri)),
    vscode.commands.registerCommand('slimfile.build', (uri?: vscode.Uri) => buildCommand(buildUi, uri)),
    vscode.commands.registerCommand('slimfile.compare', (uri?: vscode.Uri) => compareCommand(buildUi, uri)),
    vscode.commands.registerCommand('slimfile.compareRun', (uri?: vscode.Uri) => compareCommand(buildUi, uri, true)),
    vscode.commands.registerCommand('slimfile.showOutput', () => output.show()),
    vscode.commands.registerCommand('slimfile.restartServer', async () => {
      await client?.stop();
      client = createClient(context, output, buildLog);
      await startClient(client, output);
    }),
  );
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => notifyTrust()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('slimfile.offline')) notifyTrust();
    }),
  );
  client = createClient(context, output, buildLog);
  await startClient(client, output);
}

/** Tells the server that trust or the offline setting changed: they gate credentials and lookups. */
function notifyTrust(): void {
  if (!client?.isRunning()) return;
  void client.sendNotification(TRUST_NOTIFICATION, {
    trusted: vscode.workspace.isTrusted,
    offline: vscode.workspace.getConfiguration('slimfile').get<boolean>('offline', false),
  });
}

async function startClient(c: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  try {
    await c.start();
  } catch (error) {
    output.appendLine(`Slimfile's language server did not start: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Slimfile's language server did not start: ${(error as Error).message}`, 'Show output').then((choice) => {
      if (choice) output.show();
    });
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
