// What the analysis knows of a build context's Go module: Go's own part of the project facts
// (ProjectFacts.own.go), beside the manifests and sources the other languages read. Gathered by
// server/src/workspace like the rest of the project facts, and read through goFacts.
import type { GoMod } from '../gomod';
import type { ProjectFacts } from '../../../project';
import { unknownNeeds, type RuntimeNeeds } from './needs';
import type { SourceSnapshot } from './source';

export interface GoProjectFacts {
  readonly goMod: GoMod | undefined;
  /** Path of go.mod relative to the context: "go.mod", or the only one in a subfolder ("service/go.mod"). */
  readonly goModPath: string | undefined;
  /** What the Go program needs at run time, read from its sources through tree-sitter (source/needs.ts). */
  readonly needs: RuntimeNeeds;
  readonly hasGoSources: boolean;
  /** Folders (relative to the context, "" for its root) holding a `package main`. */
  readonly mainPackages: readonly string[];
  /**
   * The sources as the workspace read them, to analyse part of (a `go build main.go` compiles
   * main.go and what it imports, not its folder's other files: compiled.ts); absent when not read.
   */
  readonly sources?: SourceSnapshot;
  /**
   * Set when `needs` was made for the Dockerfile's builds (compiled.ts): the files they name,
   * relative to the context, which count whatever their build constraints say. `needs` is then of
   * those files and what they import, or, when what the builds compile cannot be told, of every
   * source and those files.
   */
  readonly namedFiles?: readonly string[];
}

declare module '../../../project' {
  interface LanguageProjectFacts {
    go: GoProjectFacts;
  }
  interface LanguageLoadLimits {
    /** How many .go files the workspace reads at most (slimfile.goScan.maxFiles). */
    readonly maxGoFiles: number;
  }
}

/** No Go module known: the Go rules that need its facts stay silent. */
export function emptyGoFacts(): GoProjectFacts {
  return { goMod: undefined, goModPath: undefined, needs: unknownNeeds(), hasGoSources: false, mainPackages: [] };
}

// What a project the workspace did not read (an unsaved file, stdin) knows of Go: nothing.
const NO_GO_FACTS = emptyGoFacts();

/** Go's facts of the project, its empty facts when the workspace gathered none. */
export function goFacts(project: ProjectFacts): GoProjectFacts {
  return project.own.go ?? NO_GO_FACTS;
}
