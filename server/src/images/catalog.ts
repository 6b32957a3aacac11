// The base-image catalog shipped as data, and its sizes as the estimate uses them: bytes on disk,
// as `docker image ls` shows, with where each figure comes from. The common bases are catalog.json
// here; each language's images are its own catalog.json, which its LanguageSupport hands over
// (languages/<id>/), so a new language adds its images without a line here. Sources and dates are
// in each entry; see docs/catalog.md.
import catalogData from './catalog.json';
import type { ImageReference } from '../analysis/imageRef';
import { catalogEntriesOf, type CatalogEntry } from '../analysis/imageCatalog';
import { languages } from '../analysis/languages/registry';
import { formatBytes, type SizedImage } from '../analysis/estimate/sizes';

export type { Confidence, Provenance, SizedImage, SizeOrigin } from '../analysis/estimate/sizes';

/** The common bases, then each language's images in registry order. */
const ENTRIES: readonly CatalogEntry[] = [...catalogEntriesOf(catalogData), ...languages().flatMap((l) => l.catalog?.entries ?? [])];
const PATTERNS = new Map(ENTRIES.filter((e) => e.tagPattern).map((e) => [e, new RegExp(e.tagPattern as string)]));

/**
 * Uncompressed/compressed ratios for entries that publish only the compressed size, measured on
 * catalog entries that have both (alpine:3.20 7.8/3.6 MB), and each language's for its images.
 * Figures derived with them are marked low confidence.
 */
const RATIO = new Map<string, number>([['alpine', 2.15]]);
for (const { catalog } of languages()) if (catalog?.downloadRatio !== undefined) for (const entry of catalog.entries) RATIO.set(entry.repository, catalog.downloadRatio);
const DEFAULT_RATIO = 2.5;
/** The distroless README: "the smallest distroless image, gcr.io/distroless/static-debian12, is around 2 MiB". */
const DISTROLESS_STATIC_BYTES = 2 * 1024 * 1024;

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
  // A tag the catalog does not list that a language knows a sibling of to stand in for it.
  for (const language of languages()) {
    const standIn = language.catalog?.standIn?.(ref, candidates);
    if (standIn) return { entry: standIn.entry, standIn: standIn.why };
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
    const ratio = RATIO.get(entry.repository) ?? DEFAULT_RATIO;
    return {
      bytes: Math.round(sizes.compressed * ratio),
      compressed: sizes.compressed,
      provenance: { origin: 'catalog', detail: `${detail}; on-disk size derived from the ${formatBytes(sizes.compressed)} download (x${ratio})`, confidence: 'low' },
    };
  }
  return undefined;
}
