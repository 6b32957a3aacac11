// Build and Compare as the editor command and the CLI run them: connect to the engine, build, and
// answer with the real sizes beside the estimates, written the same way for every editor.
// The engine code (dockerode, tar-fs, the BuildKit session) is imported on the first build, so a
// server that never builds never loads it.
import { formatBytes } from '../analysis/estimate/sizes';
import type { BuildResult, CompareResult, ShownImage } from '../protocol';
import type { BuildHooks, BuiltImage } from './build';

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

/** Builds the Dockerfile as written and minimized, one after the other. Throws BuildError. */
export async function runCompare(input: CompareInput, hooks: RunHooks = {}): Promise<CompareResult> {
  const [{ connectEngine }, { compareBuilds }] = await Promise.all([import('./build'), import('./compare')]);
  const engine = await connectEngine({ setting: input.host ?? '' });
  const result = await compareBuilds(
    engine,
    {
      contextDir: input.contextDir,
      dockerfilePath: input.dockerfilePath,
      ...(input.dockerfileText === undefined ? {} : { originalText: input.dockerfileText }),
      minimizedText: input.minimizedText,
      ...(input.repository ? { repository: input.repository } : {}),
      ...(input.noCache ? { noCache: true } : {}),
    },
    hooks,
  );
  const estimates = await input.estimates();
  const original = shownImage('as written', result.original, estimates.original);
  const minimized = shownImage('minimized', result.minimized, estimates.minimized);
  const ratio = Number(result.ratio.toFixed(2));
  return {
    original,
    minimized,
    ratio,
    applied: input.applied,
    message: `${basename(input.dockerfilePath)} is ${original.size} as written and ${minimized.size} minimized: ${result.ratio.toFixed(1)}x smaller.`,
  };
}
