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
const WANTED = new Set(['Package', 'Version', 'Installed-Size', 'Depends', 'Pre-Depends', 'Recommends', 'Provides', 'Status']);
/** Their first letters, so most lines are passed over without slicing out their key. */
const FIRST_LETTERS = new Set([...WANTED].map((key) => key.charCodeAt(0)));

/**
 * The stanzas of a deb822 file (Packages, dpkg's status), each as the wanted fields it has.
 * Walked with indexOf rather than split: a release's index is 50 MB of text, and only a few
 * fields of each stanza are read.
 */
function eachStanza(text: string, visit: (fields: ReadonlyMap<string, string>) => void): void {
  let fields = new Map<string, string>();
  let last: string | undefined;
  const finish = (): void => {
    if (fields.size > 0) visit(fields);
    fields = new Map();
    last = undefined;
  };
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
}

/**
 * The index as it is kept: a release has some 63,000 packages, and a Map of objects with arrays of
 * arrays of strings took 106 MB of heap. Here every name is interned once, versions and sizes sit
 * in arrays by package, and each package's relations are one run of numbers in a shared
 * Int32Array: [n groups of Depends (Pre-Depends first), then per group its length and name ids],
 * the same for Recommends, then the count and ids of Provides. Packages are made into objects only
 * when asked for. The disk cache keeps another form, read one package at a time
 * (images/packageIndexFile.ts).
 */
export class CompactDebianIndex implements DebianIndex {
  readonly packages: ReadonlyMap<string, DebianPackage>;
  readonly providers: ReadonlyMap<string, readonly string[]>;
  private readonly slotOf = new Map<string, number>();
  private readonly providerSlots = new Map<number, number[]>();

  constructor(
    /** Every name seen, as a package, a relation's target or a provided name. */
    private readonly names: readonly string[],
    /** By slot: the package's name id, version and Installed-Size in KiB. */
    private readonly nameIds: Int32Array,
    private readonly versions: readonly string[],
    private readonly kib: Int32Array,
    /** By slot: where its relations start in `relations` (one more entry than slots). */
    private readonly offsets: Int32Array,
    private readonly relations: Int32Array,
  ) {
    for (let slot = 0; slot < nameIds.length; slot++) {
      this.slotOf.set(names[nameIds[slot] as number] as string, slot);
      for (const virtual of this.provided(slot)) {
        const list = this.providerSlots.get(virtual) ?? [];
        list.push(slot);
        this.providerSlots.set(virtual, list);
      }
    }
    this.packages = new LazyMap([...this.slotOf.keys()], (name) => {
      const slot = this.slotOf.get(name);
      return slot === undefined ? undefined : this.packageAt(slot);
    });
    const virtualNames = [...this.providerSlots.keys()].map((id) => this.names[id] as string);
    this.providers = new LazyMap(virtualNames, (name) => {
      const id = this.nameId(name);
      const slots = id === undefined ? undefined : this.providerSlots.get(id);
      return slots?.map((slot) => this.names[this.nameIds[slot] as number] as string);
    });
  }

  private idOf: Map<string, number> | undefined;
  private nameId(name: string): number | undefined {
    this.idOf ??= new Map(this.names.map((n, i) => [n, i]));
    return this.idOf.get(name);
  }

  get size(): number {
    return this.nameIds.length;
  }

  private provided(slot: number): number[] {
    const r = this.relations;
    let at = this.offsets[slot] as number;
    for (let list = 0; list < 2; list++) {
      const groups = r[at++] as number;
      for (let g = 0; g < groups; g++) at += (r[at] as number) + 1;
    }
    const count = r[at++] as number;
    return Array.from(r.subarray(at, at + count));
  }

  private packageAt(slot: number): DebianPackage {
    const r = this.relations;
    let at = this.offsets[slot] as number;
    const lists: string[][][] = [];
    for (let list = 0; list < 2; list++) {
      const groups: string[][] = [];
      const count = r[at++] as number;
      for (let g = 0; g < count; g++) {
        const length = r[at++] as number;
        groups.push(Array.from(r.subarray(at, at + length), (id) => this.names[id] as string));
        at += length;
      }
      lists.push(groups);
    }
    return {
      name: this.names[this.nameIds[slot] as number] as string,
      version: this.versions[slot] as string,
      installedBytes: (this.kib[slot] as number) * 1024,
      depends: lists[0] as string[][],
      recommends: lists[1] as string[][],
      provides: this.provided(slot).map((id) => this.names[id] as string),
    };
  }
}

/** A read-only Map whose values are made when asked for (and not kept). */
class LazyMap<V> implements ReadonlyMap<string, V> {
  private readonly known: Set<string>;
  constructor(
    names: readonly string[],
    private readonly make: (name: string) => V | undefined,
  ) {
    this.known = new Set(names);
  }
  get size(): number {
    return this.known.size;
  }
  has(name: string): boolean {
    return this.known.has(name);
  }
  get(name: string): V | undefined {
    return this.known.has(name) ? this.make(name) : undefined;
  }
  *entries(): MapIterator<[string, V]> {
    for (const name of this.known) yield [name, this.make(name) as V];
  }
  keys(): MapIterator<string> {
    return this.known.values();
  }
  *values(): MapIterator<V> {
    for (const name of this.known) yield this.make(name) as V;
  }
  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}

/**
 * Reads a Packages file. A stanza without Package is skipped; a later stanza of the same name
 * (a suite's updates read after the suite) replaces the earlier one, as apt takes the newest.
 * `into` is left as it was.
 */
export function parseDebianIndex(text: string, into?: DebianIndex): CompactDebianIndex {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const intern = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      ids.set(name, id);
    }
    return id;
  };
  const bySlot: Array<{ nameId: number; version: string; kib: number; relations: number[] }> = [];
  const slots = new Map<number, number>();
  const add = (pkg: { name: string; version: string; kib: number; depends: readonly (readonly string[])[]; recommends: readonly (readonly string[])[]; provides: readonly string[] }): void => {
    const relations: number[] = [];
    for (const list of [pkg.depends, pkg.recommends]) {
      relations.push(list.length);
      for (const group of list) relations.push(group.length, ...group.map(intern));
    }
    relations.push(pkg.provides.length, ...pkg.provides.map(intern));
    const nameId = intern(pkg.name);
    const entry = { nameId, version: pkg.version, kib: pkg.kib, relations };
    const slot = slots.get(nameId);
    if (slot !== undefined) bySlot[slot] = entry;
    else {
      slots.set(nameId, bySlot.length);
      bySlot.push(entry);
    }
  };
  for (const pkg of into?.packages.values() ?? []) add({ ...pkg, kib: Math.round(pkg.installedBytes / 1024) });
  eachStanza(text, (fields) => {
    const name = fields.get('Package');
    if (!name) return;
    add({
      name,
      version: fields.get('Version') ?? '',
      kib: Number.parseInt(fields.get('Installed-Size') ?? '0', 10) || 0,
      depends: [...relations(fields.get('Pre-Depends')), ...relations(fields.get('Depends'))],
      recommends: relations(fields.get('Recommends')),
      provides: relations(fields.get('Provides')).map((alternatives) => alternatives[0] as string),
    });
  });
  const offsets = new Int32Array(bySlot.length + 1);
  let total = 0;
  for (const [slot, entry] of bySlot.entries()) {
    offsets[slot] = total;
    total += entry.relations.length;
  }
  offsets[bySlot.length] = total;
  const flat = new Int32Array(total);
  for (const [slot, entry] of bySlot.entries()) flat.set(entry.relations, offsets[slot] as number);
  // Fresh copies of the strings: a slice of the index's text keeps the whole 50 MB text alive in
  // V8, and the names and versions are such slices.
  const fresh = (strings: readonly string[]): string[] => JSON.parse(JSON.stringify(strings)) as string[];
  return new CompactDebianIndex(
    fresh(names),
    Int32Array.from(bySlot, (e) => e.nameId),
    fresh(bySlot.map((e) => e.version)),
    Int32Array.from(bySlot, (e) => e.kib),
    offsets,
    flat,
  );
}

/** The packages dpkg's status file (/var/lib/dpkg/status) says are installed. */
export function parseDpkgStatus(text: string): Set<string> {
  const installed = new Set<string>();
  eachStanza(text, (fields) => {
    const name = fields.get('Package');
    // "install ok installed"; half-installed or removed-with-config-left packages do not count.
    if (name && (fields.get('Status') ?? '').endsWith(' installed')) installed.add(name);
  });
  return installed;
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
