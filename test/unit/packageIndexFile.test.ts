// The index as the disk cache keeps it, read one package at a time: it must answer every question
// the parsed index answers, with the same packages, providers and closures, and refuse a file that
// is not whole rather than answer from it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { droppedRecommends, installPlan, parseDebianIndex } from '../../server/src/analysis/packages/debianIndex';
import { DebianIndexFile, encodeIndexFile } from '../../server/src/images/packageIndexFile';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'packages');
const EXCERPT = readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'), 'utf8');
const base = new Set(readFileSync(path.join(FIXTURES, 'debian-bookworm-stand-in.installed'), 'utf8').split('\n').filter(Boolean));
// A package with a Provides list longer than one read (Rust's crates provide hundreds of names).
const LONG_PROVIDES = Array.from({ length: 200 }, (_, i) => `librust-example-${i}-dev`);
const EXTRA = `Package: librust-example-dev\nVersion: 1.0-1\nInstalled-Size: 7\nDepends: libc6\nProvides: ${LONG_PROVIDES.join(', ')}\n`;
const HEADER = { source: 'Debian bookworm main amd64 Packages, 2026-12-06', fetchedAt: 1796550020005.5, listsBytes: 5575 };

function withFile(contents: Buffer, use: (file: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-index-file-'));
  try {
    const file = path.join(dir, 'debian-bookworm-amd64.lookup');
    writeFileSync(file, contents);
    use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the file gives back every package and provider as parsed, and the same closures', () => {
  const parsed = parseDebianIndex(EXTRA, parseDebianIndex(EXCERPT));
  withFile(encodeIndexFile(parsed, HEADER), (file) => {
    const stored = DebianIndexFile.open(file);
    assert.ok(stored, 'the file opens');
    try {
      assert.deepEqual({ source: stored.header.source, fetchedAt: stored.header.fetchedAt, listsBytes: stored.header.listsBytes }, HEADER);
      assert.equal(stored.packages.size, parsed.packages.size);
      assert.deepEqual([...stored.packages.values()], [...parsed.packages.values()], 'every package, in index order');
      assert.deepEqual(new Map(stored.providers), new Map(parsed.providers), 'every provided name and its providers');
      for (const name of ['curl', 'wget', 'ca-certificates', 'debconf-2.0', 'librust-example-199-dev']) {
        assert.deepEqual(stored.packages.get(name), parsed.packages.get(name), name);
        assert.deepEqual(stored.providers.get(name), parsed.providers.get(name), name);
        assert.equal(stored.packages.has(name), parsed.packages.has(name), name);
      }
      assert.equal(stored.packages.get('no-such-package'), undefined);
      assert.equal(stored.providers.get('curl'), undefined, 'a name nothing provides');
      for (const names of [['curl'], ['wget'], ['curl', 'wget'], ['git', 'no-such-package']]) {
        for (const recommends of [true, false]) {
          assert.deepEqual(installPlan(stored, names, { recommends, installed: base }), installPlan(parsed, names, { recommends, installed: base }), `${names.join(' ')}, recommends ${recommends}`);
        }
        assert.deepEqual(droppedRecommends(stored, names, base), droppedRecommends(parsed, names, base));
      }
    } finally {
      stored.close();
    }
  });
});

test('a file cut short, of another format or empty is not opened', () => {
  const whole = encodeIndexFile(parseDebianIndex(EXCERPT), HEADER);
  withFile(whole.subarray(0, whole.length - 10), (file) => assert.equal(DebianIndexFile.open(file), undefined));
  withFile(Buffer.from('{"format":"slimfile-debian-index-1"}'), (file) => assert.equal(DebianIndexFile.open(file), undefined));
  withFile(Buffer.alloc(0), (file) => assert.equal(DebianIndexFile.open(file), undefined));
  assert.equal(DebianIndexFile.open(path.join(os.tmpdir(), 'slimfile-no-such-index.lookup')), undefined);
});
