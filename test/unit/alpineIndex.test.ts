// Alpine's APKINDEX and what apk add pulls in from it. The excerpt (fixtures/packages/
// alpine-v3.20-x86_64.APKINDEX) was written by hand in apk's format from Alpine 3.20's public
// package pages, trimmed to the packages these stories reach (alpine-sdk without abuild); its
// sizes and checksums are not measured, and nothing here was checked against a real Alpine
// mirror, which this workplace cannot reach. A local fake mirror serves it as APKINDEX.tar.gz.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { startFakeMirror, type FakeMirror } from '../helpers/fakeMirror';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { alpineCommands, alpineLibraries, apkInstallPlan, parseAlpineIndex } from '../../server/src/analysis/packages/alpineIndex';
import { AlpinePackageIndexes } from '../../server/src/images/alpineIndex';
import { catalogApkPackages } from '../../server/src/images/catalogPackages';
import { parseImageReference, type ImageReference } from '../../server/src/analysis/imageRef';
import { run } from '../../server/src/cli';
import { promises as fsp } from 'node:fs';

const TEXT = readFileSync(path.join(__dirname, '..', 'fixtures', 'packages', 'alpine-v3.20-x86_64.APKINDEX'), 'utf8');
const index = parseAlpineIndex(TEXT);
/** The alpine:3.20 image's own packages that the excerpt holds. */
const BASE = new Set(['musl', 'busybox', 'busybox-binsh', 'zlib']);
const names = (plan: ReturnType<typeof apkInstallPlan>): string => plan.installed.map((p) => p.name).sort().join(' ');

test('a record gives its version, installed size, dependencies without versions, and what it provides', () => {
  const sqlite = index.packages.get('sqlite');
  assert.deepEqual(sqlite, {
    name: 'sqlite',
    version: '3.45.3-r1',
    installedBytes: 368640,
    depends: ['so:libc.musl-x86_64.so.1', 'so:libreadline.so.8', 'so:libsqlite3.so.0', 'so:libz.so.1'],
    provides: ['cmd:sqlite3'],
    installIf: [],
    priority: 0,
  });
  assert.deepEqual(alpineCommands(sqlite), ['sqlite3']);
  assert.deepEqual(alpineLibraries(index.packages.get('sqlite-libs') as NonNullable<typeof sqlite>), ['libsqlite3.so.0']);
  assert.deepEqual(index.providers.get('so:libsqlite3.so.0'), ['sqlite-libs']);
  assert.deepEqual(index.providers.get('pkgconfig'), ['pkgconf']);
});

test('apk add sqlite follows its shared libraries through so: to the packages that provide them, less the base', () => {
  const plan = apkInstallPlan(index, ['sqlite'], BASE);
  assert.equal(names(plan), 'libncursesw ncurses-terminfo-base readline sqlite sqlite-libs');
  assert.equal(plan.bytes, 368640 + 1466368 + 270336 + 274432 + 73728);
  assert.deepEqual(plan.unknown, []);
});

test('apk add alpine-sdk bash: the meta packages bring the toolchain; bash needs /bin/sh, which busybox-binsh gives', () => {
  const plan = apkInstallPlan(index, ['alpine-sdk', 'bash'], BASE);
  assert.equal(names(plan), 'alpine-sdk bash build-base gcc git libc-dev libncursesw make musl-dev ncurses-terminfo-base readline');
});

test('sqlite-dev pulls in pkgconf through the virtual name pkgconfig; a version pin and a repository tag are read as the name', () => {
  assert.equal(names(apkInstallPlan(index, ['sqlite-dev=3.45.3-r1'], BASE)), 'pkgconf sqlite-dev sqlite-libs');
  assert.equal(names(apkInstallPlan(index, ['make@edge'], BASE)), 'make');
});

test('install_if: bash-doc comes in once docs and bash are both installed, as apk adds it by itself', () => {
  assert.equal(names(apkInstallPlan(index, ['bash', 'docs'], BASE)), 'bash bash-doc docs libncursesw man-pages ncurses-terminfo-base readline');
  assert.ok(!names(apkInstallPlan(index, ['bash'], BASE)).includes('bash-doc'));
});

test('a package the base has adds nothing; an unknown name is reported, as apk says "unable to select packages"', () => {
  const plan = apkInstallPlan(index, ['zlib', 'no-such-package'], BASE);
  assert.deepEqual(plan, { installed: [], bytes: 0, alreadyThere: ['zlib'], unknown: ['no-such-package'] });
});

/** An APKINDEX.tar.gz as Alpine lays it out: a gzip member with the signature, then one with DESCRIPTION and APKINDEX. */
async function apkIndexArchive(text: string): Promise<Buffer> {
  const tarOf = async (files: Record<string, string>, end: boolean): Promise<Buffer> => {
    const archive = pack();
    for (const [name, body] of Object.entries(files)) archive.entry({ name }, body);
    archive.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    const whole = Buffer.concat(chunks);
    // apk strips the end-of-archive blocks from the signature's tar so the two read as one stream.
    return end ? whole : whole.subarray(0, whole.length - 1024);
  };
  const signature = await tarOf({ '.SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub': 'not a real signature' }, false);
  const index = await tarOf({ DESCRIPTION: 'v3.20.3-0-g0000000000', APKINDEX: text }, true);
  return Buffer.concat([gzipSync(signature), gzipSync(index)]);
}

let fake: FakeMirror;
let mirror: string;
const asked: string[] = [];
let files: Record<string, Buffer> = {};

before(async () => {
  files = {
    '/alpine/v3.20/main/x86_64/APKINDEX.tar.gz': await apkIndexArchive(TEXT),
    '/alpine/v3.20/community/x86_64/APKINDEX.tar.gz': await apkIndexArchive('P:jq\nV:1.7.1-r0\nI:1191936\nD:so:libc.musl-x86_64.so.1\np:cmd:jq=1.7.1-r0\n'),
    '/alpine/v3.19/main/x86_64/APKINDEX.tar.gz': Buffer.from('<html>captive portal</html>'),
    '/alpine/v3.18/main/x86_64/APKINDEX.tar.gz': gzipSync(Buffer.alloc(1024)),
    // The 3.20 excerpt stands in for 3.24's index (no real one can be had here): the sizing tests
    // below are about the catalog's alpine:3.24 list being subtracted, not about 3.24's packages.
    '/alpine/v3.24/main/x86_64/APKINDEX.tar.gz': await apkIndexArchive(TEXT),
  };
  fake = await startFakeMirror(files, asked);
  mirror = fake.url;
});
after(() => fake.close());

test('a branch is main with community added, fetched once, then read from the cache, offline too', async () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-alpine-'));
  try {
    asked.length = 0;
    const online = new AlpinePackageIndexes({ mirror, cacheDir });
    const first = await online.branch('3.20');
    assert.equal(await online.branch('3.20'), first, 'parsed once per process');
    assert.deepEqual(asked, ['/alpine/v3.20/main/x86_64/APKINDEX.tar.gz', '/alpine/v3.20/community/x86_64/APKINDEX.tar.gz']);
    assert.match(first.source, /^Alpine v3\.20 x86_64 APKINDEX, \d{4}-\d{2}-\d{2}$/);
    const served = (files['/alpine/v3.20/main/x86_64/APKINDEX.tar.gz']?.length ?? 0) + (files['/alpine/v3.20/community/x86_64/APKINDEX.tar.gz']?.length ?? 0);
    assert.equal(first.archiveBytes, served, "the archives as downloaded: what apk add leaves in /var/cache/apk without --no-cache");
    assert.equal(names(apkInstallPlan(first.index, ['sqlite', 'jq'], BASE)), 'jq libncursesw ncurses-terminfo-base readline sqlite sqlite-libs');

    asked.length = 0;
    const offline = await new AlpinePackageIndexes({ mirror, cacheDir, offline: true }).branch('3.20');
    assert.deepEqual(asked, [], 'offline reads only the cache');
    assert.equal(offline.index.packages.get('jq')?.installedBytes, 1191936);
    assert.equal(offline.archiveBytes, first.archiveBytes, 'the cached copies are the downloaded files');
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('no cache offline, a mirror that is down, a file that is not an index, and a bad branch each get a message', async () => {
  await assert.rejects(new AlpinePackageIndexes({ mirror, offline: true }).branch('3.20'), /offline, and no cached copy of http:\/\/127\.0\.0\.1:\d+\/alpine\/v3\.20\/main\/x86_64\/APKINDEX\.tar\.gz/);
  await assert.rejects(new AlpinePackageIndexes({ mirror: 'http://127.0.0.1:9', timeoutMs: 2000 }).branch('3.20'), /cannot reach http:\/\/127\.0\.0\.1:9\/alpine\/v3\.20/);
  await assert.rejects(new AlpinePackageIndexes({ mirror }).branch('3.19'), /is not a gzip file/);
  await assert.rejects(new AlpinePackageIndexes({ mirror }).branch('3.18'), /holds no APKINDEX file/);
  await assert.rejects(new AlpinePackageIndexes({ mirror }).branch('3.17'), /v3\.17\/main\/x86_64\/APKINDEX\.tar\.gz answered 404/);
  await assert.rejects(new AlpinePackageIndexes({ mirror }).branch('../etc'), /is not an Alpine branch/);
});

test('slimfile estimate sizes apk add from the mirror\'s index less alpine:3.24\'s catalog list, with the apk cache without --no-cache', async (t) => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'slimfile-cli-apk-'));
  t.after(() => fsp.rm(dir, { recursive: true, force: true }));
  await fsp.writeFile(path.join(dir, 'Dockerfile'), 'FROM alpine:3.24\nRUN apk add sqlite\nCMD ["sqlite3", "--version"]\n');
  const saved = { HOME: process.env['HOME'], XDG_CACHE_HOME: process.env['XDG_CACHE_HOME'], DOCKER_HOST: process.env['DOCKER_HOST'], mirror: process.env['SLIMFILE_ALPINE_MIRROR'] };
  process.env['HOME'] = dir;
  delete process.env['XDG_CACHE_HOME'];
  // No engine: alpine:3.24's packages come from the catalog.
  process.env['DOCKER_HOST'] = `unix://${path.join(dir, 'no-engine.sock')}`;
  process.env['SLIMFILE_ALPINE_MIRROR'] = mirror;
  t.after(() => {
    for (const [key, value] of [['HOME', saved.HOME], ['XDG_CACHE_HOME', saved.XDG_CACHE_HOME], ['DOCKER_HOST', saved.DOCKER_HOST], ['SLIMFILE_ALPINE_MIRROR', saved.mirror]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  let out = '';
  let err = '';
  const code = await run(['estimate', '--format', 'json', '--offline', path.join(dir, 'Dockerfile')], { out: (text) => (out += text), err: (text) => (err += text) });
  // --offline keeps the registry out; with no cached index the apk step stays unknown, and says so.
  assert.equal(code, 0, err);
  assert.deepEqual((JSON.parse(out) as { unknowns: string[] }).unknowns, ['apk packages: sqlite']);
  out = '';
  assert.equal(await run(['estimate', '--format', 'json', path.join(dir, 'Dockerfile')], { out: (text) => (out += text), err: (text) => (err += text) }), 0, err);
  const estimate = JSON.parse(out) as { unknowns: string[]; sources: string[]; current: { stages: Array<{ layers: Array<{ what: string; bytes: number | null }> }> } };
  const plan = apkInstallPlan(index, ['sqlite'], catalogApkPackages(parseImageReference('alpine:3.24') as ImageReference)?.installed ?? new Set());
  const served = files['/alpine/v3.24/main/x86_64/APKINDEX.tar.gz']?.length ?? 0;
  assert.deepEqual(estimate.current.stages[0]?.layers.map((l) => [l.what, l.bytes]), [[`apk packages: sqlite (${plan.installed.length} packages and apk's cached indexes)`, plan.bytes + served]]);
  assert.deepEqual(estimate.unknowns, []);
  assert.ok(estimate.sources.some((s) => /^Alpine v3\.24 x86_64 APKINDEX, \d{4}-\d{2}-\d{2}; base packages: catalog: docker-library\/repo-info repos\/alpine\/local\/3\.24\.2\.md/.test(s)), estimate.sources.join(' | '));
});
