// Image sizes from the local engine, as the lenses ask for them: one request on the engine's unix
// socket, answered by a fake engine here, without loading dockerode (and ssh2's resident crypto).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { engineFor, localImageSize } from '../../server/src/images/localEngine';

const ID = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

async function fakeEngine(t: { after: (fn: () => unknown) => void }, handler: http.RequestListener): Promise<{ socket: string; paths: string[] }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-engine-'));
  const socket = path.join(dir, 'docker.sock');
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fs.rm(dir, { recursive: true, force: true });
  });
  return { socket, paths };
}

test('an image the engine holds: its exact size and id, asked at /images/<name>/json, with dockerode never loaded', async (t) => {
  const engine = await fakeEngine(t, (req, res) => {
    if (req.url === '/images/gcr.io/distroless/base-debian12:nonroot/json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: ID, Size: 20_653_424 }));
    } else {
      res.writeHead(404).end('{"message":"No such image"}');
    }
  });
  const lookup = engineFor({ host: `unix://${engine.socket}` });
  const sized = await localImageSize(lookup, 'gcr.io/distroless/base-debian12:nonroot');
  assert.equal(sized?.bytes, 20_653_424);
  assert.equal(sized?.provenance.detail, 'local Docker Engine: gcr.io/distroless/base-debian12:nonroot (0123456789ab)');
  assert.equal(sized?.provenance.confidence, 'high');
  assert.equal(await localImageSize(lookup, 'golang:1.99'), undefined, 'an image it does not hold');
  assert.deepEqual(engine.paths, ['/images/gcr.io/distroless/base-debian12:nonroot/json', '/images/golang:1.99/json']);
  assert.deepEqual(Object.keys(require.cache).filter((m) => /[\\/](dockerode|docker-modem|ssh2)[\\/]/.test(m)), []);
});

test('a missing socket is no engine; a hung engine, a broken answer or an odd name give no size and never throw', async (t) => {
  assert.equal(engineFor({ host: `unix://${path.join(os.tmpdir(), 'slimfile-no-such-dir', 'docker.sock')}` }), undefined);
  const hung = await fakeEngine(t, () => undefined);
  assert.equal(await localImageSize(engineFor({ host: `unix://${hung.socket}`, timeoutMs: 200 }), 'golang:1.22'), undefined);
  const broken = await fakeEngine(t, (_req, res) => res.writeHead(200).end('{"Size": "big"'));
  const lookup = engineFor({ host: `unix://${broken.socket}` });
  assert.equal(await localImageSize(lookup, 'golang:1.22'), undefined);
  assert.equal(await localImageSize(lookup, 'golang:1.22?all=1'), undefined);
  assert.equal(await localImageSize(lookup, 'a/../../containers/json'), undefined);
  assert.deepEqual(broken.paths, ['/images/golang:1.22/json'], 'a name with ?, .. segments stays unasked');
});
