// Build and Compare as the editor command and the CLI run them: connect to the engine, build, and
// answer with the real sizes beside the estimates, written the same way for every editor.
// The engine code (dockerode, tar-fs, the BuildKit session) is imported on the first build, so a
// server that never builds never loads it.
import { formatBytes } from '../analysis/estimate/sizes';
import type { BuildResult, CompareResult, RunComparison, ShownImage } from '../protocol';
import type Docker from 'dockerode';
import type { BuildHooks, BuiltImage, Engine } from './build';
import type { ProbePlan } from './run';

export interface BuildInput {
  /** The Dockerfile on disk: its name, its folder's .dockerignore, and its text unless dockerfileText is set. */
  readonly dockerfilePath: string;
  /** Build this text instead of the file (an editor's unsaved edits); the file is not touched. */
  readonly dockerfileText?: string;
  readonly contextDir: string;
  /** Engine address (slimfile.docker.host, --host); empty: DOCKER_HOST, the docker context, the default socket. */
  readonly host?: string;
  readonly noCache?: boolean;
  /** The label shown for the image (default: the Dockerfile's name). */
  readonly label?: string;
}

export interface CompareInput extends BuildInput {
  readonly minimizedText: string;
  readonly applied: readonly string[];
  /** Repository of both tags (`<repo>:original`, `<repo>:minimized`); default slimfile/<context folder>. */
  readonly repository?: string;
  /** Asked when both images are built, as for runBuild's estimate. */
  readonly estimates: () => Promise<{ readonly original: number | undefined; readonly minimized: number | undefined }>;
  /** The labels of the two sides (default "as written" and "minimized"; `compare --run A B` names the files). */
  readonly labels?: { readonly original: string; readonly minimized: string };
  /** Also run both images with these probes and compare how they behave; the images are removed afterwards. */
  readonly run?: { readonly plan: ProbePlan; readonly timeoutSeconds: number };
}

export interface RunHooks extends BuildHooks {
  /** Compare: which side is being built. */
  readonly onPhase?: (phase: 'original' | 'minimized') => void;
}

/** "estimate ≈ 6.1 MB (+1.2%)": how far the estimate was from the real size. */
export function estimateNote(real: number, estimate: number | undefined): string {
  if (estimate === undefined) return 'no estimate';
  const off = ((estimate - real) / real) * 100;
  return `estimate ≈ ${formatBytes(estimate)} (${off >= 0 ? '+' : ''}${off.toFixed(1)}%)`;
}

export function shownImage(label: string, image: BuiltImage, estimate: number | undefined): ShownImage {
  return {
    label,
    tag: image.tag,
    image: image.id,
    bytes: image.bytes,
    estimate: estimate ?? null,
    size: formatBytes(image.bytes),
    estimateNote: estimateNote(image.bytes, estimate),
    seconds: Number(image.seconds.toFixed(2)),
    builder: image.route,
    layers: image.layers.map((l) => ({ createdBy: l.createdBy, bytes: l.bytes, size: formatBytes(l.bytes), created: l.created })),
  };
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * Builds and measures one image. `estimate` is asked when the image is built: a build that cannot
 * start says so before any registry lookup, and the size lookups the estimate started have
 * finished by then. Throws BuildError.
 */
export async function runBuild(input: BuildInput & { readonly tag?: string }, estimate: () => Promise<number | undefined>, hooks: RunHooks = {}): Promise<BuildResult> {
  const { buildImage, connectEngine, tagFor } = await import('./build');
  const engine = await connectEngine({ setting: input.host ?? '' });
  const built = await buildImage(
    engine,
    {
      contextDir: input.contextDir,
      dockerfilePath: input.dockerfilePath,
      ...(input.dockerfileText === undefined ? {} : { dockerfileText: input.dockerfileText }),
      tag: input.tag ?? tagFor(input.contextDir, 'latest'),
      ...(input.noCache ? { noCache: true } : {}),
    },
    hooks,
  );
  const image = shownImage(input.label ?? basename(input.dockerfilePath), built, await estimate());
  return { image, message: `${image.tag} is ${image.size} (${image.estimateNote}), built in ${image.seconds.toFixed(1)} s.` };
}

/**
 * Builds the Dockerfile as written and minimized, one after the other; with `run`, runs and probes
 * both and compares how they behave, then removes both tags (on success, failure and cancel).
 * Throws BuildError.
 */
export async function runCompare(input: CompareInput, hooks: RunHooks = {}): Promise<CompareResult> {
  const [{ connectEngine, tagFor }, { compareBuilds }] = await Promise.all([import('./build'), import('./compare')]);
  const engine = await connectEngine({ setting: input.host ?? '' });
  // A run builds under tags of its own, so that removing them never takes the user's tags.
  const repository = input.repository ?? (input.run ? tagFor(input.contextDir, 'x').replace(/:x$/, '-run') : undefined);
  try {
    const result = await compareBuilds(
      engine,
      {
        contextDir: input.contextDir,
        dockerfilePath: input.dockerfilePath,
        ...(input.dockerfileText === undefined ? {} : { originalText: input.dockerfileText }),
        minimizedText: input.minimizedText,
        ...(repository ? { repository } : {}),
        ...(input.noCache ? { noCache: true } : {}),
      },
      hooks,
    );
    const behaviour = input.run ? await runBoth(engine, result.original.tag, result.minimized.tag, input.run, hooks) : undefined;
    const estimates = await input.estimates();
    const labels = input.labels ?? { original: 'as written', minimized: 'minimized' };
    const original = shownImage(labels.original, result.original, estimates.original);
    const minimized = shownImage(labels.minimized, result.minimized, estimates.minimized);
    const ratio = Number(result.ratio.toFixed(2));
    const sizes = `${basename(input.dockerfilePath)} is ${original.size} ${labels.original} and ${minimized.size} ${labels.minimized}: ${result.ratio.toFixed(1)}x smaller`;
    const differing = behaviour?.rows.filter((r) => !r.same).map((r) => r.check) ?? [];
    const verdict = behaviour === undefined ? '.' : behaviour.same ? '; both behave the same.' : `; they behave differently (${differing.join(', ')}).`;
    return { original, minimized, ratio, applied: input.applied, message: `${sizes}${verdict}`, ...(behaviour ? { behaviour } : {}) };
  } finally {
    if (input.run) await removeTags(engine.docker, [`${repository}:original`, `${repository}:minimized`]);
  }
}

async function runBoth(engine: Engine, original: string, minimized: string, run: NonNullable<CompareInput['run']>, hooks: RunHooks): Promise<RunComparison> {
  const [{ runImage, removeKept, statPaths }, { compareRuns, writtenPaths }] = await Promise.all([import('./run'), import('./behaviour')]);
  const options = { timeoutSeconds: run.timeoutSeconds, keep: true, ...(hooks.signal ? { signal: hooks.signal } : {}), ...(hooks.onLog ? { onLog: hooks.onLog } : {}) };
  let a: Awaited<ReturnType<typeof runImage>> | undefined;
  let b: Awaited<ReturnType<typeof runImage>> | undefined;
  try {
    hooks.onStep?.('running as written');
    a = await runImage(engine.docker, original, run.plan, options);
    hooks.onStep?.('running minimized');
    b = await runImage(engine.docker, minimized, run.plan, options);
    // A folder one side made at run time and the other image already has ends the same: both
    // containers are asked what each such path is.
    const added = (r: NonNullable<typeof a>): string[] => writtenPaths(r.changes).filter((p) => p.startsWith('+')).map((p) => p.slice(1));
    const onlyA = added(a).filter((p) => !added(b as NonNullable<typeof b>).includes(p));
    const onlyB = added(b).filter((p) => !added(a as NonNullable<typeof a>).includes(p));
    const both = [...onlyA, ...onlyB];
    const [inA, inB] = await Promise.all([statPaths(engine.docker, a.kept as string, both), statPaths(engine.docker, b.kept as string, both)]);
    const sameFolders = both.filter((p) => inA.get(p) === 'folder' && inB.get(p) === 'folder');
    return compareRuns(a, b, sameFolders);
  } finally {
    await removeKept(engine.docker, a?.kept);
    await removeKept(engine.docker, b?.kept);
  }
}

/**
 * Untags (and so removes, when nothing else names it) each image; a tag that was never made is
 * fine. The untagged parents stay: they are the classic builder's cache, and without them the
 * next run would build every step again.
 */
async function removeTags(docker: Docker, tags: readonly string[]): Promise<void> {
  for (const tag of tags) {
    try {
      await docker.getImage(tag).remove({ noprune: true });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // 409: a container still uses it (not one of the run's: those are gone); leave it.
      if (status !== 404 && status !== 409) throw error;
    }
  }
}
