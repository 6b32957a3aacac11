// Debian's package index (the `Packages` file of a release, component and architecture) and what
// `apt-get install` pulls in from it: the closure of the named packages over Depends and
// Pre-Depends, Recommends too unless --no-install-recommends, virtual names through Provides,
// less what the image already has. Pure: the text comes from images/packageIndex.ts.
//
// A small reader written here: the one deb822 parser on npm (debian-control) is GPL-3.0, which
// this MIT extension cannot bundle, and the index needs only a handful of single-line fields.

export interface DebianPackage {
  readonly name: string;
  readonly version: string;
  /** dpkg's Installed-Size, in bytes (the index gives KiB). */
  readonly installedBytes: number;
  /** Each entry is a set of alternatives (`a | b`); the first one apt can install wins. */
  readonly depends: readonly (readonly string[])[];
  readonly recommends: readonly (readonly string[])[];
  readonly provides: readonly string[];
}

export interface DebianIndex {
  readonly packages: ReadonlyMap<string, DebianPackage>;
  /** Virtual name -> the real packages that provide it, in index order. */
  readonly providers: ReadonlyMap<string, readonly string[]>;
}

/** Fields the closure reads; every other field is skipped without being kept. */
const WANTED = new Set(['Package', 'Version', 'Installed-Size', 'Depends', 'Pre-Depends', 'Recommends', 'Provides']);
/** Their first letters, so most lines are passed over without slicing out their key. */
const FIRST_LETTERS = new Set([...WANTED].map((key) => key.charCodeAt(0)));

/**
 * Reads a Packages file. A stanza without Package is skipped; a later stanza of the same name
 * (a suite's updates read after the suite) replaces the earlier one, as apt takes the newest.
 */
export function parseDebianIndex(text: string, into?: DebianIndex): DebianIndex {
  const packages = new Map(into?.packages ?? []);
  const providers = new Map<string, string[]>();
  for (const [name, list] of into?.providers ?? []) providers.set(name, [...list]);
  let fields = new Map<string, string>();
  let last: string | undefined;
  const finish = (): void => {
    const name = fields.get('Package');
    if (name) {
      const pkg: DebianPackage = {
        name,
        version: fields.get('Version') ?? '',
        installedBytes: Number.parseInt(fields.get('Installed-Size') ?? '0', 10) * 1024 || 0,
        depends: [...relations(fields.get('Pre-Depends')), ...relations(fields.get('Depends'))],
        recommends: relations(fields.get('Recommends')),
        provides: relations(fields.get('Provides')).map((alternatives) => alternatives[0] as string),
      };
      packages.set(name, pkg);
      for (const virtual of pkg.provides) {
        const list = providers.get(virtual) ?? [];
        if (!list.includes(name)) list.push(name);
        providers.set(virtual, list);
      }
    }
    fields = new Map();
    last = undefined;
  };
  // Walked with indexOf rather than split: a release's index is 50 MB of text, and only a few
  // fields of each stanza are read.
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const first = text.charCodeAt(start);
    if (end === start || (end === start + 1 && first === 13)) finish();
    else if (first === 32 || first === 9) {
      // A continuation line: only multi-line fields (Description, Tag) have them, none of which
      // the closure reads, but a relation field may be folded too.
      if (last !== undefined) fields.set(last, `${fields.get(last) ?? ''} ${text.slice(start, end).trim()}`);
    } else if (!FIRST_LETTERS.has(first)) last = undefined;
    else {
      const colon = text.indexOf(':', start);
      const key = colon > start && colon < end ? text.slice(start, colon) : '';
      last = WANTED.has(key) ? key : undefined;
      if (last !== undefined) fields.set(last, text.slice(colon + 1, end).trim());
    }
    start = end + 1;
  }
  finish();
  return { packages, providers };
}

/** `a (>= 1), b | c:any [amd64] <!nocheck>` -> [['a'], ['b', 'c']]: names only, architectures dropped. */
function relations(value: string | undefined): string[][] {
  if (!value) return [];
  return value.split(',').map((entry) =>
    entry
      .split('|')
      .map((alternative) => alternative.trim().split(/[\s(\[<]/)[0]?.replace(/:\w+$/, '') ?? '')
      .filter((name) => name !== ''),
  ).filter((alternatives) => alternatives.length > 0);
}

export interface InstallPlan {
  /** Packages apt would unpack, in the order they were reached, without those already there. */
  readonly installed: readonly DebianPackage[];
  readonly bytes: number;
  /** Named packages the image already has (nothing to add for them). */
  readonly alreadyThere: readonly string[];
  /** Names neither the index nor a provider knows: apt would stop with "Unable to locate package". */
  readonly unknown: readonly string[];
}

export interface InstallOptions {
  readonly recommends: boolean;
  /** Packages the base image has (its dpkg status), by name. */
  readonly installed: ReadonlySet<string>;
}

/**
 * What `apt-get install names…` adds to an image. Alternatives and virtual names resolve as apt
 * does when nothing else decides: an alternative already installed wins, else the first one the
 * index has, and a virtual name goes to its first provider.
 */
export function installPlan(index: DebianIndex, names: readonly string[], options: InstallOptions): InstallPlan {
  const added = new Map<string, DebianPackage>();
  const unknown: string[] = [];
  const alreadyThere: string[] = [];
  const has = (name: string): boolean => options.installed.has(name) || added.has(name);
  const resolve = (name: string): DebianPackage | undefined => index.packages.get(name) ?? index.packages.get(index.providers.get(name)?.[0] ?? '');
  const satisfied = (alternatives: readonly string[]): boolean =>
    alternatives.some((a) => has(a) || (index.providers.get(a) ?? []).some(has));
  const pending: DebianPackage[] = [];
  for (const requested of names) {
    const name = requested.replace(/[=/].*$/, '').replace(/:\w+$/, '');
    if (options.installed.has(name)) {
      alreadyThere.push(name);
      continue;
    }
    const pkg = resolve(name);
    if (pkg) pending.push(pkg);
    else unknown.push(name);
  }
  while (pending.length > 0) {
    const pkg = pending.shift() as DebianPackage;
    if (has(pkg.name)) continue;
    added.set(pkg.name, pkg);
    const follow = (alternatives: readonly string[]): void => {
      if (satisfied(alternatives)) return;
      const chosen = alternatives.map(resolve).find((p) => p !== undefined);
      if (chosen) pending.push(chosen);
    };
    for (const alternatives of pkg.depends) follow(alternatives);
    if (options.recommends) for (const alternatives of pkg.recommends) follow(alternatives);
  }
  const installed = [...added.values()];
  return { installed, bytes: installed.reduce((sum, p) => sum + p.installedBytes, 0), alreadyThere, unknown };
}

/** What --no-install-recommends leaves out of `apt-get install names…`: the packages only Recommends bring. */
export function droppedRecommends(index: DebianIndex, names: readonly string[], installed: ReadonlySet<string>): DebianPackage[] {
  const lean = new Set(installPlan(index, names, { recommends: false, installed }).installed.map((p) => p.name));
  return installPlan(index, names, { recommends: true, installed }).installed.filter((p) => !lean.has(p.name));
}
