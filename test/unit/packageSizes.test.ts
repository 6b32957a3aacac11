// apt-get install steps in the estimate and the hover on a package name, on real data: the
// bookworm Packages excerpt and the bookworm stand-in's package list of debianIndex.test.ts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDebianIndex, parseDpkgStatus, installPlan } from '../../server/src/analysis/packages/debianIndex';
import { parseDockerfile } from '../../server/src/analysis';
import { emptyProject } from '../../server/src/analysis/project';
import { estimateImage, APT_STEP_BYTES, type DebianPackageFacts, type SizeKnowledge } from '../../server/src/analysis/estimate/estimate';
import { packageAt, packageHover } from '../../server/src/analysis/packages/packageHover';
import { PackageKnowledge, catalogBasePackages } from '../../server/src/images/packageKnowledge';
import { parseImageReference } from '../../server/src/analysis/imageRef';
import type { ImageReference } from '../../server/src/analysis/imageRef';
import { formatBytes } from '../../server/src/analysis/estimate/sizes';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'packages');
const index = parseDebianIndex(readFileSync(path.join(FIXTURES, 'bookworm-curl-wget.Packages'), 'utf8'));
const base = new Set(readFileSync(path.join(FIXTURES, 'debian-bookworm-stand-in.installed'), 'utf8').split('\n').filter(Boolean));
const LISTS = 9_000_000;
const facts: DebianPackageFacts = { index, indexSource: 'Debian bookworm main amd64 Packages, 2026-12-06', listsBytes: LISTS, installed: base, installedSource: 'the stand-in' };
const asked: Array<{ image: string; codename: string | undefined }> = [];
const knowledge: SizeKnowledge = {
  baseImage: () => ({ bytes: 116_000_000, compressed: undefined, provenance: { origin: 'fixed', detail: 'test', confidence: 'high' } }),
  debianPackages: (ref, codename) => {
    asked.push({ image: `${ref.familiar}:${ref.tag}`, codename });
    return facts;
  },
};
const lean = (names: string[]): number => installPlan(index, names, { recommends: false, installed: base }).bytes;
const full = (names: string[]): number => installPlan(index, names, { recommends: true, installed: base }).bytes;

test('an apt-get install is sized as its closure less the base, with and without Recommends, plus the lists a step leaves', () => {
  asked.length = 0;
  const model = parseDockerfile(
    [
      'FROM debian:bookworm',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
      'RUN apt-get update && apt-get install -y wget',
      'RUN apt-get install -y curl libc6',
    ].join('\n'),
  );
  const estimate = estimateImage(model, emptyProject(), knowledge);
  const layers = estimate.stages[0]?.layers ?? [];
  assert.deepEqual(
    layers.map((l) => [l.what, l.bytes]),
    [
      ['apt packages: curl (16 packages)', lean(['curl']) + APT_STEP_BYTES],
      // wget after curl: libpsl5 and libssl3 are there already (and libpsl5's Recommends are not asked again); wget's own come in; the lists stay.
      ['apt packages: wget (3 packages and the apt lists)', installPlan(index, ['wget'], { recommends: true, installed: new Set([...base, ...installPlan(index, ['curl'], { recommends: false, installed: base }).installed.map((p) => p.name)]) }).bytes + LISTS + APT_STEP_BYTES],
      // Everything named is there by now; the lists were counted once already.
      ['apt packages: curl libc6 (0 packages)', APT_STEP_BYTES],
    ],
  );
  assert.ok(full(['curl']) > lean(['curl']));
  assert.equal(estimate.unknowns.length, 0);
  assert.deepEqual(estimate.sources, ['test', 'Debian bookworm main amd64 Packages, 2026-12-06; base packages: the stand-in']);
  assert.deepEqual(asked[0], { image: 'debian:bookworm', codename: 'bookworm' });
});

test('a stage built on another counts what the earlier stage installed as there; without facts the step stays unknown', () => {
  const text = 'FROM debian:bookworm AS tools\nRUN apt-get install -y --no-install-recommends curl\nFROM tools\nRUN apt-get install -y --no-install-recommends curl wget\n';
  const estimate = estimateImage(parseDockerfile(text), emptyProject(), knowledge);
  assert.deepEqual(estimate.stages[1]?.layers.map((l) => l.what), ['apt packages: curl wget (1 package)'], 'the lists the first stage left are counted there');
  const blind = estimateImage(parseDockerfile(text), emptyProject(), { ...knowledge, debianPackages: () => undefined });
  assert.deepEqual(blind.unknowns, ['apt packages: curl wget']);
});

test('the hover on a package name gives its size, what it pulls in, and whether the base has it', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends wget libc6 no-such-package\n';
  const model = parseDockerfile(text);
  const hoverOn = (word: string): string => {
    const line = 2;
    const at = packageAt(model, { line, character: (text.split('\n')[line] ?? '').indexOf(word) + 1 });
    assert.ok(at, word);
    const hover = packageHover(model, at, knowledge);
    return (hover.contents as { value: string }).value;
  };
  assert.equal(
    hoverOn('wget'),
    [
      `**wget** ${index.packages.get('wget')?.version}: 3.6 MB installed.`,
      '',
      'Not in the base image. Installed alone without Recommends (--no-install-recommends), it adds 2 packages, 3.7 MB in all.',
      '',
      `Pulls in: libpsl5 (${formatBytes(index.packages.get('libpsl5')?.installedBytes ?? 0)}).`,
      '',
      'From Debian bookworm main amd64 Packages, 2026-12-06 (Installed-Size); base packages: the stand-in.',
    ].join('\n'),
  );
  assert.match(hoverOn('libc6'), /The base image already has it: this name adds nothing\./);
  assert.match(hoverOn('no-such-package'), /is not in Debian bookworm main amd64 Packages, 2026-12-06: apt would stop with "Unable to locate package"/);
  assert.equal(packageAt(model, { line: 2, character: 5 }), undefined, 'apt-get itself is no package');
  assert.match((packageHover(model, packageAt(model, { line: 2, character: 52 }) as never, { debianPackages: () => undefined }, 'offline, and no cached copy').contents as { value: string }).value, /size not known \(offline, and no cached copy\)/);
});

test("dpkg's status counts installed packages only", () => {
  const status = 'Package: libc6\nStatus: install ok installed\nVersion: 2.36\n\nPackage: old-thing\nStatus: deinstall ok config-files\n\nPackage: curl\nStatus: install ok installed\nDescription: a tool\n continued line\n';
  assert.deepEqual([...parseDpkgStatus(status)], ['libc6', 'curl']);
});

test("the base's packages come from the engine's copy of the image, with its release, and else from the catalog", async () => {
  const ref = parseImageReference('node:18-slim') as ImageReference;
  const releases: string[] = [];
  const engine = {
    inspectImage: async () => ({ size: 1, id: 'sha256:0123456789abcdef0123' }),
    readImageFile: async (_name: string, file: string) =>
      file === '/var/lib/dpkg/status' ? Buffer.from('Package: libc6\nStatus: install ok installed\n') : Buffer.from('NAME="Debian GNU/Linux"\nVERSION_CODENAME=bookworm\n'),
  };
  let learned = 0;
  const knowledge = new PackageKnowledge({ engine: () => engine, indexes: () => ({ release: async (codename: string) => (releases.push(codename), { index, source: `Debian ${codename}`, fetchedAt: 0, listsBytes: 5 }) }) as never }, () => learned++);
  assert.equal(knowledge.facts(ref, undefined), undefined, 'nothing is known before the engine answers');
  await knowledge.settled();
  const known = knowledge.facts(ref, undefined);
  assert.deepEqual([...(known?.installed ?? [])], ['libc6']);
  assert.equal(known?.installedSource, 'local Docker Engine: node:18-slim (0123456789ab), /var/lib/dpkg/status');
  assert.deepEqual(releases, ['bookworm'], "the image's own release, read from its os-release");
  assert.ok(learned >= 2);
  const noEngine = new PackageKnowledge({ engine: () => undefined, indexes: () => undefined }, () => undefined);
  const bookworm = parseImageReference('debian:bookworm') as ImageReference;
  assert.deepEqual(noEngine.base(bookworm), catalogBasePackages(bookworm));
});
