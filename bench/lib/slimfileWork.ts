// What Slimfile computes for one version of a Dockerfile in the editor, in the server's order.
// Per version, on every change: the parse, every rule and the diagnostics. When a client asks:
// the code actions (the fix-all action is listed without its edit), the fix-all edit on
// codeAction/resolve (Minimize), and the size lenses on codeLens/resolve (the estimate now and
// minimized; Minimize runs once per version and serves both). Each version is a DocumentSession,
// the server's own, so the in-process figure is the server's work.
import type { Range } from 'vscode-languageserver-types';
import { CodeActionKind } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../../server/src/analysis/model';
import { parseDockerfile } from '../../server/src/analysis';
import { AnalysisContext } from '../../server/src/analysis/context';
import type { Finding } from '../../server/src/analysis/findings';
import { diffAsEdit } from '../../server/src/analysis/fixes/apply';
import type { SizeKnowledge } from '../../server/src/analysis/estimate/estimate';
import { codeActions, FIX_ALL_KIND } from '../../server/src/handlers/codeActions';
import { toDiagnostic } from '../../server/src/handlers/diagnostics';
import { codeLenses, resolvedLens } from '../../server/src/handlers/codeLens';
import { ImageKnowledge } from '../../server/src/images/knowledge';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { DEFAULTS } from '../../server/src/settings';
import { DocumentSession } from '../../server/src/session';

/** Catalog sizes only: no engine, no registry, so the figure is pure computation. */
export function catalogKnowledge(): SizeKnowledge {
  const images = new ImageKnowledge({ engine: () => undefined, registry: () => undefined }, () => undefined);
  return { baseImage: (ref) => images.catalog(ref) };
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
 * parsed beforehand. Each version is a DocumentSession, as in the server: Minimize runs at most once,
 * starting from the version's parse and findings, and serves both the fix-all edit and the lens estimate.
 */
export function slimfileWork(text: string, project: ProjectFacts, knowledge: SizeKnowledge, uri = 'file:///bench/Dockerfile'): SlimfileStages {
  const range = wholeRange(text);
  const session = (seed?: { model: DockerfileModel; findings?: readonly Finding[] }): DocumentSession =>
    new DocumentSession({ text, version: 1, project, settings: DEFAULTS, ...(seed ? { model: () => seed.model, findings: seed.findings } : {}) });
  // The parts alone start from one parse and its findings, made beforehand.
  const parsed = session();
  const model = parsed.model;
  const findings = parsed.findings;
  const diagnostics = (s: DocumentSession): unknown => s.findings.map((x) => toDiagnostic(x, uri, project.contextDir));
  const actions = (s: DocumentSession): unknown =>
    codeActions(
      { textDocument: { uri }, range, context: { diagnostics: [], only: [CodeActionKind.QuickFix, FIX_ALL_KIND] } },
      1,
      project.contextDir,
      s.findings,
      (x) => toDiagnostic(x, uri, project.contextDir),
      { resolveLater: { uri, version: 1 } },
    );
  const fixAll = (s: DocumentSession): unknown => diffAsEdit(text, s.minimized().text);
  const lenses = (s: DocumentSession): unknown => {
    const pair = s.estimate(knowledge);
    return codeLenses(uri, 1, s.model).map((lens) => resolvedLens(lens, s.model, pair));
  };
  // Each version gets its own analysis context made from the last version's, as the server's
  // document store does: text-keyed work (split RUN scripts) carries over, derived facts do not.
  let context: AnalysisContext | undefined;
  const nextVersion = (): DocumentSession => {
    const s = new DocumentSession({ text, version: 1, project, settings: DEFAULTS, ...(context ? { previousContext: context } : {}) });
    context = s.context;
    return s;
  };
  const perVersion = (): unknown => diagnostics(nextVersion());
  const all = (): unknown => {
    const s = nextVersion();
    return [diagnostics(s), actions(s), fixAll(s), lenses(s)];
  };
  return {
    parse: () => parseDockerfile(text),
    analyze: () => diagnostics(session({ model })),
    codeActions: () => actions(session({ model, findings })),
    fixAll: () => fixAll(session({ model, findings })),
    lenses: () => lenses(session({ model, findings })),
    cold: () => diagnostics(session()),
    perVersion,
    all,
  };
}
