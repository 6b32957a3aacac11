// Rust: the rust images: what each provides, from its name alone. Its own module, the language's entry (index.ts) hands it to the registry,
// so that describing a base image never loads the language's analysis (which asks for base facts).
import type { ImageReference } from '../../imageRef';
import { imageFacts } from '../../baseFacts';
import { osFromTag } from '../facts';

export function describeRustImage(ref: ImageReference) {
  if (ref.familiar !== 'rust' && !ref.familiar.endsWith('/rust')) return undefined;
  const tag = ref.tag ?? 'latest';
  const os = osFromTag(tag);
  const version = /^(\d+(?:\.\d+){0,2})/.exec(tag)?.[1];
  const { slim, ...rest } = os;
  return imageFacts({
    kind: 'toolchain',
    ...rest,
    // The Debian variants come with ca-certificates (rustup needs them); alpine's is not checked.
    caCertificates: rest.os === 'debian' ? true : undefined,
    zoneinfo: rest.os === 'debian' && !slim ? true : undefined,
    language: 'rust',
    ...(version ? { languageVersion: version } : {}),
  });
}
