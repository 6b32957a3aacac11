// The distributions' package indexes as the analysis sees them: already fetched and parsed by the
// caller (images/packageIndex.ts, images/alpineIndex.ts), asked synchronously, and absent when
// they are not at hand (offline without a cache, a mirror that is down, a release not named).
// Rules that need them (the --no-install-recommends fix, the conversions' package classes) do
// less without them, never guess.
import { DEBIAN_RELEASES, UBUNTU_RELEASES } from '../baseFacts';
import type { BaseFacts } from '../baseFacts';
import type { AlpineIndex } from './alpineIndex';
import type { DebianIndex } from './debianIndex';

export interface KnownIndex<I> {
  readonly index: I;
  /** Where it comes from, for messages: "Debian bookworm main amd64 Packages, 2026-12-06". */
  readonly source: string;
}

export interface PackageIndexes {
  /** The index of a Debian or Ubuntu release codename (bookworm, jammy), when it is at hand: one format, one reader. */
  readonly debian?: (codename: string) => KnownIndex<DebianIndex> | undefined;
  /** Alpine's index of a branch (3.20), when it is at hand. */
  readonly alpine?: (branch: string) => KnownIndex<AlpineIndex> | undefined;
  /** The packages an image already has (its dpkg status or apk database), by its name as written in FROM. */
  readonly installed?: (image: string) => ReadonlySet<string> | undefined;
}

/**
 * The Debian codename of an image's release (bookworm for debian:12, golang:1.22), when its name
 * says. Debian only: the rules that act on the index (the --no-install-recommends fix) were proven
 * on Debian's images; Ubuntu's index sizes installs (aptCodename) but makes no fix safe.
 */
export function debianCodename(facts: BaseFacts): string | undefined {
  if (facts.os !== 'debian' || facts.release === undefined) return undefined;
  return Object.entries(DEBIAN_RELEASES).find(([, number]) => number === facts.release)?.[0];
}

/**
 * The apt release codename of an image, Debian's or Ubuntu's (jammy for ubuntu:22.04), when its
 * name says: what the estimate and the hover size installs from. The two distributions never share
 * a codename, so one name keys either's index.
 */
export function aptCodename(facts: BaseFacts): string | undefined {
  if (facts.os !== 'ubuntu' || facts.release === undefined) return debianCodename(facts);
  return Object.entries(UBUNTU_RELEASES).find(([, number]) => number === facts.release)?.[0];
}

/** The Debian index for an image, when its release is known and the index is at hand. */
export function debianIndexFor(facts: BaseFacts, indexes: PackageIndexes | undefined): KnownIndex<DebianIndex> | undefined {
  const codename = debianCodename(facts);
  return codename ? indexes?.debian?.(codename) : undefined;
}

/** The Alpine index for an image, when its branch is known (alpine:3.20) and the index is at hand. */
export function alpineIndexFor(facts: BaseFacts, indexes: PackageIndexes | undefined): KnownIndex<AlpineIndex> | undefined {
  return facts.os === 'alpine' && facts.release !== undefined ? indexes?.alpine?.(facts.release) : undefined;
}
