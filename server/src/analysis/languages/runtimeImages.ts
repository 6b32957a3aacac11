// What a Java, Node or Python base image is, from its name: a JDK or a JRE, a full image with the
// compilers or a slim or Alpine one, and the language version its tag names. Explicit patterns
// for the official images; anything else is undefined, and the rules stay silent about it.
import type { ImageReference } from '../imageRef';

export type LanguageImageKind =
  /** A JDK (javac, jlink…), or Maven/Gradle on a JDK. */
  | 'jdk'
  | 'jre'
  /** node:N, python:X: Debian with compilers, headers and version control (buildpack-deps). */
  | 'full'
  | 'slim'
  | 'alpine';

export interface LanguageImage {
  readonly language: 'java' | 'node' | 'python';
  readonly repository: string;
  readonly kind: LanguageImageKind;
  /** The language version the tag names ("17", "18", "3.11"); undefined for latest/lts. */
  readonly version: string | undefined;
  /** A tag word that stands for a version (`lts`, `current`, `iron`), kept when the fixes swap the tag. */
  readonly alias?: string;
  /** Maven or Gradle: the build tool is the image's point. */
  readonly buildTool: 'maven' | 'gradle' | undefined;
  /** The Debian/Ubuntu codename or "alpine" the tag names ("bookworm", "jammy", "alpine3.19"). */
  readonly os: string | undefined;
  /** The java and openjdk repositories, which no longer get updates. */
  readonly deprecated: boolean;
}

const DEBIAN_OR_UBUNTU = /(?:^|-)(trixie|bookworm|bullseye|buster|noble|jammy|focal|centos7|ubi9-minimal|windowsservercore[\w-]*|nanoserver[\w-]*|alpine[\d.]*)(?:$|-)/;

export function languageImage(ref: ImageReference | undefined): LanguageImage | undefined {
  if (!ref) return undefined;
  const name = ref.familiar;
  const tag = ref.tag ?? 'latest';
  const os = DEBIAN_OR_UBUNTU.exec(tag)?.[1];
  const alpine = os?.startsWith('alpine') ?? false;
  const base = { repository: name, os, buildTool: undefined, deprecated: false } as const;
  if (name === 'eclipse-temurin' || name === 'ibm-semeru-runtimes' || name === 'amazoncorretto' || name === 'sapmachine') {
    const version = /^(\d+)/.exec(tag)?.[1];
    const jre = /(^|-)jre($|-)/.test(tag) || tag.includes('open-jre');
    return { ...base, language: 'java', kind: jre ? 'jre' : 'jdk', version };
  }
  if (name === 'openjdk' || name === 'java') {
    const version = /^(?:openjdk-)?(\d+)/.exec(tag)?.[1];
    const jre = /(^|-)jre($|-)/.test(tag);
    return { ...base, language: 'java', kind: jre ? 'jre' : 'jdk', version, deprecated: true };
  }
  if (name === 'maven' || name === 'gradle') {
    // maven:3.9-eclipse-temurin-17, maven:3-openjdk-17-slim, maven:3.8-jdk-11, gradle:8.5-jdk17-alpine
    const version = /(?:temurin|openjdk|corretto|semeru|sapmachine|jdk)-?(\d+)/.exec(tag)?.[1];
    return { ...base, language: 'java', kind: 'jdk', version, buildTool: name };
  }
  if (name === 'node') {
    const version = /^(\d+(?:\.\d+){0,2})/.exec(tag)?.[1];
    const kind: LanguageImageKind = alpine ? 'alpine' : /(^|-)slim($|-)/.test(tag) ? 'slim' : 'full';
    const alias = version ? undefined : /^(lts|current|hydrogen|iron|jod|krypton)(?=$|-)/.exec(tag)?.[1];
    return { ...base, language: 'node', kind, version, ...(alias ? { alias } : {}) };
  }
  if (name === 'python') {
    const version = /^(\d+(?:\.\d+){0,2}(?:[abrc]+\d+)?)/.exec(tag)?.[1];
    const kind: LanguageImageKind = alpine ? 'alpine' : /(^|-)slim($|-)/.test(tag) ? 'slim' : 'full';
    return { ...base, language: 'python', kind, version };
  }
  return undefined;
}

/** The Java feature release of an image, as a number. */
export function javaRelease(image: LanguageImage): number | undefined {
  return image.language === 'java' && image.version !== undefined ? Number(image.version) : undefined;
}

/** The Debian/Ubuntu/Alpine part of a tag, kept when the fixes swap the image ("-bookworm", "-alpine"). */
export function osSuffix(image: LanguageImage): string {
  return image.os ? `-${image.os}` : '';
}

/**
 * `node:18-slim` for node:18, `node:18-bookworm-slim` for node:18-bookworm, and
 * `python:3.11-slim-bookworm` for python:3.11-bookworm: each repository's official tag order
 * (python has no `3.11-bookworm-slim` tag).
 */
export function slimTag(image: LanguageImage): string | undefined {
  if (image.kind !== 'full' || !['node', 'python'].includes(image.language)) return undefined;
  const order = image.language === 'python' ? [image.version, 'slim', image.os] : [image.version ?? image.alias, image.os, 'slim'];
  const parts = order.filter((p): p is string => p !== undefined);
  return `${image.repository}:${parts.join('-')}`;
}

export function alpineTag(image: LanguageImage): string | undefined {
  if (!['node', 'python'].includes(image.language)) return undefined;
  const version = image.version ?? image.alias;
  return `${image.repository}:${version ? `${version}-alpine` : 'alpine'}`;
}

/** The Eclipse Temurin JRE for a Java release, on the variant of the JDK it replaces. */
export function temurinJre(release: number | string, image: LanguageImage | undefined): string {
  const alpine = image?.os?.startsWith('alpine') ? '-alpine' : '';
  const ubuntu = image?.os && ['noble', 'jammy', 'focal'].includes(image.os) ? `-${image.os}` : '';
  return `eclipse-temurin:${release}-jre${alpine || ubuntu}`;
}
