// What the analysis knows of a build context's Go module: Go's own part of the project facts
// (ProjectFacts.go), beside the manifests and sources the other languages read. Gathered by
// server/src/workspace like the rest of the project facts.
import type { GoMod } from '../gomod';
import { unknownNeeds, type RuntimeNeeds } from './needs';

export interface GoProjectFacts {
  readonly goMod: GoMod | undefined;
  /** Path of go.mod relative to the context: "go.mod", or the only one in a subfolder ("service/go.mod"). */
  readonly goModPath: string | undefined;
  /** What the Go program needs at run time, read from its sources through tree-sitter (source/needs.ts). */
  readonly needs: RuntimeNeeds;
  readonly hasGoSources: boolean;
  /** Folders (relative to the context, "" for its root) holding a `package main`. */
  readonly mainPackages: readonly string[];
}

/** No Go module known: the Go rules that need its facts stay silent. */
export function emptyGoFacts(): GoProjectFacts {
  return { goMod: undefined, goModPath: undefined, needs: unknownNeeds(), hasGoSources: false, mainPackages: [] };
}
