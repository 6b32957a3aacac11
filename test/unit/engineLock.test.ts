// The lock that keeps two engine runs from touching the stand-in tags at once
// (test/docker/engineLock.ts): a second holder waits for the first, and a killed holder's lock
// is taken over once stale.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { holdEngineTags } from '../docker/engineLock';

const LOCK_MODULE = path.resolve(__dirname, '..', 'docker', 'engineLock.ts');

interface Holder {
  readonly child: ChildProcess;
  /** Resolves with the first line of its output that matches, printed before the call or after. */
  waitFor(pattern: RegExp): Promise<string>;
}

/** A second process that takes the lock, says "held", and releases it after holdMs (or never). */
function holder(lockPath: string, holdMs: number | undefined): Holder {
  const script = `
    const { holdEngineTags } = require(${JSON.stringify(LOCK_MODULE)});
    holdEngineTags('test holder', { lockPath: ${JSON.stringify(lockPath)}, staleMs: 2000 }).then((release) => {
      console.log('held');
      ${holdMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(() => release().then(() => console.log('released ' + Date.now())), ${holdMs});`}
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let exited: number | null | undefined;
  const waiting = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const look of waiting) look();
  });
  child.on('exit', (code) => {
    exited = code;
    for (const look of waiting) look();
  });
  return {
    child,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const look = (): void => {
          const found = output.split('\n').find((l) => pattern.test(l));
          if (found !== undefined) resolve(found);
          else if (exited !== undefined) reject(new Error(`holder exited (${exited}) before ${pattern}: ${output}`));
          else return;
          waiting.delete(look);
        };
        waiting.add(look);
        look();
      }),
  };
}

/** Runs body against a holder that already holds a fresh lock, then cleans up. */
async function withHolder(holdMs: number | undefined, body: (first: Holder, lockPath: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-lock-'));
  const lockPath = path.join(dir, 'tags');
  const first = holder(lockPath, holdMs);
  try {
    await first.waitFor(/^held$/);
    await body(first, lockPath);
  } finally {
    first.child.kill();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('engine lock', () => {
  it('a second run waits until the first releases the tags', () =>
    withHolder(1500, async (first, lockPath) => {
      const said: string[] = [];
      const release = await holdEngineTags('second run', { lockPath, staleMs: 2000, say: (l) => said.push(l) });
      const takenAt = Date.now();
      const releasedAt = Number((await first.waitFor(/^released \d+$/)).split(' ')[1]);
      await release();
      assert.ok(takenAt >= releasedAt, `taken at ${takenAt}, before the first released at ${releasedAt}`);
      assert.match(said.join('\n'), /second run: waiting for another engine run/);
    }));

  it("a killed run's lock is taken over once stale", () =>
    withHolder(undefined, async (first, lockPath) => {
      first.child.kill('SIGKILL');
      const release = await holdEngineTags('after a crash', { lockPath, staleMs: 2000, waitMs: 20_000, say: () => {} });
      await release();
    }));

  it('gives up with a message when the holder never lets go', () =>
    withHolder(undefined, async (_first, lockPath) => {
      await assert.rejects(holdEngineTags('impatient run', { lockPath, staleMs: 2000, waitMs: 3000, say: () => {} }), /impatient run: another engine run still holds .*tags\.lock after 3 s/);
    }));
});
