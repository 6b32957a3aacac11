// The build context as the docker CLI sends it: a tar of the folder minus what .dockerignore
// excludes, with the Dockerfile always in it — optionally one that exists only in the tar.
import ignore from '@balena/dockerignore';
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-fs';

export interface ContextOptions {
  /** The build context folder. */
  readonly contextDir: string;
  /** The Dockerfile's path inside the tar, with forward slashes (the build's `dockerfile` option). */
  readonly dockerfileName: string;
  /** When set, the tar holds this text as `dockerfileName` instead of the file on disk. */
  readonly dockerfileText?: string;
  /** The Dockerfile on disk, for BuildKit's `<Dockerfile>.dockerignore` beside it. */
  readonly dockerfilePath?: string;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The ignore rules that apply: `<Dockerfile>.dockerignore` when it exists (BuildKit), else `.dockerignore`. */
export async function readIgnoreRules(options: ContextOptions): Promise<string> {
  const beside = options.dockerfilePath ? await readIfExists(`${options.dockerfilePath}.dockerignore`) : undefined;
  return beside ?? (await readIfExists(path.join(options.contextDir, '.dockerignore'))) ?? '';
}

/** A filter over context-relative paths (forward slashes): true when the path goes into the tar. */
export function contextFilter(ignoreRules: string, alwaysKept: readonly string[]): (relative: string) => boolean {
  const rules = ignore().add(ignoreRules);
  // The engine needs these even when the rules exclude them, as with the docker CLI.
  const kept = new Set(alwaysKept);
  return (relative) => kept.has(relative) || !rules.ignores(relative);
}

function toRelative(contextDir: string, absolute: string): string {
  return path.relative(contextDir, absolute).split(path.sep).join('/');
}

/** Streams the context as an uncompressed tar. */
export async function packContext(options: ContextOptions): Promise<Readable> {
  const ignoreRules = await readIgnoreRules(options);
  const keep = contextFilter(ignoreRules, [options.dockerfileName, '.dockerignore']);
  // An exception (`!dir/keep`) can bring back a file under an excluded folder: then folders are
  // walked and only files are dropped.
  const hasExceptions = ignoreRules.split(/\r?\n/).some((line) => line.trim().startsWith('!'));
  const replaced = options.dockerfileText !== undefined;
  const pack = tar.pack(options.contextDir, {
    ignore: (absolute) => {
      const relative = toRelative(options.contextDir, absolute);
      if (relative === '' || relative === '.') return false;
      if (replaced && relative === options.dockerfileName) return true;
      if (keep(relative)) return false;
      return !(hasExceptions && isDirectory(absolute));
    },
    // Owned by root in the image, as the docker CLI sends it.
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
    finalize: !replaced,
    finish: (p) => {
      if (!replaced) return;
      p.entry({ name: options.dockerfileName, mode: 0o644, mtime: new Date(0) }, options.dockerfileText);
      p.finalize();
    },
  });
  return pack as unknown as Readable;
}

function isDirectory(absolute: string): boolean {
  try {
    // tar-fs asks before it stats, and its ignore callback is synchronous.
    return statSync(absolute).isDirectory();
  } catch {
    return false;
  }
}
