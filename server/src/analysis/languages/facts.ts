// Builds BaseFacts from the few fields an image name proves, every other field unknown: for the
// language images and for baseImage.ts's own unknown record. It imports only baseImage.ts's types,
// so baseImage.ts can use it without a cycle of values.
import type { BaseFacts } from '../baseImage';

/** Facts every field of which is unknown but those given. */
export function languageImageFacts(fields: Partial<BaseFacts> & Pick<BaseFacts, 'kind'>): BaseFacts {
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
    goVersion: undefined,
    variant: undefined,
    ...fields,
  };
}

const DEBIAN_RELEASES: Record<string, string> = { trixie: '13', bookworm: '12', bullseye: '11', buster: '10' };

/**
 * The OS of an official language image from its tag's suffix (the Docker library convention:
 * "-alpine3.20", "-slim-bookworm", "-bookworm"): alpine is musl, Debian variants glibc. A tag
 * without a suffix is Debian too, release unknown (it follows Debian's current one).
 */
export function osFromTag(tag: string): Pick<BaseFacts, 'os' | 'release' | 'libc' | 'packageManager' | 'shell' | 'passwd' | 'nonrootDefault'> & { readonly slim: boolean } {
  const alpine = /(^|-)alpine(\d+\.\d+)?/.exec(tag);
  if (alpine) return { os: 'alpine', release: alpine[2], libc: 'musl', packageManager: 'apk', shell: true, passwd: true, nonrootDefault: false, slim: false };
  const codename = Object.keys(DEBIAN_RELEASES).find((c) => new RegExp(`(^|-)${c}($|-)`).test(tag));
  return {
    os: 'debian',
    release: codename ? DEBIAN_RELEASES[codename] : undefined,
    libc: 'glibc',
    packageManager: 'apt',
    shell: true,
    passwd: true,
    nonrootDefault: false,
    slim: /(^|-)slim($|-)/.test(tag),
  };
}
