// Go's part of the base-image catalog: the golang images (catalog.json beside this module, sources
// and dates in each entry; docs/catalog.md), their download ratio, and the sibling that sizes an
// unsuffixed golang tag the catalog does not list.
import type { LanguageCatalog } from '../../imageCatalog';
import { catalogEntriesOf } from '../../imageCatalog';
import { describeBase } from '../../baseImage';
import golangCatalog from './catalog.json';

export const goCatalog: LanguageCatalog = {
  entries: catalogEntriesOf(golangCatalog),
  // Measured on golang:1.22-bookworm, which publishes both: 823.2 MB on disk for a 299.4 MB download.
  downloadRatio: 2.75,
  standIn(ref, candidates) {
    // An unsuffixed golang tag whose default variant the catalog does not know: a Debian variant of
    // the same Go version stands in (their sizes differ by a few percent), the release the tag
    // points at when the catalog sizes it (golang:1.19.11 is bookworm, golang:1.19.5 bullseye).
    const tag = ref.tag ?? 'latest';
    const version = /^(\d+\.\d+)(\.\d+)?$/.exec(tag)?.[1];
    if (ref.familiar !== 'golang' || !version) return undefined;
    const release = describeBase(ref).release;
    const siblings = candidates.filter((e) => e.os === 'debian' && e.tags.some((t) => t.startsWith(`${version}-`)) && Object.values(e.platforms).some((p) => p.compressed || p.uncompressed));
    const sibling = siblings.find((e) => e.release === release) ?? siblings[0];
    return sibling ? { entry: sibling, why: `golang:${tag} sized like ${sibling.id}` } : undefined;
  },
};
