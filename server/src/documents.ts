// Open documents and their parsed models, keyed by uri@version so every feature reads one parse.
import { TextDocuments } from './lsp';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import type { DockerfileModel } from './analysis/model';
import { manifestDocumentNamed, parseDockerfile } from './analysis';
import type { ManifestDocument } from './analysis/languages/types';
import { AnalysisContext } from './analysis/context';

const DOCKERFILE_NAME = /^(?:Dockerfile|Containerfile)(?:\..*)?$|\.(?:Dockerfile|dockerfile|Containerfile)$/;

/** File names Slimfile treats as Dockerfiles (the server analyses them; a manifest's hover lists them). */
export function isDockerfileName(name: string): boolean {
  return DOCKERFILE_NAME.test(name);
}

export function isDockerfile(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  if (document.languageId === 'dockerfile') return true;
  return isDockerfileName(path.posix.basename(URI.parse(document.uri).path));
}

/** The language manifest a document is (go.mod), which has findings of its own; undefined for any other document. */
export function manifestDocumentOf(document: Pick<TextDocument, 'uri' | 'languageId'>): ManifestDocument | undefined {
  return manifestDocumentNamed(path.posix.basename(URI.parse(document.uri).path), document.languageId);
}

/**
 * Dockerfiles longer than this are not parsed: parsing and the rules take about 3 ms per KB, and
 * the server answers nothing while they run. Real Dockerfiles are a few KB.
 */
export const MAX_DOCUMENT_CHARS = 256 * 1024;

export function isTooLarge(document: TextDocument): boolean {
  return document.getText().length > MAX_DOCUMENT_CHARS;
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly models = new Map<string, { version: number; model: DockerfileModel }>();

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** The parse of the document's current version; parsed at most once per version. Too large: an empty file's. */
  model(document: TextDocument): DockerfileModel {
    const cached = this.models.get(document.uri);
    if (cached && cached.version === document.version) return cached.model;
    // Each version's analysis context is made from the last one's (analysis/context.ts): split RUN
    // scripts and answers about the same project facts carry over, the last model's do not.
    const context = new AnalysisContext(cached?.model.context);
    const model = parseDockerfile(isTooLarge(document) ? '' : document.getText(), context);
    this.models.set(document.uri, { version: document.version, model });
    return model;
  }

  forget(uri: string): void {
    this.models.delete(uri);
  }
}
