// The catalog's package lists on the Docker Engine: an apt-get install on a base the catalog lists,
// estimated as the CLI does without the engine's copy of the base (the catalog's list, not its
// dpkg status), against `docker image inspect` of the image built from the same Dockerfile on the
// engine's stand-in. Containers reach Debian's mirror; sizes come from the engine, never from here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { parseDockerfile } from '../../server/src/analysis';
import { emptyProject } from '../../server/src/analysis/project';
import { estimateImage, type SizeKnowledge } from '../../server/src/analysis/estimate/estimate';
import { parseImageReference, type ImageReference } from '../../server/src/analysis/imageRef';
import { PackageKnowledge } from '../../server/src/images/packageKnowledge';
import { DebianPackageIndexes, packageCacheDir } from '../../server/src/images/packageIndex';
import { docker, ensureDockerReady, formatMB } from './helpers';

const CASES = [
  { name: 'trixie-slim-curl', text: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\n' },
  { name: 'python-slim-curl', text: 'FROM python:3.11-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n' },
];

describe('apt-get install on catalog bases, estimated from the catalog lists', () => {
  let temp: string;
  const images: string[] = [];

  before(async () => {
    await ensureDockerReady();
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-catalog-packages-'));
  });
  after(async () => {
    for (const image of images) await docker('rmi', '-f', image).catch(() => undefined);
    await fs.rm(temp, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.name}: the estimate is within 10% of docker image inspect`, async () => {
      const dir = path.join(temp, c.name);
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 'Dockerfile'), c.text);
      const tag = `slimfile-test/catalog-${c.name}:latest`;
      await buildImage(await connectEngine(), { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag });
      images.push(tag);
      const inspect = async (image: string): Promise<number> => Number((await docker('image', 'inspect', '--format', '{{.Size}}', image)).trim());
      const model = parseDockerfile(c.text);
      const base = model.stages[0]?.base.reference as ImageReference;
      const baseBytes = await inspect(base.familiar.includes('/') ? base.familiar : `${base.familiar}:${base.tag}`);
      // No engine for the packages: the base's list is the catalog's, as without a local copy.
      const packages = new PackageKnowledge({ engine: () => undefined, indexes: () => new DebianPackageIndexes({ cacheDir: packageCacheDir() }) }, () => undefined);
      packages.facts(base, undefined);
      await packages.settled();
      const knowledge: SizeKnowledge = {
        baseImage: () => ({ bytes: baseBytes, compressed: undefined, provenance: { origin: 'local-engine', detail: 'docker image inspect', confidence: 'high' } }),
        debianPackages: (ref, codename) => packages.facts(ref, codename),
      };
      const estimate = estimateImage(model, emptyProject(), knowledge);
      assert.deepEqual(estimate.unknowns, [], 'every layer is sized');
      assert.match(estimate.sources.join('\n'), /base packages: catalog: docker-library\/repo-info/);
      const built = await inspect(tag);
      const added = (estimate.bytes ?? 0) - baseBytes;
      const error = ((estimate.bytes ?? 0) - built) / built;
      process.stdout.write(`# ${c.name}: base ${formatMB(baseBytes)}, estimated +${formatMB(added)} = ${formatMB(estimate.bytes ?? 0)}, built ${formatMB(built)} (+${formatMB(built - baseBytes)}), ${(error * 100).toFixed(1)}%\n`);
      assert.ok(Math.abs(error) <= 0.1, `${c.name}: estimate ${estimate.bytes} against ${built} (${(error * 100).toFixed(1)}%)`);
    });
  }
});
