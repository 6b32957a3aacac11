// The final image is a rust toolchain image that builds there: compiler, cargo, the sources and
// target/ for a binary of a few hundred kB to a few MB.
import type { Rule } from '../../../findings';
import type { SourceKinds } from '../../keptContext';
import { rustMessages } from '../rust';
import { buildsIn, crateRootReasons, unprovenRuntimeNeeds } from './shared';
import { compiledConversion, conversionFinding, toolchainFinalStage, withoutFix } from '../../../rules/compiledToolchain';
import { fileRootReasons } from '../../compiledSources';

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
    const toolchain = toolchainFinalStage(model, 'rust');
    if (!toolchain) return [];
    const builds = buildsIn(model, project, toolchain.stage);
    if (builds.length === 0) return [];
    const { image, at } = toolchain;
    const unknown = builds.find((b) => b.unknownOutput !== undefined);
    const linkage = builds[0]?.linkage;
    const reason = unknown ? `${unknown.unknownOutput}, so where the binary lands is not known` : linkage === undefined ? `how the binary links is not known (${builds[0]?.linkageWhy})` : builds.some((b) => b.linkage !== linkage) ? 'the builds link differently' : undefined;
    const message = rustMessages.toolchainInFinalImage(image);
    if (reason || linkage === undefined) return withoutFix(message, at, reason ?? 'how the binary links is not known');
    const conversion = compiledConversion(model, project, toolchain, packages, {
      builds,
      linkage,
      needsGccRuntime: true,
      staticTarget: 'distroless',
      sources: RUST_SOURCES,
      buildOnlyEnv: RUST_BUILD_ENV,
      rootReasons: [...fileRootReasons(project, 'rust', model.context), ...crateRootReasons(project)],
      unproven: (view) => unprovenRuntimeNeeds(project, model.context, view),
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
