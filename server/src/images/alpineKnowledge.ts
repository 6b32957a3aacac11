// What the estimate and the hover know about Alpine packages right now: each branch's index
// (alpineIndex.ts) and the packages a base image already has, from the local engine's copy of the
// image (its /lib/apk/db/installed and /etc/alpine-release, read without running it) or else the
// catalog's apk lists (catalogPackages.ts). The Debian side is packageKnowledge.ts. Answers never
// wait on I/O; a load that finishes later calls onLearned.
import type { ImageReference } from '../analysis/imageRef';
import { formatImageReference } from '../analysis/imageRef';
import { parseApkInstalled } from '../analysis/packages/alpineIndex';
import type { AlpinePackageFacts } from '../analysis/estimate/sizes';
import type { EngineLookup } from './localEngine';
import type { AlpinePackageIndexes, BranchIndex } from './alpineIndex';
import { catalogApkPackages } from './catalogPackages';
import { ownNames } from './packageKnowledge';
import { KeyedLoads, LoadTracker } from './backgroundLoads';

interface ApkBase {
  readonly installed: ReadonlySet<string>;
  /** The Alpine branch the image is built from (3.20), when known (its /etc/alpine-release, the catalog). */
  readonly branch: string | undefined;
  readonly source: string;
}

export interface AlpineSources {
  readonly engine: () => EngineLookup | undefined;
  /** Undefined when the indexes cannot be had. */
  readonly indexes: () => AlpinePackageIndexes | undefined;
}

export class AlpinePackageKnowledge {
  private readonly bases = new Map<string, ApkBase | null>();
  private readonly loads = new LoadTracker();
  /** A branch whose index failed is asked again on the next ask. */
  private readonly branches = new KeyedLoads<BranchIndex>(this.loads, 0);

  constructor(
    private readonly sources: AlpineSources,
    private readonly onLearned: () => void,
  ) {}

  /** The packages the base image has, as known now; starts the engine's read the first time. */
  base(ref: ImageReference): ApkBase | undefined {
    const key = formatImageReference(ref);
    if (!this.bases.has(key)) {
      this.bases.set(key, null);
      this.loads.track(this.readFromEngine(key));
    }
    return this.bases.get(key) ?? catalogApkPackages(ref);
  }

  /** A branch's index as loaded now; starts loading it the first time. */
  branch(branch: string): BranchIndex | undefined {
    return this.branches.get(branch, () => this.sources.indexes()?.branch(branch), () => this.onLearned());
  }

  /** Why a branch's index could not be had, for the hover. */
  problem(branch: string): string | undefined {
    return this.branches.problem(branch);
  }

  /** The estimate's question: the index and the base's packages, when both are known now. */
  facts(ref: ImageReference, branch: string | undefined): AlpinePackageFacts | undefined {
    const base = this.base(ref);
    const known = branch ?? base?.branch;
    const index = known ? this.branch(known) : undefined;
    if (!base || !index) return undefined;
    return { index: index.index, indexSource: index.source, cacheBytes: index.archiveBytes, installed: base.installed, installedSource: base.source };
  }

  /** Resolves when every load started so far has ended (tests and the CLI wait on it). */
  settled(): Promise<void> {
    return this.loads.settled();
  }

  private async readFromEngine(key: string): Promise<void> {
    const engine = this.sources.engine();
    if (!engine?.readImageFile) return;
    const [installed, release] = await Promise.all([engine.readImageFile(key, '/lib/apk/db/installed'), engine.readImageFile(key, '/etc/alpine-release')]);
    if (!installed) return;
    const image = await engine.inspectImage(key);
    // "3.20.3" -> the branch 3.20; an edge image says "3.21_alpha20240807".
    const version = /^(\d+)\.(\d+)/.exec(release?.toString('utf8').trim() ?? '');
    const branch = version ? `${version[1]}.${version[2]}` : undefined;
    this.bases.set(key, {
      installed: ownNames(parseApkInstalled(installed.toString('utf8'))),
      branch,
      source: `local Docker Engine: ${key}${image ? ` (${image.id.slice(7, 19)})` : ''}, /lib/apk/db/installed`,
    });
    if (branch) this.branch(branch);
    this.onLearned();
  }
}
