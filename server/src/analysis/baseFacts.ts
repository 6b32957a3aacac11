// What a base image provides at run time, as data: the record baseImage.ts and every language's
// image description fill in, and the release names both read. The bottom of the image knowledge:
// it imports nothing of the analysis but the language ids.
import type { LanguageId } from './languages/id';

export type Libc = 'glibc' | 'musl' | 'uclibc' | 'none';

export type BaseKind =
  /** A language's build image (golang, rust, gcc, a JDK, maven, gradle): compiler and build tools. */
  | 'toolchain'
  /** A language's runtime image without its build tools (a JRE, node:*-slim, python:*-slim). */
  | 'language-runtime'
  | 'os'
  | 'distroless-static'
  | 'distroless-base'
  | 'distroless-cc'
  | 'static'
  | 'busybox'
  | 'scratch'
  | 'unknown';

export interface BaseFacts {
  readonly kind: BaseKind;
  /** "debian", "alpine", "ubuntu", "wolfi"… */
  readonly os: string | undefined;
  /** "12", "11", "3.20", "22.04" when the tag says so. */
  readonly release: string | undefined;
  readonly libc: Libc | undefined;
  readonly shell: boolean | undefined;
  readonly packageManager: 'apt' | 'apk' | undefined;
  readonly caCertificates: boolean | undefined;
  readonly zoneinfo: boolean | undefined;
  readonly passwd: boolean | undefined;
  /** The image's default user is not root. */
  readonly nonrootDefault: boolean | undefined;
  /** Language images (kind toolchain or language-runtime): whose, and the version the tag names. */
  readonly language?: LanguageId;
  readonly languageVersion?: string;
  /** The WORKDIR the image sets, where a stage starts before its own WORKDIR; absent: / (Docker's default). */
  readonly workdir?: string;
  /**
   * Folders the image makes besides those every image but scratch has (golang: GOPATH's): a COPY
   * to one of them puts a file inside it.
   */
  readonly folders?: readonly string[];
  /**
   * A tag that names no release: the Debian release it points at now, and since when (such tags
   * float). The estimate sizes the packages of that release, and the hover shows it; only the
   * golang images' description knows such a mapping today.
   */
  readonly floating?: { readonly codename: string; readonly since: string; readonly before?: string };
  /**
   * Only the image's own language judges a stage on it, whatever the stage runs: other languages'
   * rules about their programs' images (a heavy runtime, missing build tools) leave it. Set by a
   * language whose rules speak for every stage on its images (Go's golang images:
   * heavy-runtime-base or go-toolchain-in-final-image judges a golang final stage).
   */
  readonly judgedByItsLanguage?: true;
  /** Facts of the image's own language that only that language reads (LanguageImageFacts). */
  readonly own?: { readonly [L in keyof LanguageImageFacts]?: LanguageImageFacts[L] };
}

/**
 * Facts one language's images carry that no shared code reads, one record per language id: each
 * language's folder adds its own with `declare module '../../baseFacts'` (as Go's image.ts adds the
 * golang tag's variant), the way LanguageIds is built, so this module names no language.
 */
export interface LanguageImageFacts {}

/** Facts every field of which is unknown but those given. */
export function imageFacts(fields: Partial<BaseFacts> & Pick<BaseFacts, 'kind'>): BaseFacts {
  return {
    os: undefined,
    release: undefined,
    libc: undefined,
    shell: undefined,
    packageManager: undefined,
    caCertificates: undefined,
    zoneinfo: undefined,
    passwd: undefined,
    nonrootDefault: undefined,
    ...fields,
  };
}

// One all-unknown record for every kind of image.
export const UNKNOWN: BaseFacts = imageFacts({ kind: 'unknown' });

export const SCRATCH_FACTS: BaseFacts = {
  ...UNKNOWN,
  kind: 'scratch',
  os: 'none',
  libc: 'none',
  shell: false,
  caCertificates: false,
  zoneinfo: false,
  passwd: false,
  nonrootDefault: false,
};

/** Debian's release codenames, as image tags carry them ("-bookworm", "-slim-trixie"). */
export const DEBIAN_RELEASES: Readonly<Record<string, string>> = { trixie: '13', bookworm: '12', bullseye: '11', buster: '10', stretch: '9' };
export const UBUNTU_RELEASES: Readonly<Record<string, string>> = { noble: '24.04', jammy: '22.04', focal: '20.04', bionic: '18.04' };
