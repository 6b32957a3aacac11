// What the analysis knows about the build context besides the Dockerfile: the context's entries
// and sizes, the languages' manifests and sources, and what the workspace gathered for one language
// alone (`own`). Gathered by server/src/workspace (the only place that touches the disk) and handed
// in as plain data.

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

/**
 * Facts one language's loader gathers that only that language reads, one record per language id:
 * each language's folder adds its own with `declare module '../../project'` (Go's
 * `source/facts.ts` adds go.mod and what its program needs), the way LanguageIds is built, so this
 * module names no language.
 */
export interface LanguageProjectFacts {}

/**
 * Limits on what one language's reader takes from the context, set by whoever loads it (the
 * server's settings, the CLI), one field per limit: each language's folder adds its own with
 * `declare module '../../project'`, like LanguageProjectFacts (Go's `maxGoFiles`).
 */
export interface LanguageLoadLimits {}

export interface ProjectFacts {
  /** Absolute path of the build context, for messages. */
  readonly contextDir: string | undefined;
  /**
   * What the workspace gathered for one language alone (LanguageProjectFacts), by language id. An
   * absent record means nothing is known; the language reads its record through its own accessor,
   * which answers its empty facts then.
   */
  readonly own: { readonly [L in keyof LanguageProjectFacts]?: LanguageProjectFacts[L] };
  readonly dockerignore: { readonly present: boolean; readonly patterns: readonly string[] };
  readonly contextEntries: readonly ContextEntry[];
  /** What COPY . can send; empty when the context was not read. */
  readonly contextListing: ContextListing;
  /** Bytes the engine receives, per top-level entry (.dockerignore applied); undefined when not measured. */
  readonly contextSize: { readonly total: number; readonly byEntry: ReadonlyMap<string, number>; readonly truncated: boolean } | undefined;
  /**
   * Text of the language manifests at the context's root (Cargo.toml, pom.xml, package.json… and
   * their lock files, as each language in analysis/languages lists them), by file name; and of a
   * bounded number of manifests in folders (app/requirements.txt), by path relative to the context.
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
    own: {},
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
