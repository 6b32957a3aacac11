// The real `go build` that refines the binary model: it runs with the Dockerfile's flags, its
// figure is the size of what go produced, and changing a source drops the old figure.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile } from '../../server/src/analysis';
import { BuildMeasurer, findToolchain } from '../../server/src/workspace/measuredBuilds';
import { goMeasuredBuild, goToolchain, sizeFlags } from '../../server/src/analysis/languages/go/measuredBuilds';
import { goBuilds, goBuildsIn } from '../../server/src/analysis/languages/go/goBuilds';

const root = path.resolve(__dirname, '../..');

/** The release of the `go` on PATH ("go1.24.4"), or undefined when there is none. */
function goAvailable(): Promise<string | undefined> {
  return new Promise((resolve) => execFile('go', ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local' } }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined)));
}

test('a measured build reports the size go produces with the Dockerfile flags, and forgets it when sources change', async (t) => {
  const go = await goAvailable();
  if (!go) {
    t.skip('no Go toolchain on PATH (CI installs golang-go); the model stays in charge without one');
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-measure-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.cp(path.join(root, 'examples/http-server'), dir, { recursive: true });
  const build = goBuilds(parseDockerfile('FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .\n'))[0]!;
  assert.deepEqual(sizeFlags(build), ['-trimpath', '-ldflags=-s -w']);

  let learned = 0;
  const measuredBuild = goMeasuredBuild(build, undefined)!;
  const measurer = new BuildMeasurer(() => learned++);
  assert.equal(measurer.known(dir, measuredBuild.key), undefined, 'nothing is known before a build');
  await measurer.measure(dir, measuredBuild);
  const measured = measurer.known(dir, measuredBuild.key);
  assert.ok(measured, 'the build ran and was recorded');
  assert.equal(learned, 1, 'the server is told once');
  assert.equal(measured.provenance.origin, 'measured-build');

  // The same build by hand gives the same bytes.
  const out = path.join(dir, 'by-hand');
  execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], { cwd: dir, env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64', GOFLAGS: '-mod=mod' } });
  assert.equal(measured.bytes, (await fs.stat(out)).size);
  await fs.rm(out);

  // A second request with unchanged sources does not build again.
  await measurer.measure(dir, measuredBuild);
  assert.equal(learned, 1);

  // Editing a source drops the figure until the next build has run.
  await fs.appendFile(path.join(dir, 'main.go'), '\nvar _ = fmt.Sprint\n');
  const again = measurer.measure(dir, measuredBuild);
  await again;
  assert.equal(learned, 2, 'the changed sources were built again');
});

/** A stand-in `go1.N.P` command (the name golang.org/dl wrappers have): reports its version, and `build -o X` writes `bytes` bytes to X. */
async function fakeToolchain(dir: string, name: string, bytes: number): Promise<void> {
  const script = [
    '#!/bin/sh',
    `if [ "$1" = env ]; then echo ${name}; exit 0; fi`,
    'out=""; prev=""',
    'for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done',
    `head -c ${bytes} /dev/zero > "$out"`,
    '',
  ].join('\n');
  await fs.writeFile(path.join(dir, name), script, { mode: 0o755 });
}

test('a measured build runs the builder\'s Go release when it is installed as go1.N.P on PATH', async (t) => {
  const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-gobin-'));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-measure-'));
  const savedPath = process.env['PATH'];
  t.after(async () => {
    process.env['PATH'] = savedPath;
    await fs.rm(bin, { recursive: true, force: true });
    await fs.rm(dir, { recursive: true, force: true });
  });
  await fs.cp(path.join(root, 'examples/http-server'), dir, { recursive: true });
  await fakeToolchain(bin, 'go1.24.1', 1111);
  await fakeToolchain(bin, 'go1.24.4', 4444);
  await fakeToolchain(bin, 'go1.22.12', 2222);
  process.env['PATH'] = `${bin}${path.delimiter}${savedPath ?? ''}`;

  assert.deepEqual(await findToolchain(goToolchain({ version: '1.24', source: 'golang:1.24' })), { command: path.join(bin, 'go1.24.4'), version: 'go1.24.4' }, 'the newest 1.24.x');
  assert.deepEqual(await findToolchain(goToolchain({ version: '1.24.1', source: 'golang:1.24.1' })), { command: path.join(bin, 'go1.24.1'), version: 'go1.24.1' }, 'the exact patch');

  const model = parseDockerfile('FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n');
  const build = goBuildsIn(model, model.stages[0]!)[0]!;
  const go = { version: '1.24', source: 'golang:1.24' };
  const measuredBuild = goMeasuredBuild(build, go)!;
  const measurer = new BuildMeasurer(() => undefined);
  await measurer.measure(dir, measuredBuild);
  const measured = measurer.known(dir, measuredBuild.key);
  assert.deepEqual(measured, {
    bytes: 4444,
    compressed: undefined,
    provenance: { origin: 'measured-build', detail: "measured: go build with the Dockerfile's flags (go1.24.4, this machine)", confidence: 'high' },
  });
});

test('when only another Go release is installed, the measured figure says which Go measured it and which the image builds with', async (t) => {
  const local = await goAvailable();
  if (!local) {
    t.skip('no Go toolchain on PATH (CI installs golang-go)');
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-measure-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.cp(path.join(root, 'examples/hello'), dir, { recursive: true });
  const other = local.startsWith('go1.27') ? '1.26' : '1.27';
  const build = goBuilds(parseDockerfile(`FROM golang:${other}\nRUN CGO_ENABLED=0 go build -o /out/app .\n`))[0]!;
  const go = { version: other, source: `golang:${other}` };
  const measuredBuild = goMeasuredBuild(build, go)!;
  const measurer = new BuildMeasurer(() => undefined);
  await measurer.measure(dir, measuredBuild);
  const measured = measurer.known(dir, measuredBuild.key);
  assert.ok(measured);
  assert.equal(measured.provenance.confidence, 'medium');
  assert.equal(measured.provenance.detail, `measured with Go ${local.replace(/^go/, '')} on this machine; the image builds with Go ${other} (golang:${other}), and no go${other} is installed here`);
});
