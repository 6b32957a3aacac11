// The files whose change alters what the analysis knows of a build context: every language's
// manifests, lock files and sources, and the context's .dockerignore. The server watches these.
import { languages } from './registry';

export interface WatchedFiles {
  /** Exact file names, anywhere in the workspace ("Cargo.toml", "go.sum", ".dockerignore"). */
  readonly names: readonly string[];
  /** Source extensions with their dot (".rs", ".go"). */
  readonly extensions: readonly string[];
}

export function watchedFiles(): WatchedFiles {
  const all = languages();
  const names = new Set(all.flatMap((l) => [...l.manifests, ...(l.companionFiles ?? []), ...(l.watched?.names ?? [])]));
  names.add('.dockerignore');
  return { names: [...names], extensions: [...new Set(all.flatMap((l) => [...(l.watched?.extensions ?? []), ...(l.sourceExtensions ?? [])]))] };
}
