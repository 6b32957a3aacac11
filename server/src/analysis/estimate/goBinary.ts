// The quick model of a Go binary's size, from its imports, go.mod and build flags, calibrated on
// real builds (go-binary-calibration.json, made by bench/calibrate-go-binary.sh; method and error
// in docs/calibration.md). A measured build, when there is one, replaces it.
import calibration from './go-binary-calibration.json';
import type { GoBuild } from '../model';
import type { ProjectFacts } from '../project';
import type { SizedImage } from './sizes';
import type { SizeKnowledge } from './estimate';

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

const data = calibration as unknown as Calibration;

/** Packages that net/http (or crypto/tls) links anyway: no increment of their own on top. */
const INSIDE_NET_HTTP = new Set(['net', 'crypto/tls', 'net/url', 'mime', 'crypto/x509', 'flag+os']);
/** The embedded time zone database (time/tzdata or -tags timetzdata). */
const TZDATA = 'time/tzdata';

/**
 * Bytes the embedded time zone database adds to a binary (time/tzdata or -tags timetzdata),
 * measured: on its own, and on top of net/http (which shares part of what it links).
 */
export function embeddedTzdataBytes(build: GoBuild, project: ProjectFacts): { bytes: number; source: string } {
  const variant = variantOf(build);
  const web = project.needs.imports.has('net/http');
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
export function calibratedPackages(project: ProjectFacts, build: GoBuild): string[] {
  const imports = new Set(project.needs.imports);
  // A module that is built on net/http (grpc, mux) links it even when the program's own files do not import it.
  for (const module of directModules(project)) for (const std of module[1].impliesStd ?? []) imports.add(std);
  const out = new Set<string>();
  for (const p of imports) if (data.stdIncrements[p] && p !== 'net/http' && p !== TZDATA) out.add(p);
  if (imports.has('net/http')) out.add(project.needs.tls.needed ? 'net/http:client' : 'net/http');
  if (imports.has('flag') || imports.has('os')) out.add('flag+os');
  if (project.needs.zoneinfo.needed) out.add('time:LoadLocation');
  if (project.needs.embeddedTzdata.needed || build.tags.includes('timetzdata')) out.add(TZDATA);
  return [...out];
}

export function estimateGoBinarySize(build: GoBuild, project: ProjectFacts): SizedImage {
  const variant = variantOf(build);
  const packages = calibratedPackages(project, build);
  const web = packages.find((p) => p.startsWith('net/http'));
  let bytes: number;
  if (project.needs.imports.size === 0 && project.hasGoSources) {
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
  const modules = directModules(project);
  for (const [, module] of modules) bytes += module[variant];
  const vendored = vendoredUncalibrated(project);
  for (const source of vendored) bytes += Math.round(source * ownCodePerSourceByte(variant));
  const guessed = Math.max(0, (project.goMod?.requires.filter((r) => !r.indirect).length ?? 0) - modules.length - vendored.length);
  // A requirement the calibration has not measured: the median of those it has (~0.8 MB stripped).
  bytes += guessed * medianThirdParty(variant);
  const confidence = !project.hasGoSources || guessed > 0 || vendored.length > 0 ? 'low' : 'medium';
  return {
    bytes,
    compressed: undefined,
    provenance: {
      origin: 'model',
      detail: `Go binary model (calibrated with Go ${data.go} on ${data.measured}${guessed > 0 ? `; ${guessed} module(s) not calibrated` : ''}${vendored.length > 0 ? `; ${vendored.length} vendored module(s) sized by their bytes` : ''})`,
      confidence,
    },
  };
}

/**
 * Code a module adds per byte of its own folder: gorilla/mux's figure less what regexp adds on
 * net/http (mux's only standard-library addition), over the bytes of its module folder. Measured,
 * but on one module, so an estimate that uses it is low confidence.
 */
function ownCodePerSourceByte(variant: VariantName): number {
  const mux = data.thirdParty['github.com/gorilla/mux'] as (Variants & { moduleSourceBytes?: number }) | undefined;
  const regexp = data.onNetHTTP['regexp'];
  if (!mux?.moduleSourceBytes || !regexp) return 0;
  return Math.max(0, mux[variant] - regexp[variant]) / mux.moduleSourceBytes;
}

/** Bytes under vendor/<module>/ for each direct requirement the calibration has not measured but the context vendors. */
function vendoredUncalibrated(project: ProjectFacts): number[] {
  const out: number[] = [];
  const moduleDir = project.goModPath?.includes('/') ? `${project.goModPath.slice(0, project.goModPath.lastIndexOf('/'))}/` : '';
  for (const req of project.goMod?.requires ?? []) {
    if (req.indirect || Object.keys(data.thirdParty).some((path) => req.path === path || req.path.startsWith(`${path}/`))) continue;
    const prefix = `${moduleDir}vendor/${req.path}/`;
    let bytes = 0;
    for (const [file, size] of project.contextListing.files) if (file.startsWith(prefix)) bytes += size;
    if (bytes > 0) out.push(bytes);
  }
  return out;
}

function medianThirdParty(variant: VariantName): number {
  const values = Object.values(data.thirdParty).map((t) => t[variant]).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? 0;
}

/** The direct requirements the calibration measured, with their figures. */
function directModules(project: ProjectFacts): Array<[string, Calibration['thirdParty'][string]]> {
  const out: Array<[string, Calibration['thirdParty'][string]]> = [];
  for (const req of project.goMod?.requires ?? []) {
    if (req.indirect) continue;
    const known = Object.entries(data.thirdParty).find(([path]) => req.path === path || req.path.startsWith(`${path}/`));
    if (known) out.push(known);
  }
  // Without go.mod (GOPATH mode) the sources' imports are the only list of what is linked.
  if (!project.goMod) {
    for (const [path, figures] of Object.entries(data.thirdParty)) {
      if ([...project.needs.imports].some((i) => i === path || i.startsWith(`${path}/`))) out.push([path, figures]);
    }
  }
  return out;
}

/**
 * The build cache `go build` leaves in the layer when no cache mount is used: the bytes of its
 * files (what the layer holds), with cgo on or off as the build sets it. Go 1.19 ships its std
 * precompiled for cgo on, so a CGO_ENABLED=0 build of a net program recompiles and caches ~16 MB.
 */
export function estimateBuildCache(build: GoBuild, project: ProjectFacts): SizedImage {
  const cgo = build.cgo === 'off' ? 'cgo0' : 'cgo1';
  const program = project.needs.imports.has('net/http') ? 'http-server' : project.needs.imports.size === 0 && project.hasGoSources ? 'minimal' : 'hello';
  const hello = data.buildCacheDetail['hello']?.fileBytes[cgo] ?? 0;
  let bytes = data.buildCacheDetail[program]?.fileBytes[cgo] ?? 0;
  const modules = directModules(project);
  for (const [, module] of modules) {
    const own = data.buildCacheDetail[module.program]?.fileBytes[cgo] ?? data.buildCacheDetail[module.program]?.fileBytes['cgo1'];
    if (own !== undefined) bytes += Math.max(0, own - hello);
  }
  const guessed = Math.max(0, (project.goMod?.requires.filter((r) => !r.indirect).length ?? 0) - modules.length);
  return {
    bytes,
    compressed: undefined,
    provenance: { origin: 'model', detail: `Go build cache (measured with Go ${data.go})`, confidence: guessed > 0 ? 'low' : 'medium' },
  };
}

/**
 * Size knowledge for the estimate: base images from the caller (catalog, engine, registry), the
 * binary and build cache from this model, unless a measured build is known for the binary.
 */
export function modelSizeKnowledge(
  baseImage: SizeKnowledge['baseImage'],
  measuredBinary?: (build: GoBuild, project: ProjectFacts) => SizedImage | undefined,
): SizeKnowledge {
  return {
    baseImage,
    binary: (build, project) => measuredBinary?.(build, project) ?? estimateGoBinarySize(build, project),
    buildCache: estimateBuildCache,
  };
}
