// What a Rust program links besides libc, from Cargo.lock: the crates that bind a system library
// are the `-sys` crates, and unless a feature makes them build their own copy into the binary,
// the library must be in the runtime image. Every other crate is Rust compiled into the binary.
import { parse as parseToml } from 'smol-toml';
import { compareNames } from '../../paths';

export interface LockedCrate {
  readonly name: string;
  readonly version: string;
}

export type CargoLock = { readonly crates: readonly LockedCrate[]; readonly problem?: undefined } | { readonly crates?: undefined; readonly problem: string };

/** Reads Cargo.lock (TOML, `[[package]]` tables); a file that does not parse gives `problem`. */
export function readCargoLock(text: string): CargoLock {
  try {
    const data = parseToml(text) as { package?: unknown };
    const packages = Array.isArray(data.package) ? (data.package as Array<Record<string, unknown>>) : [];
    return { crates: packages.filter((p) => typeof p.name === 'string').map((p) => ({ name: p.name as string, version: typeof p.version === 'string' ? p.version : '' })) };
  } catch (error) {
    return { problem: (error as Error).message.split('\n')[0] ?? 'not TOML' };
  }
}

interface SystemCrate {
  /** The shared library's Debian package: what the runtime must have. */
  readonly library: string;
  /** Features (of the crate or of the crates that wrap it) that compile the library into the binary. */
  readonly bundlingFeatures: readonly string[];
  /** Crates whose features switch the bundling on (`rusqlite = { features = ["bundled"] }`). */
  readonly wrappers: readonly string[];
}

/**
 * The -sys crates whose library and bundling features are known, from each crate's Cargo.toml
 * features on crates.io: openssl-sys builds OpenSSL with `vendored` (also `openssl/vendored`,
 * `native-tls/vendored`); libsqlite3-sys with `bundled` (rusqlite and sqlx's sqlite turn it on);
 * pq-sys with `bundled`; libz-sys with `static`.
 */
const SYSTEM_CRATES: ReadonlyMap<string, SystemCrate> = new Map([
  ['openssl-sys', { library: 'libssl3', bundlingFeatures: ['vendored'], wrappers: ['openssl', 'native-tls', 'reqwest', 'postgres-openssl'] }],
  ['libsqlite3-sys', { library: 'libsqlite3-0', bundlingFeatures: ['bundled', 'bundled-sqlcipher'], wrappers: ['rusqlite', 'diesel'] }],
  ['pq-sys', { library: 'libpq5', bundlingFeatures: ['bundled'], wrappers: ['diesel'] }],
  ['mysqlclient-sys', { library: 'libmariadb3', bundlingFeatures: ['bundled'], wrappers: ['diesel'] }],
  ['libz-sys', { library: 'zlib1g', bundlingFeatures: ['static'], wrappers: ['flate2'] }],
]);

/** -sys crates that compile their C code into the binary unless told otherwise (each crate's build.rs). */
const BUNDLED_BY_DEFAULT = new Set(['zstd-sys', 'lzma-sys', 'bzip2-sys', 'ring', 'libmimalloc-sys', 'tikv-jemalloc-sys', 'jemalloc-sys', 'lz4-sys', 'brotli-sys', 'libgit2-sys', 'onig_sys', 'sqlite3-src', 'openssl-src', 'libsqlite3-sys-bundled']);

/**
 * -sys crates that load no library on Linux: bindings to the kernel's own calls, or to another
 * platform (a lock file lists every platform's crates).
 */
const NO_LINUX_LIBRARY = new Set(['linux-raw-sys', 'inotify-sys', 'windows-sys', 'core-foundation-sys', 'security-framework-sys', 'system-configuration-sys', 'fsevent-sys', 'kqueue-sys', 'objc-sys', 'io-kit-sys', 'js-sys', 'web-sys', 'wasi-sys']);

export interface LinkedLibrary {
  readonly crate: string;
  /** The Debian package of the library; undefined for a -sys crate Slimfile has no record of. */
  readonly library: string | undefined;
}

/**
 * Libraries the binary loads at run time because of its crates. `features` maps a direct
 * dependency of Cargo.toml to the features it turns on, which decide bundling; sqlx's sqlite
 * support bundles SQLite unless `sqlite-unbundled` is asked for.
 */
export function linkedLibraries(lock: { readonly crates: readonly LockedCrate[] }, features: ReadonlyMap<string, readonly string[]>): LinkedLibrary[] {
  const names = new Set(lock.crates.map((c) => c.name));
  const out: LinkedLibrary[] = [];
  for (const name of names) {
    if (!name.endsWith('-sys') && !name.endsWith('_sys')) continue;
    if (BUNDLED_BY_DEFAULT.has(name) || NO_LINUX_LIBRARY.has(name)) continue;
    const known = SYSTEM_CRATES.get(name);
    if (!known) {
      out.push({ crate: name, library: undefined });
      continue;
    }
    // openssl-src or sqlite3's bundled sources in the lock mean the build compiles them in.
    if (name === 'openssl-sys' && names.has('openssl-src')) continue;
    const asked = [name, ...known.wrappers].flatMap((crate) => features.get(crate) ?? []);
    const sqlx = features.get('sqlx') ?? [];
    const sqlxBundles = name === 'libsqlite3-sys' && sqlx.includes('sqlite') && !sqlx.includes('sqlite-unbundled');
    // `vendored`, `openssl/vendored`, `native-tls-vendored`, `bundled`, `bundled-full`…
    const bundles = (f: string): boolean => known.bundlingFeatures.some((b) => f === b || f.endsWith(`/${b}`) || f.endsWith(`-${b}`) || f.startsWith(`${b}-`));
    if (sqlxBundles || asked.some(bundles)) continue;
    out.push({ crate: name, library: known.library });
  }
  return out.sort((a, b) => compareNames(a.crate, b.crate));
}

/** Features each direct dependency turns on in Cargo.toml (`[dependencies]` tables and `features = [...]`). */
export function dependencyFeatures(manifest: string): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  let data: Record<string, unknown>;
  try {
    data = parseToml(manifest) as Record<string, unknown>;
  } catch {
    return out;
  }
  const tables = [data.dependencies, ...Object.values((data.target ?? {}) as Record<string, { dependencies?: unknown }>).map((t) => t.dependencies)];
  for (const table of tables) {
    for (const [crate, spec] of Object.entries((table ?? {}) as Record<string, unknown>)) {
      const listed = spec && typeof spec === 'object' && Array.isArray((spec as { features?: unknown }).features) ? ((spec as { features: unknown[] }).features.filter((f) => typeof f === 'string') as string[]) : [];
      const renamed = spec && typeof spec === 'object' && typeof (spec as { package?: unknown }).package === 'string' ? ((spec as { package: string }).package) : crate;
      out.set(renamed, [...(out.get(renamed) ?? []), ...listed]);
    }
  }
  return out;
}
