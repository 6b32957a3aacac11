// How VS Code's language client starts the server: protocol.ts's script, node flags and
// environment, for the run and the debug start. Apart from client.ts so that a test can read it
// without VS Code.
import type { NodeModule } from 'vscode-languageclient/node';
import { SERVER_ENV, SERVER_EXEC_ARGV, SERVER_SCRIPT } from '../../server/src/protocol';

/** The run and debug starts, without the transport (client.ts adds it: the value needs VS Code). */
export function serverStarts(extensionPath: (relative: string) => string): { run: NodeModule; debug: NodeModule } {
  const module = extensionPath(SERVER_SCRIPT);
  // vscode-languageclient puts `env` over the extension host's environment.
  const env = { ...SERVER_ENV };
  return {
    run: { module, options: { execArgv: [...SERVER_EXEC_ARGV], env } },
    debug: { module, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6010'], env } },
  };
}
