// The LanguageClient: which documents go to the server (the server says which files it watches).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { BUILD_LOG_NOTIFICATION, type BuildLogParams, type InitializationOptions } from '../../server/src/protocol';
import { serverStarts } from './serverStart';

export function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel, buildLog: vscode.LogOutputChannel): LanguageClient {
  const starts = serverStarts((relative) => context.asAbsolutePath(relative));
  const serverOptions: ServerOptions = {
    run: { ...starts.run, transport: TransportKind.ipc },
    debug: { ...starts.debug, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}' },
    ],
    // The languages' manifests that are documents of their own (go.mod) the server registers itself.
    // No file events here: the server registers watchers for what its languages read (manifests,
    // lock files, sources), so the list lives with the languages.
    synchronize: { configurationSection: 'slimfile' },
    outputChannel: output,
    initializationOptions: {
      trusted: vscode.workspace.isTrusted,
      offline: vscode.workspace.getConfiguration('slimfile').get<boolean>('offline', false),
      // The build log goes to its own output, and Build/Compare keep their VS Code UI (package.json).
      buildLogNotification: true,
      commandsInClient: true,
    } satisfies InitializationOptions,
  };
  const client = new LanguageClient('slimfile', 'Slimfile', serverOptions, clientOptions);
  client.onNotification(BUILD_LOG_NOTIFICATION, (params: BuildLogParams) => buildLog.info(params.line));
  return client;
}
