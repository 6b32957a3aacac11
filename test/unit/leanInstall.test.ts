// --no-install-recommends from the release's index: the fix lists what it drops with sizes, names
// the recommended packages the image still needs (ca-certificates for curl's HTTPS, netbase for
// perl's sockets, a package whose program the HEALTHCHECK runs), and is safe only with the index.
// Real data: the bookworm excerpt and stand-in package list of debianIndex.test.ts, and perl's and
// netbase's, git's and less's stanzas from bookworm's main/binary-amd64 Packages (fetched 2026-12-06, fields the
// closure does not read removed, Provides shortened).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { startFakeMirror } from '../helpers/fakeMirror';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from '../../server/src/cli';
import { installPlan, parseDebianIndex } from '../../server/src/analysis/packages/debianIndex';
import { catalogBasePackages } from '../../server/src/images/catalogPackages';
import { parseImageReference, type ImageReference } from '../../server/src/analysis/imageRef';
import type { PackageIndexes } from '../../server/src/analysis/packages/indexes';
import { planLeanInstall } from '../../server/src/analysis/packages/recommends';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { emptyProject } from '../../server/src/analysis/project';
import { messages } from '../../server/src/analysis/messages';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'packages');
const PERL = `Package: netbase
Version: 6.4
Installed-Size: 36

Package: perl
Version: 5.36.0-7+deb12u3
Installed-Size: 670
Provides: libhttp-tiny-perl (= 0.080), libnet-perl (= 1:3.14)
Depends: perl-base (= 5.36.0-7+deb12u3), perl-modules-5.36 (>= 5.36.0-7+deb12u3), libperl5.36 (= 5.36.0-7+deb12u3)
Pre-Depends: dpkg (>= 1.17.17)
Recommends: netbase

Package: git
Version: 1:2.39.5-0+deb12u3
Installed-Size: 44890
Provides: git-completion, git-core
Depends: libc6 (>= 2.34), libcurl3-gnutls (>= 7.56.1), libexpat1 (>= 2.0.1), libpcre2-8-0 (>= 10.34), zlib1g (>= 1:1.2.2), perl, liberror-perl, git-man (>> 1:2.39.5), git-man (<< 1:2.39.5-.)
Recommends: ca-certificates, patch, less, ssh-client

Package: less
Version: 590-2.1~deb12u2
Installed-Size: 313
Depends: libc6 (>= 2.34), libtinfo6 (>= 6)
`;
const index = parseDebianIndex(PERL, parseDebianIndex(readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'), 'utf8')));
const base = new Set(readFileSync(path.join(FIXTURES, 'debian-bookworm-stand-in.installed'), 'utf8').split('\n').filter(Boolean));
const SOURCE = 'Debian bookworm main amd64 Packages, 2026-12-06';
const INDEXES: PackageIndexes = {
  debian: (codename) => (codename === 'bookworm' ? { index, source: SOURCE } : undefined),
  installed: (image) => (image === 'debian:bookworm' ? base : undefined),
};

const CURL = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCMD ["curl", "--version"]\n';

test('curl: ca-certificates is named because libcurl4 recommends it for HTTPS; the rest is dropped, each with its size', () => {
  const plan = planLeanInstall(index, ['curl'], base, new Map());
  assert.deepEqual(plan.named.map((n) => n.name), ['ca-certificates']);
  assert.equal(plan.named[0]?.why, 'libcurl4 needs it for HTTPS: its CA bundle is /etc/ssl/certs/ca-certificates.crt, without which curl stops with "error setting certificate file"');
  // openssl comes back with ca-certificates, which depends on it.
  assert.equal(plan.dropped.map((p) => p.name).sort().join(' '), 'krb5-locales libldap-common libsasl2-modules publicsuffix');
  assert.equal(plan.droppedBytes, plan.dropped.reduce((sum, p) => sum + p.installedBytes, 0));
});

test('with the index the fix is safe, names ca-certificates, lists what it drops, and Minimize applies it', () => {
  const model = parseDockerfile(CURL);
  const finding = analyze(model, emptyProject(), { rules: {}, packageIndexes: INDEXES }).find((f) => f.rule === 'package-cache-in-final-image');
  assert.ok(finding);
  const plan = planLeanInstall(index, ['curl'], base, new Map());
  const sizes = plan.dropped.map((p) => `${p.name} ${Math.round(p.installedBytes / 1000)} kB`).join(', ');
  const total = plan.droppedBytes < 1e6 ? `${Math.round(plan.droppedBytes / 1000)} kB` : `${(plan.droppedBytes / 1e6).toFixed(1)} MB`;
  assert.deepEqual(finding.related.map((r) => r.message), [
    `--no-install-recommends drops 4 recommended packages, ${total} (${SOURCE}): ${sizes}.`,
    messages.aptRecommendNamed('ca-certificates', plan.named[0]?.why ?? ''),
  ]);
  assert.deepEqual(finding.fixes.map((f) => [f.title, f.safe]), [[`Add --no-install-recommends, naming ca-certificates (drops 4 packages, ${total})`, true]]);
  const fixed = 'FROM debian:bookworm\nRUN apt-get update && apt-get install --no-install-recommends ca-certificates -y curl && rm -rf /var/lib/apt/lists/*\nCMD ["curl", "--version"]\n';
  assert.equal(applyEdits(CURL, finding.fixes[0]?.edits ?? []), fixed);
  const minimized = minimize(CURL, emptyProject(), { rules: {}, packageIndexes: INDEXES });
  assert.equal(minimized.text, fixed);
  assert.deepEqual(minimized.applied, [`Add --no-install-recommends, naming ca-certificates (drops 4 packages, ${total})`]);
  // Once applied, nothing more to do: the install is lean.
  assert.equal(minimize(fixed, emptyProject(), { rules: {}, packageIndexes: INDEXES }).text, fixed);
});

test('without the index the fix stays for review and Minimize leaves the install alone', () => {
  const finding = analyze(parseDockerfile(CURL), emptyProject()).find((f) => f.rule === 'package-cache-in-final-image');
  assert.deepEqual(finding?.fixes.map((f) => [f.title, f.safe]), [['Add --no-install-recommends (review: not proven safe)', false]]);
  assert.equal(minimize(CURL, emptyProject()).text, CURL);
  // An index of another release does not count either.
  assert.equal(minimize(CURL.replace('bookworm', 'trixie'), emptyProject(), { rules: {}, packageIndexes: INDEXES }).text, CURL.replace('bookworm', 'trixie'));
});

test('perl keeps netbase (its sockets read /etc/protocols); wget keeps ca-certificates already named; a started program\'s package is named', () => {
  assert.deepEqual(planLeanInstall(index, ['perl'], base, new Map()).named.map((n) => n.name), ['netbase']);
  const wget = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y wget ca-certificates && rm -rf /var/lib/apt/lists/*\n';
  const fixed = minimize(wget, emptyProject(), { rules: {}, packageIndexes: INDEXES }).text;
  assert.equal(fixed, 'FROM debian:bookworm\nRUN apt-get update && apt-get install --no-install-recommends -y wget ca-certificates && rm -rf /var/lib/apt/lists/*\n');
  // git recommends less; a start command that runs less keeps it named, and says which one.
  const started = planLeanInstall(index, ['git'], base, new Map([['less', 'the CMD']]));
  // git depends on perl, which recommends netbase.
  assert.deepEqual(started.named.map((n) => `${n.name}: ${n.why.slice(0, 32)}`), ['ca-certificates: git needs it for HTTPS: its CA b', 'less: the CMD runs less, which it inst', 'netbase: perl needs it to open sockets by']);
  assert.deepEqual(planLeanInstall(index, ['git'], base, new Map()).named.map((n) => n.name), ['ca-certificates', 'netbase']);
});

test('a package the index does not know: what it recommends cannot be told, so no fix is offered', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl no-such-tool && rm -rf /var/lib/apt/lists/*\n';
  const finding = analyze(parseDockerfile(text), emptyProject(), { rules: {}, packageIndexes: INDEXES }).find((f) => f.rule === 'package-cache-in-final-image');
  assert.deepEqual(finding?.fixes, []);
  assert.deepEqual(finding?.related.map((r) => r.message), [messages.aptRecommendsUnknownPackages(['no-such-tool'], SOURCE)]);
});

test('slimfile minimize --package-index reads the index from the mirror, then from the cache with --offline; without one it says why', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-cli-index-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'Dockerfile'), CURL);
  const server = await startFakeMirror({ '/debian/dists/bookworm/main/binary-amd64/Packages.gz': gzipSync(readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'))) });
  const served = server.asked;
  t.after(() => server.close());
  const saved = { HOME: process.env['HOME'], mirror: process.env['SLIMFILE_DEBIAN_MIRROR'] };
  process.env['HOME'] = dir;
  process.env['SLIMFILE_DEBIAN_MIRROR'] = server.url;
  t.after(() => {
    for (const [key, value] of [['HOME', saved.HOME], ['SLIMFILE_DEBIAN_MIRROR', saved.mirror]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await run(argv, { out: (text) => (out += text), err: (text) => (err += text) });
    return { code, out, err };
  };
  const fixed = CURL.replace('install -y', 'install --no-install-recommends ca-certificates -y');
  const online = await cli('minimize', '--package-index', path.join(dir, 'Dockerfile'));
  assert.deepEqual([online.code, online.out], [0, fixed]);
  // The CLI does not know the base's own packages yet, so the count is an upper bound and says so.
  assert.match(online.err, /^applied: Add --no-install-recommends, naming ca-certificates \(drops at most \d+ packages, [\d.]+ [kM]B\)$/m);
  assert.ok(served.includes('/debian/dists/bookworm/main/binary-amd64/Packages.gz'));
  served.length = 0;
  const offline = await cli('minimize', '--package-index', '--offline', path.join(dir, 'Dockerfile'));
  assert.deepEqual([offline.code, offline.out, served], [0, fixed, []]);
  // Without the flag, or with a release nobody has cached, the install is left alone.
  assert.equal((await cli('minimize', path.join(dir, 'Dockerfile'))).out, CURL);
  await fs.writeFile(path.join(dir, 'Dockerfile'), CURL.replace('bookworm', 'trixie'));
  const missing = await cli('minimize', '--package-index', '--offline', path.join(dir, 'Dockerfile'));
  assert.equal(missing.out, CURL.replace('bookworm', 'trixie'));
  assert.match(missing.err, /^slimfile: the package index of debian:trixie is not at hand: offline, and no cached copy of http:\/\/127\.0\.0\.1:\d+\/debian\/dists\/trixie\/main\/binary-amd64\/Packages(\.gz|\.xz)?$/m);
});

test('slimfile check and estimate take --package-index too: check offers the fix as minimize would apply it, estimate sizes that minimized file', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-cli-index-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'Dockerfile'), CURL);
  const server = await startFakeMirror({ '/debian/dists/bookworm/main/binary-amd64/Packages.gz': gzipSync(readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'))) });
  t.after(() => server.close());
  const saved = { HOME: process.env['HOME'], XDG_CACHE_HOME: process.env['XDG_CACHE_HOME'], DOCKER_HOST: process.env['DOCKER_HOST'], mirror: process.env['SLIMFILE_DEBIAN_MIRROR'] };
  process.env['HOME'] = dir;
  delete process.env['XDG_CACHE_HOME'];
  // No engine: the base's packages come from the catalog's debian:bookworm list.
  process.env['DOCKER_HOST'] = `unix://${path.join(dir, 'no-engine.sock')}`;
  process.env['SLIMFILE_DEBIAN_MIRROR'] = server.url;
  t.after(() => {
    for (const [key, value] of [['HOME', saved.HOME], ['XDG_CACHE_HOME', saved.XDG_CACHE_HOME], ['DOCKER_HOST', saved.DOCKER_HOST], ['SLIMFILE_DEBIAN_MIRROR', saved.mirror]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await run(argv, { out: (text) => (out += text), err: (text) => (err += text) });
    return { code, out, err };
  };
  const file = path.join(dir, 'Dockerfile');
  const indexed = await cli('check', '--package-index', file);
  assert.equal(indexed.code, 0);
  assert.match(indexed.out, /^ {4}fix: Add --no-install-recommends, naming ca-certificates \(drops at most \d+ packages, [\d.]+ [kM]B\)$/m);
  assert.match((await cli('check', file)).out, /^ {4}fix: Add --no-install-recommends \(review: not proven safe\)$/m);

  const estimate = async (...flags: string[]): Promise<{ minimized: { bytes: number; stages: Array<{ layers: Array<{ what: string; bytes: number }> }> } }> => {
    const result = await cli('estimate', '--format', 'json', '--offline', ...flags, file);
    assert.equal(result.code, 0, result.err);
    return JSON.parse(result.out) as never;
  };
  // The first run fetched the index into the cache; --offline reads it from there.
  const withIndex = await estimate('--package-index');
  const without = await estimate();
  const aptLayer = (e: typeof without): string | undefined => e.minimized.stages.at(-1)?.layers.find((l) => l.what.startsWith('apt packages'))?.what;
  const served = parseDebianIndex(readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'), 'utf8'));
  const lean = installPlan(served, ['curl', 'ca-certificates'], { recommends: false, installed: catalogBasePackages(parseImageReference('debian:bookworm') as ImageReference)?.installed ?? new Set() }).installed.length;
  assert.equal(aptLayer(withIndex), `apt packages: ca-certificates curl (${lean} packages)`, 'sized as minimize --package-index leaves the install');
  assert.ok(withIndex.minimized.bytes < without.minimized.bytes, `${withIndex.minimized.bytes} < ${without.minimized.bytes}`);
  const wrong = await cli('build', '--package-index', file);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /--package-index goes with check, minimize or estimate\./);
});
