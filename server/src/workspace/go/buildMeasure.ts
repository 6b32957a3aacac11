// Go's side of the workspace: refines the binary-size model with a real `go build` on this
// machine, with the Dockerfile's flags, in the background: one build at a time, cancellable,
// bounded in time, cached by the sources' fingerprint + flags. The server (sessions.ts, after a
// validation) and the CLI (`estimate --measure`) run it; what it measured reaches the estimate as
// SizeKnowledge.measured.goBinary. Runs only in trusted workspaces (the server checks) and never
// through a shell: arguments go to execFile as data.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GoBuild } from '../../analysis/languages/go/gobuild';
import type { SizedImage } from '../../analysis/estimate/sizes';
import type { BuilderGo } from '../../analysis/languages/go/builderGo';
import { goVersionParts } from '../../analysis/languages/go/gomod';
import { walkTree } from '../walk';

const SKIP = new Set(['vendor', 'node_modules', '.git', 'testdata']);
const BUILD_TIMEOUT_MS = 120_000;

export interface MeasureRequest {
  readonly contextDir: string;
  readonly build: GoBuild;
  /** The Go the image builds with, when the Dockerfile says: the measurement uses the same release if it is installed. */
  readonly go?: BuilderGo | undefined;
}

/** A Go toolchain on this machine: the command to run and the version it reports. */
export interface LocalToolchain {
  readonly command: string;
  readonly version: string;
}

/**
 * The toolchain to measure with: for a builder at Go 1.N, a `go1.N.P` command on PATH (the
 * golang.org/dl wrappers' names; the exact patch first, else the newest 1.N.x), else `go` when it
 * is that release; otherwise `go` as it is, and the caller says the releases differ.
 */
export async function findToolchain(go: BuilderGo | undefined, pathVariable = process.env['PATH'] ?? ''): Promise<LocalToolchain | undefined> {
  const wanted = goVersionParts(go?.version);
  if (wanted) {
    const candidates: Array<{ name: string; patch: number }> = [];
    for (const dir of pathVariable.split(path.delimiter).filter((d) => d !== '')) {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const m = /^go(\d+)\.(\d+)(?:\.(\d+))?$/.exec(name);
        if (m && Number(m[1]) === wanted[0] && Number(m[2]) === wanted[1]) candidates.push({ name: path.join(dir, name), patch: Number(m[3] ?? 0) });
      }
    }
    const exact = go?.version.split('.').length === 3 ? candidates.find((c) => c.patch === wanted[2]) : undefined;
    const newest = [...candidates].sort((a, b) => b.patch - a.patch)[0];
    for (const candidate of [exact, newest]) {
      if (!candidate) continue;
      const version = await goVersionOf(candidate.name);
      if (version) return { command: candidate.name, version };
    }
  }
  const version = await goVersionOf('go');
  return version ? { command: 'go', version } : undefined;
}

/** "go1.24.4" -> same release as the builder's "1.24" / "1.24.4". */
export function sameRelease(local: string, go: BuilderGo | undefined): boolean {
  const have = goVersionParts(local);
  const wanted = goVersionParts(go?.version);
  if (!have || !wanted) return false;
  return have[0] === wanted[0] && have[1] === wanted[1] && (go?.version.split('.').length !== 3 || have[2] === wanted[2]);
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
  return goVersionOf('go');
}

function goVersionOf(command: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, ['env', 'GOVERSION'], { timeout: 5000, env: { ...process.env, GOTOOLCHAIN: 'local' } }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}

export class GoBuildMeasurer {
  /** Per build (context, package, cgo, flags): the sources' fingerprint and what it measured. */
  private readonly results = new Map<string, { readonly print: string; readonly size: SizedImage | null }>();
  private queue: Promise<void> = Promise.resolve();
  private controller = new AbortController();

  constructor(private readonly onMeasured: () => void) {}

  private static key(contextDir: string, build: GoBuild, go: BuilderGo | undefined): string {
    return `${contextDir}\0${build.packages.join(' ')}\0${build.cgo}\0${sizeFlags(build).join(' ')}\0${go?.version ?? ''}`;
  }

  /** The measured size of the latest sources with these flags, if measured; never waits. */
  known(request: MeasureRequest): SizedImage | undefined {
    return this.results.get(GoBuildMeasurer.key(request.contextDir, request.build, request.go))?.size ?? undefined;
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

  private async run({ contextDir, build, go }: MeasureRequest, signal: AbortSignal): Promise<void> {
    const pkg = packageDir(build);
    if (pkg === undefined) return;
    const print = await fingerprint(contextDir, '');
    const key = GoBuildMeasurer.key(contextDir, build, go);
    if (this.results.get(key)?.print === print) return;
    // Sources changed: the old figure no longer holds, the model answers until the build ends.
    this.results.delete(key);
    const toolchain = await findToolchain(go);
    if (!toolchain) return;
    const version = toolchain.version;
    const matches = go === undefined || sameRelease(version, go);
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-measure-'));
    const out = path.join(outDir, 'bin');
    const env: NodeJS.ProcessEnv = { ...process.env, GOOS: 'linux', GOARCH: build.env.get('GOARCH')?.includes('$') ? 'amd64' : build.env.get('GOARCH') ?? 'amd64', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    if (build.cgo !== 'default') env['CGO_ENABLED'] = build.cgo === 'off' ? '0' : '1';
    try {
      await new Promise<void>((resolve, reject) => {
        execFile(toolchain.command, ['build', ...sizeFlags(build), '-o', out, pkg], { cwd: contextDir, env, signal, timeout: BUILD_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error) =>
          error ? reject(error) : resolve(),
        );
      });
      const { size } = await fs.stat(out);
      this.results.set(key, {
        print,
        size: {
          bytes: size,
          compressed: undefined,
          provenance: matches
            ? { origin: 'measured-build', detail: `measured: go build with the Dockerfile's flags (${version}, this machine)`, confidence: 'high' }
            : {
                origin: 'measured-build',
                // Binaries differ by release (Go 1.22's http server is 7% larger than 1.19's): say so.
                detail: `measured with Go ${version.replace(/^go/, '')} on this machine; the image builds with Go ${go?.version} (${go?.source}), and no go${go?.version.split('.').slice(0, 2).join('.')} is installed here`,
                confidence: 'medium',
              },
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
