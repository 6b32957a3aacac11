// Runs the builds the languages ask to measure (LanguageSupport.measuredBuilds: Go's go build with
// the Dockerfile's flags) on this machine, in the background: one build at a time, cancellable,
// bounded in time, cached by the build's inputs' fingerprint. The server (sessions.ts, after a
// validation) and the CLI (`estimate --measure`) run it; what it measured reaches the estimate as
// SizeKnowledge.measuredBuild. Runs only in trusted workspaces (the server checks) and never
// through a shell: arguments go to execFile as data.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MeasuredBuild, MeasuringToolchain } from '../analysis/languages/types';
import type { SizedImage } from '../analysis/estimate/sizes';
import { walkTree } from './walk';

const BUILD_TIMEOUT_MS = 120_000;
const VERSION_TIMEOUT_MS = 5_000;
/** Inputs fingerprinted at most: past this, a change deeper in the context does not measure again. */
const MAX_FINGERPRINTED_FILES = 5000;

/** A toolchain on this machine: the command to run and the version it reports. */
export interface LocalToolchain {
  readonly command: string;
  readonly version: string;
}

/** The first of the toolchain's preferred commands on PATH that reports its version, else its own command if it does. */
export async function findToolchain(toolchain: MeasuringToolchain, pathVariable = process.env['PATH'] ?? ''): Promise<LocalToolchain | undefined> {
  if (toolchain.preferred) {
    const onPath: Array<{ name: string; path: string }> = [];
    for (const dir of pathVariable.split(path.delimiter).filter((d) => d !== '')) {
      for (const name of await fs.readdir(dir).catch(() => [] as string[])) onPath.push({ name, path: path.join(dir, name) });
    }
    for (const command of toolchain.preferred(onPath)) {
      const version = await versionOf(toolchain, command);
      if (version) return { command, version };
    }
  }
  const version = await versionOf(toolchain, toolchain.command);
  return version ? { command: toolchain.command, version } : undefined;
}

function versionOf(toolchain: MeasuringToolchain, command: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, [...toolchain.versionArgs], { timeout: VERSION_TIMEOUT_MS, env: { ...process.env, ...toolchain.env } }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}

/** The build's inputs in the context, by path, size and modification time; hidden folders are not entered. */
async function fingerprint(contextDir: string, inputs: MeasuredBuild['inputs']): Promise<string> {
  const hash = createHash('sha256');
  const skip = new Set(inputs.skipFolders);
  let files = 0;
  await walkTree(
    contextDir,
    async (rel, entry) => {
      if (!entry.isFile() || !(inputs.extensions.some((e) => entry.name.endsWith(e)) || inputs.names.includes(entry.name))) return true;
      const stat = await fs.stat(path.join(contextDir, rel)).catch(() => undefined);
      if (stat) hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\n`);
      return ++files < MAX_FINGERPRINTED_FILES;
    },
    { enter: (_rel, name) => !skip.has(name) && !name.startsWith('.'), sorted: true },
  );
  return hash.digest('hex');
}

export class BuildMeasurer {
  /** Per context and build key: the inputs' fingerprint and what it measured (null: the build failed). */
  private readonly results = new Map<string, { readonly print: string; readonly size: SizedImage | null }>();
  private queue: Promise<void> = Promise.resolve();
  private controller = new AbortController();

  constructor(private readonly onMeasured: () => void) {}

  /** The measured size of the build (by its key) of the latest inputs, if measured; never waits. */
  known(contextDir: string, key: string): SizedImage | undefined {
    return this.results.get(`${contextDir}\0${key}`)?.size ?? undefined;
  }

  /** Drops queued builds (a new version of the file supersedes them). */
  cancel(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  /** Queues a measurement; resolves when it has run (or was skipped). */
  measure(contextDir: string, build: MeasuredBuild): Promise<void> {
    const signal = this.controller.signal;
    this.queue = this.queue.then(() => (signal.aborted ? undefined : this.run(contextDir, build, signal))).catch(() => undefined);
    return this.queue;
  }

  private async run(contextDir: string, build: MeasuredBuild, signal: AbortSignal): Promise<void> {
    const print = await fingerprint(contextDir, build.inputs);
    const key = `${contextDir}\0${build.key}`;
    if (this.results.get(key)?.print === print) return;
    // Inputs changed: the old figure no longer holds, the language's model answers until the build ends.
    this.results.delete(key);
    const toolchain = await findToolchain(build.toolchain);
    if (!toolchain) return;
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-measure-'));
    const out = path.join(outDir, 'bin');
    try {
      await new Promise<void>((resolve, reject) => {
        execFile(toolchain.command, [...build.args(out)], { cwd: contextDir, env: { ...process.env, ...build.env }, signal, timeout: BUILD_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error) => (error ? reject(error) : resolve()));
      });
      const { size } = await fs.stat(out);
      this.results.set(key, { print, size: { bytes: size, compressed: undefined, provenance: build.provenance(toolchain.version) } });
      this.onMeasured();
    } catch {
      // A build that fails here (missing modules offline, cgo without a compiler) leaves the model in charge.
      this.results.set(key, { print, size: null });
    } finally {
      await fs.rm(outDir, { recursive: true, force: true });
    }
  }
}
