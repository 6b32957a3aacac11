// What the server and the CLI ask of every language without naming one: the builds to measure, a
// manifest open as a document of its own, the changes made on request only (and offered in the
// editor as refactors), and a hover of the language's own on a Dockerfile line. Each answer is the
// registered languages' own (LanguageSupport.measuredBuilds, manifestDocument, onRequest,
// hover.onLine), in registry order.
import type { Hover, Position, Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../model';
import type { ProjectFacts } from '../project';
import type { ManifestDocument, MeasuredBuild, RequestedChange } from './types';
import { languages } from './registry';

/** Every language's builds a trusted workspace may run to measure what the final image receives. */
export function measuredBuilds(model: DockerfileModel, project: ProjectFacts): MeasuredBuild[] {
  return languages().flatMap((l) => l.measuredBuilds?.(model, project) ?? []);
}

/** Every language's manifest that opens as a document of its own (go.mod), in registry order. */
export function manifestDocuments(): ManifestDocument[] {
  return languages().flatMap((l) => (l.manifestDocument ? [l.manifestDocument] : []));
}

/** The manifest a document is, by its file name or the editor's language id for it; undefined for any other document. */
export function manifestDocumentNamed(fileName: string, editorLanguage: string): ManifestDocument | undefined {
  return manifestDocuments().find((document) => document.editorLanguage === editorLanguage || document.fileName === fileName);
}

/** The CLI flags that ask for a change on request (`upx`), each once with the first language's change, in registry order. */
export function requestedChangeFlags(): RequestedChange[] {
  const byFlag = new Map<string, RequestedChange>();
  for (const change of languages().flatMap((l) => l.onRequest ?? [])) if (!byFlag.has(change.flag)) byFlag.set(change.flag, change);
  return [...byFlag.values()];
}

/** The changes the CLI flag asks for (`upx`), every language's that offers one. */
export function requestedChanges(flag: string): RequestedChange[] {
  return languages().flatMap((l) => (l.onRequest ?? []).filter((c) => c.flag === flag));
}


/** The changes made on request that the editor offers as refactors of the lines in `range` (UPX on a go build), in registry order. */
export function requestedRefactors(model: DockerfileModel, project: ProjectFacts, range: Range): Array<{ readonly title: string; readonly edits: readonly TextEdit[] }> {
  return languages().flatMap((l) => (l.onRequest ?? []).flatMap((c) => c.inRange?.(model, project, range) ?? []));
}

/** The first language's own hover on a Dockerfile line (Go: a RUN packing with UPX), before the base image's. */
export function languageLineHover(model: DockerfileModel, position: Position): Hover | undefined {
  for (const language of languages()) {
    const hover = language.hover?.onLine?.(model, position);
    if (hover) return hover;
  }
  return undefined;
}
