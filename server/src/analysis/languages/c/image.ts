// C/C++: the gcc images: what each provides, from its name alone. Its own module, the language's entry (index.ts) hands it to the registry,
// so that describing a base image never loads the language's analysis (which asks for base facts).
import type { ImageReference } from '../../imageRef';
import { imageFacts } from '../../baseFacts';
import { osFromTag } from '../facts';

export function describeGccImage(ref: ImageReference) {
  if (ref.familiar !== 'gcc') return undefined;
  const tag = ref.tag ?? 'latest';
  const version = /^(\d+(?:\.\d+){0,2})/.exec(tag)?.[1];
  // The gcc image is built on buildpack-deps (Debian, glibc); it has no alpine variant.
  const { slim: _slim, ...os } = osFromTag(tag);
  return imageFacts({ kind: 'toolchain', ...os, caCertificates: true, language: 'c', ...(version ? { languageVersion: version } : {}) });
}
