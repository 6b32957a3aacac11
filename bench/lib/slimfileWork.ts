// What Slimfile computes for one version of a Dockerfile in the editor, in the server's order.
// Per version, on every change: the parse, every rule and the diagnostics. When a client asks:
// the code actions (the fix-all action is listed without its edit), the fix-all edit on
// codeAction/resolve (Minimize), and the size lenses on codeLens/resolve (the estimate now and
// minimized; Minimize runs once per version and serves both). It mirrors SlimfileServer's
// analyse/codeAction/resolveCodeAction/estimate/resolveCodeLens so the in-process figure is the server's work.
import type { Range } from 'vscode-languageserver-types';
import { parseDockerfile, type DockerfileModel } from '../../server/src/analysis/model';
import { AnalysisContext } from '../../server/src/analysis/context';
import type { Finding } from '../../server/src/analysis/findings';
import { analyze } from '../../server/src/analysis/analyze';
import { minimize, type MinimizeResult } from '../../server/src/analysis/fixes/minimize';
import { diffAsEdit } from '../../server/src/analysis/fixes/apply';
import { estimateNowAndMinimized, type SizeKnowledge } from '../../server/src/analysis/estimate/estimate';
import { modelSizeKnowledge } from '../../server/src/analysis/estimate/goBinary';
import { sizeLenses } from '../../server/src/analysis/estimate/present';
import { codeActions, FIX_ALL_KIND } from '../../server/src/handlers/codeActions';
import { CodeActionKind } from 'vscode-languageserver-types';
import { toDiagnostic } from '../../server/src/handlers/diagnostics';
import { ImageKnowledge } from '../../server/src/images/knowledge';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { DEFAULTS } from '../../server/src/settings';

/** Catalog sizes only: no engine, no registry, so the figure is pure computation. */
export function catalogKnowledge(): SizeKnowledge {
  const images = new ImageKnowledge({ engine: () => undefined, registry: () => undefined }, () => undefined);
  return modelSizeKnowledge((ref) => images.catalog(ref));
}

export function wholeRange(text: string): Range {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: (lines[lines.length - 1] ?? '').length } };
}

export interface SlimfileStages {
  parse(): unknown;
  /** The per-version work (parse, rules, diagnostics) as on a file's first open: nothing cached from an earlier parse. */
  cold(): unknown;
  analyze(): unknown;
  /** codeAction for the whole file: quick fixes, and fix-all listed for resolve. */
  codeActions(): unknown;
  /** codeAction/resolve of fix-all: Minimize and its diff. */
  fixAll(): unknown;
  /** codeLens/resolve: the estimate now and minimized. */
  lenses(): unknown;
  /** What the server does on every change: parse, rules, diagnostics. */
  perVersion(): unknown;
  /** Everything a client can ask for one version: diagnostics, code actions with fix-all resolved, lenses resolved. */
  all(): unknown;
}

/**
 * The server's work on `text`: per version, on demand, all of it, and each part alone on a model
 * parsed beforehand. As in SlimfileServer, Minimize runs at most once per version, starting from
 * the version's parse and findings, and its result serves both the fix-all edit and the lens estimate.
 */
export function slimfileWork(text: string, project: ProjectFacts, knowledge: SizeKnowledge, uri = 'file:///bench/Dockerfile'): SlimfileStages {
  const settings = DEFAULTS;
  const range = wholeRange(text);
  const model = parseDockerfile(text);
  const findings = analyze(model, project, settings);
  const actions = (f: readonly Finding[]): unknown =>
    codeActions(
      { textDocument: { uri }, range, context: { diagnostics: [], only: [CodeActionKind.QuickFix, FIX_ALL_KIND] } },
      1,
      project.contextDir,
      f,
      (x) => toDiagnostic(x, uri, project.contextDir),
      { resolveLater: { uri, version: 1 } },
    );
  const fixAll = (minimized: () => MinimizeResult): unknown => diffAsEdit(text, minimized().text);
  const lenses = (m: DockerfileModel, minimized: () => MinimizeResult): unknown => {
    const pair = estimateNowAndMinimized(m, project, knowledge, minimized);
    return sizeLenses(m, pair.now, pair.minimized);
  };
  const onceFrom = (m: DockerfileModel, f: readonly Finding[]): (() => MinimizeResult) => {
    let result: MinimizeResult | undefined;
    return () => (result ??= minimize(text, project, settings, { model: m, findings: f }));
  };
  // Each version gets its own analysis context made from the last version's, as the server's
  // document session does: text-keyed work (split RUN scripts) carries over, derived facts do not.
  let context = new AnalysisContext();
  const nextVersion = (): AnalysisContext => (context = new AnalysisContext(context));
  const diagnosticsIn = (versionContext: AnalysisContext): unknown => {
    const m = parseDockerfile(text, versionContext);
    return analyze(m, project, settings).map((x) => toDiagnostic(x, uri, project.contextDir));
  };
  const perVersion = (): unknown => diagnosticsIn(nextVersion());
  const all = (): unknown => {
    const m = parseDockerfile(text, nextVersion());
    const f = analyze(m, project, settings);
    const diagnostics = f.map((x) => toDiagnostic(x, uri, project.contextDir));
    const minimized = onceFrom(m, f);
    return [diagnostics, actions(f), fixAll(minimized), lenses(m, minimized)];
  };
  return {
    parse: () => parseDockerfile(text),
    analyze: () => analyze(model, project, settings).map((f) => toDiagnostic(f, uri, project.contextDir)),
    codeActions: () => actions(findings),
    fixAll: () => fixAll(onceFrom(model, findings)),
    lenses: () => lenses(model, onceFrom(model, findings)),
    cold: () => diagnosticsIn(new AnalysisContext()),
    perVersion,
    all,
  };
}
