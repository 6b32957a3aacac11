// Typed access to the extension's own settings (the server reads its settings itself).
import * as vscode from 'vscode';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('slimfile');
  }

  get traceServer(): 'off' | 'messages' | 'verbose' {
    return this.section.get<'off' | 'messages' | 'verbose'>('trace.server', 'off');
  }
}
