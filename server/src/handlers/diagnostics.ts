// Findings -> LSP diagnostics: rule id as code, a link to its docs, related notes as locations.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from '../lsp';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import type { Finding, Severity } from '../analysis/findings';
import { ruleDocsUrl } from '../analysis/findings';

/** docs/rules.md shipped beside the bundle (dist/..) or the sources, so the link opens offline. */
const RULES_DOC = ((): string | undefined => {
  for (const up of ['..', '../..', '../../..']) {
    const file = path.resolve(__dirname, up, 'docs', 'rules.md');
    if (existsSync(file)) return URI.file(file).toString();
  }
  return undefined;
})();

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, documentUri: string, contextDir: string | undefined): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const note of finding.related) {
    if (note.range) {
      related.push({ location: { uri: documentUri, range: note.range }, message: note.message });
    } else if (note.file && contextDir) {
      const line = note.line ?? 0;
      related.push({
        location: { uri: URI.file(path.join(contextDir, note.file)).toString(), range: { start: { line, character: 0 }, end: { line, character: 0 } } },
        message: note.message,
      });
    }
  }
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocsUrl(finding.rule, RULES_DOC) },
    source: 'slimfile',
    message: finding.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}
