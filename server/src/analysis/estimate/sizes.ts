// Sizes with their provenance: every number the estimate shows says where it comes from.
import type { ImageReference } from '../imageRef';
import type { ProjectFacts } from '../project';
import type { DebianIndex } from '../packages/debianIndex';
import type { AlpineIndex } from '../packages/alpineIndex';

export type SizeOrigin = 'local-engine' | 'registry' | 'catalog' | 'measured-build' | 'context' | 'model' | 'fixed';
export type Confidence = 'high' | 'medium' | 'low';

export interface Provenance {
  readonly origin: SizeOrigin;
  /** Where the figure comes from, for the hover: "catalog: golang:1.22-bookworm, figures of 2024-09-05". */
  readonly detail: string;
  readonly confidence: Confidence;
}

export interface SizedImage {
  /** Bytes on disk (uncompressed), what `docker image ls` reports. */
  readonly bytes: number;
  /** Bytes pulled (compressed layers), when known. */
  readonly compressed: number | undefined;
  readonly provenance: Provenance;
}

/** Decimal units, as `docker image ls` prints them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1000 * 1000) return `${(bytes / 1000).toFixed(0)} kB`;
  // 999.6 MB would print as "1000 MB": from there on, GB.
  if (bytes < 999.5 * 1000 * 1000) return `${(bytes / 1000 / 1000).toFixed(bytes < 9.95 * 1000 * 1000 ? 1 : 0)} MB`;
  return `${(bytes / 1000 / 1000 / 1000).toFixed(2)} GB`;
}

/** A size as the lenses and the hover show it, "≈ 12.3 MB", or "?" when unknown. */
export const approxBytes = (bytes: number | undefined): string => (bytes === undefined ? '?' : `≈ ${formatBytes(bytes)}`);

/**
 * What the caller knows about sizes, handed to the estimate and through it to each language's
 * sizing (LanguageSupport.estimateRun and artifactSize): base images from the catalog, registry or
 * engine, package indexes, and what it measured of the languages' builds. Each language sizes its
 * own artifacts (Go from its calibration, Rust from Cargo.toml's profile), with `measuredBuild` first.
 */
export interface SizeKnowledge {
  /** Size of a registry image, when known now (never waits). */
  baseImage(ref: ImageReference): SizedImage | undefined;
  /**
   * What the caller measured of a build the language asked to measure (LanguageSupport.measuredBuilds),
   * by the build's key, when measured (never waits); a language's model sizes the rest.
   */
  measuredBuild?(project: ProjectFacts, key: string): SizedImage | undefined;
  /**
   * Debian's index of the release and the packages the base image has, when both are known now
   * (never waits). `codename` is the release the image's tag names, when it names one.
   */
  debianPackages?(base: ImageReference, codename: string | undefined): DebianPackageFacts | undefined;
  /**
   * Alpine's index of the branch and the packages the base image has, when both are known now
   * (never waits). `branch` is the one the image's tag names (3.20), when it names one.
   */
  alpinePackages?(base: ImageReference, branch: string | undefined): AlpinePackageFacts | undefined;
}

/** What sizing an `apt-get install` needs: the index, and what the base image already has. */
export interface DebianPackageFacts {
  readonly index: DebianIndex;
  /** "Debian bookworm main amd64 Packages, 2026-12-06". */
  readonly indexSource: string;
  /** What `apt-get update` leaves in /var/lib/apt/lists when the step does not remove them. */
  readonly listsBytes: number;
  readonly installed: ReadonlySet<string>;
  /** "local Docker Engine: golang:1.22 (dpkg status)", or the catalog's list and its date. */
  readonly installedSource: string;
}

/** What sizing an `apk add` needs: the branch's index, and what the base image already has. */
export interface AlpinePackageFacts {
  readonly index: AlpineIndex;
  /** "Alpine v3.20 x86_64 APKINDEX, 2026-12-06". */
  readonly indexSource: string;
  /** What apk leaves in /var/cache/apk without --no-cache: the repositories' APKINDEX.tar.gz, as downloaded. */
  readonly cacheBytes: number;
  readonly installed: ReadonlySet<string>;
  /** "local Docker Engine: alpine:3.20 (/lib/apk/db/installed)", or the catalog's list and its date. */
  readonly installedSource: string;
}

/**
 * What the hover on a base image knows besides the estimate (estimate/present.ts): image sizes and
 * facts from the catalog, a registry or the engine, and what the estimate knows, with which each
 * language's hover lines size what a stage builds (LanguageHover.stageLines).
 */
export interface HoverKnowledge {
  size(ref: ImageReference): SizedImage | undefined;
  /** Extra facts from the catalog or a registry (shell path, user, digest, platforms). */
  details?(ref: ImageReference): ImageDetails | undefined;
  /** The estimate's knowledge (what the caller measured of a build), when the hover sizes builds; without it, no build is sized. */
  readonly sizes?: SizeKnowledge;
}

export interface ImageDetails {
  readonly shell?: string | null;
  readonly user?: string;
  readonly libcVersion?: string | null;
  readonly digest?: string;
  readonly platforms?: readonly string[];
}
