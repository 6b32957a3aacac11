// The catalog's package lists (images/catalog-packages.json, read from docker-library/repo-info)
// standing in for the engine: an install on an official base is sized less what that base already
// has. Debian on real index excerpts (trixie-curl.Packages was cut from trixie's main and security
// Packages of 2026-12-06: curl's closure and the trixie-slim list; bookworm-curl-wget.Packages is
// bookworm's). Alpine on the hand-written 3.20 excerpt of alpineIndex.test.ts, which was never
// checked against a real Alpine mirror (none can be reached here).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDebianIndex, installPlan } from '../../server/src/analysis/packages/debianIndex';
import { apkInstallPlan, parseAlpineIndex } from '../../server/src/analysis/packages/alpineIndex';
import { parseDockerfile } from '../../server/src/analysis';
import { emptyProject } from '../../server/src/analysis/project';
import { estimateImage, APT_STEP_BYTES, type SizeKnowledge } from '../../server/src/analysis/estimate/estimate';
import { packageAt, packageHover } from '../../server/src/analysis/packages/packageHover';
import { PackageKnowledge } from '../../server/src/images/packageKnowledge';
import { AlpinePackageKnowledge } from '../../server/src/images/alpineKnowledge';
import { catalogApkPackages, catalogBasePackages } from '../../server/src/images/catalogPackages';
import { parseImageReference, type ImageReference } from '../../server/src/analysis/imageRef';
import type { DebianIndex } from '../../server/src/analysis/packages/debianIndex';
import type { AlpineIndex } from '../../server/src/analysis/packages/alpineIndex';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'packages');
const INDEXES: Record<string, DebianIndex> = {
  bookworm: parseDebianIndex(readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'), 'utf8')),
  trixie: parseDebianIndex(readFileSync(path.join(FIXTURES, 'trixie-curl.Packages'), 'utf8')),
};
const ALPINE: AlpineIndex = parseAlpineIndex(readFileSync(path.join(FIXTURES, 'alpine-v3.20-x86_64.APKINDEX'), 'utf8'));
const ref = (name: string): ImageReference => parseImageReference(name) as ImageReference;
const LISTS = 9_000_000;
const APK_CACHE = 2_500_000;

/** Sizes as the CLI has them without an engine: the catalog's lists, the indexes served from memory. */
async function withoutEngine(images: readonly string[]): Promise<SizeKnowledge> {
  const debian = new PackageKnowledge({ engine: () => undefined, indexes: () => ({ release: async (codename: string) => ({ index: INDEXES[codename], source: `Debian ${codename} Packages excerpt`, fetchedAt: 0, listsBytes: LISTS }) }) as never }, () => undefined);
  const alpine = new AlpinePackageKnowledge({ engine: () => undefined, indexes: () => ({ branch: async (branch: string) => ({ index: ALPINE, source: `Alpine v${branch} excerpt`, fetchedAt: 0, archiveBytes: APK_CACHE }) }) as never }, () => undefined);
  // The first question starts the loads; the CLI waits for them and asks again.
  for (const image of images) {
    debian.facts(ref(image), undefined);
    alpine.facts(ref(image), undefined);
  }
  await Promise.all([debian.settled(), alpine.settled()]);
  return {
    baseImage: () => ({ bytes: 100_000_000, compressed: undefined, provenance: { origin: 'fixed', detail: 'test', confidence: 'high' } }),
    debianPackages: (r, codename) => debian.facts(r, codename),
    alpinePackages: (r, branch) => alpine.facts(r, branch),
  };
}

const layersOf = (text: string, knowledge: SizeKnowledge): Array<[string, number | undefined]> =>
  (estimateImage(parseDockerfile(text), emptyProject(), knowledge).stages.at(-1)?.layers ?? []).map((l) => [l.what, l.bytes]);

test('the catalog lists what trixie, python:3.11-slim, golang:*-bookworm, alpine 3.21-3.24 and golang:1.27-alpine already have, with their source and date', () => {
  const trixie = catalogBasePackages(ref('debian:trixie-slim'));
  assert.equal(trixie?.codename, 'trixie');
  assert.equal(trixie?.installed.size, 78);
  assert.ok(trixie?.installed.has('libssl3t64') && !trixie.installed.has('ca-certificates'));
  assert.deepEqual(catalogBasePackages(ref('debian:13')), trixie, 'one list for the full and -slim tags');
  assert.match(trixie?.source ?? '', /^catalog: docker-library\/repo-info repos\/debian\/local\/13-slim\.md \(commit 029a6a7362ce\).*, 2026-08-24$/);
  const python = catalogBasePackages(ref('python:3.11-slim'));
  assert.equal(python?.codename, 'bookworm');
  assert.ok(['ca-certificates', 'openssl', 'netbase', 'libgssapi-krb5-2'].every((p) => python?.installed.has(p)));
  assert.equal(catalogApkPackages(ref('alpine:3.24'))?.branch, '3.24');
  assert.ok(catalogApkPackages(ref('alpine:3.22'))?.installed.has('libapk2'));
  assert.ok(catalogApkPackages(ref('golang:1.27-alpine'))?.installed.has('ca-certificates'));
  assert.ok(!catalogApkPackages(ref('alpine:3.24'))?.installed.has('ca-certificates'), 'alpine has only ca-certificates-bundle');
  assert.equal(catalogApkPackages(ref('debian:trixie')), undefined, 'a dpkg list is not an apk list');
  assert.equal(catalogBasePackages(ref('alpine:3.24')), undefined);
});

test('golang:1.22 (bookworm) already has curl and ca-certificates: installing them adds nothing but the step itself', async () => {
  const knowledge = await withoutEngine(['golang:1.22']);
  assert.ok(catalogBasePackages(ref('golang:1.22'))?.installed.has('gcc'), 'the cgo toolchain the golang images install');
  assert.deepEqual(layersOf('FROM golang:1.22\nRUN apt-get update && apt-get install -y curl ca-certificates && rm -rf /var/lib/apt/lists/*\n', knowledge), [['apt packages: curl ca-certificates (0 packages)', APT_STEP_BYTES]]);
  assert.deepEqual(catalogBasePackages(ref('golang:1.27-bookworm')), catalogBasePackages(ref('golang:1.22')), 'one list for every Go version on bookworm');
  // A bare tag from 1.25 on is trixie: its list names trixie's packages (libssl3t64, not libssl3).
  const trixie = catalogBasePackages(ref('golang:1.25'));
  assert.deepEqual([trixie?.codename, trixie?.installed.has('libssl3t64'), trixie?.installed.has('libssl3')], ['trixie', true, false]);
});

test('apt-get install on debian:trixie-slim without an engine: curl and ca-certificates less what trixie-slim has (libssl3t64, libc6)', async () => {
  const knowledge = await withoutEngine(['debian:trixie-slim']);
  const install = ['curl', 'ca-certificates'];
  const fromNothing = installPlan(INDEXES['trixie'] as DebianIndex, install, { recommends: false, installed: new Set() }).installed.map((p) => p.name);
  assert.ok(fromNothing.includes('libssl3t64') && fromNothing.includes('libc6'), 'the closure reaches packages the base has');
  const plan = installPlan(INDEXES['trixie'] as DebianIndex, install, { recommends: false, installed: catalogBasePackages(ref('debian:trixie-slim'))?.installed ?? new Set() });
  const names = plan.installed.map((p) => p.name);
  assert.ok(!names.includes('libssl3t64') && !names.includes('libc6') && names.includes('ca-certificates') && names.includes('curl'));
  assert.deepEqual(layersOf('FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\n', knowledge), [
    [`apt packages: curl ca-certificates (${plan.installed.length} packages)`, plan.bytes + APT_STEP_BYTES],
  ]);
});

test('apt-get install -y curl: python:3.11-slim already has ca-certificates, openssl and the Kerberos libraries that bookworm-slim lacks', async () => {
  const knowledge = await withoutEngine(['python:3.11-slim', 'debian:bookworm-slim']);
  const names = (image: string): string[] => installPlan(INDEXES['bookworm'] as DebianIndex, ['curl'], { recommends: true, installed: catalogBasePackages(ref(image))?.installed ?? new Set() }).installed.map((p) => p.name);
  assert.ok(names('debian:bookworm-slim').includes('ca-certificates'));
  assert.ok(!names('python:3.11-slim').some((n) => ['ca-certificates', 'openssl', 'libgssapi-krb5-2'].includes(n)));
  const bytes = (image: string): number | undefined => layersOf(`FROM ${image}\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n`, knowledge)[0]?.[1];
  const onPython = installPlan(INDEXES['bookworm'] as DebianIndex, ['curl'], { recommends: true, installed: catalogBasePackages(ref('python:3.11-slim'))?.installed ?? new Set() });
  assert.equal(bytes('python:3.11-slim'), onPython.bytes + APT_STEP_BYTES);
  assert.ok((bytes('python:3.11-slim') ?? 0) < (bytes('debian:bookworm-slim') ?? 0));
});

test("apk add is sized as its closure less the base's packages, plus apk's cached indexes without --no-cache", async () => {
  const knowledge = await withoutEngine(['alpine:3.24']);
  const base = catalogApkPackages(ref('alpine:3.24'))?.installed ?? new Set();
  const sqlite = apkInstallPlan(ALPINE, ['sqlite'], base);
  assert.ok(!sqlite.installed.some((p) => p.name === 'zlib'), 'sqlite needs so:libz.so.1, which alpine:3.24 has (zlib)');
  assert.deepEqual(layersOf('FROM alpine:3.24\nRUN apk add --no-cache sqlite\n', knowledge), [[`apk packages: sqlite (${sqlite.installed.length} packages)`, sqlite.bytes]]);
  assert.deepEqual(layersOf('FROM alpine:3.24\nRUN apk add sqlite\nRUN apk add make\n', knowledge), [
    [`apk packages: sqlite (${sqlite.installed.length} packages and apk's cached indexes)`, sqlite.bytes + APK_CACHE],
    // The cached indexes were counted once already; make adds itself only.
    ['apk packages: make (1 package)', ALPINE.packages.get('make')?.installedBytes],
  ]);
  assert.deepEqual(layersOf('FROM alpine:3.24\nRUN apk update && apk add sqlite && rm -rf /var/cache/apk/*\n', knowledge), [[`apk packages: sqlite (${sqlite.installed.length} packages)`, sqlite.bytes]]);
  assert.deepEqual(layersOf('FROM alpine:3.24\nRUN apk add --no-cache zlib\n', knowledge), [['apk packages: zlib (0 packages)', 0]], 'the base has zlib');
  const estimate = estimateImage(parseDockerfile('FROM alpine:3.24\nRUN apk add --no-cache sqlite\n'), emptyProject(), knowledge);
  assert.deepEqual(estimate.unknowns, []);
  assert.ok(estimate.sources.includes('Alpine v3.24 excerpt; base packages: catalog: docker-library/repo-info repos/alpine/local/3.24.2.md (commit 7859ce442d87), its apk section, 2026-09-17'));
  assert.equal(estimate.confidence, 'low', 'never measured against real Alpine');
  const blind = estimateImage(parseDockerfile('FROM alpine:3.24\nRUN apk add --no-cache sqlite\n'), emptyProject(), { ...knowledge, alpinePackages: () => undefined });
  assert.deepEqual(blind.unknowns, ['apk packages: sqlite']);
});

test('golang:1.27-alpine already has ca-certificates: apk add ca-certificates adds nothing there', async () => {
  const knowledge = await withoutEngine(['golang:1.27-alpine']);
  assert.deepEqual(layersOf('FROM golang:1.27-alpine\nRUN apk add --no-cache ca-certificates\n', knowledge), [['apk packages: ca-certificates (0 packages)', 0]]);
});

test('the hover on an apk package name: its size, what it pulls in, whether the base has it', async () => {
  const knowledge = await withoutEngine(['alpine:3.24']);
  const text = 'FROM alpine:3.24\nRUN apk add --no-cache sqlite zlib no-such-package\n';
  const model = parseDockerfile(text);
  const hoverOn = (word: string): string => {
    const at = packageAt(model, { line: 1, character: (text.split('\n')[1] ?? '').indexOf(word) + 1 });
    assert.ok(at, word);
    return (packageHover(model, at, knowledge).contents as { value: string }).value;
  };
  const sqlite = apkInstallPlan(ALPINE, ['sqlite'], catalogApkPackages(ref('alpine:3.24'))?.installed ?? new Set());
  assert.match(hoverOn('sqlite'), new RegExp(`^\\*\\*sqlite\\*\\* 3\\.45\\.3-r1: 369 kB installed\\.\\n\\nNot in the base image\\. Installed alone with its dependencies, it adds ${sqlite.installed.length} packages`));
  assert.match(hoverOn('sqlite'), /Pulls in: sqlite-libs \(1\.5 MB\)/);
  assert.match(hoverOn('zlib'), /The base image already has it: this name adds nothing\./);
  assert.match(hoverOn('zlib'), /base packages: catalog: docker-library\/repo-info repos\/alpine\/local\/3\.24\.2\.md/);
  assert.equal(hoverOn('no-such-package'), '**no-such-package** is not in Alpine v3.24 excerpt: apk would stop with "unable to select packages".');
});

test("the engine's copy of an Alpine image: its installed database and its branch from /etc/alpine-release", async () => {
  const branches: string[] = [];
  const engine = {
    inspectImage: async () => ({ size: 1, id: 'sha256:0123456789abcdef0123' }),
    readImageFile: async (_name: string, file: string) =>
      file === '/lib/apk/db/installed' ? Buffer.from('C:Q1abc=\nP:musl\nV:1.2.5-r0\nR:ld-musl-x86_64.so.1\n\nC:Q1def=\nP:zlib\nV:1.3.1-r1\n') : Buffer.from('3.20.3\n'),
  };
  const knowledge = new AlpinePackageKnowledge({ engine: () => engine, indexes: () => ({ branch: async (branch: string) => (branches.push(branch), { index: ALPINE, source: 'x', fetchedAt: 0, archiveBytes: 1 }) }) as never }, () => undefined);
  const image = ref('golang:1.22-alpine');
  assert.equal(knowledge.facts(image, undefined), undefined, 'nothing is known before the engine answers');
  await knowledge.settled();
  const known = knowledge.facts(image, undefined);
  assert.deepEqual([...(known?.installed ?? [])], ['musl', 'zlib']);
  assert.equal(known?.installedSource, 'local Docker Engine: golang:1.22-alpine (0123456789ab), /lib/apk/db/installed');
  assert.deepEqual(branches, ['3.20'], "the image's own branch");
});
