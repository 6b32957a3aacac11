// Debian's indexes through a local fake mirror: the release and its updates are read in order,
// the security suite may be missing, the files are cached on disk and parsed once per release,
// offline mode answers from the cache, and a mirror that is down gets a message that says so.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { startFakeMirror, type FakeMirror } from '../helpers/fakeMirror';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DebianPackageIndexes } from '../../server/src/images/packageIndex';

const EXCERPT = readFileSync(path.join(__dirname, '..', 'fixtures', 'packages', 'bookworm-curl-wget.Packages'));
// The updates suite as the mirror serves it, xz only (made with `xz -c` from one curl stanza).
const UPDATES_XZ = readFileSync(path.join(__dirname, '..', 'fixtures', 'packages', 'bookworm-updates-curl.Packages.xz'));
let fake: FakeMirror;
let mirror: string;
const asked: string[] = [];

before(async () => {
  fake = await startFakeMirror({
    '/debian/dists/bookworm/main/binary-amd64/Packages.gz': gzipSync(EXCERPT),
    '/debian/dists/bookworm-updates/main/binary-amd64/Packages.xz': UPDATES_XZ,
    '/debian/dists/broken/main/binary-amd64/Packages.gz': Buffer.from('<html>captive portal</html>'),
  }, asked);
  mirror = fake.url;
});
after(() => fake.close());

test('a release is its suite with its updates applied, fetched once, and then read from the cache, offline too', async () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-debian-'));
  try {
    asked.length = 0;
    const online = new DebianPackageIndexes({ mirror, cacheDir });
    const [first, second] = await Promise.all([online.release('bookworm'), online.release('bookworm')]);
    assert.equal(first, second, 'one parse per release');
    assert.equal(first.index.packages.get('curl')?.version, '7.88.1-10+deb12u99', 'the updates suite wins');
    assert.equal(first.index.packages.get('wget')?.installedBytes, 3521 * 1024);
    assert.match(first.source, /^Debian bookworm main amd64 Packages, \d{4}-\d{2}-\d{2}$/);
    // gzip first, xz after a 404; the security suite has neither here and is left out.
    assert.deepEqual(asked, [
      '/debian/dists/bookworm/main/binary-amd64/Packages.gz',
      '/debian/dists/bookworm-updates/main/binary-amd64/Packages.gz',
      '/debian/dists/bookworm-updates/main/binary-amd64/Packages.xz',
      '/debian-security/dists/bookworm-security/main/binary-amd64/Packages.gz',
      '/debian-security/dists/bookworm-security/main/binary-amd64/Packages.xz',
    ]);
    assert.equal(first.listsBytes, gzipSync(EXCERPT).length + UPDATES_XZ.length, 'the compressed files apt-get update would keep');

    asked.length = 0;
    const again = await new DebianPackageIndexes({ mirror, cacheDir }).release('bookworm');
    assert.deepEqual(asked, [], 'a new process reads the index file kept on disk');
    assert.deepEqual([...again.index.packages.values()], [...first.index.packages.values()], 'the file gives back every package as parsed');
    assert.deepEqual([...again.index.providers], [...first.index.providers]);
    assert.equal(again.source, first.source);

    asked.length = 0;
    const offline = await new DebianPackageIndexes({ mirror, cacheDir, offline: true }).release('bookworm');
    assert.deepEqual(asked, [], 'offline opens no connection');
    assert.equal(offline.index.packages.size, first.index.packages.size);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('offline without a cache, a mirror that is down and a page that is not an index each fail with a message that says which', async () => {
  await assert.rejects(new DebianPackageIndexes({ mirror, offline: true }).release('bookworm'), /offline, and no cached copy of http:\/\/127\.0\.0\.1:\d+\/debian\/dists\/bookworm\/main\/binary-amd64\/Packages/);
  await assert.rejects(new DebianPackageIndexes({ mirror: 'http://127.0.0.1:9', timeoutMs: 2000 }).release('bookworm'), /cannot reach http:\/\/127\.0\.0\.1:9\/debian\/dists\/bookworm/);
  await assert.rejects(new DebianPackageIndexes({ mirror }).release('broken'), /is not a gzip file/);
  await assert.rejects(new DebianPackageIndexes({ mirror }).release('trixie'), /trixie\/main\/binary-amd64\/Packages\.xz answered 404/);
  await assert.rejects(new DebianPackageIndexes({ mirror }).release('../etc'), /is not a Debian or Ubuntu release/);
});
