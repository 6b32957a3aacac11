// What a compiled-language conversion keeps from the build context. Slimfile reads Go sources for
// the files they open, but not C/C++ or Rust ones: a C++ server that serves `./www` through
// cpp-httplib's set_mount_point answered 404 to everything once only its binary was copied. So the
// runtime stage gets, at the same image paths, every entry the stage copied from the context that
// is not a source, a build input or repository clutter, exactly as the naive image had it.
import type { Stage } from '../model';
import type { ProjectFacts } from '../project';
import { CLUTTER, contextCopies } from '../runtimeFiles';
import { baseName } from '../paths';

export interface KeptEntry {
  /** Absolute image path, the same in the build stage and in the runtime stage. */
  readonly target: string;
  /** Context path it came from, for the preview's list. */
  readonly source: string;
  readonly directory: boolean;
  readonly reason: string;
}

export interface SourceKinds {
  /** The language's name for messages: "C/C++", "Rust". */
  readonly language: string;
  readonly sourceExtensions: readonly string[];
  /** File and folder names the build reads and the program does not (manifests, build scripts, build output). */
  readonly buildInputs: RegExp;
}

/** Build files every compiled project may have beside its own: scripts and the Dockerfile itself. */
const COMMON_BUILD_INPUTS = /^([\w.-]+\.sh|scripts?|(.*\.)?dockerfile(\..*)?|containerfile(\..*)?|\.dockerignore)$/i;

/**
 * Entries the stage copies from the context that the runtime keeps, or undefined when the copies
 * cannot be told apart (the context was not read, or its walk stopped early): the caller then
 * cannot prove the conversion keeps what the program reads.
 */
export function keptContextEntries(stage: Stage, project: ProjectFacts, kinds: SourceKinds): KeptEntry[] | undefined {
  const listing = project.contextListing;
  const copies = contextCopies(stage, listing);
  if (copies.length === 0) return [];
  if (project.contextDir === undefined || listing.truncated) return undefined;
  const isSource = (file: string): boolean => kinds.sourceExtensions.some((e) => file.endsWith(e));
  const notForRunTime = (name: string): boolean => CLUTTER.test(name) || kinds.buildInputs.test(name) || COMMON_BUILD_INPUTS.test(name);
  const kept: KeptEntry[] = [];
  for (const copied of copies) {
    // The whole context: each of its top-level entries is judged on its own.
    const entries = copied.source === '' ? topLevel(listing.files, listing.directories) : [{ name: copied.source, directory: copied.directory }];
    for (const entry of entries) {
      const leaf = baseName(entry.name);
      if (notForRunTime(leaf)) continue;
      const target = copied.source === '' ? `${copied.target.replace(/\/$/, '')}/${entry.name}` : copied.target;
      if (!entry.directory) {
        if (!isSource(leaf)) kept.push({ target, source: entry.name, directory: false, reason: `copied into the image as written; Slimfile does not read ${kinds.language} sources for the files they open` });
        continue;
      }
      const inside = [...listing.files.keys()].filter((f) => f.startsWith(`${entry.name}/`));
      const other = inside.filter((f) => !isSource(f) && !f.split('/').some(notForRunTime));
      if (other.length > 0) kept.push({ target, source: entry.name, directory: true, reason: `holds ${other.length === 1 ? other[0] : `${other.length} files such as ${other[0]}`}, which are not ${kinds.language} sources; Slimfile does not read those sources for the files they open` });
    }
  }
  // A later copy to the same path replaces the earlier one, as it did in the image.
  return [...new Map(kept.map((k) => [k.target, k])).values()];
}

function topLevel(files: ReadonlyMap<string, number>, directories: ReadonlySet<string>): Array<{ name: string; directory: boolean }> {
  const names = new Map<string, boolean>();
  for (const file of files.keys()) {
    const first = file.split('/')[0] as string;
    names.set(first, names.get(first) === true || file.includes('/'));
  }
  for (const dir of directories) if (!dir.includes('/')) names.set(dir, true);
  return [...names].map(([name, directory]) => ({ name, directory }));
}
