// What compiled languages (Rust, C/C++) share: a build step that leaves binaries at known paths,
// how each binary links libc, which binaries reach the final image, and what a scan of the
// sources says the program touches at run time. Each language's parser fills CompiledBuild.
import type { CopyStep, DockerfileModel, RunStep } from '../model';
import type { ProjectFacts } from '../project';
import type { Libc } from '../baseImage';
import { baseFactsOf } from '../runtime';
import { joinPath } from '../paths';

/** How a binary gets its libc: not at all (static), or dynamically from the runtime's glibc or musl. */
export type Linkage = 'static' | 'glibc' | 'musl';

export interface CompiledBuild {
  readonly language: 'rust' | 'c';
  readonly stage: number;
  readonly run: RunStep;
  /** The build command as written, for messages: "cargo build --release". */
  readonly command: string;
  /** Absolute paths of the binaries the build leaves; empty when not known (see `unknownOutput`). */
  readonly binaries: readonly string[];
  /** Why the output is not known (a .cargo/config.toml, a workspace, no -o). */
  readonly unknownOutput: string | undefined;
  /** undefined when the analysis cannot tell (a config file may change it). */
  readonly linkage: Linkage | undefined;
  /** Why: "-C target-feature=+crt-static in RUSTFLAGS", "gcc links glibc dynamically by default". */
  readonly linkageWhy: string;
  /** Needs the C++ runtime (libstdc++) or libgcc_s (Rust's unwinder) next to libc. */
  readonly needsGccRuntime: boolean;
  /** The flag words that make it static, when any (for messages and edits). */
  readonly staticFlag: string | undefined;
}

export interface DeliveredBinary {
  readonly build: CompiledBuild;
  readonly path: string;
  /** The COPY that brings it into the final stage; undefined when built there. */
  readonly copy: CopyStep | undefined;
}

/** Binaries of `builds` that end up in the final stage: built there, or copied from their stage. */
export function deliveredBinaries(model: DockerfileModel, builds: readonly CompiledBuild[]): DeliveredBinary[] {
  const final = model.finalStage;
  if (!final) return [];
  const out: DeliveredBinary[] = [];
  for (const build of builds) {
    if (build.stage === final.index) for (const path of build.binaries) out.push({ build, path, copy: undefined });
  }
  for (const copy of final.copies) {
    if (copy.fromStage === undefined) continue;
    const source = model.stages[copy.fromStage];
    for (const build of builds.filter((b) => b.stage === copy.fromStage)) {
      for (const path of build.binaries) {
        const copied = copy.sources.some((s) => {
          const src = joinPath(source?.workdir ?? '/', s).replace(/\/$/, '');
          return path === src || path.startsWith(`${src}/`);
        });
        if (copied) out.push({ build, path, copy });
      }
    }
  }
  return out;
}

/** What libc the runtime image has; undefined when unknown. */
export function runtimeLibc(model: DockerfileModel): Libc | undefined {
  const final = model.finalStage;
  return final ? baseFactsOf(model, final).libc : undefined;
}

/** One place in the sources that shows the program touching something at run time. */
export interface SourceUse {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly what: string;
}

/**
 * Lines of the sources (files ending in one of `extensions`) that match a pattern, comments
 * included: a false alarm makes a fix reviewed rather than applied, which is the safe side.
 */
export function scanSources(project: ProjectFacts, extensions: readonly string[], patterns: ReadonlyArray<readonly [RegExp, string]>): SourceUse[] {
  const uses: SourceUse[] = [];
  for (const [file, text] of project.sources) {
    if (!extensions.some((e) => file.endsWith(e))) continue;
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      for (const [pattern, what] of patterns) if (pattern.test(line)) uses.push({ file, line: i + 1, what });
    });
  }
  return uses;
}

export function hasSources(project: ProjectFacts, extensions: readonly string[]): boolean {
  return [...project.sources.keys()].some((f) => extensions.some((e) => f.endsWith(e)));
}

/** A libc word for messages. */
export function linkageText(linkage: Linkage): string {
  return linkage === 'static' ? 'statically linked' : `linked against ${linkage}`;
}
