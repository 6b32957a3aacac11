// The real `go build` that refines the binary model: it runs with the Dockerfile's flags, its
// figure is the size of what go produced, and changing a source drops the old figure.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile } from '../../server/src/analysis/model';
import { GoBuildMeasurer, goAvailable, sizeFlags } from '../../server/src/workspace/goBuildMeasure';

const root = path.resolve(__dirname, '../..');

test('a measured build reports the size go produces with the Dockerfile flags, and forgets it when sources change', async (t) => {
  const go = await goAvailable();
  if (!go) {
    t.skip('no Go toolchain on PATH (CI installs golang-go); the model stays in charge without one');
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-measure-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.cp(path.join(root, 'examples/http-server'), dir, { recursive: true });
  const build = parseDockerfile('FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .\n').stages[0]!.goBuilds[0]!;
  assert.deepEqual(sizeFlags(build), ['-trimpath', '-ldflags=-s -w']);

  let learned = 0;
  const measurer = new GoBuildMeasurer(() => learned++);
  assert.equal(measurer.known({ contextDir: dir, build }), undefined, 'nothing is known before a build');
  await measurer.measure({ contextDir: dir, build });
  const measured = measurer.known({ contextDir: dir, build });
  assert.ok(measured, 'the build ran and was recorded');
  assert.equal(learned, 1, 'the server is told once');
  assert.equal(measured.provenance.origin, 'measured-build');

  // The same build by hand gives the same bytes.
  const out = path.join(dir, 'by-hand');
  execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], { cwd: dir, env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64', GOFLAGS: '-mod=mod' } });
  assert.equal(measured.bytes, (await fs.stat(out)).size);
  await fs.rm(out);

  // A second request with unchanged sources does not build again.
  await measurer.measure({ contextDir: dir, build });
  assert.equal(learned, 1);

  // Editing a source drops the figure until the next build has run.
  await fs.appendFile(path.join(dir, 'main.go'), '\nvar _ = fmt.Sprint\n');
  const again = measurer.measure({ contextDir: dir, build });
  await again;
  assert.equal(learned, 2, 'the changed sources were built again');
});
