// C and C++: the gcc images and the compiler calls in RUN steps (C has no manifest every project
// shares; CMakeLists.txt and meson.build mark the common build systems).
import type { ImageReference } from '../imageRef';
import type { LanguageSupport } from './types';
import { languageImageFacts, osFromTag } from './facts';

function describeGccImage(ref: ImageReference) {
  if (ref.familiar !== 'gcc') return undefined;
  const tag = ref.tag ?? 'latest';
  const version = /^(\d+(?:\.\d+){0,2})/.exec(tag)?.[1];
  // The gcc image is built on buildpack-deps (Debian, glibc); it has no alpine variant.
  const { slim: _slim, ...os } = osFromTag(tag);
  return languageImageFacts({ kind: 'toolchain', ...os, caCertificates: true, language: 'c', ...(version ? { languageVersion: version } : {}) });
}

export const c: LanguageSupport = {
  id: 'c',
  name: 'C/C++',
  manifests: ['CMakeLists.txt', 'meson.build'],
  // Not make: Go and other projects drive their builds with make too.
  buildCommands: ['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'musl-gcc', 'cmake', 'meson'],
  describeImage: describeGccImage,
};
