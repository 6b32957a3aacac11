// A Debian release's index kept on disk in a form read one package at a time, so that a server
// which sizes a few installs never holds the release's 63,000 packages in its heap (the parsed
// form took 18.6 MB for bookworm, 32.8 MB for trixie). One file: a header, an open-addressing
// hash table of record offsets, and one text record per name (a package, a name others provide,
// or both). A lookup reads one or two table slots and one record with pread; the few records an
// estimate walks again are kept in a small cache.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { DebianIndex, DebianPackage } from '../analysis/packages/debianIndex';

const MAGIC = Buffer.from('slimfile-debian-lookup-1\n', 'latin1');
/** Bytes read at once: a record is a few hundred bytes; a longer one (long Provides) is read again whole. */
const READ_BYTES = 1024;
/** Decoded records kept: an estimate's closure visits a few hundred names, often more than once. */
const CACHE_RECORDS = 2048;

/** What the file says about itself: where the index came from and how it is laid out. */
export interface IndexFileHeader {
  /** "Debian bookworm main amd64 Packages, 2026-12-06". */
  readonly source: string;
  /** When the oldest of its Packages files was fetched, in ms since the epoch. */
  readonly fetchedAt: number;
  /** Bytes of the compressed Packages files (what `apt-get update` leaves in /var/lib/apt/lists). */
  readonly listsBytes: number;
}

interface Layout extends IndexFileHeader {
  readonly packages: number;
  readonly slots: number;
  readonly tableAt: number;
  readonly recordsAt: number;
  /** Records of real packages come first, in index order; names only provided follow. */
  readonly names: number;
  readonly bytes: number;
}

/** One name's record: the package of that name, if there is one, and who provides the name. */
interface NameRecord {
  readonly pkg: DebianPackage | undefined;
  readonly providers: readonly string[];
}

/** FNV-1a over the name's UTF-16 units: Debian names are ASCII, and writer and reader agree. */
function hashOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const groups = (list: readonly (readonly string[])[]): string => list.map((alternatives) => alternatives.join('|')).join(',');
const ungroup = (text: string): string[][] => (text === '' ? [] : text.split(',').map((group) => group.split('|')));

function recordText(name: string, pkg: DebianPackage | undefined, providers: readonly string[]): string {
  const fields = pkg ? ['p', pkg.version, String(Math.round(pkg.installedBytes / 1024)), groups(pkg.depends), groups(pkg.recommends), pkg.provides.join(',')] : ['', '', '', '', '', ''];
  return [name, ...fields, providers.join(',')].join('\t');
}

function parseRecord(text: string): { name: string; record: NameRecord } {
  const [name = '', real, version = '', kib = '0', depends = '', recommends = '', provides = '', providers = ''] = text.split('\t');
  const pkg: DebianPackage | undefined =
    real === 'p' ? { name, version, installedBytes: Number(kib) * 1024, depends: ungroup(depends), recommends: ungroup(recommends), provides: provides === '' ? [] : provides.split(',') } : undefined;
  return { name, record: { pkg, providers: providers === '' ? [] : providers.split(',') } };
}

/** The file for an index: every package and every provided name, with the header's facts. */
export function encodeIndexFile(index: DebianIndex, header: IndexFileHeader): Buffer {
  const records: Buffer[] = [];
  const names: string[] = [];
  const add = (name: string, pkg: DebianPackage | undefined): void => {
    const text = Buffer.from(recordText(name, pkg, index.providers.get(name) ?? []), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(text.length);
    records.push(length, text);
    names.push(name);
  };
  for (const pkg of index.packages.values()) add(pkg.name, pkg);
  const packages = names.length;
  for (const name of index.providers.keys()) if (!index.packages.has(name)) add(name, undefined);
  let slots = 1;
  while (slots < names.length * 2) slots *= 2;
  // The layout's offsets depend on the header's length, which holds them: the header is padded to
  // a fixed size so that it can be written once its numbers are known.
  const headerBytes = 1024 + Buffer.byteLength(header.source, 'utf8');
  const tableAt = MAGIC.length + 4 + headerBytes;
  const recordsAt = tableAt + slots * 4;
  const table = Buffer.alloc(slots * 4);
  let at = recordsAt;
  for (let i = 0; i < names.length; i++) {
    let slot = hashOf(names[i] as string) & (slots - 1);
    while (table.readUInt32LE(slot * 4) !== 0) slot = (slot + 1) & (slots - 1);
    table.writeUInt32LE(at, slot * 4);
    at += (records[i * 2 + 1] as Buffer).length + 4;
  }
  const layout: Layout = { source: header.source, fetchedAt: header.fetchedAt, listsBytes: header.listsBytes, packages, slots, tableAt, recordsAt, names: names.length, bytes: at };
  const json = Buffer.from(JSON.stringify(layout), 'utf8');
  const head = Buffer.alloc(4 + headerBytes, 0x20);
  head.writeUInt32LE(json.length);
  json.copy(head, 4);
  return Buffer.concat([MAGIC, head, table, ...records]);
}

/**
 * The index read from its file, one record at a time. It keeps the file open for as long as it
 * lives (a replaced file stays readable through the open descriptor, whole and consistent).
 */
export class DebianIndexFile implements DebianIndex {
  readonly packages: ReadonlyMap<string, DebianPackage>;
  readonly providers: ReadonlyMap<string, readonly string[]>;
  private readonly buffer = Buffer.allocUnsafeSlow(READ_BYTES);
  private readonly cache = new Map<string, NameRecord | null>();

  private constructor(
    private readonly fd: number,
    readonly header: Layout,
  ) {
    const lookup = (name: string): NameRecord | undefined => this.record(name);
    this.packages = new FileMap<DebianPackage>(header.packages, (name) => lookup(name)?.pkg, () => this.walk(header.packages, (r) => r.pkg));
    this.providers = new FileMap<readonly string[]>(undefined, (name) => {
      const providers = lookup(name)?.providers;
      return providers && providers.length > 0 ? providers : undefined;
    }, () => this.walk(header.names, (r) => (r.providers.length > 0 ? r.providers : undefined)));
  }

  /** The index in `file`, or undefined when it is not a whole file of this format (then it is made again). */
  static open(file: string): DebianIndexFile | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const start = Buffer.alloc(MAGIC.length + 4);
      if (readSync(fd, start, 0, start.length, 0) !== start.length || !start.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an index file');
      const json = Buffer.alloc(start.readUInt32LE(MAGIC.length));
      readSync(fd, json, 0, json.length, start.length);
      const layout = JSON.parse(json.toString('utf8')) as Layout;
      const counts = [layout.listsBytes, layout.packages, layout.slots, layout.tableAt, layout.recordsAt, layout.names, layout.bytes];
      const whole = typeof layout.source === 'string' && Number.isFinite(layout.fetchedAt) && counts.every((n) => Number.isSafeInteger(n) && n >= 0) && fstatSync(fd).size === layout.bytes;
      if (!whole) throw new Error('not a whole index file');
      return new DebianIndexFile(fd, layout);
    } catch {
      if (fd !== undefined) closeSync(fd);
      return undefined;
    }
  }

  get size(): number {
    return this.header.packages;
  }

  /** Closes the file; lookups after this fail. */
  close(): void {
    closeSync(this.fd);
  }

  private record(name: string): NameRecord | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.find(name);
    // A bounded cache: emptied when full, so it never grows past a closure's worth of names.
    if (this.cache.size >= CACHE_RECORDS) this.cache.clear();
    this.cache.set(name, found ?? null);
    return found;
  }

  private find(name: string): NameRecord | undefined {
    const { slots, tableAt } = this.header;
    for (let slot = hashOf(name) & (slots - 1), probes = 0; probes < slots; slot = (slot + 1) & (slots - 1), probes++) {
      this.read(tableAt + slot * 4, 4);
      const at = this.buffer.readUInt32LE(0);
      if (at === 0) return undefined;
      const { name: found, record } = this.recordAt(at);
      if (found === name) return record;
    }
    return undefined;
  }

  private recordAt(at: number): { name: string; record: NameRecord; next: number } {
    const got = this.read(at, READ_BYTES);
    const length = this.buffer.readUInt32LE(0);
    let text: string;
    if (length + 4 <= got) text = this.buffer.toString('utf8', 4, 4 + length);
    else {
      const whole = Buffer.alloc(length);
      readSync(this.fd, whole, 0, length, at + 4);
      text = whole.toString('utf8');
    }
    return { ...parseRecord(text), next: at + 4 + length };
  }

  private read(position: number, length: number): number {
    return readSync(this.fd, this.buffer, 0, Math.min(length, READ_BYTES), position);
  }

  /** The first `count` records' values, in file order (index order for packages). */
  private *walk<V>(count: number, value: (record: NameRecord) => V | undefined): Generator<[string, V]> {
    let at = this.header.recordsAt;
    for (let i = 0; i < count; i++) {
      const { name, record, next } = this.recordAt(at);
      at = next;
      const v = value(record);
      if (v !== undefined) yield [name, v];
    }
  }
}

/** A read-only Map over the file: lookups by name, and a walk of the file for iteration. */
class FileMap<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly count: number | undefined,
    private readonly lookup: (name: string) => V | undefined,
    private readonly all: () => Iterable<[string, V]>,
  ) {}
  get size(): number {
    if (this.count !== undefined) return this.count;
    let n = 0;
    for (const _ of this.all()) n++;
    return n;
  }
  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }
  get(name: string): V | undefined {
    return this.lookup(name);
  }
  *entries(): MapIterator<[string, V]> {
    yield* this.all();
  }
  *keys(): MapIterator<string> {
    for (const [name] of this.all()) yield name;
  }
  *values(): MapIterator<V> {
    for (const [, value] of this.all()) yield value;
  }
  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [name, value] of this.all()) callback(value, name, this);
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
