// The base-image catalog shipped as data (catalog.json, sources and dates in each entry; see
// docs/catalog.md), and its sizes as the estimate uses them: bytes on disk, as `docker image ls`
// shows, with where each figure comes from.
import catalogData from './catalog.json';
import rustCatalog from './catalog-languages/rust.json';
import cCatalog from './catalog-languages/c.json';
import javaCatalog from './catalog-languages/java.json';
import nodeCatalog from './catalog-languages/node.json';
import pythonCatalog from './catalog-languages/python.json';
import type { ImageReference } from '../analysis/imageRef';
import { describeBase } from '../analysis';
import { formatBytes, type SizedImage } from '../analysis/estimate/sizes';

export interface PlatformSizes {
  readonly compressed: number | null;
  readonly uncompressed: number | null;
}

export interface CatalogEntry {
  readonly id: string;
  readonly repository: string;
  readonly tags: readonly string[];
  readonly tagPattern?: string;
  readonly os: string;
  readonly release: string | null;
  readonly libc: string;
  readonly libcVersion?: string | null;
  readonly shell: string | null;
  readonly packageManager: string | null;
  readonly caCertificates: boolean;
  readonly zoneinfo: boolean;
  readonly passwd?: boolean;
  readonly user: string;
  readonly nonrootVariant: string | null;
  readonly goVersion?: string | null;
  readonly platforms: Readonly<Record<string, PlatformSizes>>;
  readonly source: string;
  readonly date: string | null;
  readonly derived?: string;
}

export type { Confidence, Provenance, SizedImage, SizeOrigin } from '../analysis/estimate/sizes';

/** Go's catalog, then each language's own file (one per language, so each grows on its own). */
const ENTRIES: readonly CatalogEntry[] = [catalogData, rustCatalog, cCatalog, javaCatalog, nodeCatalog, pythonCatalog].flatMap((c) => (c as { images: CatalogEntry[] }).images);
const PATTERNS = new Map(ENTRIES.filter((e) => e.tagPattern).map((e) => [e, new RegExp(e.tagPattern as string)]));

/**
 * Uncompressed/compressed ratios for entries that publish only the compressed size, measured on
 * catalog entries that have both (golang:1.22-bookworm 823.2/299.4 MB; alpine:3.20 7.8/3.6 MB).
 * Figures derived with them are marked low confidence.
 */
const RATIO: Record<string, number> = { golang: 2.75, alpine: 2.15 };
const DEFAULT_RATIO = 2.5;
/** The distroless README: "the smallest distroless image, gcr.io/distroless/static-debian12, is around 2 MiB". */
const DISTROLESS_STATIC_BYTES = 2 * 1024 * 1024;

export function catalogEntries(): readonly CatalogEntry[] {
  return ENTRIES;
}

export interface CatalogMatch {
  readonly entry: CatalogEntry;
  /** Set when the tag is not in the catalog and a sibling stands in for it. */
  readonly standIn?: string;
}

export function findCatalogEntry(ref: ImageReference): CatalogMatch | undefined {
  const tag = ref.tag ?? 'latest';
  const candidates = ENTRIES.filter((e) => e.repository === ref.familiar);
  const exact = candidates.find((e) => e.tags.includes(tag)) ?? candidates.find((e) => PATTERNS.get(e)?.test(tag));
  if (exact) return { entry: exact };
  // An unsuffixed golang tag whose default variant the catalog does not know: a Debian variant of
  // the same Go version stands in (their sizes differ by a few percent), the release the tag
  // points at when the catalog sizes it (golang:1.19.11 is bookworm, golang:1.19.5 bullseye).
  const version = /^(\d+\.\d+)(\.\d+)?$/.exec(tag)?.[1];
  if (ref.familiar === 'golang' && version) {
    const release = describeBase(ref).release;
    const siblings = candidates.filter((e) => e.os === 'debian' && e.tags.some((t) => t.startsWith(`${version}-`)) && Object.values(e.platforms).some((p) => p.compressed || p.uncompressed));
    const sibling = siblings.find((e) => e.release === release) ?? siblings[0];
    if (sibling) return { entry: sibling, standIn: `golang:${tag} sized like ${sibling.id}` };
  }
  return undefined;
}

/** The catalog's size for a platform, or a derived one when only part is published. */
export function catalogSize(match: CatalogMatch, platform: string): SizedImage | undefined {
  const { entry } = match;
  const sizes = entry.platforms[platform] ?? entry.platforms['linux/amd64'];
  const detail = `catalog: ${match.standIn ?? entry.id}${entry.date ? `, figures of ${entry.date}` : ''}`;
  if (entry.repository === 'scratch') return { bytes: 0, compressed: 0, provenance: { origin: 'catalog', detail: 'scratch is empty', confidence: 'high' } };
  if (sizes?.uncompressed) {
    return { bytes: sizes.uncompressed, compressed: sizes.compressed ?? undefined, provenance: { origin: 'catalog', detail, confidence: entry.derived ? 'medium' : 'high' } };
  }
  if (entry.repository.startsWith('gcr.io/distroless/static')) {
    return {
      bytes: DISTROLESS_STATIC_BYTES,
      compressed: sizes?.compressed ?? undefined,
      provenance: { origin: 'catalog', detail: 'distroless README: "around 2 MiB"', confidence: 'medium' },
    };
  }
  if (sizes?.compressed) {
    const ratio = RATIO[entry.repository] ?? DEFAULT_RATIO;
    return {
      bytes: Math.round(sizes.compressed * ratio),
      compressed: sizes.compressed,
      provenance: { origin: 'catalog', detail: `${detail}; on-disk size derived from the ${formatBytes(sizes.compressed)} download (x${ratio})`, confidence: 'low' },
    };
  }
  return undefined;
}
