// 8. Debian packages: the index's cost (parse once per release, then the compact form from disk)
// and, for every Dockerfile in bench/packages, Slimfile's estimate against the image the Docker
// Engine builds (`docker image inspect` Size). Needs the engine, its Debian-based images and
// Debian's mirror from inside build containers; a missing image skips its row.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'slimfile.js');
const CASES = path.join(__dirname, '..', 'packages');
export const PACKAGES_BEGIN = '<!-- packages:begin -->';
export const PACKAGES_END = '<!-- packages:end -->';

interface IndexCost {
  readonly release: string;
  readonly packages: number;
  readonly source: string;
  readonly parseMs: number;
  readonly parseCpuMs: number;
  readonly parsedHeap: number;
  readonly readMs: number;
  readonly readCpuMs: number;
  readonly readHeap: number;
  /** build-essential with recommendations through the file: packages, first and second time. */
  readonly closurePackages: number;
  readonly closureFirstMs: number;
  readonly closureAgainMs: number;
}

export interface InstallRow {
  readonly name: string;
  readonly base: string;
  readonly install: string;
  readonly real: number;
  readonly estimate: number | undefined;
  readonly baseBytes: number | undefined;
  readonly packageLayer: string;
}

export interface PackagesResult {
  readonly index: readonly IndexCost[];
  readonly installs: readonly InstallRow[];
  readonly skipped: readonly string[];
}

async function sh(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(file, [...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The probe runs in its own process with --expose-gc, so its heap figures hold the index alone. */
async function indexCost(releases: readonly string[]): Promise<IndexCost[]> {
  const probe = path.join(__dirname, 'packageIndexProbe.ts');
  await sh(process.execPath, ['--expose-gc', '--import', 'tsx', probe, '--fetch', ...releases]);
  return JSON.parse(await sh(process.execPath, ['--expose-gc', '--import', 'tsx', probe, ...releases])) as IndexCost[];
}

async function measureInstall(name: string, log: (line: string) => void): Promise<InstallRow | string> {
  const dockerfile = path.join(CASES, name, 'Dockerfile');
  const text = await fs.readFile(dockerfile, 'utf8');
  const base = /^FROM\s+(\S+)/m.exec(text)?.[1] ?? '?';
  const install = /apt-get install -y\s+([^\\\n]+)/.exec(text)?.[1]?.trim() ?? '?';
  try {
    await sh('docker', ['image', 'inspect', base]);
  } catch {
    return `${name}: ${base} is not on the engine`;
  }
  const tag = `slimfile-bench/pkg-${name}`;
  const built = await sh('docker', ['image', 'inspect', '-f', '{{.Parent}}', tag]).then((out) => out.trim(), () => '');
  // SLIMFILE_BENCH_REUSE=1 measures the images built before; else each is built now.
  if (process.env['SLIMFILE_BENCH_REUSE'] !== '1' || !built) {
    log(`  ${name}: docker build`);
    // The legacy builder, as the other sections: no buildx here, and a local base needs no pull.
    await sh('docker', ['build', '-q', '-t', tag, path.dirname(dockerfile)], { DOCKER_BUILDKIT: '0' });
  }
  const real = Number((await sh('docker', ['image', 'inspect', '-f', '{{.Size}}', tag])).trim());
  // The estimate is made on the image the build started from (the legacy builder records it as
  // the parent), tagged for the CLI: the base's tag may have been moved to a new image since.
  const parent = (await sh('docker', ['image', 'inspect', '-f', '{{.Parent}}', tag])).trim();
  const baseTag = `slimfile-bench/base-${name}:built-on`;
  await sh('docker', ['tag', parent, baseTag]);
  const scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-bench-pkg-'));
  const estimated = path.join(scratchDir, 'Dockerfile');
  await fs.writeFile(estimated, text.replace(/^FROM\s+\S+/m, `FROM ${baseTag}`));
  const json = JSON.parse(await sh(process.execPath, [CLI, 'estimate', '--format', 'json', estimated]).finally(() => fs.rm(scratchDir, { recursive: true, force: true }))) as {
    current: { bytes: number | null; stages: Array<{ base: { bytes: number } | null; layers: Array<{ what: string; bytes: number | null; source: string | null }> }> };
  };
  const stage = json.current.stages.at(-1);
  const layer = stage?.layers.find((l) => l.what.startsWith('apt packages'));
  return {
    name,
    base,
    install,
    real,
    estimate: json.current.bytes ?? undefined,
    baseBytes: stage?.base?.bytes,
    packageLayer: layer ? `${layer.what}: ${layer.bytes ?? 'unknown'} B, ${layer.source ?? 'no source'}` : 'no package layer',
  };
}

export async function runPackageInstalls(options: { log: (line: string) => void; releases?: readonly string[] }): Promise<PackagesResult> {
  const index = await indexCost(options.releases ?? ['bookworm', 'trixie']);
  const installs: InstallRow[] = [];
  const skipped: string[] = [];
  for (const name of (await fs.readdir(CASES)).sort()) {
    const row = await measureInstall(name, options.log).catch((error: unknown) => `${name}: ${(error as Error).message.split('\n')[0]}`);
    if (typeof row === 'string') skipped.push(row);
    else installs.push(row);
  }
  return { index, installs, skipped };
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
/** Heap held by the index: a few kB now, where the parse held tens of MB. */
const heapFigure = (bytes: number): string => (Math.abs(bytes) < 1e6 ? `${(bytes / 1e3).toFixed(0)} kB` : mb(bytes));

export function packagesMarkdown(result: PackagesResult, when: string): string {
  const lines = [
    `Measured ${when} with \`npm run bench -- --only packages\` (bench/sections/packageInstalls.ts).`,
    '',
    '**The index.** Parsed once per release from its Packages files (main, -updates, -security) into a file read one package at a time (server/src/images/packageIndexFile.ts); the server and the CLI parse in a process of their own and then only open the file. Heap is what the index holds after full collections, in a process of its own. The closure is `apt-get install build-essential` with recommendations on an empty base, through the file: the first time reads every record from disk, the second from the records kept. CPU time is given beside wall time: the machine is shared.',
    '',
    '| release | packages | parse into the file: wall / CPU | heap held after parse | open the file: wall / CPU | heap held after open | build-essential closure: packages, first / again |',
    '|---|---|---|---|---|---|---|',
    ...result.index.map((c) => `| ${c.release} (${c.source}) | ${c.packages} | ${(c.parseMs / 1000).toFixed(1)} s / ${(c.parseCpuMs / 1000).toFixed(1)} s | ${heapFigure(c.parsedHeap)} | ${c.readMs.toFixed(1)} ms / ${c.readCpuMs.toFixed(1)} ms | ${heapFigure(c.readHeap)} | ${c.closurePackages}, ${c.closureFirstMs.toFixed(1)} / ${c.closureAgainMs.toFixed(1)} ms |`),
    '',
    '**Package installs.** Each Dockerfile in bench/packages installs real packages with `apt-get install` and then removes the downloaded .debs and the apt lists (`apt-get clean`, `rm -rf /var/lib/apt/lists/*`). The estimate is `slimfile estimate --format json`: the base from the engine, plus the closure of the named packages over Depends, Pre-Depends and (without --no-install-recommends) Recommends, less the base\'s packages read from its dpkg status, plus the fixed per-step bytes. The real size is `docker image inspect` Size.',
    '',
    '| Dockerfile | base | apt-get install -y | real | estimate | error | added, real | added, estimated |',
    '|---|---|---|---|---|---|---|---|',
    ...result.installs.map((r) => {
      const error = r.estimate === undefined ? '—' : `${(((r.estimate - r.real) / r.real) * 100).toFixed(1)}%`;
      const addedReal = r.baseBytes === undefined ? '—' : mb(r.real - r.baseBytes);
      const addedEstimate = r.baseBytes === undefined || r.estimate === undefined ? '—' : mb(r.estimate - r.baseBytes);
      return `| ${r.name} | ${r.base} | \`${r.install}\` | ${mb(r.real)} | ${r.estimate === undefined ? 'none' : mb(r.estimate)} | ${error} | ${addedReal} | ${addedEstimate} |`;
    }),
    '',
    ...(result.skipped.length > 0 ? ['Skipped:', ...result.skipped.map((s) => `- ${s}`), ''] : []),
  ];
  return lines.join('\n');
}

/** Writes the section into bench/results.md between its markers (appended the first time). */
export async function savePackagesSection(markdown: string): Promise<void> {
  const file = path.join(__dirname, '..', 'results.md');
  const current = await fs.readFile(file, 'utf8').catch(() => '');
  const block = `${PACKAGES_BEGIN}\n${markdown}\n${PACKAGES_END}`;
  const begin = current.indexOf(PACKAGES_BEGIN);
  const end = current.indexOf(PACKAGES_END);
  const next = begin >= 0 && end > begin ? `${current.slice(0, begin)}${block}${current.slice(end + PACKAGES_END.length)}` : `${current.trimEnd()}\n\n## 8. Debian packages: the index and package installs\n\n${block}\n`;
  await fs.writeFile(file, next);
}
