// What the server knows about base images right now, and how it learns more in the background:
// the local engine (exact size), a registry (current download size, digest, platforms, user),
// and the catalog shipped with Slimfile. Answers never wait on I/O; a lookup that finishes later
// calls onLearned so lenses and hovers refresh.
import type { ImageReference } from '../analysis/imageRef';
import { formatImageReference } from '../analysis/imageRef';
import type { SizedImage } from '../analysis/estimate/sizes';
import { formatBytes } from '../analysis/estimate/sizes';
import type { ImageDetails } from '../analysis/estimate/present';
import { catalogSize, findCatalogEntry } from './catalog';
import { localImageSize, type EngineLookup } from './localEngine';
import type { RegistryClient, RegistryImage } from './registry';

/** Uncompressed/compressed ratio used on registry figures (see catalog.ts for how it was measured). */
const REGISTRY_RATIO = 2.6;

export interface KnowledgeSources {
  readonly engine: () => EngineLookup | undefined;
  /** Undefined when offline. */
  readonly registry: () => RegistryClient | undefined;
  readonly platform?: string;
}

interface Learned {
  readonly local: SizedImage | undefined;
  readonly registry: RegistryImage | undefined;
  readonly registryError: string | undefined;
}

export class ImageKnowledge {
  private readonly learned = new Map<string, Learned>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly platform: string;

  constructor(
    private readonly sources: KnowledgeSources,
    private readonly onLearned: () => void,
  ) {
    this.platform = sources.platform ?? 'linux/amd64';
  }

  /** The best size known now; starts a background lookup the first time a name is asked. */
  size(ref: ImageReference): SizedImage | undefined {
    const key = formatImageReference(ref);
    const learned = this.learned.get(key);
    if (!learned) void this.learn(ref, key);
    if (learned?.local) return learned.local;
    const catalog = this.catalog(ref);
    if (catalog && catalog.provenance.confidence !== 'low') return catalog;
    const fromRegistry = learned?.registry ? registrySize(learned.registry) : undefined;
    return fromRegistry ?? catalog;
  }

  /** Digest, platforms and user from a registry answer, and the catalog's shell/libc notes. */
  details(ref: ImageReference): ImageDetails | undefined {
    const learned = this.learned.get(formatImageReference(ref));
    const entry = findCatalogEntry(ref)?.entry;
    const reg = learned?.registry;
    if (!reg && !entry) return undefined;
    return {
      shell: entry?.shell,
      libcVersion: entry?.libcVersion ?? null,
      ...(reg ? { digest: reg.digest, platforms: reg.platforms.map((p) => p.platform) } : {}),
      ...(reg?.selected.user !== undefined ? { user: reg.selected.user === '' ? 'root' : reg.selected.user } : entry ? { user: entry.user } : {}),
    };
  }

  /** Why the registry could not answer, for the hover. */
  registryProblem(ref: ImageReference): string | undefined {
    return this.learned.get(formatImageReference(ref))?.registryError;
  }

  catalog(ref: ImageReference): SizedImage | undefined {
    const match = findCatalogEntry(ref);
    return match ? catalogSize(match, this.platform) : undefined;
  }

  /** Resolves when every lookup started so far has ended (tests and the CLI wait on it). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  forget(): void {
    this.learned.clear();
  }

  private learn(ref: ImageReference, key: string): Promise<void> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const lookup = (async () => {
      const local = await localImageSize(this.sources.engine(), key);
      let registry: RegistryImage | undefined;
      let registryError: string | undefined;
      // The registry is asked only when neither the engine nor the catalog has a good figure.
      const catalog = this.catalog(ref);
      const client = local || (catalog && catalog.provenance.confidence !== 'low') ? undefined : this.sources.registry();
      if (client) {
        try {
          registry = await client.lookup(ref, { platform: this.platform });
        } catch (error) {
          registryError = (error as Error).message;
        }
      }
      this.learned.set(key, { local, registry, registryError });
      if (local || registry) this.onLearned();
    })()
      .catch((error: unknown) => {
        this.learned.set(key, { local: undefined, registry: undefined, registryError: (error as Error).message });
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }
}

function registrySize(image: RegistryImage): SizedImage {
  const compressed = image.selected.compressedSize;
  return {
    bytes: Math.round(compressed * REGISTRY_RATIO),
    compressed,
    provenance: {
      origin: 'registry',
      detail: `${image.registry} (${image.fetchedAt.slice(0, 10)}): ${formatBytes(compressed)} to pull; on-disk size derived (x${REGISTRY_RATIO})`,
      confidence: 'low',
    },
  };
}
