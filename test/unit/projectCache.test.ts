// The build context a Dockerfile is analysed with is looked up once, and again after a go.mod changes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectCache } from '../../server/src/workspace/projects';

test('a go.mod added above the Dockerfile becomes its context once the change is told, not before', async (t) => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-contexts-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  const service = path.join(root, 'deploy', 'service');
  await fs.mkdir(service, { recursive: true });
  const dockerfile = path.join(service, 'Dockerfile');
  await fs.writeFile(dockerfile, 'FROM scratch\n');
  const cache = new ProjectCache();

  assert.equal(await cache.contextOf(dockerfile, root, ''), service, 'no go.mod: the Dockerfile\'s folder');
  const goMod = path.join(root, 'go.mod');
  await fs.writeFile(goMod, 'module example.com/app\n\ngo 1.19\n');
  assert.equal(await cache.contextOf(dockerfile, root, ''), service, 'kept: nothing said a go.mod changed');
  assert.equal(cache.changed([{ path: goMod, kind: 'created' }]), true, 'a go.mod change drops what was found');
  assert.equal(await cache.contextOf(dockerfile, root, ''), root);
  assert.equal(cache.changed([{ path: path.join(root, 'main.go'), kind: 'changed' }]), false, 'a Go file changes no context (no project was loaded)');
  assert.equal(await cache.contextOf(dockerfile, root, 'deploy'), path.join(root, 'deploy'), 'the setting wins');
});
