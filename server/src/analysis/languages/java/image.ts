// Java: the JDK and JRE images (eclipse-temurin, openjdk, amazoncorretto, maven, gradle): what
// each provides, from its name alone. Its own module, handed to the registry by the language's entry (index.ts), so that describing a base image never loads the language's analysis (which asks for base facts).
import type { ImageReference } from '../../imageRef';
import { imageFacts } from '../../baseFacts';
import { osFromTag } from '../facts';
import { languageImage } from '../runtimeImages';

/** BaseFacts of a Java image: its kind and release from runtimeImages.ts, its OS from the tag. */
export function describeJavaImage(ref: ImageReference) {
  const image = languageImage(ref);
  if (image?.language !== 'java') return undefined;
  const { slim: _slim, ...os } = osFromTag(ref.tag ?? 'latest');
  // amazoncorretto is Amazon Linux (glibc, yum): the Debian defaults of osFromTag do not hold.
  const facts = ref.familiar === 'amazoncorretto' && os.os !== 'alpine' ? { os: 'amazonlinux', libc: 'glibc' as const, shell: true } : os;
  // The gradle images end with WORKDIR /home/gradle (their Dockerfiles in docker-library's gradle
  // repository): a `COPY . .` with no WORKDIR of the file's own lands there, not in /.
  const workdir = image.buildTool === 'gradle' ? { workdir: '/home/gradle' } : {};
  return imageFacts({ kind: image.kind === 'jre' ? 'language-runtime' : 'toolchain', ...facts, ...workdir, language: 'java', ...(image.version ? { languageVersion: image.version } : {}) });
}
