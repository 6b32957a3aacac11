// Ubuntu's indexes through the Debian machinery, on a local fake mirror: Ubuntu's archive is not
// reachable from where these tests run, so the Packages files are excerpts written here in
// Ubuntu's format (jammy-*.Packages; versions and sizes illustrative, not read from the archive).
// What is checked is the layout asked for (dists/<suite>/{main,universe}/binary-amd64, the
// -security suites on security.ubuntu.com by default), the disk cache and offline mode, and that
// `FROM ubuntu:22.04` + `apt-get install -y curl` is sized and hovered from that index and the
// catalog's ubuntu:22.04 package list.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { startFakeMirror, type FakeMirror } from '../helpers/fakeMirror';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { aptMirrors, DebianPackageIndexes } from '../../server/src/images/packageIndex';
import { PackageKnowledge, catalogBasePackages } from '../../server/src/images/packageKnowledge';
import { installPlan } from '../../server/src/analysis/packages/debianIndex';
import { packageAt, packageHover } from '../../server/src/analysis/packages/packageHover';
import { parseDockerfile, minimize, describeBase } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { parseDebianIndex } from '../../server/src/analysis/packages/debianIndex';
import { emptyProject } from '../../server/src/analysis/project';
import { estimateImage, APT_STEP_BYTES, type SizeKnowledge } from '../../server/src/analysis/estimate/estimate';
import { aptCodename, debianCodename } from '../../server/src/analysis/packages/indexes';
import { parseImageReference, type ImageReference } from '../../server/src/analysis/imageRef';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'packages');
const MAIN = gzipSync(readFileSync(path.join(FIXTURES, 'jammy-curl.Packages')));
const UNIVERSE = gzipSync(readFileSync(path.join(FIXTURES, 'jammy-universe-ripgrep.Packages')));
const UPDATES = gzipSync(readFileSync(path.join(FIXTURES, 'jammy-updates-curl.Packages')));
let fake: FakeMirror;
let mirror: string;
const asked: string[] = [];

before(async () => {
  fake = await startFakeMirror({
    '/ubuntu/dists/jammy/main/binary-amd64/Packages.gz': MAIN,
    '/ubuntu/dists/jammy/universe/binary-amd64/Packages.gz': UNIVERSE,
    '/ubuntu/dists/jammy-updates/main/binary-amd64/Packages.gz': UPDATES,
  }, asked);
  mirror = fake.url;
});
after(() => fake.close());

test('an Ubuntu release is its main and universe components over the release, -updates and -security suites, cached and read offline', async () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-ubuntu-'));
  try {
    asked.length = 0;
    const jammy = await new DebianPackageIndexes({ ubuntuMirror: mirror, cacheDir, inProcess: true }).release('jammy');
    assert.equal(jammy.index.packages.get('curl')?.version, '7.81.0-1ubuntu1.21', 'the -updates suite wins');
    assert.equal(jammy.index.packages.get('ripgrep')?.installedBytes, 4862 * 1024, 'universe is read');
    assert.deepEqual(jammy.index.packages.get('libcurl4')?.recommends, [['ca-certificates']]);
    assert.match(jammy.source, /^Ubuntu jammy main universe amd64 Packages, \d{4}-\d{2}-\d{2}$/);
    assert.equal(jammy.listsBytes, MAIN.length + UNIVERSE.length + UPDATES.length);
    const tried = (suite: string, component: string): string[] => [`/ubuntu/dists/${suite}/${component}/binary-amd64/Packages.gz`, `/ubuntu/dists/${suite}/${component}/binary-amd64/Packages.xz`];
    assert.deepEqual(asked, [
      tried('jammy', 'main')[0],
      tried('jammy', 'universe')[0],
      tried('jammy-updates', 'main')[0],
      ...tried('jammy-updates', 'universe'),
      ...tried('jammy-security', 'main'),
      ...tried('jammy-security', 'universe'),
    ]);
    assert.ok(readdirSync(cacheDir).every((name) => name.startsWith('ubuntu-jammy')), 'kept apart from Debian’s files');

    asked.length = 0;
    const offline = await new DebianPackageIndexes({ ubuntuMirror: mirror, cacheDir, offline: true }).release('jammy');
    assert.deepEqual(asked, [], 'offline opens no connection');
    assert.equal(offline.index.packages.get('curl')?.version, '7.81.0-1ubuntu1.21');
    assert.equal(offline.source, jammy.source);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test("Ubuntu's own hosts by default, and the same messages as Debian's when the index cannot be had", async () => {
  const urls: string[] = [];
  const fetchStub = (async (url: string | URL | Request) => {
    urls.push(String(url));
    return new Response(null, { status: 404 });
  }) as typeof fetch;
  await assert.rejects(new DebianPackageIndexes({ fetch: fetchStub }).release('noble'), /http:\/\/archive\.ubuntu\.com\/ubuntu\/dists\/noble\/main\/binary-amd64\/Packages answered 404/);
  assert.deepEqual(urls, ['http://archive.ubuntu.com/ubuntu/dists/noble/main/binary-amd64/Packages.gz', 'http://archive.ubuntu.com/ubuntu/dists/noble/main/binary-amd64/Packages.xz']);
  // The security suites are fetched from security.ubuntu.com: seen once the release itself is had.
  const seen: string[] = [];
  const serveRelease = (async (url: string | URL | Request) => {
    seen.push(String(url));
    return /\/dists\/noble\/(main|universe)\/binary-amd64\/Packages\.gz$/.test(String(url)) ? new Response(new Uint8Array(MAIN)) : new Response(null, { status: 404 });
  }) as typeof fetch;
  await new DebianPackageIndexes({ fetch: serveRelease }).release('noble');
  assert.ok(seen.includes('http://security.ubuntu.com/ubuntu/dists/noble-security/universe/binary-amd64/Packages.gz'), seen.join('\n'));
  await assert.rejects(new DebianPackageIndexes({ ubuntuMirror: mirror, offline: true }).release('jammy'), /offline, and no cached copy of http:\/\/127\.0\.0\.1:\d+\/ubuntu\/dists\/jammy\/main\/binary-amd64\/Packages/);
  await assert.rejects(new DebianPackageIndexes({ ubuntuMirror: 'http://127.0.0.1:9', timeoutMs: 2000 }).release('jammy'), /cannot reach http:\/\/127\.0\.0\.1:9\/ubuntu\/dists\/jammy/);
  assert.deepEqual(aptMirrors({ SLIMFILE_UBUNTU_MIRROR: mirror, SLIMFILE_DEBIAN_MIRROR: '' }), { mirror: undefined, ubuntuMirror: mirror });
});

test('ubuntu:22.04, ubuntu:noble and ubuntu:20.04 name their release for sizing; the --no-install-recommends fix does not use it', () => {
  const facts = (image: string) => describeBase(parseImageReference(image) as ImageReference);
  assert.equal(aptCodename(facts('ubuntu:22.04')), 'jammy');
  assert.equal(aptCodename(facts('ubuntu:noble')), 'noble');
  assert.equal(aptCodename(facts('ubuntu:20.04')), 'focal');
  assert.equal(aptCodename(facts('debian:bookworm')), 'bookworm');
  // Language images with an Ubuntu codename suffix are built FROM that ubuntu release.
  assert.equal(aptCodename(facts('eclipse-temurin:21-jre-jammy')), 'jammy');
  assert.equal(aptCodename(facts('eclipse-temurin:17-jdk-noble')), 'noble');
  // The rules that act on the index ask for Debian's only: their safety was proven on Debian's images.
  assert.equal(debianCodename(facts('ubuntu:22.04')), undefined);
});

test('FROM ubuntu:22.04 + apt-get install -y curl: the estimate and the hover size it from Ubuntu’s index and the catalog’s jammy list', async () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-ubuntu-'));
  try {
    const indexes = new DebianPackageIndexes({ ubuntuMirror: mirror, cacheDir, inProcess: true });
    const packages = new PackageKnowledge({ engine: () => undefined, indexes: () => indexes }, () => undefined);
    const knowledge: SizeKnowledge = {
      baseImage: () => ({ bytes: 78_000_000, compressed: undefined, provenance: { origin: 'fixed', detail: 'test', confidence: 'high' } }),
      debianPackages: (ref, codename) => packages.facts(ref, codename),
    };
    const text = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y curl\n';
    const model = parseDockerfile(text);
    assert.deepEqual(estimateImage(model, emptyProject(), knowledge).unknowns, ['apt packages: curl'], 'nothing is counted before the index is loaded');
    await packages.settled();

    const ubuntu = parseImageReference('ubuntu:22.04') as ImageReference;
    const base = catalogBasePackages(ubuntu);
    assert.equal(base?.codename, 'jammy');
    assert.ok(base?.installed.has('libc6') && base.installed.has('libssl3') && !base.installed.has('curl'));
    const release = await indexes.release('jammy');
    const plan = installPlan(release.index, ['curl'], { recommends: true, installed: base.installed });
    // curl, libcurl4 and the libraries jammy's base lacks, with the Recommends apt takes (ca-certificates, openssl, publicsuffix…).
    assert.ok(plan.installed.some((p) => p.name === 'ca-certificates') && plan.installed.some((p) => p.name === 'libcurl4'));
    assert.ok(!plan.installed.some((p) => p.name === 'libc6'), 'the base has libc6');

    const estimate = estimateImage(model, emptyProject(), knowledge);
    assert.deepEqual(estimate.unknowns, []);
    assert.deepEqual(
      estimate.stages[0]?.layers.map((l) => [l.what, l.bytes]),
      [[`apt packages: curl (${plan.installed.length} packages and the apt lists)`, plan.bytes + release.listsBytes + APT_STEP_BYTES]],
    );
    assert.equal(estimate.sources.find((s) => s.startsWith('Ubuntu')), `${release.source}; base packages: ${base.source}`);
    assert.match(base.source, /^catalog: docker-library\/repo-info repos\/ubuntu\/local\/jammy-\d+\.\d+\.md .*, 2026-09-03$/);

    const line = 1;
    const at = packageAt(model, { line, character: (text.split('\n')[line] ?? '').lastIndexOf('curl') + 1 });
    assert.ok(at);
    const hover = (packageHover(model, at, knowledge).contents as { value: string }).value;
    assert.match(hover, /^\*\*curl\*\* 7\.81\.0-1ubuntu1\.21: /);
    assert.match(hover, /Not in the base image\./);
    assert.match(hover, /From Ubuntu jammy main universe amd64 Packages, \d{4}-\d{2}-\d{2} \(Installed-Size\); base packages: catalog: docker-library\/repo-info/);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('on ubuntu:22.04 the --no-install-recommends fix stays for review even with the index at hand, and Minimize leaves the install alone', () => {
  const index = parseDebianIndex(readFileSync(path.join(FIXTURES, 'jammy-curl.Packages'), 'utf8'));
  const asked: string[] = [];
  const settings = { rules: {}, packageIndexes: { debian: (codename: string) => (asked.push(codename), { index, source: 'Ubuntu jammy excerpt' }) } };
  const text = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
  const finding = analyze(parseDockerfile(text), emptyProject(), settings).find((f) => f.rule === 'package-cache-in-final-image');
  assert.deepEqual(finding?.fixes.map((f) => [f.title, f.safe]), [['Add --no-install-recommends (review: not proven safe)', false]]);
  assert.equal(minimize(text, emptyProject(), settings).text, text);
  assert.deepEqual(asked, [], 'the rule asks for Debian indexes only');
});
