// The image size estimate: the final stage's base plus every layer its instructions add, each
// figure with where it comes from. Pure: image and binary sizes are handed in by the caller
// (catalog, registry, local engine, a measured build), so the same code serves editor and CLI.
import type { Range } from 'vscode-languageserver-types';
import { parseDockerfile, stageChain, type DockerfileModel, type Stage, type CopyStep } from '../model';
import type { ProjectFacts } from '../project';
import type { Confidence, Provenance, SizeKnowledge, SizedImage } from './sizes';
import { stageBytesAt } from '../runtimeFiles';
import { baseFactsOf } from '../runtime';
import { joinPath } from '../paths';
import { commandName } from '../shell';
import { languages } from '../languages/registry';
import type { ArtifactSize } from '../languages/types';
import { AnalysisContext } from '../context';
import type { PackageInstall } from '../model';
import { installPlan } from '../packages/debianIndex';
import { apkInstallPlan } from '../packages/alpineIndex';
import { aptCodename } from '../packages/indexes';
import { FILE_SIZES, FILE_SIZES_BY_RELEASE } from './files';
import type { AlpinePackageFacts, DebianPackageFacts } from './sizes';

export type { SizeKnowledge, DebianPackageFacts, AlpinePackageFacts } from './sizes';

/**
 * What an apt step adds besides its packages' Installed-Size: dpkg's status and debconf's
 * databases written again with their -old copies, /etc/ld.so.cache, apt's and dpkg's logs, less
 * what Installed-Size over-counts (it rounds each file up to whole KiB). The median, over seven
 * installs built on the engine on 2026-12-06, of the image's added bytes less the packages'
 * Installed-Size; they ranged from -1.7 MB to +2.8 MB (bench/results.md, section 8).
 */
export const APT_STEP_BYTES = 900_000;

export interface LayerEstimate {
  readonly what: string;
  /** Undefined when unknown (a package install without index data, a download). */
  readonly bytes: number | undefined;
  readonly provenance: Provenance | undefined;
  readonly range: Range;
}

export interface StageEstimate {
  readonly index: number;
  readonly name: string | undefined;
  readonly image: string;
  readonly base: SizedImage | undefined;
  readonly layers: readonly LayerEstimate[];
  /** What this stage adds on top of its base. */
  readonly added: number;
  /** Base plus added; undefined when the base size is unknown. */
  readonly bytes: number | undefined;
}

export interface ImageEstimate {
  /** Bytes on disk of the final image; undefined when its base is unknown. */
  readonly bytes: number | undefined;
  readonly stages: readonly StageEstimate[];
  readonly confidence: Confidence;
  /** Distinct provenance lines, for the hover and the CLI. */
  readonly sources: readonly string[];
  /** What could not be sized; the estimate leaves it out. */
  readonly unknowns: readonly string[];
}

const DOWNLOADERS = new Set(['curl', 'wget', 'git', 'go-getter']);

export function estimateImage(model: DockerfileModel, project: ProjectFacts, knowledge: SizeKnowledge): ImageEstimate {
  const stages: StageEstimate[] = [];
  const unknowns: string[] = [];
  const provenances: Provenance[] = [];
  for (const stage of model.stages) {
    const estimate = estimateStage(model, stage, stages, project, knowledge, unknowns);
    if (estimate.base) provenances.push(estimate.base.provenance);
    for (const layer of estimate.layers) if (layer.provenance) provenances.push(layer.provenance);
    stages.push(estimate);
  }
  const final = model.finalStage ? stages[model.finalStage.index] : undefined;
  const finalProvenances = final ? relevant(model, stages, provenances, final) : [];
  return {
    bytes: final?.bytes,
    stages,
    confidence: final?.bytes === undefined ? 'low' : lowest(finalProvenances.map((p) => p.confidence), unknownsOf(model, stages, unknowns).length > 0),
    sources: [...new Set(finalProvenances.map((p) => p.detail))],
    unknowns: unknownsOf(model, stages, unknowns),
  };
}

/** Provenance of the final stage and the stages it builds on. */
function relevant(model: DockerfileModel, stages: readonly StageEstimate[], all: readonly Provenance[], final: StageEstimate): Provenance[] {
  const chain: StageEstimate[] = [];
  let current: StageEstimate | undefined = final;
  while (current) {
    chain.push(current);
    const base: number | undefined = model.stages[current.index]?.base.stage;
    current = base !== undefined ? stages[base] : undefined;
  }
  const out: Provenance[] = [];
  for (const s of chain) {
    if (s.base) out.push(s.base.provenance);
    for (const l of s.layers) if (l.provenance) out.push(l.provenance);
  }
  return out.length > 0 ? out : [...all];
}

function unknownsOf(model: DockerfileModel, stages: readonly StageEstimate[], all: readonly string[]): string[] {
  const finalIndex = model.finalStage?.index;
  if (finalIndex === undefined) return [...all];
  const final = stages[finalIndex];
  const out = final ? final.layers.filter((l) => l.bytes === undefined).map((l) => l.what) : [];
  if (final && !final.base) out.unshift(`the size of ${final.image}`);
  return out;
}

function lowest(levels: readonly Confidence[], hasUnknowns: boolean): Confidence {
  if (hasUnknowns || levels.includes('low')) return 'low';
  if (levels.includes('medium')) return 'medium';
  return 'high';
}

function estimateStage(
  model: DockerfileModel,
  stage: Stage,
  earlier: readonly StageEstimate[],
  project: ProjectFacts,
  knowledge: SizeKnowledge,
  unknowns: string[],
): StageEstimate {
  const image = stage.base.resolved ?? stage.base.written;
  let base: SizedImage | undefined;
  if (stage.base.isScratch) base = { bytes: 0, compressed: 0, provenance: { origin: 'fixed', detail: 'scratch is empty', confidence: 'high' } };
  else if (stage.base.stage !== undefined) {
    const parent = earlier[stage.base.stage];
    base = parent?.bytes !== undefined ? { bytes: parent.bytes, compressed: undefined, provenance: { origin: 'model', detail: `stage ${parent.name ?? parent.index}`, confidence: 'medium' } } : undefined;
  } else if (stage.base.reference) base = knowledge.baseImage(stage.base.reference);
  if (!base) unknowns.push(stage.base.resolved === undefined ? `${stage.base.written} (set by a build argument)` : `the size of ${image}`);

  const layers: LayerEstimate[] = [];
  const packages = packageSizer(model, stage, knowledge);
  for (const copy of stage.copies) layers.push(copyLayer(model, copy, project, knowledge));
  for (const run of stage.runs) {
    const installs = stage.packageInstalls.filter((p) => p.run === run);
    for (const p of installs) layers.push({ ...packages(p), range: run.range });
    // What the languages' builds leave (binaries, compiler output, build and package caches), as each language sizes it.
    const languageLayers = languages().flatMap((l) => l.estimateRun?.(model, stage, run, project, knowledge) ?? []);
    for (const layer of languageLayers) layers.push({ ...layer, range: run.range });
    if (installs.length === 0 && languageLayers.length === 0 && run.commands.some((c) => DOWNLOADERS.has(commandName(c)))) {
      layers.push({ what: 'files downloaded by a RUN step', bytes: undefined, provenance: undefined, range: run.range });
    }
  }
  const added = layers.reduce((n, l) => n + (l.bytes ?? 0), 0);
  return { index: stage.index, name: stage.name, image, base, layers, added, bytes: base ? base.bytes + added : undefined };
}

/** Debian's index and the base image's packages for a stage's installs, when known now. */
export function debianFactsFor(model: DockerfileModel, stage: Stage, knowledge: Pick<SizeKnowledge, 'debianPackages'>): DebianPackageFacts | undefined {
  const root = stageChain(model, stage)[0];
  return root?.base.reference ? knowledge.debianPackages?.(root.base.reference, debianCodename(model, stage)) : undefined;
}

/** The Debian or Ubuntu release a stage's packages come from: its tag's codename, else the base list's. */
export function debianCodename(model: DockerfileModel, stage: Stage): string | undefined {
  const facts = baseFactsOf(model, stage);
  return (facts.os === 'debian' ? facts.floating?.codename : undefined) ?? aptCodename(facts);
}

/** Alpine's index and the base image's packages for a stage's `apk add` steps, when known now. */
export function alpineFactsFor(model: DockerfileModel, stage: Stage, knowledge: Pick<SizeKnowledge, 'alpinePackages'>): AlpinePackageFacts | undefined {
  const root = stageChain(model, stage)[0];
  const facts = baseFactsOf(model, stage);
  return root?.base.reference ? knowledge.alpinePackages?.(root.base.reference, facts.os === 'alpine' ? facts.release : undefined) : undefined;
}

/**
 * Sizes a stage's package installs in order: each one's closure less what the base image has and
 * what earlier installs of the stage (and of the stages it is built on) added, plus what the
 * first step that leaves the package manager's downloads leaves: apt's lists, or without
 * --no-cache apk's cached APKINDEX files. The official Debian images delete downloaded .debs
 * (docker-clean), so /var/cache/apt is counted as empty; Alpine's keep no package files unless
 * /etc/apk/cache is set up, which the official images do not.
 */
function packageSizer(model: DockerfileModel, stage: Stage, knowledge: SizeKnowledge): (install: PackageInstall) => Omit<LayerEstimate, 'range'> {
  const chain = stageChain(model, stage);
  // Asked on a manager's first install only: asking starts loading an index.
  let debian: DebianPackageFacts | undefined | null = null;
  let alpine: AlpinePackageFacts | undefined | null = null;
  const added = new Set<string>();
  let downloadsLeft = false;
  const earlier = chain.slice(0, -1).flatMap((s) => s.packageInstalls);
  const layer = (install: PackageInstall, plan: { installed: readonly unknown[]; bytes: number; unknown: readonly string[] }, leftBytes: number, left: string, detail: string, confidence: Confidence): Omit<LayerEstimate, 'range'> => {
    const leaves = !install.cleansLists && !install.cacheMounted && !(install.manager === 'apk' && install.lean) && !downloadsLeft;
    downloadsLeft ||= leaves;
    const counted = `${plan.installed.length} package${plan.installed.length === 1 ? '' : 's'}${leaves ? ` and ${left}` : ''}`;
    const unknown = plan.unknown.length > 0 ? `; not in the index: ${plan.unknown.join(' ')}` : '';
    return {
      what: `${install.manager} packages: ${install.packages.join(' ')} (${counted})`,
      bytes: plan.bytes + (leaves ? leftBytes : 0),
      provenance: { origin: 'model', detail: `${detail}${unknown}`, confidence: plan.unknown.length > 0 ? 'low' : confidence },
    };
  };
  const size = (install: PackageInstall): Omit<LayerEstimate, 'range'> => {
    const unsized = { what: `${install.manager} packages: ${install.packages.join(' ')}`, bytes: undefined, provenance: undefined };
    if (install.manager === 'apk') {
      if (alpine === null) alpine = alpineFactsFor(model, stage, knowledge);
      if (!alpine) return unsized;
      const plan = apkInstallPlan(alpine.index, install.packages, new Set([...alpine.installed, ...added]));
      for (const p of plan.installed) added.add(p.name);
      // Not measured against real Alpine (its mirror cannot be reached where this was written): low.
      return layer(install, plan, alpine.cacheBytes, "apk's cached indexes", `${alpine.indexSource}; base packages: ${alpine.installedSource}`, 'low');
    }
    if (debian === null) debian = debianFactsFor(model, stage, knowledge);
    if (!debian) return unsized;
    const plan = installPlan(debian.index, install.packages, { recommends: !install.lean, installed: new Set([...debian.installed, ...added]) });
    for (const p of plan.installed) added.add(p.name);
    const sized = layer(install, plan, debian.listsBytes, 'the apt lists', `${debian.indexSource}; base packages: ${debian.installedSource}`, 'medium');
    return { ...sized, bytes: (sized.bytes ?? 0) + APT_STEP_BYTES };
  };
  // Installs of the stages this one is built on: what they added is there already.
  for (const install of earlier) size(install);
  return size;
}

function copyLayer(model: DockerfileModel, copy: CopyStep, project: ProjectFacts, knowledge: SizeKnowledge): LayerEstimate {
  const range = copy.range;
  if (copy.heredoc) return { what: 'inline file', bytes: 0, provenance: { origin: 'fixed', detail: 'heredoc', confidence: 'high' }, range };
  if (copy.fromStage !== undefined) {
    const source = model.stages[copy.fromStage];
    let bytes = 0;
    const what: string[] = [];
    let provenance: Provenance | undefined;
    for (const src of copy.sources) {
      const absolute = joinPath(source?.workdir ?? '/', src).replace(/\/$/, '');
      const release = source ? baseFactsOf(model, source).release : undefined;
      const known = (FILE_SIZES_BY_RELEASE[release ?? ''] ?? FILE_SIZES)[absolute];
      if (known !== undefined) {
        bytes += known;
        provenance ??= { origin: 'fixed', detail: `file sizes measured on Debian ${release === '13' ? 'trixie' : 'bookworm'}`, confidence: 'high' };
        what.push(absolute);
        continue;
      }
      const artifact = source ? languageArtifact(model, source, absolute, project, knowledge) : undefined;
      // A build output the language cannot size (a Maven target/ folder): the layer is unknown.
      if (artifact && artifact.bytes === undefined) return { what: `${artifact.what} from stage ${copy.from}`, bytes: undefined, provenance: undefined, range };
      if (artifact?.bytes !== undefined) {
        bytes += artifact.bytes;
        provenance = artifact.provenance;
        what.push(artifact.what);
        continue;
      }
      // Run-time files and writable folders Minimize copies out of the build stage: the context's bytes.
      const fromContext = source ? stageBytesAt(source, project.contextListing, absolute) : undefined;
      if (fromContext !== undefined) {
        bytes += fromContext;
        provenance ??= { origin: 'context', detail: 'build context measured', confidence: 'high' };
        what.push(absolute);
        continue;
      }
      return { what: `${absolute} from stage ${copy.from}`, bytes: undefined, provenance: undefined, range };
    }
    return { what: what.join(', '), bytes, provenance, range };
  }
  if (copy.from !== undefined) return { what: `files from ${copy.from}`, bytes: undefined, provenance: undefined, range };
  const size = project.contextSize;
  if (!size) return { what: `context files ${copy.sources.join(' ')}`, bytes: undefined, provenance: undefined, range };
  let bytes = 0;
  for (const raw of copy.sources) {
    const src = raw.replace(/^\.\//, '').replace(/\/$/, '');
    if (src === '' || src === '.' || src === '*') bytes += size.total;
    else if (!src.includes('/')) bytes += size.byEntry.get(src) ?? 0;
    else bytes += size.byEntry.get(src.split('/')[0] as string) ?? 0;
  }
  return {
    what: `context files ${copy.sources.join(' ')}`,
    bytes,
    provenance: { origin: 'context', detail: `build context measured${size.truncated ? ' (partly: too many files)' : ''}`, confidence: size.truncated ? 'low' : 'high' },
    range,
  };
}

/** A file a stage built (a binary, a build's output folder), sized by the language that builds it. */
function languageArtifact(model: DockerfileModel, stage: Stage, path: string, project: ProjectFacts, knowledge: SizeKnowledge): ArtifactSize | undefined {
  for (const language of languages()) {
    const found = language.artifactSize?.(model, stage, path, project, knowledge);
    if (found) return found;
  }
  return undefined;
}

export interface EstimatePair {
  readonly now: ImageEstimate;
  /** Undefined when Minimize would change nothing. */
  readonly minimized: ImageEstimate | undefined;
  readonly minimizedText: string;
}

/**
 * The image as written and as Minimize would leave it. `minimizeText` may hand back the parse of
 * its result too (Minimize makes it anyway), which saves parsing it again.
 */
export function estimateNowAndMinimized(
  model: DockerfileModel,
  project: ProjectFacts,
  knowledge: SizeKnowledge,
  minimizeText: (text: string) => string | { readonly text: string; readonly model: DockerfileModel },
): EstimatePair {
  const now = estimateImage(model, project, knowledge);
  const result = minimizeText(model.text);
  const minimizedText = typeof result === 'string' ? result : result.text;
  // A text Minimize left: parsed in a context made from the input's, as the next version would be.
  const minimizedModel = (): DockerfileModel => (typeof result === 'string' ? parseDockerfile(minimizedText, new AnalysisContext(model.context)) : result.model);
  const minimized = minimizedText === model.text ? undefined : estimateImage(minimizedModel(), project, knowledge);
  return { now, minimized, minimizedText };
}
