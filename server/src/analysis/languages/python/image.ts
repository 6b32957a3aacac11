// Python: the python images: what each provides, from its name alone. Its own module, the language's entry (index.ts) hands it to the registry,
// so that describing a base image never loads the language's analysis (which asks for base facts).
import type { ImageReference } from '../../imageRef';
import { imageFacts } from '../../baseFacts';
import { osFromTag } from '../facts';
import { languageImage } from '../runtimeImages';

/** BaseFacts of a python image: full (compilers, buildpack-deps) or slim/alpine from runtimeImages.ts, its OS from the tag. */
export function describePythonImage(ref: ImageReference) {
  const image = languageImage(ref);
  if (image?.language !== 'python') return undefined;
  const { slim: _slim, ...os } = osFromTag(ref.tag ?? 'latest');
  return imageFacts({ kind: image.kind === 'full' ? 'toolchain' : 'language-runtime', ...os, language: 'python', ...(image.version ? { languageVersion: image.version } : {}) });
}
