// Package installs in the final image, on the Docker Engine: the --no-install-recommends fix that
// package-cache-in-final-image offers must leave HTTPS working. curl reaches HTTPS through
// ca-certificates, which Debian ships to it only as a recommendation of libcurl4.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import type { PackageIndexes } from '../../server/src/analysis/packages/indexes';
import { DebianPackageIndexes } from '../../server/src/images/packageIndex';
import { loadProject } from '../../server/src/workspace/project';
import { docker, ensureDockerReady, run } from './helpers';

const NAIVE = [
  'FROM debian:bookworm',
  'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
  'CMD ["curl", "--version"]',
  '',
].join('\n');

describe('apt-get install curl with --no-install-recommends', () => {
  let temp: string;
  let server: https.Server;
  let url: string;
  const images: string[] = [];

  async function openssl(...args: string[]): Promise<void> {
    await new Promise<void>((resolve, reject) => execFile('openssl', args, { cwd: temp }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve())));
  }

  async function build(name: string, text: string): Promise<string> {
    const dir = path.join(temp, name);
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'Dockerfile'), text);
    const tag = `slimfile-test/packages-${name}:latest`;
    await buildImage(await connectEngine(), { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag });
    images.push(tag);
    return tag;
  }

  /** curl in the image against the local server, trusting the test CA the way users add theirs. */
  async function fetchWith(image: string): Promise<{ code: number | null; output: string }> {
    const script = 'command -v update-ca-certificates >/dev/null && update-ca-certificates >/dev/null 2>&1; curl -sS https://localhost:' + new URL(url).port + '/';
    const ran = await run('docker', ['run', '--rm', '--network', 'host', '-v', `${path.join(temp, 'ca.crt')}:/usr/local/share/ca-certificates/slimfile-test.crt:ro`, image, 'sh', '-c', script], { timeoutMs: 180_000 });
    return { code: ran.code, output: `${ran.stdout}${ran.stderr}`.trim() };
  }

  before(async () => {
    await ensureDockerReady();
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-packages-'));
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Slimfile test CA');
    await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    await fs.writeFile(path.join(temp, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
    server = https.createServer({ key: await fs.readFile(path.join(temp, 'server.key')), cert: await fs.readFile(path.join(temp, 'server.crt')) }, (_req, res) => res.end('trusted\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(server.address() as AddressInfo).port}/`;
  });

  after(async () => {
    server?.close();
    for (const image of images) await docker('image', 'rm', '-f', image).catch(() => undefined);
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  it('keeps curl able to reach HTTPS after the fix, which a bare --no-install-recommends breaks', async () => {
    const dir = await fs.mkdtemp(path.join(temp, 'context-'));
    const model = parseDockerfile(NAIVE);
    const findings = analyze(model, await loadProject(dir, { maxGoFiles: 10 }));
    const fix = findings.find((f) => f.rule === 'package-cache-in-final-image')?.fixes[0];
    assert.ok(fix, `no fix offered: ${JSON.stringify(findings.map((f) => f.rule))}`);
    assert.equal(fix.safe, false, 'without the package index the fix is for review, not for Minimize');
    const fixed = applyEdits(NAIVE, fix.edits);
    assert.match(fixed, /apt-get install --no-install-recommends ca-certificates -y curl/);

    const naive = await fetchWith(await build('naive', NAIVE));
    assert.deepEqual(naive, { code: 0, output: 'trusted' });
    const withFix = await fetchWith(await build('fixed', fixed));
    assert.deepEqual(withFix, naive, 'the fixed image answers like the naive one');
    // The fix as it was before: the option alone leaves no CA bundle, and curl says so.
    const bare = await fetchWith(await build('bare', NAIVE.replace('install -y', 'install --no-install-recommends -y')));
    assert.notEqual(bare.code, 0);
    assert.match(bare.output, /certificate/);
  });

  it('with bookworm\'s index, Minimize applies --no-install-recommends naming ca-certificates, and curl still reaches HTTPS', async () => {
    // The index from Debian's mirror (the containers' mirror, which this machine reaches too),
    // and the base's packages as the stand-in has them today.
    const release = await new DebianPackageIndexes({ cacheDir: path.join(temp, 'index-cache'), mirror: process.env['SLIMFILE_DEBIAN_MIRROR'] }).release('bookworm');
    const base = new Set((await docker('run', '--rm', 'debian:bookworm', 'dpkg-query', '-W', '-f', '${Package}\\n')).split('\n').filter(Boolean));
    const indexes: PackageIndexes = { debian: (codename) => (codename === 'bookworm' ? release : undefined), installed: (image) => (image === 'debian:bookworm' ? base : undefined) };
    const dir = await fs.mkdtemp(path.join(temp, 'context-'));
    const result = minimize(NAIVE, await loadProject(dir, { maxGoFiles: 10 }), { rules: {}, packageIndexes: indexes });
    assert.equal(result.text, NAIVE.replace('install -y', 'install --no-install-recommends ca-certificates -y'));
    assert.match(result.applied.join('\n'), /^Add --no-install-recommends, naming ca-certificates \(drops \d+ packages?, [\d.]+ [kM]B\)$/m);
    const lean = await fetchWith(await build('minimized', result.text));
    assert.deepEqual(lean, { code: 0, output: 'trusted' });
  });
});

describe('a Go conversion beside packages that once stopped it', () => {
  const images: string[] = [];
  let temp: string;

  before(async () => {
    await ensureDockerReady();
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-package-classes-'));
  });

  after(async () => {
    for (const image of images) await docker('image', 'rm', '-f', image).catch(() => undefined);
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  });

  it('-dev headers and a SONAME library stay in the build stage; the static program builds, runs and answers the same', async () => {
    const dockerfile = [
      'FROM golang:1.22-bookworm',
      'RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev libssl-dev libsqlite3-0 && rm -rf /var/lib/apt/lists/*',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /usr/local/bin/answer .',
      'CMD ["answer"]',
      '',
    ].join('\n');
    const files: Record<string, string> = {
      'go.mod': 'module example.com/answer\n\ngo 1.22\n',
      'main.go': 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"strings"\n)\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("answer"), len(os.Args))\n}\n',
      Dockerfile: dockerfile,
    };
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(temp, name), text);
    const result = minimize(dockerfile, await loadProject(temp, { maxGoFiles: 10 }));
    assert.deepEqual(result.applied.filter((a) => a.startsWith('Convert')), ['Convert to multi-stage build']);
    assert.match(result.text, /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
    assert.match(result.text, /^# Not in the runtime: libpq-dev, libssl-dev, used only to build\.$/m);
    assert.match(result.text, /^# Not in the runtime: libsqlite3-0, a library the binary does not link \(the binary is static\)\.$/m);
    const answers: string[] = [];
    for (const [name, text] of [['original', dockerfile], ['minimized', result.text]] as const) {
      await fs.writeFile(path.join(temp, `${name}.Dockerfile`), text);
      const tag = `slimfile-test/package-classes-${name}:latest`;
      await buildImage(await connectEngine(), { contextDir: temp, dockerfilePath: path.join(temp, `${name}.Dockerfile`), tag });
      images.push(tag);
      const ran = await run('docker', ['run', '--rm', tag], { timeoutMs: 180_000 });
      answers.push(`${ran.code} ${ran.stdout.trim()} ${ran.stderr.trim()}`);
    }
    assert.deepEqual(answers, ['0 ANSWER 1 ', '0 ANSWER 1 ']);
  });
});
