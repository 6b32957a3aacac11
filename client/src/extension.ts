// Activation: start the language server and register every command (always, so a command
// whose server is down says so instead of being missing).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { minimizeImage } from './commands/minimize';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Slimfile');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('slimfile.minimize', (uri?: vscode.Uri) => minimizeImage(client, uri)),
    vscode.commands.registerCommand('slimfile.showOutput', () => output.show()),
    vscode.commands.registerCommand('slimfile.restartServer', async () => {
      await client?.stop();
      client = createClient(context, output);
      await startClient(client, output);
    }),
  );
  client = createClient(context, output);
  await startClient(client, output);
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
