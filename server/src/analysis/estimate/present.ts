// Estimates as the user reads them: CodeLens titles, the hover on a base image and Minimize's
// saving. One estimate per document version feeds them all, and each figure is worded here once,
// so the lens, the hover, the notification and `slimfile estimate` cannot disagree.
import type { Hover, Position, Range } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../model';
import type { ProjectFacts } from '../project';
import type { ImageEstimate, StageEstimate } from './estimate';
import { CA_BUNDLE_BYTES } from './files';
import { formatBytes, type SizedImage } from './sizes';
import { describeBase, type BaseFacts } from '../baseImage';
import { distrolessRelease, binaryPath, deliveredBinaries, stageOf } from '../languages/go/binaries';
import { baseFactsOf } from '../runtime';
import { formatImageReference, parseImageReference, type ImageReference } from '../imageRef';
import type { RuntimeChoice } from '../findings';
import { scratchBlockers, scratchNeeds } from '../languages/go/scratch';
import { goBuildsIn } from '../languages/go/goBuilds';
import { query } from '../context';
import type { GoBuild } from '../languages/go/gobuild';

export interface SizeLens {
  readonly range: Range;
  readonly title: string;
  /** The lens on the first line runs Minimize. */
  readonly minimize: boolean;
}

const approx = (bytes: number | undefined): string => (bytes === undefined ? '?' : `≈ ${formatBytes(bytes)}`);

export function imageLensTitle(now: ImageEstimate, minimized: ImageEstimate | undefined): string {
  const current = now.bytes === undefined ? 'Image size unknown' : `Image ${approx(now.bytes)}`;
  if (!minimized || minimized.bytes === undefined || now.bytes === undefined || minimized.bytes >= now.bytes) return current;
  const onScratch = minimized.stages[minimized.stages.length - 1]?.image === 'scratch' && now.stages[now.stages.length - 1]?.image !== 'scratch';
  return `${current} · ${approx(minimized.bytes)}${onScratch ? ' on scratch' : ''} after Minimize`;
}

/** Minimize's saving, "Image ≈ 983 MB → ≈ 6.0 MB (164x smaller)"; undefined unless both are known and the image gets smaller. */
export function savingText(before: number | undefined, after: number | undefined): string | undefined {
  if (before === undefined || after === undefined || after >= before) return undefined;
  return `Image ${approx(before)} → ${approx(after)} (${Math.round(before / Math.max(after, 1))}x smaller).`;
}

export function stageLensTitle(stage: StageEstimate): string {
  const base = stage.base ? `${stage.image} ${approx(stage.base.bytes)}` : `${stage.image} (size unknown)`;
  return `${base} · stage adds ${approx(stage.added)}`;
}

const SIZE_LENSES = query<readonly SizeLens[]>('sizeLenses');

/**
 * Every size lens of a version, worded once per estimate: the editor resolves its lenses one at a
 * time, and each resolve reads its own title from this list.
 */
export function sizeLenses(model: DockerfileModel, now: ImageEstimate, minimized: ImageEstimate | undefined): readonly SizeLens[] {
  return model.context.memo(SIZE_LENSES, minimized ? [model, now, minimized] : [model, now], () => wordSizeLenses(model, now, minimized));
}

function wordSizeLenses(model: DockerfileModel, now: ImageEstimate, minimized: ImageEstimate | undefined): SizeLens[] {
  const first = model.stages[0];
  if (!first) return [];
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const lenses: SizeLens[] = [{ range: top, title: imageLensTitle(now, minimized), minimize: true }];
  for (const stage of now.stages) {
    const s = model.stages[stage.index];
    if (s) lenses.push({ range: s.fromRange, title: stageLensTitle(stage), minimize: false });
  }
  return lenses;
}

export interface HoverKnowledge {
  size(ref: ImageReference): SizedImage | undefined;
  /** The binary a build makes, measured or modelled, with the Go it was measured or calibrated with. */
  binary?(build: GoBuild, stage: Stage): SizedImage | undefined;
  /** Extra facts from the catalog or a registry (shell path, user, digest, platforms). */
  details?(ref: ImageReference): ImageDetails | undefined;
}

export interface ImageDetails {
  readonly shell?: string | null;
  readonly user?: string;
  readonly libcVersion?: string | null;
  readonly digest?: string;
  readonly platforms?: readonly string[];
}

function contains(range: Range, position: Position): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? 'unknown' : value ? 'yes' : 'no');

/** A smaller base for what this program needs, when there is one. */
function smallerBase(project: ProjectFacts, facts: BaseFacts, runtime: RuntimeChoice, release: '12' | '13'): { image: string; why: string; extra?: number } | undefined {
  if (facts.kind === 'scratch' || !project.go.hasGoSources) return undefined;
  if (runtime === 'scratch' && !project.go.needs.cgo.needed) {
    const blockers = scratchBlockers(project);
    if (blockers.length === 0) {
      // What Minimize copies into scratch for this program, by the measured sizes.
      const needs = project.go.needs;
      const wanted = scratchNeeds(project);
      const adds: string[] = [];
      let extra = 0;
      if (wanted.caBundle) {
        adds.push(`the CA bundle (${formatBytes(CA_BUNDLE_BYTES)})`);
        extra += CA_BUNDLE_BYTES;
      }
      if (wanted.zones) adds.push('zone data (-tags timetzdata, about 0.5 MB in the binary)');
      if (needs.files.tempFiles.length > 0) adds.push('an empty /tmp');
      if (needs.userLookup.needed) adds.push('/etc/passwd and /etc/group');
      return { image: 'scratch', why: `a static Go binary (CGO_ENABLED=0) needs no libc; Minimize adds ${adds.length > 0 ? adds.join(', ') : 'nothing but the binary'}`, extra };
    }
    if (facts.kind === 'distroless-static' || facts.kind === 'static') return undefined;
    return { image: `gcr.io/distroless/static-debian${release}:nonroot`, why: `a static Go binary needs no libc (not scratch: ${blockers.join('; ')})` };
  }
  if (facts.kind === 'distroless-static' || facts.kind === 'static') return undefined;
  if (project.go.needs.cgo.needed) {
    if (facts.kind === 'distroless-cc' || facts.kind === 'distroless-base') return undefined;
    return { image: `gcr.io/distroless/cc-debian${release}:nonroot`, why: 'the program needs cgo, so glibc; distroless cc has it without a shell or package manager' };
  }
  const needs = [project.go.needs.tls.needed ? 'CA certificates' : '', project.go.needs.zoneinfo.needed ? 'zoneinfo' : ''].filter(Boolean);
  return {
    image: `gcr.io/distroless/static-debian${release}:nonroot`,
    why: `a static Go binary (CGO_ENABLED=0) needs no libc${needs.length > 0 ? `; it has the ${needs.join(' and ')} the program uses` : ''}`,
  };
}

/** The stage whose FROM image is at `position`, if any (the hover is about it). */
export function stageAtBase(model: DockerfileModel, position: Position): DockerfileModel['stages'][number] | undefined {
  return model.stages.find((s) => contains(s.base.range, position));
}

/** The estimate of the document's version, now and after Minimize: the one the lenses show. */
export interface HoverEstimate {
  readonly now: ImageEstimate;
  readonly minimized: ImageEstimate | undefined;
}

export function baseImageHover(
  model: DockerfileModel,
  position: Position,
  project: ProjectFacts,
  knowledge: HoverKnowledge,
  estimate?: HoverEstimate,
  runtime: RuntimeChoice = 'distroless',
): Hover | undefined {
  const stage = stageAtBase(model, position);
  if (!stage) return undefined;
  const range = stage.base.range;
  if (stage.base.resolved === undefined) {
    const names = stage.base.unresolvedVariables;
    const why = names.length > 0 ? `The image comes from a build argument without a default (${names.join(', ')})` : 'The image name is empty here';
    return { range, contents: { kind: 'markdown', value: `**${stage.base.written || 'FROM'}**\n\n${why}: Slimfile makes no size or libc claim about it.` } };
  }
  if (stage.base.stage !== undefined) {
    const parent = model.stages[stage.base.stage];
    return { range, contents: { kind: 'markdown', value: `**${stage.base.resolved}**: the stage \`${parent?.name ?? stage.base.stage}\` defined above.` } };
  }
  const ref = stage.base.reference;
  const facts = stage.base.isScratch ? describeBase(undefined, true) : baseFactsOf(model, stage);
  const title = stage.base.isScratch ? 'scratch' : ref ? formatImageReference(ref) : stage.base.resolved;
  // The base's size as the estimate read it, so the hover and the stage's lens show one figure.
  const estimated = estimate?.now.stages[stage.index]?.base;
  const size = stage.base.isScratch ? { bytes: 0, compressed: 0, provenance: { origin: 'fixed' as const, detail: 'scratch is empty', confidence: 'high' as const } } : estimated ?? (ref ? knowledge.size(ref) : undefined);
  const details = ref ? knowledge.details?.(ref) : undefined;
  const rows: Array<[string, string]> = [];
  rows.push(['Size', size ? `${approx(size.bytes)} on disk${size.compressed ? `, ${formatBytes(size.compressed)} to pull` : ''}` : 'unknown']);
  rows.push(['OS', facts.os ? `${facts.os}${facts.release ? ` ${facts.release}` : ''}` : 'unknown']);
  // An unsuffixed golang tag floats: say where it points and since when (the catalog's dated mapping).
  if (facts.floating && ref) rows.push(['Tag', `${ref.familiar}:${ref.tag} → ${facts.floating.codename} since ${facts.floating.since}${facts.floating.before ? ` (${facts.floating.before} before)` : ''}`]);
  rows.push(['libc', facts.libc ? `${facts.libc}${details?.libcVersion ? ` ${details.libcVersion}` : ''}` : 'unknown']);
  rows.push(['Shell', details?.shell !== undefined ? details.shell ?? 'none' : yesNo(facts.shell)]);
  rows.push(['Package manager', facts.packageManager ?? (facts.kind === 'unknown' ? 'unknown' : 'none')]);
  rows.push(['CA certificates', yesNo(facts.caCertificates)]);
  rows.push(['zoneinfo', yesNo(facts.zoneinfo)]);
  rows.push(['User', details?.user ?? (facts.nonrootDefault === undefined ? 'unknown' : facts.nonrootDefault ? 'nonroot (65532)' : 'root')]);
  if (ref?.digest || details?.digest) rows.push(['Digest', `\`${ref?.digest ?? details?.digest}\``]);
  if (details?.platforms && details.platforms.length > 0) rows.push(['Platforms', details.platforms.join(', ')]);
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const parts = [`**${title}**`, table];
  if (size) parts.push(`*Size: ${size.provenance.detail} (${size.provenance.confidence} confidence)*`);
  const isFinal = stage.index === model.finalStage?.index;
  if (isFinal && estimate) parts.push(`**${imageLensTitle(estimate.now, estimate.minimized)}**: the whole image, estimated (${estimate.now.confidence} confidence); the lens on line 1 shows the same estimate.`);
  if (isFinal) {
    // The distroless release of the stage that builds the program (debian13 for trixie builders).
    const builder = deliveredBinaries(model, project).map((b) => stageOf(model, b.build))[0] ?? stage;
    const better = smallerBase(project, facts, runtime, distrolessRelease(builder));
    if (better && better.image !== title) {
      const betterRef = better.image === 'scratch' ? undefined : parseImageReference(better.image);
      const betterSize = better.image === 'scratch' ? { bytes: better.extra ?? 0 } : betterRef ? knowledge.size(betterRef) : undefined;
      const saving = size && betterSize && size.bytes > betterSize.bytes ? ` — saves ${approx(size.bytes - betterSize.bytes)}` : '';
      const sizeNote = betterSize ? ` (${approx(betterSize.bytes)}${better.image === 'scratch' ? ' besides the binary' : ''})` : '';
      parts.push(`**Smaller:** \`${better.image}\`${sizeNote} would serve this program: ${better.why}${saving}.`);
    }
  } else if (goBuildsIn(model, stage).length > 0) {
    parts.push('A build stage: its size does not reach the final image unless the final stage builds on it.');
  }
  for (const build of project.go.hasGoSources ? goBuildsIn(model, stage) : []) {
    const binary = knowledge.binary?.(build, stage);
    if (binary) parts.push(`**Binary** \`${binaryPath(build, project) ?? build.packages.join(' ')}\`: ${approx(binary.bytes)} — ${binary.provenance.detail} (${binary.provenance.confidence} confidence)`);
  }
  return { range, contents: { kind: 'markdown', value: parts.join('\n\n') } };
}
