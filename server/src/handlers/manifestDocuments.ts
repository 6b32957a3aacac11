// The language manifests the server reads as documents of their own (go.mod: its findings and
// hover), which it asks the client to send it by registering them dynamically: the client's own
// document selector lists only Dockerfiles, so it names no language.
import type { DocumentSelector } from '../lsp';
import { manifestDocuments } from '../analysis';

/** Every language's manifest document, by the editor's language id for it and by its file name anywhere. */
export function manifestDocumentSelector(): DocumentSelector {
  return manifestDocuments().flatMap((document) => [
    ...(document.editorLanguage ? [{ scheme: 'file', language: document.editorLanguage }] : []),
    { scheme: 'file', pattern: `**/${document.fileName}` },
  ]);
}
