// The Debian stand-ins install packages the way the official images do (test/e2e/docker-setup.sh:
// debuerreotype's apt and dpkg settings, and -slim roots): a package size measured on them is
// what users get. Each check installs real packages from Debian's mirror in a throw-away container.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { docker, ensureDockerReady, run } from './helpers';

/** Runs a shell script in a throw-away container of image; fails the test when it fails. */
async function inside(image: string, script: string): Promise<string> {
  const ran = await run('docker', ['run', '--rm', image, 'bash', '-euo', 'pipefail', '-c', script], { timeoutMs: 10 * 60_000 });
  assert.equal(ran.code, 0, `in ${image}: ${script}\n${ran.stderr.slice(-2000)}`);
  return ran.stdout.trim();
}

const INSTALL = 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq --no-install-recommends';
/** Every file under /usr/share/doc but the copyright files, and every man page. */
const DOCS = 'find /usr/share/doc /usr/share/man -type f ! -name copyright';

describe('Debian stand-ins behave like the official images', () => {
  before(async () => {
    await ensureDockerReady();
  });

  it('apt-get install on debian:bookworm leaves no .deb, no binary cache and no translations', async () => {
    // jq with the image's settings; then tree after docker-clean is removed, which must leave its
    // .deb behind: the clean-up is the setting's doing, not something else in the script.
    const out = await inside('debian:bookworm', [
      `${INSTALL} jq >/dev/null`,
      'jq --version >&2',
      'echo "after jq: $(find /var/cache/apt -name "*.deb" -o -name "*.bin" | wc -l)"',
      'echo "translations: $(find /var/lib/apt/lists -name "*Translation*" | wc -l)"',
      'echo "plain lists: $(find /var/lib/apt/lists -name "*_Packages" | wc -l)"',
      'rm /etc/apt/apt.conf.d/docker-clean',
      'apt-get install -y -qq --no-install-recommends tree >/dev/null',
      'echo "without docker-clean: $(find /var/cache/apt/archives -name "tree_*.deb" | wc -l)"',
    ].join('\n'));
    assert.match(out, /^after jq: 0$/m);
    assert.match(out, /^translations: 0$/m);
    assert.match(out, /^plain lists: 0$/m, 'docker-gzip-indexes keeps the Packages lists compressed');
    assert.match(out, /^without docker-clean: 1$/m);
  });

  it('debian:bookworm-slim is a different, smaller image with no docs or man pages, and keeps it so on install', async () => {
    const inspect = async (tag: string): Promise<string[]> => (await docker('image', 'inspect', '--format', '{{.Id}} {{.Size}}', tag)).split(' ');
    const [fullId, fullSize] = await inspect('debian:bookworm');
    const [slimId, slimSize] = await inspect('debian:bookworm-slim');
    assert.notEqual(slimId, fullId);
    assert.ok(Number(slimSize) < Number(fullSize), `bookworm-slim ${slimSize} bytes, bookworm ${fullSize}`);

    assert.equal(await inside('debian:bookworm-slim', DOCS), '');
    // jq's docs, README and changelog stay out of a later install too (dpkg's path-exclude).
    const installed = await inside('debian:bookworm-slim', `${INSTALL} jq >/dev/null; jq --version >&2; ${DOCS}; ls /usr/share/doc/jq`);
    assert.equal(installed, 'copyright');
    // The control: the full image has them, and so does jq installed there.
    const onFull = await inside('debian:bookworm', `${INSTALL} jq >/dev/null; ls /usr/share/doc/jq`);
    assert.notEqual(onFull, 'copyright');
    assert.ok(onFull.split('\n').includes('copyright'), onFull);
  });

  for (const tag of ['node:18-slim', 'python:3.11-slim']) {
    it(`${tag} is built on the slim root: no docs beyond copyright files`, async () => {
      assert.equal(await inside(tag, DOCS), '');
      assert.match(await inside(tag, 'cat /etc/dpkg/dpkg.cfg.d/docker'), /^path-exclude \/usr\/share\/doc\/\*$/m);
    });
  }
});
