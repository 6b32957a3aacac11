// What the analysis knows about the build context besides the Dockerfile: the context's entries
// and sizes, the languages' manifests and sources, and Go's module facts (languages/go/source/facts.ts). Gathered by
// server/src/workspace (the only place that touches the disk) and handed in as plain data.
import { emptyGoFacts, type GoProjectFacts } from './languages/go/source/facts';

export interface ContextEntry {
  readonly name: string;
  readonly directory: boolean;
  /** Bytes; for a directory, what was counted before the walk's cap. */
  readonly size: number;
}

/** The files and folders the engine receives (.dockerignore applied), relative, with forward slashes. */
export interface ContextListing {
  /** Each file with its size in bytes. */
  readonly files: ReadonlyMap<string, number>;
  readonly directories: ReadonlySet<string>;
  /** Files only their owner may read. */
  readonly privateFiles: ReadonlySet<string>;
  /** The walk stopped at its cap: a path not listed may still exist. */
  readonly truncated: boolean;
}

export function emptyListing(): ContextListing {
  return { files: new Map(), directories: new Set(), privateFiles: new Set(), truncated: false };
}

export interface ProjectFacts {
  /** Absolute path of the build context, for messages. */
  readonly contextDir: string | undefined;
  /** Go's own facts: go.mod, what the program needs at run time, its main packages (languages/go/source/facts.ts). */
  readonly go: GoProjectFacts;
  readonly dockerignore: { readonly present: boolean; readonly patterns: readonly string[] };
  readonly contextEntries: readonly ContextEntry[];
  /** What COPY . can send; empty when the context was not read. */
  readonly contextListing: ContextListing;
  /** Bytes the engine receives, per top-level entry (.dockerignore applied); undefined when not measured. */
  readonly contextSize: { readonly total: number; readonly byEntry: ReadonlyMap<string, number>; readonly truncated: boolean } | undefined;
  /**
   * Text of the language manifests at the context's root (Cargo.toml, pom.xml, package.json… and
   * their lock files, as each language in analysis/languages lists them), by file name.
   */
  readonly manifests: ReadonlyMap<string, string>;
  /**
   * Text of other languages' source files (each language's sourceExtensions), by path relative to
   * the context; `sourcesTruncated` when the loader stopped before reading them all.
   */
  readonly sources: ReadonlyMap<string, string>;
  readonly sourcesTruncated: boolean;
  /** Things the loader could not read, said once to the user. */
  readonly notes: readonly string[];
}

/** No context known (an unsaved file, or the CLI reading stdin): rules that need facts stay silent. */
export function emptyProject(): ProjectFacts {
  return {
    contextDir: undefined,
    go: emptyGoFacts(),
    dockerignore: { present: false, patterns: [] },
    contextEntries: [],
    contextListing: emptyListing(),
    contextSize: undefined,
    manifests: new Map(),
    sources: new Map(),
    sourcesTruncated: false,
    notes: [],
  };
}
