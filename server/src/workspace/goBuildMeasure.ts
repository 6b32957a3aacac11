// Refines the binary-size model with a real `go build` on this machine, with the Dockerfile's
// flags, in the background: one build at a time, cancellable, bounded in time, cached by the
// sources' fingerprint + flags. Runs only in trusted workspaces (the server checks) and never
// through a shell: arguments go to execFile as data.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GoBuild } from '../analysis/model';
import type { SizedImage } from '../analysis/estimate/sizes';
import { walkTree } from './walk';

const SKIP = new Set(['vendor', 'node_modules', '.git', 'testdata']);
const BUILD_TIMEOUT_MS = 120_000;

export interface MeasureRequest {
  readonly contextDir: string;
  readonly build: GoBuild;
}

/** The go flags that change the binary's size, as the Dockerfile writes them. */
export function sizeFlags(build: GoBuild): string[] {
  const flags: string[] = [];
  if (build.trimpath) flags.push('-trimpath');
  if (build.ldflags) flags.push(`-ldflags=${build.ldflags}`);
  if (build.tags.length > 0) flags.push(`-tags=${build.tags.join(',')}`);
  return flags;
}

/** Where the package sits in the context: only `.`, `./x/y` and plain relative paths are mapped. */
export function packageDir(build: GoBuild): string | undefined {
  const pkg = build.packages[0] ?? '.';
  if (pkg.includes('...') || pkg.includes('$') || pkg.startsWith('/')) return undefined;
  if (/^[\w.-]+\.[a-z]{2,}\//.test(pkg)) return undefined; // a module path, not a folder
  return pkg;
}

async function fingerprint(contextDir: string, extra: string, maxFiles = 5000): Promise<string> {
  const hash = createHash('sha256').update(extra);
  let files = 0;
  await walkTree(
    contextDir,
    async (rel, entry) => {
      if (!entry.isFile() || !(entry.name.endsWith('.go') || entry.name === 'go.mod' || entry.name === 'go.sum')) return true;
      const stat = await fs.stat(path.join(contextDir, rel)).catch(() => undefined);
      if (stat) hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\n`);
      return ++files < maxFiles;
    },
    { enter: (_rel, name) => !SKIP.has(name) && !name.startsWith('.'), sorted: true },
  );
  return hash.digest('hex');
}

export function goAvailable(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('go', ['env', 'GOVERSION'], { timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}

export class GoBuildMeasurer {
  /** Per build (context, package, cgo, flags): the sources' fingerprint and what it measured. */
  private readonly results = new Map<string, { readonly print: string; readonly size: SizedImage | null }>();
  private queue: Promise<void> = Promise.resolve();
  private controller = new AbortController();

  constructor(private readonly onMeasured: () => void) {}

  private static key(contextDir: string, build: GoBuild): string {
    return `${contextDir}\0${build.packages.join(' ')}\0${build.cgo}\0${sizeFlags(build).join(' ')}`;
  }

  /** The measured size of the latest sources with these flags, if measured; never waits. */
  known(request: MeasureRequest): SizedImage | undefined {
    return this.results.get(GoBuildMeasurer.key(request.contextDir, request.build))?.size ?? undefined;
  }

  /** Drops queued builds (a new version of the file supersedes them). */
  cancel(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  /** Queues a measurement; resolves when it has run (or was skipped). */
  measure(request: MeasureRequest): Promise<void> {
    const signal = this.controller.signal;
    this.queue = this.queue.then(() => (signal.aborted ? undefined : this.run(request, signal))).catch(() => undefined);
    return this.queue;
  }

  private async run({ contextDir, build }: MeasureRequest, signal: AbortSignal): Promise<void> {
    const pkg = packageDir(build);
    if (pkg === undefined) return;
    const print = await fingerprint(contextDir, '');
    const key = GoBuildMeasurer.key(contextDir, build);
    if (this.results.get(key)?.print === print) return;
    // Sources changed: the old figure no longer holds, the model answers until the build ends.
    this.results.delete(key);
    const version = await goAvailable();
    if (!version) return;
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-measure-'));
    const out = path.join(outDir, 'bin');
    const env: NodeJS.ProcessEnv = { ...process.env, GOOS: 'linux', GOARCH: build.env.get('GOARCH')?.includes('$') ? 'amd64' : build.env.get('GOARCH') ?? 'amd64', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    if (build.cgo !== 'default') env['CGO_ENABLED'] = build.cgo === 'off' ? '0' : '1';
    try {
      await new Promise<void>((resolve, reject) => {
        execFile('go', ['build', ...sizeFlags(build), '-o', out, pkg], { cwd: contextDir, env, signal, timeout: BUILD_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error) =>
          error ? reject(error) : resolve(),
        );
      });
      const { size } = await fs.stat(out);
      this.results.set(key, {
        print,
        size: {
          bytes: size,
          compressed: undefined,
          provenance: { origin: 'measured-build', detail: `measured: go build with the Dockerfile's flags (${version}, this machine)`, confidence: 'high' },
        },
      });
      this.onMeasured();
    } catch {
      // A build that fails here (missing modules offline, cgo without a compiler) leaves the model in charge.
      this.results.set(key, { print, size: null });
    } finally {
      await fs.rm(outDir, { recursive: true, force: true });
    }
  }
}
