// What the server and the CLI ask of every language without naming one: the builds to measure, a
// manifest open as a document of its own, and the changes made on request only. Each answer is the
// registered languages' own (LanguageSupport.measuredBuilds, manifestDocument, onRequest), in registry order.
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

/** The changes the CLI flag asks for (`upx`), every language's that offers one. */
export function requestedChanges(flag: string): RequestedChange[] {
  return languages().flatMap((l) => (l.onRequest ?? []).filter((c) => c.flag === flag));
}

