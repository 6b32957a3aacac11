// What an entry of the base-image catalog holds (docs/catalog.md), and what a language supplies of
// it: the common bases' entries are server/src/images/catalog.json, each language's are its own
// catalog.json in languages/<id>/, handed over through LanguageSupport.catalog; images/catalog.ts
// asks the registry for them and sizes images with all of them.
import type { ImageReference } from './imageRef';

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
  /** The release of its language's toolchain the image carries ("1.27.x" on golang:1.27), for a language's image. */
  readonly toolchain?: string | null;
  readonly platforms: Readonly<Record<string, PlatformSizes>>;
  readonly source: string;
  readonly date: string | null;
  readonly derived?: string;
}

/** A language's part of the catalog (LanguageSupport.catalog). */
export interface LanguageCatalog {
  /** Its images' entries, from its catalog.json. */
  readonly entries: readonly CatalogEntry[];
  /**
   * Uncompressed/compressed ratio of its images, for an entry that publishes only the compressed
   * size (measured on an entry that has both); without it the catalog's default applies.
   */
  readonly downloadRatio?: number;
  /**
   * An entry that stands in for a tag of the language's images the catalog does not list, and why
   * ("golang:1.19.5 sized like golang:1.19-bullseye"); `candidates` are the entries of the image's
   * repository. Undefined when none does.
   */
  standIn?(ref: ImageReference, candidates: readonly CatalogEntry[]): { readonly entry: CatalogEntry; readonly why: string } | undefined;
}

/** The entries of a catalog file as read from its JSON ({ "images": [...] }). */
export function catalogEntriesOf(data: { readonly images: readonly unknown[] }): readonly CatalogEntry[] {
  return data.images as readonly CatalogEntry[];
}
