// Language images name their OS in the tag's suffix; one reading of it for every language.
import { DEBIAN_RELEASES, UBUNTU_RELEASES, type BaseFacts } from '../baseFacts';

/**
 * The OS of an official language image from its tag's suffix (the Docker library convention:
 * "-alpine3.20", "-slim-bookworm", "-bookworm", "-jammy"): alpine is musl, Debian and Ubuntu variants glibc. A tag
 * without a suffix is Debian too, release unknown (it follows Debian's current one).
 */
export function osFromTag(tag: string): Pick<BaseFacts, 'os' | 'release' | 'libc' | 'packageManager' | 'shell' | 'passwd' | 'nonrootDefault'> & { readonly slim: boolean } {
  const alpine = /(^|-)alpine(\d+\.\d+)?/.exec(tag);
  if (alpine) return { os: 'alpine', release: alpine[2], libc: 'musl', packageManager: 'apk', shell: true, passwd: true, nonrootDefault: false, slim: false };
  // An Ubuntu codename suffix (eclipse-temurin:21-jre-jammy, -noble): those images are built FROM ubuntu.
  const ubuntu = Object.keys(UBUNTU_RELEASES).find((c) => new RegExp(`(^|-)${c}($|-)`).test(tag));
  if (ubuntu) return { os: 'ubuntu', release: UBUNTU_RELEASES[ubuntu], libc: 'glibc', packageManager: 'apt', shell: true, passwd: true, nonrootDefault: false, slim: false };
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
