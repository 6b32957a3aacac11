// What compiled languages (Rust, C/C++) share: a build step that leaves binaries at known paths,
// how each binary links libc, which binaries reach the final image, and what a scan of the
// sources says the program touches at run time. Each language's parser fills CompiledBuild.
import type { CopyStep, DockerfileModel, RunStep } from '../model';
import type { ProjectFacts } from '../project';
import type { Libc } from '../baseImage';
import { baseFactsOf } from '../runtime';
import { joinPath } from '../paths';
import { shellWord } from '../fixes/dockerfileWords';

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
  /** Where it is in the final image (the COPY's destination), what the container execs. */
  readonly finalPath: string;
}

/** Binaries of `builds` that end up in the final stage: built there, or copied from their stage. */
export function deliveredBinaries(model: DockerfileModel, builds: readonly CompiledBuild[]): DeliveredBinary[] {
  const final = model.finalStage;
  if (!final) return [];
  const out: DeliveredBinary[] = [];
  for (const build of builds) {
    if (build.stage === final.index) for (const path of build.binaries) out.push({ build, path, copy: undefined, finalPath: path });
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
        if (!copied) continue;
        // COPY a/b /dest/ or several sources: into the folder; one source to a name: that name.
        const dest = joinPath(copy.workdir, copy.destination);
        const intoFolder = copy.destination.endsWith('/') || copy.sources.length > 1 || copy.sources.some((s) => joinPath(source?.workdir ?? '/', s) !== path);
        const finalPath = intoFolder ? joinPath(dest, path.slice(path.lastIndexOf('/') + 1)) : dest;
        out.push({ build, path, copy, finalPath });
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

export function hasSources(project: ProjectFacts, extensions: readonly string[]): boolean {
  return [...project.sources.keys()].some((f) => extensions.some((e) => f.endsWith(e)));
}

/** A libc word for messages. */
export function linkageText(linkage: Linkage): string {
  return linkage === 'static' ? 'statically linked' : `linked against ${linkage}`;
}

/**
 * What a container prints when its binary's dynamic loader is missing (a glibc binary on musl or
 * scratch, a musl binary on glibc). Measured on the test engine (Docker Engine 20.10.24 with runc
 * 1.1.5, test/e2e/stand-ins): `docker run` printed this and exited with status 1. Older runc
 * versions print the form the Docker docs and many write-ups quote.
 */
export const MISSING_LOADER_TEXT = (binary: string): string => `exec ${binary}: no such file or directory`;
export const MISSING_LOADER_TEXT_OLD_RUNC = 'standard_init_linux.go: exec user process caused "no such file or directory"';

export interface RuntimeChoice {
  readonly image: string;
  /** distroless images have :nonroot; scratch and alpine take USER 65532:65532. */
  readonly hasNonrootTag: boolean;
}

/**
 * The smallest runtime a binary works on: static ones need no libc; glibc ones need a glibc at
 * least as new as the builder's (distroless cc for Rust's libgcc_s and C++'s libstdc++, else
 * distroless base); musl ones need alpine. Debian release: the builder's, or the newest (13)
 * when the tag does not say, since a newer glibc runs binaries built against an older one.
 */
export function smallestRuntime(linkage: Linkage, builder: { readonly release: string | undefined; readonly os: string | undefined }, needsGccRuntime: boolean, staticTarget: 'scratch' | 'distroless'): RuntimeChoice {
  if (linkage === 'static') return staticTarget === 'scratch' ? { image: 'scratch', hasNonrootTag: false } : { image: 'gcr.io/distroless/static-debian12', hasNonrootTag: true };
  if (linkage === 'musl') return { image: `alpine:${builder.os === 'alpine' && builder.release ? builder.release : '3'}`, hasNonrootTag: false };
  const debian = builder.os === 'debian' && builder.release !== undefined && Number(builder.release) <= 12 ? '12' : '13';
  return { image: `gcr.io/distroless/${needsGccRuntime ? 'cc' : 'base'}-debian${debian}`, hasNonrootTag: true };
}

/**
 * What Debian's own glibc, libstdc++ and libgcc_s provide, by release: the newest symbol versions a
 * binary may need to run there. Read from the debian:bookworm and debian:trixie stand-ins, built
 * from Debian's packages (libc6 2.36-9+deb12u14, libstdc++6 and libgcc-s1 12.2.0-14+deb12u1;
 * libc6 2.41-12+deb13u5, libstdc++6 and libgcc-s1 14.2.0-19), with grep on the libraries.
 */
const DEBIAN_RUNTIME_LIBS: Readonly<Record<string, Readonly<Record<'GLIBC' | 'GLIBCXX' | 'CXXABI' | 'GCC', string>>>> = {
  '12': { GLIBC: '2.36', GLIBCXX: '3.4.30', CXXABI: '1.3.13', GCC: '12.0.0' },
  '13': { GLIBC: '2.41', GLIBCXX: '3.4.33', CXXABI: '1.3.15', GCC: '14.0.0' },
};

/**
 * The Debian packages whose shared libraries the glibc distroless images (base and cc) of a
 * release have besides libstdc++ and libgcc_s (taken by name below): glibc, and libssl. Sources:
 * distroless's base README ("glibc, libssl, openssl, ca-certificates"; the openssl program was
 * dropped from the debian12 images, libssl kept: GoogleContainerTools/distroless#1778, 2025-04);
 * libssl3t64 in cc-debian13 (distroless#2106, 2026-06; ClickHouse/ClickHouse#107837 lists
 * cc-debian13's packages). libssl3 and libssl3t64 are bookworm's and trixie's names for it
 * (docker-library/repo-info python/3.11-slim-bookworm.md and debian/13-slim.md). A binary linking
 * libssl (a Rust program with openssl-sys, a C program with -lssl) runs there; any other library
 * fails the check.
 */
const DEBIAN_RUNTIME_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  '12': ['libc6', 'libssl3'],
  '13': ['libc6', 'libssl3t64'],
};

/**
 * A RUN for the build stage that proves the binaries run on a distroless runtime of a Debian
 * release: every library ldd finds comes (dpkg -S) from a package the runtime has (glibc's or libssl's), and no binary
 * needs a newer glibc, libstdc++ or libgcc_s symbol version than the release ships (a binary of
 * gcc:latest, GCC 15, needs GLIBCXX_3.4.34, which Debian 13 lacks). On distroless cc, libstdc++ and
 * libgcc_s are taken by name wherever the builder has them (the official gcc images build GCC
 * into /usr/local): the version checks are what prove the runtime's copies serve the binary.
 * Fails the build naming what is missing, so the image never breaks silently at run time.
 * Undefined when the runtime is not a glibc distroless one.
 */
export function linkProof(binaries: readonly string[], runtimeImage: string, eol: string): string[] | undefined {
  const release = /distroless\/(base|cc)-debian(\d+)/.exec(runtimeImage);
  const libs = release ? DEBIAN_RUNTIME_LIBS[release[2] as string] : undefined;
  const packages = release ? DEBIAN_RUNTIME_PACKAGES[release[2] as string] : undefined;
  if (!release || !libs || !packages) return undefined;
  const cc = release[1] === 'cc';
  const fail = (what: string): string => `echo "Slimfile: $bin ${what}" >&2; exit 1`;
  const newest = (prefix: string, have: string): string =>
    `need=$(objdump -T "$bin" | grep -o '${prefix}_[0-9][0-9.]*' | sed 's/^${prefix}_//' | sort -uV | tail -n1); ` +
    `if [ -n "$need" ] && [ "$(printf '%s\\n' "$need" ${have} | sort -V | tail -n1)" != ${have} ]; then ${fail(`needs ${prefix}_$need, newer than the ${have} of ${runtimeImage}`)}; fi`;
  const byName = cc ? ' case "${lib##*/}" in libstdc++.so.6|libgcc_s.so.1) continue;; esac;' : '';
  const body = [
    `for bin in ${[...new Set(binaries)].map(shellWord).join(' ')}; do`,
    `  for lib in $(ldd "$bin" | awk '/=> \\//{print $3}'); do${byName}`,
    `    pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null); pkg=\${pkg%%:*};`,
    `    case "$pkg" in ${packages.join('|')}) ;; *) ${fail(`links $lib (\${pkg:-from no Debian package}), which ${runtimeImage} does not have`)};; esac;`,
    '  done;',
    ...(cc ? (['GLIBC', 'GLIBCXX', 'CXXABI', 'GCC'] as const) : (['GLIBC'] as const)).map((p) => `  ${newest(p, libs[p])};`),
    'done',
  ];
  return [
    `# Proves on the built binaries that ${runtimeImage} runs them: the libraries they link and the glibc, libstdc++ and libgcc_s versions they need.`,
    `RUN ${body.join(` \\${eol}`)}`,
  ];
}
