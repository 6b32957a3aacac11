// What a base image provides at run time (libc, shell, certificates, users…), known from its name.
// Sizes live in the catalog (server/src/images); this is the part every rule needs to be right
// about, so it is decided by explicit name patterns and says "unknown" for anything else.
import type { ImageReference } from './imageRef';
import { DEBIAN_RELEASES, UBUNTU_RELEASES, SCRATCH_FACTS, UNKNOWN, type BaseFacts, type BaseKind, type Libc } from './baseFacts';
import { describeLanguageImage } from './languages/images';

export type { BaseFacts, BaseKind, Libc } from './baseFacts';
export { SCRATCH_FACTS } from './baseFacts';



export function describeBase(ref: ImageReference | undefined, isScratch = false): BaseFacts {
  if (isScratch) return SCRATCH_FACTS;
  if (!ref) return UNKNOWN;
  const name = ref.familiar;
  const tag = ref.tag ?? 'latest';
  const distroless = /^gcr\.io\/distroless\/(static|base-nossl|base|cc|java\d*|python3|nodejs\d*)(?:-debian(\d+))?$/.exec(name);
  if (distroless) {
    const flavour = distroless[1] as string;
    const debug = tag.includes('debug');
    const nonroot = tag.includes('nonroot');
    const kind: BaseKind = flavour === 'static' ? 'distroless-static' : flavour === 'cc' ? 'distroless-cc' : flavour.startsWith('base') ? 'distroless-base' : 'unknown';
    return {
      ...UNKNOWN,
      kind,
      os: 'debian',
      release: distroless[2] ?? undefined,
      libc: flavour === 'static' ? 'none' : 'glibc',
      shell: debug,
      caCertificates: true,
      zoneinfo: true,
      passwd: true,
      nonrootDefault: nonroot,
    };
  }
  if (/^cgr\.dev\/chainguard\/static$/.test(name)) {
    return { ...UNKNOWN, kind: 'static', os: 'wolfi', libc: 'none', shell: false, caCertificates: true, zoneinfo: true, passwd: true, nonrootDefault: !tag.includes('root') || tag.includes('nonroot') };
  }
  if (name === 'alpine') {
    return { ...UNKNOWN, kind: 'os', os: 'alpine', release: /^\d+\.\d+/.exec(tag)?.[0], libc: 'musl', shell: true, packageManager: 'apk', caCertificates: true, zoneinfo: false, passwd: true, nonrootDefault: false };
  }
  if (name === 'debian') {
    const codename = Object.keys(DEBIAN_RELEASES).find((c) => tag.startsWith(c));
    const release = codename ? DEBIAN_RELEASES[codename] : /^(\d+)/.exec(tag)?.[1];
    return { ...UNKNOWN, kind: 'os', os: 'debian', release, libc: 'glibc', shell: true, packageManager: 'apt', caCertificates: false, zoneinfo: !tag.includes('slim'), passwd: true, nonrootDefault: false };
  }
  if (name === 'ubuntu') {
    const codename = Object.keys(UBUNTU_RELEASES).find((c) => tag.startsWith(c));
    const release = codename ? UBUNTU_RELEASES[codename] : /^\d+\.\d+/.exec(tag)?.[0];
    return { ...UNKNOWN, kind: 'os', os: 'ubuntu', release, libc: 'glibc', shell: true, packageManager: 'apt', caCertificates: false, zoneinfo: false, passwd: true, nonrootDefault: false };
  }
  if (name === 'busybox') {
    const libc: Libc = tag.includes('musl') ? 'musl' : tag.includes('uclibc') ? 'uclibc' : 'glibc';
    return { ...UNKNOWN, kind: 'busybox', os: 'busybox', libc, shell: true, caCertificates: false, zoneinfo: false, passwd: true, nonrootDefault: false };
  }
  return describeLanguageImage(ref) ?? UNKNOWN;
}

/** Runtime bases on which a fully static binary needs nothing else (beyond what they lack, e.g. certs on scratch). */
export function isStaticRuntime(facts: BaseFacts): boolean {
  return facts.kind === 'scratch' || facts.kind === 'distroless-static' || facts.kind === 'static';
}

