// The catalog's package lists of official base images (catalog-packages.json): what an image
// already has when the local engine does not hold it, for sizing apt-get install (dpkg lists,
// by Debian codename) and apk add (apk lists, by Alpine branch). Each answer names its source.
import type { ImageReference } from '../analysis/imageRef';
import catalogPackages from './catalog-packages.json';

interface CatalogList {
  readonly manager: 'dpkg' | 'apk';
  readonly images: readonly string[];
  /** dpkg lists: the Debian release. */
  readonly codename?: string;
  /** apk lists: the Alpine branch (3.24). */
  readonly branch?: string;
  readonly source: string;
  readonly date: string;
  readonly packages: readonly string[];
}

const CATALOG: readonly CatalogList[] = (catalogPackages as { lists: CatalogList[] }).lists;

export interface CatalogPackages {
  readonly installed: ReadonlySet<string>;
  readonly codename: string | undefined;
  readonly branch: string | undefined;
  readonly source: string;
}

function find(ref: ImageReference, manager: CatalogList['manager']): CatalogPackages | undefined {
  const name = `${ref.familiar}:${ref.tag ?? 'latest'}`;
  const list = CATALOG.find((l) => l.manager === manager && l.images.includes(name));
  return list ? { installed: new Set(list.packages), codename: list.codename, branch: list.branch, source: `catalog: ${list.source}, ${list.date}` } : undefined;
}

/** The catalog's dpkg package list of an official image, by its familiar name and tag. */
export function catalogBasePackages(ref: ImageReference): CatalogPackages | undefined {
  return find(ref, 'dpkg');
}

/** The catalog's apk package list of an official Alpine-based image, by its familiar name and tag. */
export function catalogApkPackages(ref: ImageReference): CatalogPackages | undefined {
  return find(ref, 'apk');
}
