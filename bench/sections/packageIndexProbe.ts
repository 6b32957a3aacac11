// Run alone in a child process (`node --expose-gc`), so its heap holds nothing else: how long a
// release's index takes to parse from its Packages files into the file the server reads (the
// server does this in a process of its own; here it is timed in this one), how much heap the
// index then holds, how long opening that file takes, and how long a closure takes through it.
import { mkdtempSync, rmSync, cpSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebianPackageIndexes, packageCacheDir, type ReleaseIndex } from '../../server/src/images/packageIndex';
import { installPlan } from '../../server/src/analysis/packages/debianIndex';

/** Every index measured stays referenced, so a collection cannot take it before its heap is read. */
const kept: ReleaseIndex[] = [];

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** Heap in use once garbage is gone: a few full collections with turns of the event loop between. */
async function heap(): Promise<number> {
  // V8 keeps the subject of the last RegExp match (RegExp.input), here a slice of the index's
  // text, which keeps the whole text until any other match runs, as one soon does in the server.
  /x/.test('x');
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
}

/** CPU time (user + system): the machine is shared, and wall time depends on the others' load. */
function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

async function measure(release: string): Promise<object> {
  // A copy of the cache with the fetched files only: the first load parses them (no network when
  // they are fresh), the second reads the compact form the first one wrote.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-bench-packages-'));
  try {
    for (const file of readdirSync(packageCacheDir()).filter((f) => f.startsWith(`debian-${release}-`) && f.endsWith('.Packages'))) cpSync(path.join(packageCacheDir(), file), path.join(dir, file));
    const before = await heap();
    let started = performance.now();
    let cpu = process.cpuUsage();
    // Offline: the copied files are fresh, and nothing else is fetched.
    kept.push(await new DebianPackageIndexes({ cacheDir: dir, offline: true, inProcess: true }).release(release));
    const parseMs = performance.now() - started;
    const parseCpuMs = cpuMs(process.cpuUsage(cpu));
    const parsedHeap = (await heap()) - before;
    const before2 = await heap();
    started = performance.now();
    cpu = process.cpuUsage();
    kept.push(await new DebianPackageIndexes({ cacheDir: dir, offline: true }).release(release));
    const readMs = performance.now() - started;
    const readCpuMs = cpuMs(process.cpuUsage(cpu));
    const readHeap = (await heap()) - before2;
    const [parsed, read] = kept.slice(-2) as [ReleaseIndex, ReleaseIndex];
    // A large closure through the file: build-essential with its recommendations, on an empty base.
    const closure = (): { ms: number; packages: number } => {
      const t = performance.now();
      const plan = installPlan(read.index, ['build-essential'], { recommends: true, installed: new Set() });
      return { ms: performance.now() - t, packages: plan.installed.length };
    };
    const first = closure();
    const again = closure();
    return { release, packages: parsed.index.packages.size, source: parsed.source, parseMs, parseCpuMs, parsedHeap, readMs, readCpuMs, readHeap, closurePackages: first.packages, closureFirstMs: first.ms, closureAgainMs: again.ms, same: read.index.packages.size === parsed.index.packages.size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void (async () => {
  const releases = process.argv.slice(2);
  // `--fetch`: only bring the user's cache up to date (a process of its own, so that no heap of
  // it is left to be collected while the next one measures).
  if (releases[0] === '--fetch') {
    for (const release of releases.slice(1)) await new DebianPackageIndexes({ cacheDir: packageCacheDir() }).release(release);
    return;
  }
  // A first round, not reported: its heap figures would count the modules and the code compiled
  // on first use (2.1 MB for whichever release came first), not the index.
  if (releases[0]) await measure(releases[0]);
  const out = [];
  for (const release of releases) out.push(await measure(release));
  process.stdout.write(`${JSON.stringify(out)}\n`);
})();
