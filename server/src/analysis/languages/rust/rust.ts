// Rust: the rust images, Cargo.toml (binary names, rust-version, the release profile) and the
// cargo builds in RUN steps.
import { parse as parseToml } from 'smol-toml';
import type { DockerfileModel, RunStep, Stage } from '../../model';
import type { ProjectFacts } from '../../project';
import type { Provenance } from '../../estimate/sizes';
import type { CompiledBuild, Linkage } from '../compiled';
import { baseFactsOf } from '../../runtime';
import { commandName, type SimpleCommand } from '../../shell';
import { joinPath } from '../../paths';
import { query } from '../../context';

export interface CargoManifest {
  readonly packageName: string | undefined;
  /** `[[bin]]` names, else the package name (cargo's default binary). */
  readonly binaries: readonly string[];
  /** `package.rust-version`, the oldest compiler the crate builds with. */
  readonly rustVersion: string | undefined;
  /** `[profile.release]` as written (strip, lto, opt-level, codegen-units, panic). */
  readonly releaseProfile: Readonly<Record<string, unknown>>;
  /** 1-based line of `[profile.release]`, or of `[package]` when there is none. */
  readonly profileLine: number | undefined;
  readonly rustVersionLine: number | undefined;
  /** A workspace root without a package: binaries are in its members. */
  readonly workspace: boolean;
  readonly dependencies: readonly string[];
  /** Why the file could not be read; the other fields are then empty. */
  readonly problem: string | undefined;
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
  return index < 0 ? undefined : index + 1;
}

/** Reads Cargo.toml; a file TOML cannot parse gives `problem` and no facts, never an exception. */
export function readCargoToml(text: string): CargoManifest {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    return { packageName: undefined, binaries: [], rustVersion: undefined, releaseProfile: {}, profileLine: undefined, rustVersionLine: undefined, workspace: false, dependencies: [], problem: (error as Error).message.split('\n')[0] };
  }
  const pkg = (data.package ?? {}) as Record<string, unknown>;
  const packageName = typeof pkg.name === 'string' ? pkg.name : undefined;
  const bins = Array.isArray(data.bin) ? (data.bin as Array<Record<string, unknown>>).map((b) => b.name).filter((n): n is string => typeof n === 'string') : [];
  const autobins = pkg.autobins !== false;
  const binaries = bins.length > 0 ? bins : packageName && autobins ? [packageName] : [];
  const profile = ((data.profile ?? {}) as Record<string, unknown>).release;
  return {
    packageName,
    binaries,
    rustVersion: typeof pkg['rust-version'] === 'string' ? pkg['rust-version'] : undefined,
    releaseProfile: profile && typeof profile === 'object' ? (profile as Record<string, unknown>) : {},
    profileLine: lineOf(text, /^\s*\[profile\.release\]/) ?? lineOf(text, /^\s*\[package\]/),
    rustVersionLine: lineOf(text, /^\s*rust-version\s*=/),
    workspace: data.workspace !== undefined && data.package === undefined,
    dependencies: Object.keys((data.dependencies ?? {}) as object),
    problem: undefined,
  };
}


/**
 * The binary (and target/ folder) size of a build, from the measurements above: only for the
 * measured toolchain and a program without crates, whose size the standard library dominates.
 */
export function binarySize(model: DockerfileModel, build: CompiledBuild, project: ProjectFacts): { binary: number; folder: number | undefined; provenance: Provenance } | undefined {
  const stage = model.stages[build.stage] as Stage;
  const builder = baseFactsOf(model, stage);
  const manifest = project.manifests.get('Cargo.toml');
  const cargo = manifest !== undefined ? readCargoToml(manifest) : undefined;
  if (builder.languageVersion !== RUST_MEASURED.version || !cargo || cargo.dependencies.length > 0) return undefined;
  if (!build.binaries.every((b) => /\/release\/[^/]+$/.test(b))) return undefined;
  const setting = (key: string, env: string): unknown => build.run.commands.find((c) => c.assignments.has(env))?.assignments.get(env) ?? build.run.env.get(env) ?? cargo.releaseProfile[key];
  const stripped = ['true', true, 'symbols'].includes(setting('strip', 'CARGO_PROFILE_RELEASE_STRIP') as string);
  const allSettings = stripped && ['z', 's'].includes(setting('opt-level', 'CARGO_PROFILE_RELEASE_OPT_LEVEL') as string) && setting('panic', 'CARGO_PROFILE_RELEASE_PANIC') === 'abort';
  const provenance: Provenance = { origin: 'model', detail: `Rust binary measured: a std-only program built by ${RUST_MEASURED.toolchain} on the test stand-in`, confidence: 'medium' };
  if (build.linkage === 'static') return stripped ? undefined : { binary: RUST_MEASURED.releaseStatic, folder: undefined, provenance };
  const binary = allSettings ? RUST_MEASURED.releaseAllSettings : stripped ? RUST_MEASURED.releaseStripped : RUST_MEASURED.releaseDefault;
  return { binary, folder: stripped ? undefined : RUST_MEASURED.targetFolder, provenance };
}

// ---------------------------------------------------------------- cargo builds

/** Files in the context that can change cargo's target, flags or output folder behind the Dockerfile's back. */
const CARGO_CONFIGS = ['.cargo/config.toml', '.cargo/config'];
/** Where the rust images install cargo (`CARGO_HOME`), so `cargo install` puts binaries in its bin/. */
const RUST_IMAGE_CARGO_HOME = '/usr/local/cargo';
/** cargo flags that take a value as the next word. */
const CARGO_VALUE_FLAGS = new Set(['--profile', '--target', '--target-dir', '--bin', '--manifest-path', '--root', '--path', '--features', '-F', '--package', '-p', '--jobs', '-j', '--example', '--color', '--config', '-Z', '--version', '--git', '--branch', '--tag', '--rev', '--registry', '--index']);

/** Every `cargo build` / `cargo install --path` in the file, with where its binaries land and how they link. */
export function cargoBuilds(model: DockerfileModel, project: ProjectFacts): readonly CompiledBuild[] {
  return model.context.memo(CARGO_BUILDS, [model, project], () => findCargoBuilds(model, project));
}

const CARGO_BUILDS = query<readonly CompiledBuild[]>('cargoBuilds');

function findCargoBuilds(model: DockerfileModel, project: ProjectFacts): readonly CompiledBuild[] {
  const builds: CompiledBuild[] = [];
  for (const stage of model.stages) {
    for (const run of stage.runs) {
      let cwd = run.workdir;
      for (const command of run.commands) {
        const name = commandName(command);
        if (name === 'cd' && command.argv[1]) cwd = joinPath(cwd, command.argv[1]);
        if (name !== 'cargo') continue;
        const build = parseCargo(model, stage, run, command, cwd, project);
        if (build) builds.push(build);
      }
    }
  }
  return builds;
}

interface CargoWords {
  readonly verb: string;
  readonly flags: ReadonlyMap<string, readonly string[]>;
}

function cargoWords(argv: readonly string[]): CargoWords | undefined {
  let i = 1;
  if (argv[i]?.startsWith('+')) i++; // cargo +nightly build
  const verb = argv[i];
  if (!verb) return undefined;
  const flags = new Map<string, string[]>();
  for (i++; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') break;
    if (!word.startsWith('-')) continue;
    const eq = word.indexOf('=');
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const value = eq > 0 ? word.slice(eq + 1) : CARGO_VALUE_FLAGS.has(flag) ? argv[++i] ?? '' : '';
    flags.set(flag, [...(flags.get(flag) ?? []), value]);
  }
  return { verb, flags };
}

function parseCargo(model: DockerfileModel, stage: Stage, run: RunStep, command: SimpleCommand, cwd: string, project: ProjectFacts): CompiledBuild | undefined {
  const words = cargoWords(command.argv);
  if (!words || (words.verb !== 'build' && words.verb !== 'b' && words.verb !== 'install')) return undefined;
  const install = words.verb === 'install';
  if (install && !words.flags.has('--path')) return undefined; // installs a crate from a registry: not this project
  const env = (name: string): string | undefined => command.assignments.get(name) ?? command.exported.get(name) ?? run.env.get(name) ?? undefined;
  const flag = (name: string, short?: string): string | undefined => (words.flags.get(name) ?? (short ? words.flags.get(short) : undefined))?.at(-1);
  const builder = baseFactsOf(model, stage);
  const target = flag('--target') ?? env('CARGO_BUILD_TARGET');
  const rustflags = env('RUSTFLAGS') ?? env('CARGO_ENCODED_RUSTFLAGS')?.replace(/\x1f/g, ' ') ?? (target ? env(`CARGO_TARGET_${target.toUpperCase().replace(/[-.]/g, '_')}_RUSTFLAGS`) : undefined);
  const configs = CARGO_CONFIGS.filter((c) => project.contextListing.files.has(c));
  const text = ['cargo', ...command.argv.slice(1)].join(' ');

  // How it links: the target's libc, and crt-static on or off.
  const crt = /target-feature=[^ ]*([+-])crt-static/.exec(rustflags ?? '');
  const targetLibc = target ? (/-linux-musl/.test(target) ? 'musl' : /-linux-gnu/.test(target) ? 'glibc' : undefined) : builder.libc === 'musl' || builder.libc === 'glibc' ? builder.libc : undefined;
  let linkage: Linkage | undefined;
  let linkageWhy: string;
  if (configs.length > 0 && !rustflags) {
    linkage = undefined;
    linkageWhy = `${configs[0]} may set the target and its flags`;
  } else if (!targetLibc) {
    linkage = undefined;
    linkageWhy = target ? `the target ${target} is not a Linux gnu or musl one` : 'the builder\'s libc is not known';
  } else if (crt) {
    linkage = crt[1] === '+' ? 'static' : targetLibc;
    linkageWhy = `-C target-feature=${crt[1]}crt-static in RUSTFLAGS`;
  } else {
    // Rust's defaults: musl targets link statically, gnu targets dynamically.
    linkage = targetLibc === 'musl' ? 'static' : 'glibc';
    linkageWhy = targetLibc === 'musl' ? `the ${target ?? 'musl'} target links statically by default` : `${target ? `the ${target} target` : `the ${stage.base.resolved ?? stage.base.written} builder`} links glibc dynamically by default`;
  }

  // Where the binaries land.
  const manifestDir = flag('--manifest-path') ? joinPath(cwd, flag('--manifest-path') as string).replace(/\/[^/]*$/, '') || '/' : install ? joinPath(cwd, flag('--path') as string) : cwd;
  const manifest = project.manifests.get('Cargo.toml');
  const cargo = manifest !== undefined ? readCargoToml(manifest) : undefined;
  const requested = words.flags.get('--bin')?.filter((b) => b !== '') ?? [];
  let unknownOutput: string | undefined;
  let names: readonly string[] = requested;
  if (requested.length === 0) {
    if (!cargo) unknownOutput = 'Cargo.toml was not read';
    else if (cargo.problem) unknownOutput = `Cargo.toml could not be read (${cargo.problem})`;
    else if (cargo.workspace) unknownOutput = 'Cargo.toml is a workspace; its binaries are in the members';
    else names = cargo.binaries;
  }
  if (!unknownOutput && !copiesManifestTo(stage, run, manifestDir)) unknownOutput = `no COPY puts Cargo.toml into ${manifestDir} before the build`;
  if (!unknownOutput && configs.length > 0 && !target) unknownOutput = `${configs[0]} may set the target and output folder`;
  let dir: string;
  if (install) {
    const root = flag('--root') ?? env('CARGO_INSTALL_ROOT') ?? env('CARGO_HOME') ?? (builder.language === 'rust' ? RUST_IMAGE_CARGO_HOME : undefined);
    dir = root ? joinPath(root, 'bin') : '$CARGO_HOME/bin';
  } else {
    const profile = flag('--profile') ?? (words.flags.has('--release') || words.flags.has('-r') ? 'release' : 'dev');
    const targetDir = joinPath(manifestDir, flag('--target-dir') ?? env('CARGO_TARGET_DIR') ?? 'target');
    dir = joinPath(targetDir, `${target ? `${target}/` : ''}${profile === 'dev' || profile === 'test' ? 'debug' : profile === 'bench' ? 'release' : profile}`);
  }
  const binaries = unknownOutput ? [] : names.map((n) => joinPath(dir, n));
  const staticFlag = crt?.[1] === '+' ? '-C target-feature=+crt-static' : linkage === 'static' ? `--target ${target}` : undefined;
  return { language: 'rust', stage: stage.index, run, command: text, binaries, unknownOutput, linkage, linkageWhy, needsGccRuntime: linkage !== 'static', staticFlag };
}

/** A COPY in the stage, before the RUN, that puts the context's Cargo.toml into `dir`. */
function copiesManifestTo(stage: Stage, run: RunStep, dir: string): boolean {
  return stage.copies.some((c) => {
    if (c.from !== undefined || c.range.start.line > run.range.start.line) return false;
    const dest = joinPath(c.workdir, c.destination).replace(/\/$/, '') || '/';
    return c.sources.some((s) => {
      const src = s.replace(/^\.\//, '').replace(/\/$/, '');
      if (src === '' || src === '.' || src === '*') return dest === dir;
      return src === 'Cargo.toml' && (dest === dir || dest === `${dir}/Cargo.toml`);
    });
  });
}


/**
 * Sizes measured on the test stand-in (test/e2e/stand-ins/rust.sh: Debian's rustc 1.63.0, whose
 * standard library carries debug info) for a std-only program that prints its arguments
 * (test/e2e/README.md, "Rust"): the release binary as built by default, with strip = true, with all
 * five size settings, and static with +crt-static; `du -sb target` after the default build.
 */
export const RUST_MEASURED = {
  toolchain: 'rustc 1.63.0 (Debian)',
  version: '1.63',
  releaseDefault: 11_614_640,
  releaseStripped: 342_408,
  releaseAllSettings: 289_168,
  releaseStatic: 12_573_744,
  targetFolder: 11_649_225,
} as const;

const mb = (bytes: number): string => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.round(bytes / 1000)} kB`);

export const rustMessages = {
  toolchainInFinalImage: (image: string): string =>
    `The final image is ${image}, a Rust toolchain image of several hundred MB that also keeps the sources and target/. ` +
    'Build in a named stage and copy only the binary into a small runtime image.',
  libcMismatch: (binary: string, links: string, why: string, runtime: string, runtimeLibc: string): string =>
    `${binary} is linked against ${links} (${why}), but ${runtime} ${runtimeLibc === 'none' ? 'has no libc' : `has ${runtimeLibc}`}: the container will not start. ` +
    `On the test engine (Docker 20.10, runc 1.1) it printed \`exec ${binary}: no such file or directory\`; older engines print \`exec user process caused "no such file or directory"\`.`,
  heavyRuntime: (image: string, links: string, better: string): string => `The Rust binary is ${links} and runs on ${image}, which carries a shell, a package manager and libraries it does not use. ${better} would do.`,
  releaseProfile: (missing: readonly string[]): string =>
    `The release profile leaves size on the table (${missing.join(', ')} not set). Measured with ${RUST_MEASURED.toolchain} on a std-only program: ` +
    `${mb(RUST_MEASURED.releaseDefault)} as built by default, ${mb(RUST_MEASURED.releaseStripped)} with strip = true, ${mb(RUST_MEASURED.releaseAllSettings)} with strip, lto, opt-level = "z", codegen-units = 1 and panic = "abort". ` +
    'Since Rust 1.77 release builds drop debug info by default, so strip then saves less (the symbol table only).',
  builderOlder: (image: string, builder: string, needed: string): string =>
    `Cargo.toml needs rust-version ${needed}, but ${image} has Rust ${builder}: cargo stops with "error: package … cannot be built because it requires rustc ${needed} or newer, while the currently active rustc version is ${builder}…" (measured on the test engine).`,
};

/** Whether a Rust version written in an image tag ("1.63", "1.63.0") is older than `needed` ("1.70"). */
export function rustOlderThan(version: string, needed: string): boolean | undefined {
  const a = version.split('.').map(Number);
  const b = needed.split('.').map(Number);
  if (a.length < 2 || b.length < 2 || [...a, ...b].some((n) => !Number.isInteger(n))) return undefined;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    // A tag without a patch level ("1.70") is the newest patch: it is not older than 1.70.x.
    if (a[i] === undefined) return false;
    const x = a[i] as number;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
