// Which Go toolchain a build stage runs: the golang tag it builds on, or the Go it installs
// (Debian's golang-1.NN-go / golang-go packages, an official go1.N.P tarball).
import type { DockerfileModel, Stage } from '../../model';
import { baseFactsOf } from '../../runtime';
import { goVersionParts } from './gomod';
import { golangVersion, isGolangImage } from './image';

export interface BuilderGo {
  /** "1.24", "1.22.5": as precise as the Dockerfile says. */
  readonly version: string;
  /** Where the version comes from, for the reader ("golang:1.24", "apt golang-1.22-go"). */
  readonly source: string;
}

/**
 * Go of each Debian release's golang-go package (bookworm 2:1.19~1, trixie 2:1.24~2; packages.debian.org,
 * and `go version` in the stand-in images test/e2e/docker-setup.sh builds).
 */
const DEBIAN_GOLANG_GO: Readonly<Record<string, string>> = { '11': '1.15', '12': '1.19', '13': '1.24' };

const TARBALL = /\bgo(\d+\.\d+(?:\.\d+)?)\.linux-[a-z0-9]+\.tar\.gz\b/;

export function builderGo(model: DockerfileModel, stage: Stage): BuilderGo | undefined {
  const base = baseFactsOf(model, stage);
  // A Go the stage (or a stage it builds on) installs wins over its base image's: the last
  // tarball fetched, else a Debian package. A golang image rarely installs another Go.
  let chain: Stage | undefined = stage;
  const seen = new Set<number>();
  while (chain && !seen.has(chain.index)) {
    seen.add(chain.index);
    for (const run of [...chain.runs].reverse()) {
      const tarball = TARBALL.exec(run.script);
      if (tarball) return { version: tarball[1] as string, source: `go${tarball[1]} tarball` };
    }
    for (const install of chain.packageInstalls) {
      for (const pkg of install.packages) {
        const versioned = /^golang-(\d+\.\d+)(?:-go)?$/.exec(pkg);
        if (versioned) return { version: versioned[1] as string, source: `${install.manager} ${pkg}` };
        if ((pkg === 'golang-go' || pkg === 'golang') && install.manager === 'apt' && base.os === 'debian' && base.release && DEBIAN_GOLANG_GO[base.release]) {
          return { version: DEBIAN_GOLANG_GO[base.release] as string, source: `apt ${pkg} on Debian ${base.release}` };
        }
      }
    }
    chain = chain.base.stage !== undefined ? model.stages[chain.base.stage] : undefined;
  }
  if (isGolangImage(base) && goVersionParts(golangVersion(base))) {
    const root = rootStage(model, stage);
    return { version: golangVersion(base) as string, source: root.base.resolved ?? root.base.written };
  }
  return undefined;
}

function rootStage(model: DockerfileModel, stage: Stage): Stage {
  let current = stage;
  const seen = new Set<number>();
  while (current.base.stage !== undefined && !seen.has(current.index)) {
    seen.add(current.index);
    const parent = model.stages[current.base.stage];
    if (!parent) break;
    current = parent;
  }
  return current;
}
