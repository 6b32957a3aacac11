// Go: the golang images, what each provides from its name alone (the Go version and the Debian or
// Alpine release its tag names, or, for a tag without a suffix, where Docker's default points now).
// Its own module, handed to the registry by the language's entry (index.ts), like every language's.
import type { ImageReference } from '../../imageRef';
import { goVersionParts } from './gomod';
import { DEBIAN_RELEASES, UNKNOWN, type BaseFacts } from '../../baseFacts';
// The dated tag-to-Debian mappings are rule knowledge, not sizes, so they live beside the analysis.
import golangTags from '../../golangTags.json';

interface DefaultVariant {
  readonly go: string;
  readonly release: string;
  readonly since: string;
  readonly until?: string;
  /** The first patch release built on this mapping; an older patch tag keeps the mapping before. */
  readonly fromPatch?: number;
}
const GOLANG_DEFAULTS = (golangTags as unknown as { mappings: DefaultVariant[] }).mappings;

/** Where an unsuffixed golang:1.N (or 1.N.P) tag points now (the catalog's dated mappings), and where it pointed before. */
export function golangDefaultVariant(version: string | undefined): { codename: string; since: string; before?: string } | undefined {
  const parts = goVersionParts(version);
  if (!parts) return undefined;
  const minor = `${parts[0]}.${parts[1]}`;
  const all = GOLANG_DEFAULTS.filter((m) => m.go === minor);
  const now = all.find((m) => m.until === undefined);
  if (!now) return undefined;
  const before = all.find((m) => m.until !== undefined);
  // golang:1.19.5 was last rebuilt when 1.19.6 came out, before the default moved: it never moved.
  const namesPatch = /^\d+\.\d+\.\d+/.test(version ?? '');
  if (before && namesPatch && now.fromPatch !== undefined && parts[2] < now.fromPatch) return { codename: before.release, since: before.since };
  return { codename: now.release, since: now.since, ...(before ? { before: before.release } : {}) };
}

declare module '../../baseFacts' {
  interface LanguageImageFacts {
    go: {
      /** The variant suffix of the tag ("-alpine3.20", "-bookworm"), which fixes keep. */
      readonly variant: string | undefined;
    };
  }
}

/** Whether the image is a golang image: Go's toolchain. */
export function isGolangImage(facts: BaseFacts): boolean {
  return facts.kind === 'toolchain' && facts.language === 'go';
}

/** The Go version a golang image's tag names (its languageVersion); undefined for any other image. */
export function golangVersion(facts: BaseFacts): string | undefined {
  return isGolangImage(facts) ? facts.languageVersion : undefined;
}

/** The variant suffix of a golang image's tag ("-alpine3.20", "-bookworm"), when it has one. */
export function golangVariant(facts: BaseFacts): string | undefined {
  return facts.own?.go?.variant;
}

/** The Debian release of the last unsuffixed image of a Go release the catalog has no mapping for. */
function lastDefaultRelease([major, minor]: readonly number[]): string | undefined {
  if (major !== 1 || minor === undefined) return undefined;
  if (minor >= 16 && minor <= 18) return DEBIAN_RELEASES.bullseye;
  if (minor >= 12 && minor <= 15) return DEBIAN_RELEASES.buster;
  return undefined;
}

/** BaseFacts of a golang image (the Go toolchain), or undefined for another name. */
export function describeGolangImage(ref: ImageReference): BaseFacts | undefined {
  const name = ref.familiar;
  return name === 'golang' || name.endsWith('/golang') ? golangFacts(ref.tag ?? 'latest') : undefined;
}

function golangFacts(tag: string): BaseFacts {
  const m = /^(\d+(?:\.\d+){0,2}(?:rc\d+)?)?-?(.*)$/.exec(tag);
  const version = m?.[1];
  const variant = m?.[2] ?? '';
  const alpine = variant.startsWith('alpine') || tag === 'alpine';
  const codename = Object.keys(DEBIAN_RELEASES).find((c) => variant.startsWith(c));
  let release = codename ? DEBIAN_RELEASES[codename] : undefined;
  let floating: BaseFacts['floating'];
  if (!alpine && !codename) {
    // An unsuffixed tag follows Docker's default for that Go version, which moved during the
    // tag's life: the catalog's dated mapping says where it points now. Releases that ended before
    // any move point where their last image was built (golangTags.json's notes): bullseye for 1.16
    // to 1.18, buster for 1.12 to 1.15; older ones are left unknown.
    const now = golangDefaultVariant(version);
    const parts = goVersionParts(version);
    if (now) {
      release = DEBIAN_RELEASES[now.codename];
      floating = now;
    } else if (parts) release = lastDefaultRelease(parts);
  }
  return {
    ...UNKNOWN,
    kind: 'toolchain',
    language: 'go',
    // Go's rules judge a golang stage whether or not it builds Go (heavy-runtime-base, go-toolchain-in-final-image).
    judgedByItsLanguage: true,
    os: alpine ? 'alpine' : 'debian',
    release: alpine ? /alpine(\d+\.\d+)/.exec(variant)?.[1] : release,
    libc: alpine ? 'musl' : 'glibc',
    shell: true,
    packageManager: alpine ? 'apk' : 'apt',
    caCertificates: true,
    zoneinfo: !alpine,
    passwd: true,
    nonrootDefault: false,
    ...(version ? { languageVersion: version } : {}),
    own: { go: { variant: variant ? `-${variant}` : undefined } },
    // The golang images set WORKDIR /go: `RUN go build -o bot` without a WORKDIR of the file's own writes /go/bot.
    workdir: '/go',
    folders: ['/go', '/go/bin', '/go/src', '/usr/local/go'],
    ...(floating ? { floating } : {}),
  };
}
