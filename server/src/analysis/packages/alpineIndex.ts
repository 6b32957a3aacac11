// Alpine's package index (the APKINDEX file inside a branch's APKINDEX.tar.gz) and what `apk add`
// pulls in from it: the closure over `D:` dependencies, which name packages, shared libraries
// (`so:libz.so.1`), commands (`cmd:sqlite3`) and pkg-config files (`pc:`) that other packages
// list under `p:`, less what the image already has. Pure: the text comes from images/alpineIndex.ts.
//
// Not measured against a real Alpine index here: this workplace cannot reach Alpine's mirrors.
// The format is apk-tools' documented one (one `X:value` line per field, a blank line between
// packages); the tests read an excerpt written from Alpine's public package pages.

export interface AlpinePackage {
  readonly name: string;
  readonly version: string;
  /** `I:`, the installed size in bytes. */
  readonly installedBytes: number;
  /** `D:` without conflicts (`!name`): names, `so:`, `cmd:` or `pc:` entries, versions dropped. */
  readonly depends: readonly string[];
  /** `p:` without versions: `so:libsqlite3.so.0`, `cmd:sqlite3`, `pc:sqlite3`, or a plain virtual name. */
  readonly provides: readonly string[];
  /** `i:`: apk installs the package by itself once all of these are installed (docs, completions). */
  readonly installIf: readonly string[];
  /** `k:`, the provider priority: of several providers of a name, apk prefers the highest. */
  readonly priority: number;
}

export interface AlpineIndex {
  readonly packages: ReadonlyMap<string, AlpinePackage>;
  /** A provided name (`so:…`, `cmd:…`, a virtual name) -> its providers, highest priority first. */
  readonly providers: ReadonlyMap<string, readonly string[]>;
}

/** `sqlite-libs>=3.45`, `so:libz.so.1=1.3.1`, `cmd:sqlite3=3.45.3-r1` -> the name without its version. */
function bareName(token: string): string {
  return token.replace(/[<>=~].*$/, '');
}

const words = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((w) => w !== '');

/**
 * Reads an APKINDEX. A record without `P:` is skipped; a later record of the same name (a second
 * repository read into the same index, as `community` after `main`) replaces the earlier one.
 */
export function parseAlpineIndex(text: string, into?: AlpineIndex): AlpineIndex {
  const packages = new Map(into?.packages ?? []);
  for (const record of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields = new Map<string, string>();
    for (const line of record.split(/\r?\n/)) {
      // Every field is one letter, a colon, and its value; anything else is not apk's format.
      if (line.length >= 2 && line[1] === ':') fields.set(line[0] as string, line.slice(2).trim());
    }
    const name = fields.get('P');
    if (!name) continue;
    packages.set(name, {
      name,
      version: fields.get('V') ?? '',
      installedBytes: Number.parseInt(fields.get('I') ?? '0', 10) || 0,
      depends: words(fields.get('D')).filter((d) => !d.startsWith('!')).map(bareName),
      provides: words(fields.get('p')).map(bareName),
      installIf: words(fields.get('i')).map(bareName),
      priority: Number.parseInt(fields.get('k') ?? '0', 10) || 0,
    });
  }
  const providers = new Map<string, string[]>();
  for (const pkg of packages.values()) {
    for (const provided of pkg.provides) {
      const list = providers.get(provided) ?? [];
      list.push(pkg.name);
      providers.set(provided, list);
    }
  }
  for (const list of providers.values()) list.sort((a, b) => (packages.get(b)?.priority ?? 0) - (packages.get(a)?.priority ?? 0));
  return { packages, providers };
}

/** Commands (`cmd:` provides) the package installs: what a CMD, a HEALTHCHECK or exec.Command would name. */
export function alpineCommands(pkg: AlpinePackage): string[] {
  return pkg.provides.filter((p) => p.startsWith('cmd:')).map((p) => p.slice('cmd:'.length));
}

/** Shared libraries (`so:` provides) the package installs, by soname. */
export function alpineLibraries(pkg: AlpinePackage): string[] {
  return pkg.provides.filter((p) => p.startsWith('so:')).map((p) => p.slice('so:'.length));
}

export interface ApkPlan {
  /** Packages apk would add, in the order they were reached, without those already there. */
  readonly installed: readonly AlpinePackage[];
  readonly bytes: number;
  /** Named packages the image already has. */
  readonly alreadyThere: readonly string[];
  /** Names no package is called or provides: apk stops with "unable to select packages". */
  readonly unknown: readonly string[];
}

/**
 * What `apk add names…` adds to an image that has `installed` (package names, as in its
 * /lib/apk/db/installed). A name resolves to the package of that name, else to its provider of
 * highest priority; a dependency an installed package already provides adds nothing; then every
 * package whose install_if conditions are all installed comes in, as apk does.
 */
export function apkInstallPlan(index: AlpineIndex, names: readonly string[], installed: ReadonlySet<string>): ApkPlan {
  const added = new Map<string, AlpinePackage>();
  const unknown: string[] = [];
  const alreadyThere: string[] = [];
  const present = new Set<string>();
  const mark = (pkg: AlpinePackage | undefined, name: string): void => {
    present.add(name);
    for (const provided of pkg?.provides ?? []) present.add(provided);
  };
  for (const name of installed) mark(index.packages.get(name), name);
  const resolve = (name: string): AlpinePackage | undefined => index.packages.get(name) ?? index.packages.get(index.providers.get(name)?.[0] ?? '');
  const pending: AlpinePackage[] = [];
  for (const requested of names) {
    // `apk add curl=8.5.0-r0`, `sqlite@edge`: the name before its version or repository tag.
    const name = bareName(requested).replace(/@.*$/, '');
    if (present.has(name)) {
      alreadyThere.push(name);
      continue;
    }
    const pkg = resolve(name);
    if (pkg) pending.push(pkg);
    else unknown.push(name);
  }
  const follow = (): void => {
    while (pending.length > 0) {
      const pkg = pending.shift() as AlpinePackage;
      if (present.has(pkg.name)) continue;
      added.set(pkg.name, pkg);
      mark(pkg, pkg.name);
      for (const dependency of pkg.depends) {
        if (present.has(dependency)) continue;
        const chosen = resolve(dependency);
        if (chosen) pending.push(chosen);
      }
    }
  };
  follow();
  // install_if: added until nothing more qualifies (a -doc package needs `docs` and its package).
  for (let grew = true; grew; ) {
    grew = false;
    for (const pkg of index.packages.values()) {
      if (present.has(pkg.name) || pkg.installIf.length === 0 || !pkg.installIf.every((c) => present.has(c))) continue;
      pending.push(pkg);
      follow();
      grew = true;
    }
  }
  const list = [...added.values()];
  return { installed: list, bytes: list.reduce((sum, p) => sum + p.installedBytes, 0), alreadyThere, unknown };
}

/** The packages apk's installed database (/lib/apk/db/installed, the same `X:value` records) holds. */
export function parseApkInstalled(text: string): Set<string> {
  return new Set([...text.matchAll(/^P:(.+)$/gm)].map((m) => (m[1] as string).trim()));
}
