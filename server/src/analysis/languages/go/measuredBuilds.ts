// Go's measured builds, as data for the workspace's measurer (workspace/measuredBuilds.ts): each go
// build whose binary the final image receives, run with the Dockerfile's size flags and the
// builder's Go release when that release is installed here. What it measured reaches the binary's
// size (binarySize.ts) under the same key.
import type { MeasuredBuild, MeasuringToolchain } from '../types';
import type { DockerfileModel } from '../../model';
import type { ProjectFacts } from '../../project';
import type { GoBuild } from './gobuild';
import type { BuilderGo } from './builderGo';
import { builderGo } from './builderGo';
import { deliveredBinaries, stageOf } from './binaries';
import { goVersionParts } from './gomod';
import { goFacts } from './source/facts';

/** Which build it is within a context: its packages, cgo, size flags and the builder's release. */
export function measuredBuildKey(build: GoBuild, go: BuilderGo | undefined): string {
  return `${build.packages.join(' ')}\0${build.cgo}\0${sizeFlags(build).join(' ')}\0${go?.version ?? ''}`;
}

/** The go flags that change the binary's size, as the Dockerfile writes them. */
export function sizeFlags(build: GoBuild): string[] {
  const flags: string[] = [];
  if (build.trimpath) flags.push('-trimpath');
  if (build.ldflags) flags.push(`-ldflags=${build.ldflags}`);
  if (build.tags.length > 0) flags.push(`-tags=${build.tags.join(',')}`);
  return flags;
}

/** Where the package sits in the context: only `.`, `./x/y` and plain relative paths are mapped. */
export function packageDir(build: GoBuild): string | undefined {
  const pkg = build.packages[0] ?? '.';
  if (pkg.includes('...') || pkg.includes('$') || pkg.startsWith('/')) return undefined;
  if (/^[\w.-]+\.[a-z]{2,}\//.test(pkg)) return undefined; // a module path, not a folder
  return pkg;
}

/** "go1.24.4" -> same release as the builder's "1.24" / "1.24.4". */
export function sameRelease(local: string, go: BuilderGo | undefined): boolean {
  const have = goVersionParts(local);
  const wanted = goVersionParts(go?.version);
  if (!have || !wanted) return false;
  return have[0] === wanted[0] && have[1] === wanted[1] && (go?.version.split('.').length !== 3 || have[2] === wanted[2]);
}

/**
 * The toolchain to measure with: for a builder at Go 1.N, a `go1.N.P` command on PATH (the
 * golang.org/dl wrappers' names; the exact patch first, else the newest 1.N.x), else `go` when it
 * is that release; otherwise `go` as it is, and the figure says the releases differ.
 */
export function goToolchain(go: BuilderGo | undefined): MeasuringToolchain {
  const wanted = goVersionParts(go?.version);
  const toolchain: MeasuringToolchain = { command: 'go', versionArgs: ['env', 'GOVERSION'], env: { GOTOOLCHAIN: 'local' } };
  if (!wanted) return toolchain;
  return {
    ...toolchain,
    preferred: (onPath) => {
      const candidates: Array<{ path: string; patch: number }> = [];
      for (const { name, path } of onPath) {
        const m = /^go(\d+)\.(\d+)(?:\.(\d+))?$/.exec(name);
        if (m && Number(m[1]) === wanted[0] && Number(m[2]) === wanted[1]) candidates.push({ path, patch: Number(m[3] ?? 0) });
      }
      const exact = go?.version.split('.').length === 3 ? candidates.find((c) => c.patch === wanted[2]) : undefined;
      const newest = [...candidates].sort((a, b) => b.patch - a.patch)[0];
      return [exact, newest].flatMap((c) => (c ? [c.path] : []));
    },
  };
}

/** The measured build of one go build, or none when its package is not a folder of the context. */
export function goMeasuredBuild(build: GoBuild, go: BuilderGo | undefined): MeasuredBuild | undefined {
  const pkg = packageDir(build);
  if (pkg === undefined) return undefined;
  const arch = build.env.get('GOARCH');
  const env: Record<string, string> = { GOOS: 'linux', GOARCH: arch?.includes('$') ? 'amd64' : arch ?? 'amd64', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
  if (build.cgo !== 'default') env['CGO_ENABLED'] = build.cgo === 'off' ? '0' : '1';
  return {
    key: measuredBuildKey(build, go),
    toolchain: goToolchain(go),
    args: (out) => ['build', ...sizeFlags(build), '-o', out, pkg],
    env,
    inputs: { names: ['go.mod', 'go.sum'], extensions: ['.go'], skipFolders: ['vendor', 'node_modules', '.git', 'testdata'] },
    provenance: (version) =>
      go === undefined || sameRelease(version, go)
        ? { origin: 'measured-build', detail: `measured: go build with the Dockerfile's flags (${version}, this machine)`, confidence: 'high' }
        : {
            origin: 'measured-build',
            // Binaries differ by release (Go 1.22's http server is 7% larger than 1.19's): say so.
            detail: `measured with Go ${version.replace(/^go/, '')} on this machine; the image builds with Go ${go.version} (${go.source}), and no go${go.version.split('.').slice(0, 2).join('.')} is installed here`,
            confidence: 'medium',
          },
  };
}

/** Every go build whose binary the final image receives, for a context holding Go sources. */
export function goMeasuredBuilds(model: DockerfileModel, project: ProjectFacts): MeasuredBuild[] {
  if (!goFacts(project).hasGoSources) return [];
  return deliveredBinaries(model, project).flatMap(({ build }) => goMeasuredBuild(build, builderGo(model, stageOf(model, build))) ?? []);
}
