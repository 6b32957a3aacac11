// What the estimate and the hover know about Debian's and Ubuntu's packages right now: each release's index
// (images/packageIndex.ts) and the packages a base image already has, from the local engine's
// copy of the image (its dpkg status, read without running it) or else the catalog's lists
// (catalogPackages.ts). Answers never wait on I/O; a load that finishes later calls onLearned.
import type { ImageReference } from '../analysis/imageRef';
import { formatImageReference } from '../analysis/imageRef';
import { parseDpkgStatus } from '../analysis/packages/debianIndex';
import type { DebianPackageFacts } from '../analysis/estimate/estimate';
import type { EngineLookup } from './localEngine';
import type { PackageIndexes } from '../analysis/packages/indexes';
import type { DebianPackageIndexes, ReleaseIndex } from './packageIndex';
import { catalogBasePackages } from './catalogPackages';
import { KeyedLoads, LoadTracker } from './backgroundLoads';

export interface BasePackages {
  readonly installed: ReadonlySet<string>;
  /** The Debian or Ubuntu release the image is built from, when known (the image's os-release, the catalog). */
  readonly codename: string | undefined;
  readonly source: string;
}

/**
 * The names as strings of their own. Parsed names are slices of the file read, and V8 keeps a
 * slice's whole parent alive: a set of 100 names held a 150 KB dpkg status file for as long as the
 * server ran (heap snapshot, 3 bases: 0.3 MB). Joined and split again, they share one small string.
 */
export function ownNames(names: ReadonlySet<string>): ReadonlySet<string> {
  return names.size === 0 ? new Set() : new Set([...names].join('\n').split('\n'));
}

/** The catalog's package list of an official image, by its familiar name and tag (catalogPackages.ts). */
export { catalogBasePackages };

export interface PackageSources {
  readonly engine: () => EngineLookup | undefined;
  /** Undefined when the indexes cannot be had (no cache and offline is handled inside). */
  readonly indexes: () => DebianPackageIndexes | undefined;
}

/** What a finished load taught: a base image's packages, or a release's index (which the findings read too). */
export type Learned = 'base' | 'index';

/**
 * How long a release whose index could not be had is left alone: the analysis asks on every
 * keystroke, and a mirror that is down must not get a request each time.
 */
const RETRY_AFTER_MS = 60_000;

export class PackageKnowledge {
  private readonly bases = new Map<string, BasePackages | null>();
  private readonly loads = new LoadTracker();
  private readonly releases = new KeyedLoads<ReleaseIndex>(this.loads, RETRY_AFTER_MS);

  constructor(
    private readonly sources: PackageSources,
    private readonly onLearned: (what: Learned) => void,
  ) {}

  /**
   * The indexes as the analysis asks for them (AnalysisSettings.packageIndexes): a release's index
   * when it is loaded, else nothing now and a load started, whose end calls onLearned('index').
   * An index is a file read per package (packageIndexFile.ts), so holding it costs no heap.
   */
  readonly indexes: PackageIndexes = {
    debian: (codename) => {
      const loaded = this.release(codename);
      return loaded && { index: loaded.index, source: loaded.source };
    },
  };

  /** The packages the base image has, as known now; starts the engine's read the first time. */
  base(ref: ImageReference): BasePackages | undefined {
    const key = formatImageReference(ref);
    if (!this.bases.has(key)) {
      this.bases.set(key, null);
      this.loads.track(this.readFromEngine(ref, key));
    }
    return this.bases.get(key) ?? catalogBasePackages(ref);
  }

  /** A release's index as loaded now; starts loading it the first time. */
  release(codename: string): ReleaseIndex | undefined {
    return this.releases.get(codename, () => this.sources.indexes()?.release(codename), () => this.onLearned('index'));
  }

  /** The way to the indexes changed (offline mode): a release that failed is asked again at once. */
  retryFailed(): void {
    this.releases.retryFailed();
  }

  /** Why a release's index could not be had, for the hover. */
  problem(codename: string): string | undefined {
    return this.releases.problem(codename);
  }

  /** The estimate's question: the index and the base's packages, when both are known now. */
  facts(ref: ImageReference, codename: string | undefined): DebianPackageFacts | undefined {
    const base = this.base(ref);
    const release = codename ?? base?.codename;
    const index = release ? this.release(release) : undefined;
    if (!base || !index) return undefined;
    return { index: index.index, indexSource: index.source, listsBytes: index.listsBytes, installed: base.installed, installedSource: base.source };
  }

  /** Resolves when every load started so far has ended (tests and the CLI wait on it). */
  settled(): Promise<void> {
    return this.loads.settled();
  }

  private async readFromEngine(ref: ImageReference, key: string): Promise<void> {
    const engine = this.sources.engine();
    if (!engine?.readImageFile) return;
    const [status, osRelease] = await Promise.all([engine.readImageFile(key, '/var/lib/dpkg/status'), engine.readImageFile(key, '/usr/lib/os-release')]);
    if (!status) return;
    const image = await engine.inspectImage(key);
    const codename = /^VERSION_CODENAME=("?)([a-z]+)\1$/m.exec(osRelease?.toString('utf8') ?? '')?.[2];
    this.bases.set(key, {
      installed: ownNames(parseDpkgStatus(status.toString('utf8'))),
      codename,
      source: `local Docker Engine: ${key}${image ? ` (${image.id.slice(7, 19)})` : ''}, /var/lib/dpkg/status`,
    });
    // A tag that names no release (node:18-slim) needs the image's: its index is loaded now too.
    if (codename) this.release(codename);
    this.onLearned('base');
  }
}
