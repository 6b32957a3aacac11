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
}
const GOLANG_DEFAULTS = (golangTags as unknown as { mappings: DefaultVariant[] }).mappings;

/** Where an unsuffixed golang:1.N tag points now (the catalog's dated mappings), and where it pointed before. */
export function golangDefaultVariant(version: string | undefined): { codename: string; since: string; before?: string } | undefined {
  const parts = goVersionParts(version);
  if (!parts) return undefined;
  const minor = `${parts[0]}.${parts[1]}`;
  const all = GOLANG_DEFAULTS.filter((m) => m.go === minor);
  const now = all.find((m) => m.until === undefined);
  if (!now) return undefined;
  const before = all.find((m) => m.until !== undefined);
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
    // tag's life: the catalog's dated mapping says where it points now. Bullseye up to 1.19.
    const now = golangDefaultVariant(version);
    const parts = goVersionParts(version);
    if (now) {
      release = DEBIAN_RELEASES[now.codename];
      floating = now;
    } else if (parts) release = parts[0] === 1 && parts[1] <= 19 ? '11' : undefined;
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
