// Debian's package index and what apt-get install adds, on real data: an excerpt of bookworm's
// main/binary-amd64 Packages (the stanzas curl and wget reach, fetched 2026-12-06, fields the
// closure does not read removed) and the package list of the debian:bookworm stand-in
// (`dpkg-query -W`). The expected closures are what `apt-get install -s` printed in that image
// on the same day, with and without --no-install-recommends.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { droppedRecommends, installPlan, parseDebianIndex } from '../../server/src/analysis/packages/debianIndex';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'packages');
const index = parseDebianIndex(readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'), 'utf8'));
const base = new Set(readFileSync(path.join(FIXTURES, 'debian-bookworm-stand-in.installed'), 'utf8').split('\n').filter(Boolean));

const APT_SAYS = {
  curl: {
    recommends: 'ca-certificates curl krb5-locales libbrotli1 libcurl4 libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 libldap-common libnghttp2-14 libpsl5 librtmp1 libsasl2-2 libsasl2-modules libsasl2-modules-db libssh2-1 libssl3 openssl publicsuffix',
    lean: 'curl libbrotli1 libcurl4 libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 libnghttp2-14 libpsl5 librtmp1 libsasl2-2 libsasl2-modules-db libssh2-1 libssl3',
  },
  wget: { recommends: 'ca-certificates libpsl5 libssl3 openssl publicsuffix wget', lean: 'libpsl5 wget' },
};

const names = (plan: ReturnType<typeof installPlan>): string => plan.installed.map((p) => p.name).sort().join(' ');

test('a stanza gives its version, installed size in bytes, relations with alternatives, and what it provides', () => {
  const curl = index.packages.get('curl');
  assert.equal(curl?.version, '7.88.1-10+deb12u15');
  assert.equal(curl?.installedBytes, 489 * 1024);
  assert.deepEqual(curl?.depends, [['libc6'], ['libcurl4'], ['zlib1g']]);
  assert.deepEqual(index.packages.get('ca-certificates')?.depends, [['openssl'], ['debconf', 'debconf-2.0']]);
  assert.deepEqual(index.providers.get('debconf-2.0'), ['debconf']);
});

for (const [name, expected] of Object.entries(APT_SAYS)) {
  test(`apt-get install ${name} on the bookworm stand-in adds what apt adds, with and without recommendations`, () => {
    assert.equal(names(installPlan(index, [name], { recommends: true, installed: base })), expected.recommends);
    assert.equal(names(installPlan(index, [name], { recommends: false, installed: base })), expected.lean);
  });
}

test('--no-install-recommends with curl drops ca-certificates, which curl needs for HTTPS', () => {
  const dropped = droppedRecommends(index, ['curl'], base).map((p) => p.name).sort();
  assert.deepEqual(dropped, ['ca-certificates', 'krb5-locales', 'libldap-common', 'libsasl2-modules', 'openssl', 'publicsuffix']);
});

test('names the base already has add nothing, pinned versions and architectures are read as names, and unknown names are reported', () => {
  const plan = installPlan(index, ['libc6', 'wget=1.21.3-1+b2', 'libpsl5:amd64', 'no-such-package'], { recommends: false, installed: base });
  assert.deepEqual(plan.alreadyThere, ['libc6']);
  assert.deepEqual(plan.unknown, ['no-such-package']);
  assert.equal(names(plan), 'libpsl5 wget');
  assert.equal(plan.bytes, plan.installed.reduce((sum, p) => sum + p.installedBytes, 0));
});

test('a later index of the same release (its updates) replaces a package and keeps the rest', () => {
  const updated = parseDebianIndex('Package: curl\nVersion: 7.88.1-10+deb12u99\nInstalled-Size: 501\nDepends: libc6, libcurl4\n', index);
  assert.equal(updated.packages.get('curl')?.version, '7.88.1-10+deb12u99');
  assert.equal(updated.packages.get('wget')?.version, index.packages.get('wget')?.version);
  assert.equal(index.packages.get('curl')?.version, '7.88.1-10+deb12u15', 'the first index is unchanged');
});
