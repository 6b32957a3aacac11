// The Compare view's behaviour table: what each probe got from the image as written and from the
// minimized one, as the server wrote it (the client only lays it out), with the named causes.
import * as vscode from 'vscode';
import type { CompareResult, RunComparison } from '../../../server/src/protocol';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function tableHtml(result: CompareResult, behaviour: RunComparison): string {
  const rows = behaviour.rows
    .map((r) => `<tr class="${r.same ? 'same' : 'different'}"><td>${escape(r.check)}${r.detail ? ` <small>(${escape(r.detail)})</small>` : ''}</td><td>${escape(r.asWritten)}</td><td>${escape(r.minimized)}</td><td>${r.same ? 'same' : 'DIFFERENT'}</td></tr>`)
    .join('\n');
  const causes = behaviour.signatures
    .filter((s) => !s.onBothSides)
    .map((s) => `<li><b>${escape(s.side)}: ${escape(s.name)}</b>: ${escape(s.cause)}<br><code>${escape(s.line)}</code> <a href="${escape(s.url)}">${escape(s.rule)}</a></li>`)
    .join('\n');
  const unmet = behaviour.unmet.map((u) => `<li>not as declared: ${escape(u)}</li>`).join('\n');
  const verdict = behaviour.same && behaviour.unmet.length === 0 ? 'Both images behave the same.' : 'The images behave differently.';
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
tr.different td { color: var(--vscode-errorForeground); }
code { font-family: var(--vscode-editor-font-family); }
</style></head><body>
<h2 id="verdict">${escape(verdict)}</h2>
<p>${escape(result.original.label)}: ${escape(result.original.size)} · ${escape(result.minimized.label)}: ${escape(result.minimized.size)} · ${result.ratio.toFixed(1)}x smaller</p>
<table id="behaviour"><thead><tr><th>check</th><th>${escape(result.original.label)}</th><th>${escape(result.minimized.label)}</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table>
${causes || unmet ? `<ul>${causes}${unmet}</ul>` : ''}
<p><small>Compared after masking ${escape(behaviour.normalisation.join('; '))}.</small></p>
</body></html>`;
}

let panel: vscode.WebviewPanel | undefined;

/** Shows (or refreshes) the table beside the editor. */
export function showCompareTable(result: CompareResult, behaviour: RunComparison): void {
  if (!panel) {
    panel = vscode.window.createWebviewPanel('slimfile.compareTable', 'Slimfile Compare', vscode.ViewColumn.Beside, { enableScripts: false });
    panel.onDidDispose(() => {
      panel = undefined;
    });
  }
  panel.webview.html = tableHtml(result, behaviour);
  panel.reveal(vscode.ViewColumn.Beside, true);
}
