// The quick model of a Go binary's size, from its imports, go.mod and build flags, calibrated on
// real builds (go-binary-calibration.json, made by bench/calibrate-go-binary.sh; method and error
// in docs/calibration.md). A measured build, when there is one, replaces it (SizeKnowledge.measuredBuild, measuredBuilds.ts).
import calibration119 from './calibration/go-binary-calibration.json';
import calibration122 from './calibration/go-binary-calibration-1.22.json';
import calibration124 from './calibration/go-binary-calibration-1.24.json';
import calibration127 from './calibration/go-binary-calibration-1.27.json';
import type { BuilderGo } from './builderGo';
import { goVersionParts } from './gomod';
import type { ProjectFacts } from '../../project';
import type { SizedImage, SizeKnowledge } from '../../estimate/sizes';
import type { GoBuild } from './gobuild';
import { goFacts } from './source/facts';
import { measuredBuildKey } from './measuredBuilds';

type VariantName = 'plain' | 'stripped' | 'trimpath' | 'strippedTrimpath';
type Variants = Readonly<Record<VariantName, number>>;

interface Calibration {
  readonly go: string;
  readonly measured: string;
  readonly base: Variants;
  readonly minimal: Variants;
  readonly stdIncrements: Readonly<Record<string, Variants>>;
  /** Increments over the net/http server program: packages share much with net/http. */
  readonly onNetHTTP: Readonly<Record<string, Variants>>;
  /** Sums of increments overcount what packages share; this factor corrects it (measured). */
  readonly additiveModelOverlapFactor: number;
  /** Per program: bytes of the files a fresh build cache holds, with cgo on (the golang image's default) and off. */
  readonly buildCacheDetail: Readonly<Record<string, { readonly fileBytes: Readonly<Partial<Record<'cgo1' | 'cgo0', number>>> }>>;
  /** Per module: what it adds (Variants) over the program it was compared with, and the std packages it implies. */
  readonly thirdParty: Readonly<Record<string, Variants & { readonly program: string; readonly impliesStd?: readonly string[] }>>;
}

/** One calibration per measured Go release, oldest first (each made by bench/calibrate-go-binary.sh in that release's golang stand-in image). */
export const CALIBRATIONS: readonly Calibration[] = [calibration119, calibration122, calibration124, calibration127].map((c) => c as unknown as Calibration);

/** The calibration a build uses, and how well it fits the builder's Go. */
export interface ChosenCalibration {
  readonly data: Calibration;
  /** Said to the reader when the calibration is not the builder's own release. */
  readonly note: string | undefined;
  /** The builder's release was not calibrated (or is not known): one confidence step lower. */
  readonly approximate: boolean;
}

function minorOf(version: string): number | undefined {
  const parts = goVersionParts(version);
  return parts && parts[0] === 1 ? parts[1] : undefined;
}

/**
 * The calibration of the builder's Go release; between or beyond calibrated releases the nearest
 * one (the newer on a tie: binaries grow release by release), said so. An unknown builder
 * (golang:latest, a Go the Dockerfile does not name) gets the newest.
 */
export function calibrationFor(go: BuilderGo | undefined): ChosenCalibration {
  const newest = CALIBRATIONS[CALIBRATIONS.length - 1] as Calibration;
  const wanted = go ? minorOf(go.version) : undefined;
  if (wanted === undefined) {
    return { data: newest, note: `the builder's Go version is not known; Go ${newest.go}'s figures used`, approximate: true };
  }
  let best = newest;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of CALIBRATIONS) {
    const distance = Math.abs((minorOf(c.go) ?? 0) - wanted);
    if (distance <= bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  if (bestDistance === 0) return { data: best, note: undefined, approximate: false };
  return { data: best, note: `${go?.source ?? 'the builder'} has Go 1.${wanted}, not calibrated; nearest calibrated release Go ${best.go} used`, approximate: true };
}

/** medium -> low, high -> medium: a figure of another Go release. */
function lower(confidence: 'high' | 'medium' | 'low', approximate: boolean): 'high' | 'medium' | 'low' {
  if (!approximate) return confidence;
  return confidence === 'high' ? 'medium' : 'low';
}

/** Packages that net/http (or crypto/tls) links anyway: no increment of their own on top. */
const INSIDE_NET_HTTP = new Set(['net', 'crypto/tls', 'net/url', 'mime', 'crypto/x509', 'flag+os']);
/** The embedded time zone database (time/tzdata or -tags timetzdata). */
const TZDATA = 'time/tzdata';

/**
 * Bytes the embedded time zone database adds to a binary (time/tzdata or -tags timetzdata),
 * measured: on its own, and on top of net/http (which shares part of what it links).
 */
export function embeddedTzdataBytes(build: GoBuild, project: ProjectFacts, go?: BuilderGo): { bytes: number; source: string } {
  const data = calibrationFor(go).data;
  const variant = variantOf(build);
  const web = goFacts(project).needs.imports.has('net/http');
  const measured = (web ? data.onNetHTTP[TZDATA] : data.stdIncrements[TZDATA])?.[variant] ?? 0;
  return { bytes: measured, source: `Go binary model, measured with Go ${data.go} on ${data.measured}` };
}

export function variantOf(build: GoBuild): VariantName {
  const flags = (build.ldflags ?? '').split(/\s+/);
  const strip = flags.includes('-s') && flags.includes('-w');
  if (strip) return build.trimpath ? 'strippedTrimpath' : 'stripped';
  return build.trimpath ? 'trimpath' : 'plain';
}

/** The calibrated std packages a program links, keyed as the calibration names them. */
export function calibratedPackages(project: ProjectFacts, build: GoBuild, data: Calibration = calibrationFor(undefined).data): string[] {
  const imports = new Set(goFacts(project).needs.imports);
  // A module that is built on net/http (grpc, mux) links it even when the program's own files do not import it.
  for (const module of directModules(project, data)) for (const std of module[1].impliesStd ?? []) imports.add(std);
  const out = new Set<string>();
  for (const p of imports) if (data.stdIncrements[p] && p !== 'net/http' && p !== TZDATA) out.add(p);
  if (imports.has('net/http')) out.add(goFacts(project).needs.tls.needed ? 'net/http:client' : 'net/http');
  if (imports.has('flag') || imports.has('os')) out.add('flag+os');
  if (goFacts(project).needs.zoneinfo.needed) out.add('time:LoadLocation');
  if (goFacts(project).needs.embeddedTzdata.needed || build.tags.includes('timetzdata')) out.add(TZDATA);
  return [...out];
}

export function estimateGoBinarySize(build: GoBuild, project: ProjectFacts, go?: BuilderGo): SizedImage {
  const chosen = calibrationFor(go);
  const data = chosen.data;
  const variant = variantOf(build);
  const packages = calibratedPackages(project, build, data);
  const web = packages.find((p) => p.startsWith('net/http'));
  let bytes: number;
  if (goFacts(project).needs.imports.size === 0 && goFacts(project).hasGoSources) {
    bytes = data.minimal[variant];
  } else if (web) {
    // Layered: the http program, then what each other package adds to it (error < 0.2% measured).
    bytes = data.base[variant] + (data.stdIncrements[web]?.[variant] ?? 0);
    for (const p of packages) {
      if (p === web || INSIDE_NET_HTTP.has(p)) continue;
      bytes += data.onNetHTTP[p]?.[variant] ?? Math.round((data.stdIncrements[p]?.[variant] ?? 0) * data.additiveModelOverlapFactor);
    }
  } else {
    const increments = packages.map((p) => data.stdIncrements[p]?.[variant] ?? 0);
    const sum = increments.reduce((a, b) => a + b, 0);
    bytes = data.base[variant] + Math.round(increments.length > 1 ? sum * data.additiveModelOverlapFactor : sum);
  }
  const modules = directModules(project, data);
  for (const [, module] of modules) bytes += module[variant];
  const vendored = vendoredUncalibrated(project, data);
  for (const source of vendored) bytes += Math.round(source * ownCodePerSourceByte(variant, data));
  const guessed = Math.max(0, (goFacts(project).goMod?.requires.filter((r) => !r.indirect).length ?? 0) - modules.length - vendored.length);
  // A requirement the calibration has not measured: the median of those it has (~0.8 MB stripped).
  bytes += guessed * medianThirdParty(variant, data);
  const confidence = lower(!goFacts(project).hasGoSources || guessed > 0 || vendored.length > 0 ? 'low' : 'medium', chosen.approximate);
  return {
    bytes,
    compressed: undefined,
    provenance: {
      origin: 'model',
      detail: `Go binary model (calibrated with Go ${data.go} on ${data.measured}${chosen.note ? `; ${chosen.note}` : ''}${guessed > 0 ? `; ${guessed} module(s) not calibrated` : ''}${vendored.length > 0 ? `; ${vendored.length} vendored module(s) sized by their bytes` : ''})`,
      confidence,
    },
  };
}

/**
 * Code a module adds per byte of its own folder: gorilla/mux's figure less what regexp adds on
 * net/http (mux's only standard-library addition), over the bytes of its module folder. Measured,
 * but on one module, so an estimate that uses it is low confidence.
 */
function ownCodePerSourceByte(variant: VariantName, data: Calibration): number {
  const mux = data.thirdParty['github.com/gorilla/mux'] as (Variants & { moduleSourceBytes?: number }) | undefined;
  const regexp = data.onNetHTTP['regexp'];
  if (!mux?.moduleSourceBytes || !regexp) return 0;
  return Math.max(0, mux[variant] - regexp[variant]) / mux.moduleSourceBytes;
}

/** Bytes under vendor/<module>/ for each direct requirement the calibration has not measured but the context vendors. */
function vendoredUncalibrated(project: ProjectFacts, data: Calibration): number[] {
  const go = goFacts(project);
  const out: number[] = [];
  const moduleDir = go.goModPath?.includes('/') ? `${go.goModPath.slice(0, go.goModPath.lastIndexOf('/'))}/` : '';
  for (const req of go.goMod?.requires ?? []) {
    if (req.indirect || Object.keys(data.thirdParty).some((path) => req.path === path || req.path.startsWith(`${path}/`))) continue;
    const prefix = `${moduleDir}vendor/${req.path}/`;
    let bytes = 0;
    for (const [file, size] of project.contextListing.files) if (file.startsWith(prefix)) bytes += size;
    if (bytes > 0) out.push(bytes);
  }
  return out;
}

function medianThirdParty(variant: VariantName, data: Calibration): number {
  const values = Object.values(data.thirdParty).map((t) => t[variant]).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? 0;
}

/** The direct requirements the calibration measured, with their figures. */
function directModules(project: ProjectFacts, data: Calibration): Array<[string, Calibration['thirdParty'][string]]> {
  const out: Array<[string, Calibration['thirdParty'][string]]> = [];
  for (const req of goFacts(project).goMod?.requires ?? []) {
    if (req.indirect) continue;
    const known = Object.entries(data.thirdParty).find(([path]) => req.path === path || req.path.startsWith(`${path}/`));
    if (known) out.push(known);
  }
  // Without go.mod (GOPATH mode) the sources' imports are the only list of what is linked.
  if (!goFacts(project).goMod) {
    for (const [path, figures] of Object.entries(data.thirdParty)) {
      if ([...goFacts(project).needs.imports].some((i) => i === path || i.startsWith(`${path}/`))) out.push([path, figures]);
    }
  }
  return out;
}

/**
 * The build cache `go build` leaves in the layer when no cache mount is used: the bytes of its
 * files (what the layer holds), with cgo on or off as the build sets it. Go 1.19 ships its std
 * precompiled for cgo on, so a CGO_ENABLED=0 build of a net program recompiles and caches ~16 MB;
 * from Go 1.20 no precompiled std ships, and every build compiles the std packages it uses into
 * the cache (each release's calibration measures that with its own toolchain).
 */
export function estimateBuildCache(build: GoBuild, project: ProjectFacts, go?: BuilderGo): SizedImage {
  const chosen = calibrationFor(go);
  const data = chosen.data;
  const cgo = build.cgo === 'off' ? 'cgo0' : 'cgo1';
  const program = goFacts(project).needs.imports.has('net/http') ? 'http-server' : goFacts(project).needs.imports.size === 0 && goFacts(project).hasGoSources ? 'minimal' : 'hello';
  const hello = data.buildCacheDetail['hello']?.fileBytes[cgo] ?? 0;
  let bytes = data.buildCacheDetail[program]?.fileBytes[cgo] ?? 0;
  const modules = directModules(project, data);
  for (const [, module] of modules) {
    const own = data.buildCacheDetail[module.program]?.fileBytes[cgo] ?? data.buildCacheDetail[module.program]?.fileBytes['cgo1'];
    if (own !== undefined) bytes += Math.max(0, own - hello);
  }
  const guessed = Math.max(0, (goFacts(project).goMod?.requires.filter((r) => !r.indirect).length ?? 0) - modules.length);
  return {
    bytes,
    compressed: undefined,
    provenance: { origin: 'model', detail: `Go build cache (measured with Go ${data.go}${chosen.note ? `; ${chosen.note}` : ''})`, confidence: lower(guessed > 0 ? 'low' : 'medium', chosen.approximate) },
  };
}

/** The binary a build makes: measured by the caller when it was, else this model. */
export function goBinarySize(knowledge: Pick<SizeKnowledge, 'measuredBuild'>, build: GoBuild, project: ProjectFacts, go?: BuilderGo): SizedImage {
  return knowledge.measuredBuild?.(project, measuredBuildKey(build, go)) ?? estimateGoBinarySize(build, project, go);
}
