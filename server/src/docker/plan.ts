// Which builder can build a Dockerfile: the Engine's BuildKit, its classic builder, or the docker
// CLI — decided before the build starts, so an impossible build says why instead of failing midway.
import type { DockerfileModel } from '../analysis/model';

export interface BuildKitFeature {
  /** `RUN --mount`, `heredoc`, `COPY --chmod`, `# syntax` */
  readonly kind: 'mount' | 'heredoc' | 'chmod' | 'syntax';
  /** 1-based line, for messages. */
  readonly line: number;
  readonly text: string;
}

/** What in the Dockerfile the classic builder cannot build. */
export function buildKitFeatures(model: DockerfileModel): BuildKitFeature[] {
  const features: BuildKitFeature[] = [];
  const lineOf = (range: { start: { line: number } }): number => range.start.line + 1;
  if (model.directives.has('syntax')) {
    features.push({ kind: 'syntax', line: 1, text: `# syntax=${model.directives.get('syntax') ?? ''}` });
  }
  for (const stage of model.stages) {
    for (const run of stage.runs) {
      if (run.mounts.length > 0) features.push({ kind: 'mount', line: lineOf(run.range), text: `RUN --mount=type=${run.mounts[0]?.type ?? 'bind'}` });
      if (run.heredoc) features.push({ kind: 'heredoc', line: lineOf(run.range), text: 'RUN <<EOF' });
    }
    for (const copy of stage.copies) {
      if (copy.heredoc) features.push({ kind: 'heredoc', line: lineOf(copy.range), text: `${copy.keyword} <<EOF` });
      if (copy.chmod !== undefined) features.push({ kind: 'chmod', line: lineOf(copy.range), text: `${copy.keyword} --chmod=${copy.chmod}` });
    }
  }
  return features.sort((a, b) => a.line - b.line);
}

export interface EngineFacts {
  /** Engine version, e.g. 20.10.24 or 27.1.0 (distribution suffixes allowed). */
  readonly version: string;
  readonly apiVersion: string;
  /** linux or windows */
  readonly os: string;
}

export interface CliFacts {
  /** Path of the docker CLI; undefined when it is not on PATH. */
  readonly path: string | undefined;
  /** `docker buildx version` works: the CLI can build with BuildKit. */
  readonly buildx: boolean;
}

export type BuildRoute = 'engine-buildkit' | 'engine-classic' | 'docker-cli';

export type BuildPlan =
  | { readonly route: BuildRoute; readonly note: string | undefined }
  | { readonly route: undefined; readonly problem: string };

function versionAtLeast(version: string, major: number, minor = 0): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

/** The Engine API has BuildKit (`POST /build?version=2` with a session) from API 1.39 on Linux. */
export function engineHasBuildKit(engine: EngineFacts): boolean {
  return engine.os === 'linux' && versionAtLeast(engine.apiVersion, 1, 39);
}

/**
 * Heredocs are Dockerfile syntax 1.4, built into BuildKit from Engine 23.0; older engines need a
 * `# syntax=` line (the frontend image then comes from a registry).
 */
export function engineParsesHeredocs(engine: EngineFacts): boolean {
  return versionAtLeast(engine.version, 23);
}

function describe(features: readonly BuildKitFeature[]): string {
  return features.map((f) => `${f.text} (line ${f.line})`).join(', ');
}

export function planBuild(features: readonly BuildKitFeature[], engine: EngineFacts, cli: CliFacts, options: { engineBuildKitFailed?: boolean } = {}): BuildPlan {
  const needsBuildKit = features.length > 0;
  const heredocs = features.filter((f) => f.kind === 'heredoc');
  const hasSyntax = features.some((f) => f.kind === 'syntax');
  const engineBuildKit = engineHasBuildKit(engine) && !options.engineBuildKitFailed;
  if (heredocs.length > 0 && !hasSyntax && !engineParsesHeredocs(engine)) {
    // The CLI (buildx on the same engine) uses the same built-in frontend, so it does not help.
    return {
      route: undefined,
      problem:
        `This Dockerfile uses heredocs (${describe(heredocs)}), which Docker Engine ${engine.version}'s built-in Dockerfile frontend cannot parse ` +
        `(heredocs need Engine 23 or later). Add "# syntax=docker/dockerfile:1" as the first line (BuildKit then fetches the frontend from Docker Hub), or upgrade the engine.`,
    };
  }
  if (engineBuildKit) return { route: 'engine-buildkit', note: undefined };
  if (!needsBuildKit) {
    return { route: 'engine-classic', note: `The engine offers no BuildKit build here; building with its classic builder.` };
  }
  if (cli.path && cli.buildx) {
    return {
      route: 'docker-cli',
      note: `The Engine API cannot build ${describe(features)} here (no BuildKit session); building with the docker CLI (${cli.path} buildx build) instead.`,
    };
  }
  const why = !engineHasBuildKit(engine)
    ? `Docker Engine ${engine.version} (API ${engine.apiVersion}, ${engine.os}) has no BuildKit builder`
    : `the Engine's BuildKit builder did not accept Slimfile's build session`;
  const cliWhy = cli.path ? `the docker CLI at ${cli.path} has no buildx plugin` : 'no docker CLI is on PATH';
  return {
    route: undefined,
    problem: `This Dockerfile needs BuildKit (${describe(features)}), but ${why} and ${cliWhy}. Install the docker buildx plugin or use an engine with BuildKit (Docker 18.09+ on Linux).`,
  };
}
