// The jlink runtime's build lines (java.ts) run for real with this machine's JDK, under dash as
// a RUN step would: the runtime is made from the JDK, and the runtime stage's check passes on the
// same system and fails the build when the JVM sees another (here: another TZ). Skipped where no
// JDK with jlink is installed. Paths under /opt are moved to a temporary folder.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JLINK_HOME, jlinkBuildLines, jlinkRuntimeLines, jlinkRuntimeOs } from '../../server/src/analysis/languages/java/java';

function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** The shell of a RUN line (continuations joined, a --mount option left out). */
function script(lines: readonly string[]): string {
  const run = lines.find((l) => l.startsWith('RUN ')) as string;
  return run.replace(/^RUN (--mount=\S+ )?/, '').replace(/ \\\n {4}/g, ' ');
}

test('the jlink runtime is made from the JDK, and its check passes on the same system and fails the build on another', { skip: !onPath('jlink') || !onPath('dash') }, (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-jlink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const moved = (text: string): string =>
    text.replaceAll('/opt/java-runtime', `${dir}/runtime`).replaceAll('/opt/java-check', `${dir}/check`).replaceAll(JLINK_HOME, `${dir}/runtime`);
  const build = moved(script(jlinkBuildLines('\n')));
  const check = moved(script(jlinkRuntimeLines('build', jlinkRuntimeOs('maven', undefined)!, '\n').slice(1)));
  execFileSync('dash', ['-c', build], { stdio: 'pipe' });
  assert.ok(existsSync(path.join(dir, 'runtime', 'bin', 'java')));
  assert.match(readFileSync(path.join(dir, 'check', 'jdk'), 'utf8'), /^ +java\.version = /m);
  const env = { ...process.env, PATH: `${dir}/runtime/bin:${process.env.PATH}` };
  const same = spawnSync('dash', ['-c', check], { env, encoding: 'utf8' });
  assert.equal(same.status, 0, same.stderr);
  const other = spawnSync('dash', ['-c', check], { env: { ...env, TZ: 'Europe/Paris' }, encoding: 'utf8' });
  assert.equal(other.status, 1);
  assert.match(other.stderr, /^TZ=Europe\/Paris$/m);
  assert.match(other.stderr, /the jlink runtime sees a different system on ubuntu:noble: keep the JDK image/);
});
