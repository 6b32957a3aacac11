// Rust: the rust images, Cargo.toml (binary names, rust-version, the release profile) and the
// cargo builds in RUN steps.
import { parse as parseToml } from 'smol-toml';
import type { ImageReference } from '../imageRef';
import type { LanguageSupport } from './types';
import { languageImageFacts, osFromTag } from './facts';

export interface CargoManifest {
  readonly packageName: string | undefined;
  /** `[[bin]]` names, else the package name (cargo's default binary). */
  readonly binaries: readonly string[];
  /** `package.rust-version`, the oldest compiler the crate builds with. */
  readonly rustVersion: string | undefined;
  /** `[profile.release]` as written (strip, lto, opt-level, codegen-units, panic). */
  readonly releaseProfile: Readonly<Record<string, unknown>>;
  /** 1-based line of `[profile.release]`, or of `[package]` when there is none. */
  readonly profileLine: number | undefined;
  readonly rustVersionLine: number | undefined;
  /** A workspace root without a package: binaries are in its members. */
  readonly workspace: boolean;
  readonly dependencies: readonly string[];
  /** Why the file could not be read; the other fields are then empty. */
  readonly problem: string | undefined;
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
  return index < 0 ? undefined : index + 1;
}

/** Reads Cargo.toml; a file TOML cannot parse gives `problem` and no facts, never an exception. */
export function readCargoToml(text: string): CargoManifest {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    return { packageName: undefined, binaries: [], rustVersion: undefined, releaseProfile: {}, profileLine: undefined, rustVersionLine: undefined, workspace: false, dependencies: [], problem: (error as Error).message.split('\n')[0] };
  }
  const pkg = (data.package ?? {}) as Record<string, unknown>;
  const packageName = typeof pkg.name === 'string' ? pkg.name : undefined;
  const bins = Array.isArray(data.bin) ? (data.bin as Array<Record<string, unknown>>).map((b) => b.name).filter((n): n is string => typeof n === 'string') : [];
  const autobins = pkg.autobins !== false;
  const binaries = bins.length > 0 ? bins : packageName && autobins ? [packageName] : [];
  const profile = ((data.profile ?? {}) as Record<string, unknown>).release;
  return {
    packageName,
    binaries,
    rustVersion: typeof pkg['rust-version'] === 'string' ? pkg['rust-version'] : undefined,
    releaseProfile: profile && typeof profile === 'object' ? (profile as Record<string, unknown>) : {},
    profileLine: lineOf(text, /^\s*\[profile\.release\]/) ?? lineOf(text, /^\s*\[package\]/),
    rustVersionLine: lineOf(text, /^\s*rust-version\s*=/),
    workspace: data.workspace !== undefined && data.package === undefined,
    dependencies: Object.keys((data.dependencies ?? {}) as object),
    problem: undefined,
  };
}

function describeRustImage(ref: ImageReference) {
  if (ref.familiar !== 'rust' && !ref.familiar.endsWith('/rust')) return undefined;
  const tag = ref.tag ?? 'latest';
  const os = osFromTag(tag);
  const version = /^(\d+(?:\.\d+){0,2})/.exec(tag)?.[1];
  const { slim, ...rest } = os;
  return languageImageFacts({
    kind: 'toolchain',
    ...rest,
    // The Debian variants come with ca-certificates (rustup needs them); alpine's is not checked.
    caCertificates: rest.os === 'debian' ? true : undefined,
    zoneinfo: rest.os === 'debian' && !slim ? true : undefined,
    language: 'rust',
    ...(version ? { languageVersion: version } : {}),
    variant: tag.slice(version?.length ?? 0) || undefined,
  });
}

export const rust: LanguageSupport = {
  id: 'rust',
  name: 'Rust',
  manifests: ['Cargo.toml'],
  companionFiles: ['Cargo.lock'],
  buildCommands: ['cargo', 'rustc'],
  describeImage: describeRustImage,
};
