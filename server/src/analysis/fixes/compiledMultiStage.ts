// "Convert to multi-stage build" for the compiled languages whose builds leave binaries at known
// paths without following the files the program reads (Rust, C/C++): each rule hands in its
// binaries, runtime, kept context entries, build-only ENV and what its packages are (CompiledConversionInput),
// and these hooks take it through the one converter shape (convertToMultiStage in multiStage.ts). The language says what its
// sources touch, and anything it touches makes the conversion one to review.
import type { DockerfileModel, Stage } from '../model';
import { commandName } from '../shell';
import type { KeptEntry } from '../languages/keptContext';
import type { CompiledPackageDecisions } from '../packages/compiledPackages';
import {
  convertToMultiStage,
  copyFromBuild,
  listensOnPrivilegedPort,
  NONROOT,
  PRIVILEGED_PORT_REASON,
  rewriteHealthcheck,
  type MultiStageConversion,
} from './multiStage';

export interface CompiledConversionInput {
  /** Absolute paths of the binaries the stage builds. */
  readonly binaries: readonly string[];
  /** The last line of the RUN steps that build them: RUN steps after it stay behind in the build stage. */
  readonly lastBuildLine: number;
  /** The runtime image, without a :nonroot tag (the conversion adds it when it can). */
  readonly runtimeImage: string;
  /** distroless images have a :nonroot tag; others get `USER 65532:65532`. */
  readonly runtimeHasNonrootTag: boolean;
  /** The program may write files or needs root: keep root. */
  readonly rootReasons: readonly string[];
  /** Why the result is not proven to behave the same; empty when proven. */
  readonly problems: readonly string[];
  /** ENV names that only the build uses (RUSTFLAGS, CC…); they stay in the build stage. */
  readonly buildOnlyEnv: RegExp;
  /** What the stage's installed packages are to the runtime (packages/compiledPackages.ts): refusals, problems, notes. */
  readonly packages: CompiledPackageDecisions;
  /**
   * What the stage copied from the build context that the runtime keeps at the same paths (see
   * languages/keptContext.ts); undefined when that cannot be told, which leaves the conversion unproven.
   */
  readonly keptFromContext: readonly KeptEntry[] | undefined;
  /**
   * Lines that end the build stage and check, on the built binaries, what the text cannot prove
   * (languages/compiled.ts linkProof: the libraries they link, the glibc they need).
   */
  readonly buildProof?: readonly string[];
  /** Turns a start command that runs the program through the toolchain (`cargo run -- x`) into its binary's argv. */
  readonly startThroughToolchain?: (argv: readonly string[]) => string[] | undefined;
}

export type CompiledConversion = ({ readonly ok: true } & MultiStageConversion) | { readonly ok: false; readonly reason: string };

/**
 * Commands after the build that leave nothing the runtime needs. chmod: the runtime stage copies
 * the binaries and kept entries from the build stage, and COPY --from keeps their mode bits.
 */
const HARMLESS_AFTER_BUILD = new Set(['rm', 'true', 'echo', 'ls', 'strip', 'du', 'file', 'ldd', 'cargo', 'rustc', 'gcc', 'g++', 'cc', 'c++', 'make', 'chmod']);
/** Users every runtime the conversion picks defines (distroless: root, nonroot, nobody). */
const KNOWN_USER = /^(root|nonroot|nobody|\d+)(:(root|nonroot|nobody|\d+))?$/;

export function toCompiledMultiStage(model: DockerfileModel, stage: Stage, input: CompiledConversionInput): CompiledConversion {
  return convertToMultiStage(model, stage, {
    check: () => {
      if (input.binaries.length === 0) return { ok: false, reason: 'where the build leaves its binary is not known' };
      if (input.binaries.some((b) => b.includes('$'))) return { ok: false, reason: 'the binary\'s path holds a variable' };
      const refusal = input.packages.refusals[0];
      if (refusal !== undefined) return { ok: false, reason: refusal };
      const hc = stage.healthcheck;
      if (hc && !hc.none) return { ok: false, reason: 'the HEALTHCHECK runs a command the small runtime may not have' };
      if (stage.user && !KNOWN_USER.test(stage.user.value)) return { ok: false, reason: `USER ${stage.user.value} is not defined in the runtime image` };
      return { ok: true, checked: undefined };
    },
    start: () => ({ binaries: input.binaries, defaultStart: input.binaries.length === 1 ? input.binaries[0] : undefined, startThroughToolchain: input.startThroughToolchain }),
    plan: (_checked, start, split) => {
      // Only HEALTHCHECK NONE gets here: it is written as is.
      const health = rewriteHealthcheck(model, stage, input.binaries);
      const problems = [...input.problems, ...input.packages.problems];
      if (input.keptFromContext === undefined) problems.push('the build context was not read in full, so the files the program may read from it cannot be carried over');
      const kept = input.keptFromContext ?? [];
      for (const run of stage.runs.filter((r) => r.range.start.line > input.lastBuildLine)) {
        for (const command of run.commands) {
          if (HARMLESS_AFTER_BUILD.has(commandName(command))) continue;
          problems.push(`\`${command.argv.join(' ')}\` at line ${run.range.start.line + 1} runs after the build and stays in the build stage; what it prepares for run time is not carried over`);
        }
      }
      const rootReasons = [...input.rootReasons, ...(listensOnPrivilegedPort(stage) ? [PRIVILEGED_PORT_REASON] : [])];
      // A USER set before the build (so it stays in the build stage) still says who the program runs as.
      const userMoved = split.moved.some((m) => m.keyword === 'USER');
      const userKept = stage.user !== undefined && !userMoved && !/^(root|0)(:.*)?$/.test(stage.user.value) ? stage.user.value : undefined;
      const userWritten = userMoved || userKept !== undefined;
      const root = rootReasons.length > 0 || /^(root|0)(:.*)?$/.test(stage.user?.value ?? '');
      const nonrootTag = !root && !userWritten && input.runtimeHasNonrootTag;
      const notes = root && rootReasons.length > 0 ? [`Runs as root: ${rootReasons.join('; ')}.`] : [];
      // The program could write where the original image let root write; the new runtime user owns them.
      const chown = root ? undefined : NONROOT;
      const keptLines = kept.length > 0 ? ['# Kept where the original image had them: Slimfile does not read these sources for the files they open.', ...kept.map((entry) => copyFromBuild(model, split, entry.target, { chown }))] : [];
      // For the preview only: the Dockerfile says it once, above the COPY lines.
      const keptNotes = kept.map((entry) => `Keeps ${entry.source}${entry.directory ? '/' : ''} at ${entry.target}: ${entry.reason}.`);
      return {
        ok: true,
        plan: {
          runtimeImage: `${input.runtimeImage}${nonrootTag ? ':nonroot' : ''}`,
          binaries: input.binaries,
          start: start.lines,
          healthcheck: health.ok ? health.line : undefined,
          notes,
          problems,
          buildOnlyEnv: input.buildOnlyEnv,
          beforeBinaries: keptLines,
          buildLines: input.buildProof,
          user: {
            before: userKept,
            // Said in the file, not left to the image's default: runs-as-root would otherwise switch the
            // user on Minimize's next round, undoing the reason written above.
            after: !root && !userWritten && !nonrootTag ? NONROOT : root && rootReasons.length > 0 && !userWritten ? 'root' : undefined,
          },
        },
        finish: (conversion) => ({ ok: true, ...conversion, notes: [...conversion.notes, ...input.packages.notes, ...keptNotes] }),
      };
    },
  });
}
