// Parses image references ("golang:1.22-alpine", "gcr.io/distroless/static-debian12:nonroot@sha256:…").
// Written here rather than taken from npm: the reference parsers there are unmaintained or drag in
// a registry client; we need only the split and Docker Hub's normalisation, both fixed by the
// distribution reference grammar.

export interface ImageReference {
  /** The reference as written after variable expansion. */
  readonly raw: string;
  /** Registry host, "docker.io" when none is written. */
  readonly registry: string;
  /** Repository path without registry: "library/golang", "distroless/static-debian12". */
  readonly path: string;
  /** The name users write: "golang", "gcr.io/distroless/static-debian12". */
  readonly familiar: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export function parseImageReference(raw: string): ImageReference | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  const isHub = registry === 'docker.io';
  const path = isHub && parts.length === 1 ? `library/${parts[0]}` : parts.join('/');
  const familiar = isHub ? path.replace(/^library\//, '') : `${registry}/${path}`;
  return { raw: text, registry, path, familiar, tag, digest };
}

/** The tag that applies when none is written ("latest"), unless the reference is pinned by digest. */
export function effectiveTag(ref: ImageReference): string | undefined {
  return ref.tag ?? (ref.digest ? undefined : 'latest');
}

export function formatImageReference(ref: Pick<ImageReference, 'familiar' | 'tag' | 'digest'>): string {
  return `${ref.familiar}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
