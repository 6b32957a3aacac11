// The final image is a rust toolchain image that builds there: compiler, cargo, the sources and
// target/ for a binary of a few hundred kB to a few MB.
import type { Rule } from '../../../findings';
import { baseFactsOf } from '../../../runtime';
import { toCompiledMultiStage } from '../../../fixes/compiledMultiStage';
import { decideCompiledPackages } from '../../../packages/compiledPackages';
import { alpineIndexFor } from '../../../packages/indexes';
import { keptContextEntries, type SourceKinds } from '../../keptContext';
import { linkProof, smallestRuntime } from '../../compiled';
import { rustMessages } from '../rust';
import { buildsIn, crateRootReasons, unprovenRuntimeNeeds } from './shared';
import { conversionFinding, withoutFix } from '../../../rules/compiledToolchain';
import { fileRootReasons, runtimeView } from '../../compiledSources';

/** What a cargo build reads and the program does not: the manifests, build scripts, toolchain files and target/. */
const RUST_SOURCES: SourceKinds = {
  language: 'Rust',
  sourceExtensions: ['.rs'],
  buildInputs: /^(cargo\.(toml|lock)|build\.rs|\.cargo|target|benches|rust-toolchain(\.toml)?|\.?rustfmt\.toml|clippy\.toml|deny\.toml)$/i,
};
const RUST_BUILD_ENV = /^(RUST\w*|CARGO\w*|PATH|HOME|CC|CXX|CFLAGS|LDFLAGS|PKG_CONFIG\w*)$/;

export const rustToolchainInFinalImage: Rule = {
  id: 'rust-toolchain-in-final-image',
  language: 'rust',
  defaultSeverity: 'warning',
  summary: 'The final stage builds on a rust toolchain image; build in one stage and run the binary in a small one.',
  check({ model, project, packages }) {
    const final = model.finalStage;
    if (!final) return [];
    const facts = baseFactsOf(model, final);
    if (facts.kind !== 'toolchain' || facts.language !== 'rust') return [];
    const builds = buildsIn(model, project, final);
    if (builds.length === 0) return [];
    const image = final.base.resolved ?? final.base.written;
    const at = final.base.range;
    const unknown = builds.find((b) => b.unknownOutput !== undefined);
    const linkage = builds[0]?.linkage;
    const reason = unknown ? `${unknown.unknownOutput}, so where the binary lands is not known` : linkage === undefined ? `how the binary links is not known (${builds[0]?.linkageWhy})` : builds.some((b) => b.linkage !== linkage) ? 'the builds link differently' : undefined;
    const message = rustMessages.toolchainInFinalImage(image);
    if (reason || linkage === undefined) return withoutFix(message, at, reason ?? 'how the binary links is not known');
    const runtime = smallestRuntime(linkage, facts, true, 'distroless');
    const binaries = builds.flatMap((b) => b.binaries);
    const kept = keptContextEntries(final, project, RUST_SOURCES);
    const problems = unprovenRuntimeNeeds(project, model.context, kept && runtimeView(final, project, kept, binaries, linkage, runtime.image));
    const proof = linkage === 'glibc' ? linkProof(binaries, runtime.image, model.eol) : undefined;
    const conversion = toCompiledMultiStage(model, final, {
      binaries,
      lastBuildLine: Math.max(...builds.map((b) => b.run.range.end.line)),
      runtimeImage: runtime.image,
      runtimeHasNonrootTag: runtime.hasNonrootTag,
      rootReasons: [...fileRootReasons(project, 'rust', model.context), ...crateRootReasons(project)],
      problems,
      buildOnlyEnv: RUST_BUILD_ENV,
      keptFromContext: kept,
      buildProof: proof,
      packages: decideCompiledPackages(final, { linkage, runtimeImage: runtime.image, linkProof: proof !== undefined, alpine: alpineIndexFor(facts, packages)?.index }),
      startThroughToolchain: (argv) => cargoRunArgs(argv, builds.flatMap((b) => b.binaries)),
    });
    return conversionFinding(message, at, conversion);
  },
};

/** `cargo run [--release] [--bin NAME] [-- ARGS]` as the binary it runs, with its arguments. */
function cargoRunArgs(argv: readonly string[], binaries: readonly string[]): string[] | undefined {
  if ((argv[0] ?? '').replace(/.*\//, '') !== 'cargo' || argv[1] !== 'run') return undefined;
  const dashes = argv.indexOf('--');
  const flags = argv.slice(2, dashes < 0 ? undefined : dashes);
  const bin = flags.includes('--bin') ? flags[flags.indexOf('--bin') + 1] : undefined;
  // Any other flag (a profile, features, a target) may build a binary other than the one the stage builds.
  if (flags.some((f, i) => !['--release', '-r', '--bin', '-q', '--quiet'].includes(f) && flags[i - 1] !== '--bin')) return undefined;
  const release = flags.includes('--release') || flags.includes('-r');
  const candidates = binaries.filter((b) => (release ? /\/release\/[^/]+$/ : /\/debug\/[^/]+$/).test(b) && (!bin || b.endsWith(`/${bin}`)));
  if (candidates.length !== 1) return undefined;
  return [candidates[0] as string, ...(dashes < 0 ? [] : argv.slice(dashes + 1))];
}
