// Before/after: builds a Dockerfile as written and its minimized text (never written to disk in
// the context) one after the other, and the ratio of their real sizes.
import { buildImage, tagFor, type BuildHooks, type BuiltImage, type Engine } from './build';

export interface CompareRequest {
  readonly contextDir: string;
  readonly dockerfilePath: string;
  /** The text to build as written, when it is not the file on disk (an editor's unsaved edits). */
  readonly originalText?: string;
  readonly minimizedText: string;
  /** Repository for both tags (`<repo>:original`, `<repo>:minimized`); default slimfile/<folder>. */
  readonly repository?: string;
  readonly noCache?: boolean;
}

export interface Comparison {
  readonly original: BuiltImage;
  readonly minimized: BuiltImage;
  /** original bytes / minimized bytes */
  readonly ratio: number;
}

export async function compareBuilds(engine: Engine, request: CompareRequest, hooks: BuildHooks & { onPhase?: (phase: 'original' | 'minimized') => void } = {}): Promise<Comparison> {
  const tag = (suffix: string): string => (request.repository ? `${request.repository}:${suffix}` : tagFor(request.contextDir, suffix));
  hooks.onPhase?.('original');
  const noCache = request.noCache ? { noCache: true } : {};
  const originalText = request.originalText === undefined ? {} : { dockerfileText: request.originalText };
  const original = await buildImage(engine, { contextDir: request.contextDir, dockerfilePath: request.dockerfilePath, ...originalText, tag: tag('original'), ...noCache }, hooks);
  hooks.onPhase?.('minimized');
  const minimized = await buildImage(
    engine,
    { contextDir: request.contextDir, dockerfilePath: request.dockerfilePath, dockerfileText: request.minimizedText, tag: tag('minimized'), ...noCache },
    hooks,
  );
  return { original, minimized, ratio: original.bytes / minimized.bytes };
}
