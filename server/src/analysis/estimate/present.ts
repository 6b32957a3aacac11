// Estimates as the user reads them: CodeLens titles, the hover on a base image and Minimize's
// saving. One estimate per document version feeds them all, and each figure is worded here once,
// so the lens, the hover, the notification and `slimfile estimate` cannot disagree.
import type { Hover, Position, Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../model';
import type { ProjectFacts } from '../project';
import type { ImageEstimate, StageEstimate } from './estimate';
import { approxBytes, formatBytes, type HoverKnowledge } from './sizes';
import { describeBase } from '../baseImage';
import { baseFactsOf } from '../runtime';
import { formatImageReference, parseImageReference, type ImageReference } from '../imageRef';
import type { RuntimeChoice } from '../findings';
import { query } from '../context';
import { languages } from '../languages/registry';
import type { SmallerBase } from '../languages/types';

// Where the hover's knowledge is declared (below the languages, which add to it); its users import it from here.
export type { HoverKnowledge, ImageDetails } from './sizes';

export interface SizeLens {
  readonly range: Range;
  readonly title: string;
  /** The lens on the first line runs Minimize. */
  readonly minimize: boolean;
}

export function imageLensTitle(now: ImageEstimate, minimized: ImageEstimate | undefined): string {
  const current = now.bytes === undefined ? 'Image size unknown' : `Image ${approxBytes(now.bytes)}`;
  if (!minimized || minimized.bytes === undefined || now.bytes === undefined || minimized.bytes >= now.bytes) return current;
  const onScratch = minimized.stages[minimized.stages.length - 1]?.image === 'scratch' && now.stages[now.stages.length - 1]?.image !== 'scratch';
  return `${current} · ${approxBytes(minimized.bytes)}${onScratch ? ' on scratch' : ''} after Minimize`;
}

/** Minimize's saving, "Image ≈ 983 MB → ≈ 6.0 MB (164x smaller)"; undefined unless both are known and the image gets smaller. */
export function savingText(before: number | undefined, after: number | undefined): string | undefined {
  if (before === undefined || after === undefined || after >= before) return undefined;
  return `Image ${approxBytes(before)} → ${approxBytes(after)} (${Math.round(before / Math.max(after, 1))}x smaller).`;
}

export function stageLensTitle(stage: StageEstimate): string {
  const base = stage.base ? `${stage.image} ${approxBytes(stage.base.bytes)}` : `${stage.image} (size unknown)`;
  return `${base} · stage adds ${approxBytes(stage.added)}`;
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

function contains(range: Range, position: Position): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? 'unknown' : value ? 'yes' : 'no');

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
  rows.push(['Size', size ? `${approxBytes(size.bytes)} on disk${size.compressed ? `, ${formatBytes(size.compressed)} to pull` : ''}` : 'unknown']);
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
    // The language's program tells what smaller base would serve it (Go's: languages/go/hover.ts).
    let better: SmallerBase | undefined;
    for (const language of languages()) better ??= language.hover?.smallerBase?.(model, stage, project, facts, runtime);
    if (better && better.image !== title) {
      const betterRef = better.image === 'scratch' ? undefined : parseImageReference(better.image);
      const betterSize = better.image === 'scratch' ? { bytes: better.extra ?? 0 } : betterRef ? knowledge.size(betterRef) : undefined;
      const saving = size && betterSize && size.bytes > betterSize.bytes ? ` — saves ${approxBytes(size.bytes - betterSize.bytes)}` : '';
      const sizeNote = betterSize ? ` (${approxBytes(betterSize.bytes)}${better.image === 'scratch' ? ' besides the binary' : ''})` : '';
      parts.push(`**Smaller:** \`${better.image}\`${sizeNote} would serve this program: ${better.why}${saving}.`);
    }
  } else if (languages().some((l) => (l.programBuilds?.(model, stage).length ?? 0) > 0)) {
    parts.push('A build stage: its size does not reach the final image unless the final stage builds on it.');
  }
  for (const language of languages()) parts.push(...(language.hover?.stageLines?.(model, stage, project, knowledge) ?? []));
  return { range, contents: { kind: 'markdown', value: parts.join('\n\n') } };
}
