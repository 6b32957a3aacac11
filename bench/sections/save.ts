// 1. A .go save to refreshed diagnostics: the server over stdio (dist/server.js) with a
// Dockerfile open in a large build context. Each save rewrites one Go source on disk, adding or
// dropping a file read (os.ReadFile("templates/f0.html")), and tells the server as an editor's
// file watcher does (workspace/didChangeWatchedFiles, Changed); the time is from the notification
// to the Dockerfile's next publishDiagnostics.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspProcess, type ServerCommand } from '../lib/lspProcess';
import { median, percentile } from '../lib/stats';

export interface SaveResult {
  readonly saves: number;
  /** ms from the watcher's notification to the refreshed diagnostics, per save. */
  readonly latencies: readonly number[];
  readonly p50: number;
  readonly p95: number;
  /** ms from opening the Dockerfile to its first diagnostics: the walk of the whole context. */
  readonly firstOpen: number;
}

const RELATIVE_SOURCE = path.join('cmd', 'server', 'main.go');

/** main.go of the bench's large context, with or without a file read the conversion must copy. */
export function mainSource(readsTemplate: boolean): string {
  const read = readsTemplate ? '\t_, _ = os.ReadFile("templates/f0.html")\n' : '';
  const os = readsTemplate ? '\t"os"\n' : '';
  return `package main\n\nimport (\n\t"html/template"\n\t"net/http"\n${os})\n\nfunc main() {\n\tt := template.Must(template.ParseGlob("templates/*.html"))\n\t_ = t\n${read}\thttp.Handle("/static/", http.FileServer(http.Dir("static")))\n\t_ = http.ListenAndServe(":8080", nil)\n}\n`;
}

export async function measureSaves(server: ServerCommand, contextDir: string, saves: number): Promise<SaveResult> {
  const dockerfile = path.join(contextDir, 'Dockerfile');
  const uri = pathToFileURL(dockerfile).toString();
  const source = path.join(contextDir, RELATIVE_SOURCE);
  const lsp = LspProcess.start(server, { SLIMFILE_OFFLINE: '1' });
  try {
    await lsp.initialize(pathToFileURL(contextDir).toString());
    const opened = performance.now();
    const first = lsp.nextDiagnostics(uri, 1);
    await lsp.open(uri, await fs.readFile(dockerfile, 'utf8'), 1);
    const firstOpen = (await first).at - opened;
    // Sizes learned after the first answer publish again: let those pass before the first save.
    await new Promise((r) => setTimeout(r, 1000));
    const latencies: number[] = [];
    for (let i = 0; i < saves; i++) {
      await fs.writeFile(source, mainSource(i % 2 === 0));
      const refreshed = lsp.nextDiagnostics(uri);
      const sent = performance.now();
      await lsp.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(source).toString(), type: 2 }] });
      latencies.push((await refreshed).at - sent);
    }
    await fs.writeFile(source, mainSource(false));
    return { saves, latencies, p50: median(latencies), p95: percentile(latencies, 95), firstOpen };
  } finally {
    await lsp.stop();
  }
}
