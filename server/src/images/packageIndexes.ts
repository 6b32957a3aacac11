// The package indexes a Dockerfile's stages need, loaded before the analysis asks for them (it
// asks synchronously: analysis/packages/indexes.ts). Debian's through packageIndex.ts, Alpine's
// through alpineIndex.ts, both with their disk cache and offline mode; an index that cannot be
// had becomes a note, and the analysis does without it (the package fixes stay for review).
import type { DockerfileModel } from '../analysis/model';
import { baseFactsOf } from '../analysis/runtime';
import type { AlpineIndex } from '../analysis/packages/alpineIndex';
import type { DebianIndex } from '../analysis/packages/debianIndex';
import { debianCodename, type KnownIndex, type PackageIndexes } from '../analysis/packages/indexes';
import { AlpinePackageIndexes } from './alpineIndex';
import { DebianPackageIndexes } from './packageIndex';

export interface PackageIndexLoadOptions {
  readonly cacheDir: string;
  readonly offline: boolean;
  /** Mirrors other than Debian's and Alpine's own (SLIMFILE_DEBIAN_MIRROR, SLIMFILE_ALPINE_MIRROR). */
  readonly debianMirror?: string;
  readonly alpineMirror?: string;
}

export interface LoadedIndexes {
  readonly indexes: PackageIndexes;
  /** Indexes a stage needed that could not be had, each with why. */
  readonly notes: readonly string[];
}

/** Loads the Debian and Alpine indexes of the releases the file's stages are based on, when a stage installs packages. */
export async function loadPackageIndexes(model: DockerfileModel, options: PackageIndexLoadOptions): Promise<LoadedIndexes> {
  const debian = new Map<string, KnownIndex<DebianIndex>>();
  const alpine = new Map<string, KnownIndex<AlpineIndex>>();
  const notes: string[] = [];
  const debianIndexes = new DebianPackageIndexes({ cacheDir: options.cacheDir, offline: options.offline, mirror: options.debianMirror });
  const alpineIndexes = new AlpinePackageIndexes({ cacheDir: options.cacheDir, offline: options.offline, mirror: options.alpineMirror });
  for (const stage of model.stages) {
    if (stage.packageInstalls.length === 0) continue;
    const facts = baseFactsOf(model, stage);
    const codename = debianCodename(facts);
    try {
      if (codename && !debian.has(codename)) debian.set(codename, await debianIndexes.release(codename));
      if (facts.os === 'alpine' && facts.release && !alpine.has(facts.release)) alpine.set(facts.release, await alpineIndexes.branch(facts.release));
    } catch (error) {
      notes.push(`the package index of ${stage.base.written} is not at hand: ${(error as Error).message}`);
    }
  }
  return { indexes: { debian: (name) => debian.get(name), alpine: (branch) => alpine.get(branch) }, notes };
}
