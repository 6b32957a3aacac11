// The file watchers the server asks the client for: what each language reads from the build
// context, as glob patterns (workspace/didChangeWatchedFiles, registered dynamically).
import type { FileSystemWatcher } from 'vscode-languageserver/node';
import { watchedFiles } from '../analysis/languages/watched';

export function fileWatchers(): FileSystemWatcher[] {
  const { names, extensions } = watchedFiles();
  return [{ globPattern: `**/{${names.join(',')}}` }, { globPattern: `**/*.{${extensions.map((e) => e.slice(1)).join(',')}}` }];
}
