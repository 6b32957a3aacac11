// 4 and 5. For every bundled Go example: Slimfile's estimate against the real image the Docker
// Engine builds, naive and minimized, and the minimized image against its floor (the stripped
// binary, built with the same flags in the same golang image, plus the files the program needs).
// Needs a Docker Engine with the base images (test/e2e/docker-setup.sh); skipped without one.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseDockerfile } from '../../server/src/analysis';
import { joinPath } from '../../server/src/analysis/paths';
import { loadProject } from '../../server/src/workspace/project';
import { goFacts } from '../../server/src/analysis/languages/go/source/facts';
import { goExamples } from './goMatrix';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'slimfile.js');

export interface ExampleResult {
  readonly example: string;
  readonly estimateNaive: number | undefined;
  readonly estimateMinimized: number | undefined;
  readonly realNaive: number;
  readonly realMinimized: number;
  readonly binary: number;
  /** The files the program needs besides the binary, and their bytes. */
  readonly neededFiles: ReadonlyArray<{ readonly path: string; readonly bytes: number }>;
  readonly floor: number;
  /** `minimize --runtime scratch`, built. */
  readonly realScratch: number;
  /** `minimize --runtime scratch --upx`, built. */
  readonly realUpx: number;
}

/** Per example: the binary's start-up time and, for the server, its memory, without and with UPX. */
export type UpxStartup = Readonly<Record<string, { readonly bytes: number; readonly msPerStart: number; readonly rss: string }>>;

export type ImagesResult = { readonly examples: readonly ExampleResult[]; readonly upx: UpxStartup } | { readonly skipped: string };

async function sh(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const { stdout } = await run(file, [...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Whether the engine and every base image the examples use are ready (the e2e setup's own check). */
async function dockerReady(): Promise<string | undefined> {
  try {
    await sh('bash', [path.join(ROOT, 'test', 'e2e', 'docker-setup.sh'), '--check']);
    return undefined;
  } catch (error) {
    const out = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`.trim().split('\n').slice(-1)[0];
    return `Docker Engine or base images not ready (test/e2e/docker-setup.sh --check: ${out || 'failed'})`;
  }
}

/** The legacy builder: the CLI here has no buildx, and it needs no network for local bases. */
async function build(tag: string, dockerfile: string, context: string, target?: string): Promise<void> {
  await sh('docker', ['build', '-q', '-t', tag, '-f', dockerfile, ...(target ? ['--target', target] : []), context], { env: { DOCKER_BUILDKIT: '0' } });
}

async function imageSize(tag: string): Promise<number> {
  return Number((await sh('docker', ['image', 'inspect', tag, '--format', '{{.Size}}'])).trim());
}

/** Bytes of files inside an image (apparent sizes, like the estimate's FILE_SIZES). */
async function bytesInImage(tag: string, paths: readonly string[]): Promise<number[]> {
  const out = await sh('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'du', tag, '-sb', ...paths]);
  return out.trim().split('\n').map((line) => Number(line.split(/\s+/)[0]));
}

async function estimate(dockerfile: string): Promise<{ naive: number | undefined; minimized: number | undefined }> {
  const json = JSON.parse(await sh('node', [CLI, 'estimate', '--format', 'json', '--offline', dockerfile])) as { current: { bytes: number | null }; minimized: { bytes: number | null } };
  return { naive: json.current.bytes ?? undefined, minimized: json.minimized.bytes ?? undefined };
}

async function measureExample(example: string, log: (line: string) => void): Promise<ExampleResult> {
  const dir = path.join(ROOT, 'examples', example);
  const dockerfile = path.join(dir, 'Dockerfile');
  const minimizedText = await sh('node', [CLI, 'minimize', dockerfile]);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-bench-'));
  try {
    const minimizedFile = path.join(work, 'Dockerfile');
    await fs.writeFile(minimizedFile, minimizedText);
    // The estimate of the minimized file is what the CLI says for the file once minimized.
    const [naiveEstimate, minimizedEstimate] = [await estimate(dockerfile), await estimateOfText(minimizedText, dir, work)];
    const tag = `slimfile-bench/${example}`;
    await build(`${tag}:naive`, dockerfile, dir);
    await build(`${tag}:minimized`, minimizedFile, dir);
    const realNaive = await imageSize(`${tag}:naive`);
    const realMinimized = await imageSize(`${tag}:minimized`);
    // The same on scratch, and on scratch packed with UPX (bench/upx-startup.sh times both).
    const scratchFile = path.join(work, 'Dockerfile.scratch');
    await fs.writeFile(scratchFile, await sh('node', [CLI, 'minimize', '--runtime', 'scratch', dockerfile]));
    await build(`${tag}:scratch`, scratchFile, dir);
    const upxFile = path.join(work, 'Dockerfile.upx');
    await fs.writeFile(upxFile, await sh('node', [CLI, 'minimize', '--runtime', 'scratch', '--upx', dockerfile]));
    await build(`${tag}:upx`, upxFile, dir);
    const realScratch = await imageSize(`${tag}:scratch`);
    const realUpx = await imageSize(`${tag}:upx`);

    // The floor: the binary the minimized build stage makes (same image, same flags), measured
    // in that stage, plus what the program reads at run time.
    const model = parseDockerfile(minimizedText);
    const final = model.finalStage;
    const copy = final?.copies.find((c) => c.fromStage !== undefined);
    const buildStage = copy?.fromStage !== undefined ? model.stages[copy.fromStage] : undefined;
    if (!copy || !buildStage?.name) throw new Error(`${example}: the minimized Dockerfile has no COPY --from a named build stage`);
    const binaryPath = joinPath(buildStage.workdir, copy.sources[0] as string);
    await build(`${tag}:build`, minimizedFile, dir, buildStage.name);
    const project = await loadProject(dir, { maxGoFiles: 2000 });
    const needs = goFacts(project).needs;
    const needed: string[] = [];
    if (needs.tls.needed && !needs.embeddedRoots.needed) needed.push('/etc/ssl/certs/ca-certificates.crt');
    if (needs.zoneinfo.needed && !needs.embeddedTzdata.needed) needed.push('/usr/share/zoneinfo');
    if (needs.userLookup.needed) needed.push('/etc/passwd', '/etc/group');
    const [binary, ...files] = await bytesInImage(`${tag}:build`, [binaryPath, ...needed]);
    const neededFiles = needed.map((p, i) => ({ path: p, bytes: files[i] as number }));
    const floor = (binary as number) + neededFiles.reduce((n, f) => n + f.bytes, 0);
    log(`  ${example}: naive ${realNaive} B (estimate ${naiveEstimate.naive}), minimized ${realMinimized} B (estimate ${minimizedEstimate}), scratch ${realScratch} B, UPX ${realUpx} B, floor ${floor} B`);
    return {
      example,
      estimateNaive: naiveEstimate.naive,
      estimateMinimized: minimizedEstimate,
      realNaive,
      realMinimized,
      binary: binary as number,
      neededFiles,
      floor,
      realScratch,
      realUpx,
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** The CLI's estimate of a Dockerfile text for a context (written beside nothing: --context). */
async function estimateOfText(text: string, contextDir: string, work: string): Promise<number | undefined> {
  const file = path.join(work, 'Dockerfile.minimized');
  await fs.writeFile(file, text);
  const json = JSON.parse(await sh('node', [CLI, 'estimate', '--format', 'json', '--offline', '--context', contextDir, file])) as { current: { bytes: number | null } };
  return json.current.bytes ?? undefined;
}

export async function runImages(options: { log: (line: string) => void; skipDocker: boolean }): Promise<ImagesResult> {
  if (options.skipDocker) return { skipped: 'skipped (--skip-docker)' };
  const notReady = await dockerReady();
  if (notReady) return { skipped: notReady };
  const examples = goExamples();
  const results: ExampleResult[] = [];
  for (const example of examples) results.push(await measureExample(example, options.log));
  const upx = JSON.parse(await sh('bash', [path.join(ROOT, 'bench', 'upx-startup.sh')], { env: { PREFIX: 'slimfile-bench' } })) as UpxStartup;
  return { examples: results, upx };
}
