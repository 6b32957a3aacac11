// `slimfile check | minimize | estimate | build | compare`: the server's analysis, and real builds
// on the Docker Engine, from a terminal or CI.
import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AnalysisSettings } from './analysis/analyze';
import { measuredBuilds, parseDockerfile, requestedChangeFlags, requestedChanges } from './analysis';
import type { Finding } from './analysis/findings';
import { ruleDocsUrl } from './analysis/findings';
import { RULES } from './analysis/rules';
import { contextRootNames, findBuildContext, loadLimits, loadProject } from './workspace/project';
import type { ProjectFacts } from './analysis/project';
import type { EstimatePair, ImageEstimate, SizeKnowledge, StageEstimate } from './analysis/estimate/estimate';
import type { ImageReference } from './analysis/imageRef';
import { BuildMeasurer } from './workspace/measuredBuilds';
import { imageLensTitle } from './analysis/estimate/present';
import { BUDGET_RULE, BUDGET_SUMMARY, budgetDirective, checkBuiltBudget, checkEstimateBudget, parseSize } from './analysis/estimate/budget';
import { ImageKnowledge } from './images/knowledge';
import { engineFor } from './images/localEngine';
import { PackageKnowledge } from './images/packageKnowledge';
import { aptMirrors, DebianPackageIndexes, packageCacheDir } from './images/packageIndex';
import { RegistryClient } from './images/registry';
import { loadPackageIndexes } from './images/packageIndexes';
import { AlpinePackageIndexes } from './images/alpineIndex';
import { AlpinePackageKnowledge } from './images/alpineKnowledge';
import * as os from 'node:os';
import { BuildError } from './docker/errors';
import { runBuild, runCompare } from './docker/builds';
import type { RunComparison, ShownImage } from './protocol';
import { DocumentSession, MinimizeCancelled } from './session';

const VERSION = '0.1.0';

/** The changes made on request (`--upx`), each flag once: the languages offer them, and the usage and the options list them. */
const ON_REQUEST = requestedChangeFlags();

const USAGE = `Usage:
  slimfile check [--format text|json|sarif] [--max-size SIZE] [--offline] [--package-index] [--context DIR] <Dockerfile...>
      Report findings. Exit 1 when any finding is an error or an estimate exceeds its budget, 0 otherwise.
      --package-index: the fixes are decided with each stage's package index, as minimize's are.
  slimfile minimize [--write] [--backup] [--runtime distroless|scratch]${ON_REQUEST.map((c) => ` [--${c.flag}]`).join('')} [--package-index [--offline]] [--context DIR] <Dockerfile>
      Print the Dockerfile with every safe fix applied (or write it in place); --package-index
      reads the Debian or Alpine package index of each stage that installs packages (from the
      mirror, or only the cache with --offline), which makes --no-install-recommends safe to apply.
${ON_REQUEST.map((c) => `      --${c.flag} also ${c.usage}.\n`).join('')}  slimfile estimate [--format text|json] [--offline] [--measure] [--package-index] [--runtime distroless|scratch] [--context DIR] <Dockerfile>
      Estimate the image size now and after minimizing (--offline: no registry lookups;
      --measure: run the real go build for each binary, with the builder's Go release when
      installed as go1.N on PATH, and say so when only another release is; --package-index:
      minimize as minimize --package-index does).
  slimfile build [--format text|json] [--max-size SIZE] [--tag NAME] [--host URL] [--no-cache] [--context DIR] <Dockerfile>
      Build the image on the Docker Engine; print its real size, the estimate and its layers.
      Exit 1 when the built image exceeds its budget.
  slimfile compare [--format text|json] [--runtime distroless|scratch] [--tag REPO] [--host URL] [--no-cache] [--context DIR] <Dockerfile>
      Build the Dockerfile as written and minimized (the file is not changed); print both real
      sizes, the estimates and the ratio.
  slimfile compare --run [--timeout SECONDS] [--probe PROBE]... [--format text|json] [...] <Dockerfile> [<other Dockerfile>]
      Also run both images the same way (ports on 127.0.0.1 only, each container within the time
      limit, default 60 s), probe them (# slimfile: probe lines and --probe "GET /health 200" or
      "run --version", GET on the routes the Go sources register and /, or the exit code and output
      of a program that exits) and compare how they behave. With two Dockerfiles of the same
      context, compares them instead of the first and its minimized text. Containers and images
      of the run are removed. Exit 0 when both behave the same, 1 when they differ, 2 on error.

  --context DIR   build context (default: the Dockerfile's folder or the nearest parent with ${[...contextRootNames()].join(' or ')})
  --rule ID=SEV   override a rule's severity (off|hint|info|warning|error); repeatable
  --max-size SIZE size budget of the final image (20MB, 1.5GB); a Dockerfile's own
                  "# slimfile: max-size=SIZE" comment takes precedence for that file
  --runtime R     the runtime image a static Go binary moves to: distroless (default) or scratch
                  with exactly what the program needs (distroless kept, and why, when scratch would break it)
  --host URL      Docker Engine (default: DOCKER_HOST, else the current docker context, else the local socket)
Exit codes: 0 ok, 1 error findings or a failed build, 2 bad usage or unreadable input, 130 cancelled (Ctrl+C).`;

export class UsageError extends Error {}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (text) => { if (!process.stdout.destroyed) process.stdout.write(text); },
  err: (text) => { if (!process.stderr.destroyed) process.stderr.write(text); },
};

interface Loaded {
  readonly file: string;
  readonly contextDir: string;
  readonly text: string;
  readonly project: ProjectFacts;
  /** The file's parse, findings, Minimize and estimate, each made once for every command that asks. */
  readonly session: DocumentSession;
}

/** `--package-index`: the stages' package indexes, from the cache under ~/.cache/slimfile/packages or the mirrors. */
async function withPackageIndexes(text: string, settings: AnalysisSettings, offline: boolean, io: Io): Promise<AnalysisSettings> {
  const loaded = await loadPackageIndexes(parseDockerfile(text), {
    cacheDir: path.join(os.homedir(), '.cache', 'slimfile', 'packages'),
    offline: offline || process.env['SLIMFILE_OFFLINE'] === '1',
    debianMirror: process.env['SLIMFILE_DEBIAN_MIRROR'],
    alpineMirror: process.env['SLIMFILE_ALPINE_MIRROR'],
  });
  for (const note of loaded.notes) io.err(`slimfile: ${note}\n`);
  return { ...settings, packageIndexes: loaded.indexes };
}

async function load(file: string, context: string | undefined, settings: AnalysisSettings, packageIndex?: { readonly offline: boolean; readonly io: Io }): Promise<Loaded> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file.`);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const absolute = path.resolve(file);
  // go.mod is searched upwards no further than the working folder (or the Dockerfile's own
  // folder when run from elsewhere), so an unrelated module higher up is never picked.
  const cwd = process.cwd();
  const insideCwd = !path.relative(cwd, absolute).startsWith('..');
  const contextDir = await findBuildContext(absolute, insideCwd ? cwd : path.dirname(absolute), context ? path.resolve(context) : undefined);
  const project = await loadProject(contextDir, loadLimits({}, 'cli'));
  const analysed = packageIndex ? await withPackageIndexes(text, settings, packageIndex.offline, packageIndex.io) : settings;
  return { file, contextDir, text, project, session: new DocumentSession({ text, project, settings: analysed }) };
}

function severityOverrides(values: readonly string[]): Record<string, 'off' | 'hint' | 'info' | 'warning' | 'error'> {
  const rules: Record<string, 'off' | 'hint' | 'info' | 'warning' | 'error'> = {};
  for (const value of values) {
    const m = /^([\w-]+)=(off|hint|info|warning|error)$/.exec(value);
    if (!m) throw new UsageError(`--rule takes ID=off|hint|info|warning|error, not ${JSON.stringify(value)}`);
    if (!RULES.some((r) => r.id === m[1])) throw new UsageError(`unknown rule ${m[1]}; rules: ${RULES.map((r) => r.id).join(', ')}`);
    rules[m[1] as string] = m[2] as 'off';
  }
  return rules;
}

function findingJson(file: string, f: Finding): object {
  return {
    file,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range: f.range,
    fixes: f.fixes.map((x) => x.title),
    related: f.related.map((r) => ({ message: r.message, ...(r.file ? { file: r.file, line: (r.line ?? 0) + 1 } : {}) })),
  };
}

function sarif(results: ReadonlyArray<{ file: string; findings: readonly Finding[] }>): object {
  const level = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'slimfile',
            version: VERSION,
            informationUri: 'https://github.com/slimfile/slimfile',
            rules: [...RULES.map((r) => ({ id: r.id, summary: r.summary })), { id: BUDGET_RULE, summary: BUDGET_SUMMARY }].map((r) => ({ id: r.id, shortDescription: { text: r.summary }, helpUri: ruleDocsUrl(r.id) })),
          },
        },
        results: results.flatMap(({ file, findings }) =>
          findings.map((f) => ({
            ruleId: f.rule,
            level: level[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: file.split(path.sep).join('/') },
                  region: {
                    startLine: f.range.start.line + 1,
                    startColumn: f.range.start.character + 1,
                    endLine: f.range.end.line + 1,
                    endColumn: f.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}

/** `--timeout` in seconds (default 60). */
function timeoutOption(value: string | undefined): number {
  if (value === undefined) return 60;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new UsageError(`--timeout takes a number of seconds from 1 to 3600, not ${JSON.stringify(value)}`);
  return seconds;
}

/** `--max-size` as bytes; a size without a unit is refused rather than read one way or the other. */
function maxSizeOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseSize(value);
  if (bytes === undefined) throw new UsageError(`--max-size takes a size with its unit (20MB, 1.5GB, 500kB), not ${JSON.stringify(value)}`);
  return bytes;
}

/** A Dockerfile's budget: its own `# slimfile: max-size=` comment, else `--max-size`. */
function budgetOf(file: string, text: string, flag: number | undefined): { bytes: number; line: number } | undefined {
  const directive = budgetDirective(text);
  if (directive?.problem) throw new UsageError(`${file}:${directive.line + 1}: ${directive.problem}`);
  if (directive?.bytes !== undefined) return { bytes: directive.bytes, line: directive.line };
  return flag === undefined ? undefined : { bytes: flag, line: 0 };
}

/** The budget as a finding of its own, so text, JSON and SARIF report it like any other error. */
function budgetCheckFinding(text: string, line: number, message: string): Finding {
  const length = text.split(/\r?\n/)[line]?.length ?? 0;
  return { rule: BUDGET_RULE, severity: 'error', message, range: { start: { line, character: 0 }, end: { line, character: length } }, related: [], fixes: [] };
}

async function check(files: readonly string[], format: string, context: string | undefined, settings: AnalysisSettings, maxSize: number | undefined, offline: boolean, io: Io, packageIndex?: { readonly offline: boolean }): Promise<number> {
  if (files.length === 0) throw new UsageError('check needs at least one Dockerfile.');
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format for check is text, json or sarif, not ${format}`);
  const results: Array<{ file: string; findings: Finding[]; notes: readonly string[] }> = [];
  for (const file of files) {
    const loaded = await load(file, context, settings, packageIndex ? { ...packageIndex, io } : undefined);
    const { text, project } = loaded;
    const findings = [...loaded.session.findings];
    const budget = budgetOf(file, text, maxSize);
    if (budget) {
      const { pair } = await estimatePair(loaded, offline);
      const verdict = checkEstimateBudget(pair.now, pair.minimized, budget.bytes);
      if (verdict.over) findings.unshift(budgetCheckFinding(text, budget.line, verdict.line));
      else if (format === 'text') io.err(`${file}: ${verdict.line}\n`);
    }
    results.push({ file, findings, notes: project.notes });
  }
  if (format === 'json') io.out(`${JSON.stringify(results.flatMap((r) => r.findings.map((f) => findingJson(r.file, f))), null, 2)}\n`);
  else if (format === 'sarif') io.out(`${JSON.stringify(sarif(results), null, 2)}\n`);
  else {
    for (const r of results) {
      for (const note of r.notes) io.err(`${r.file}: note: ${note}\n`);
      for (const f of r.findings) {
        io.out(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} [${f.rule}] ${f.message}\n`);
        for (const note of f.related) io.out(`    note: ${note.file ? `${note.file}:${(note.line ?? 0) + 1}: ` : ''}${note.message}\n`);
        for (const fix of f.fixes) io.out(`    fix: ${fix.title}\n`);
      }
    }
    const count = results.reduce((n, r) => n + r.findings.length, 0);
    io.out(count === 0 ? 'No findings.\n' : `${count} finding${count === 1 ? '' : 's'}.\n`);
  }
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

async function minimizeCommand(files: readonly string[], write: boolean, backup: boolean, asked: readonly string[], context: string | undefined, settings: AnalysisSettings, io: Io, packageIndex?: { readonly offline: boolean }): Promise<number> {
  if (files.length !== 1) throw new UsageError('minimize takes exactly one Dockerfile.');
  if (backup && !write) throw new UsageError('--backup goes with --write.');
  const file = files[0] as string;
  const { text, project, session } = await load(file, context, settings, packageIndex ? { ...packageIndex, io } : undefined);
  let minimized;
  try {
    // Ctrl+C between two fixes stops Minimize; nothing is printed or written.
    minimized = await withInterrupt((signal) => session.minimizedCancellable({ get isCancellationRequested(): boolean { return signal.aborted; } }));
  } catch (error) {
    if (!(error instanceof MinimizeCancelled)) throw error;
    io.err(`${file}: Minimize cancelled; nothing changed.\n`);
    return 130;
  }
  // The changes asked for by flag (--upx), after every safe fix: each language that offers one makes it.
  let result = minimized;
  for (const change of asked.flatMap((flag) => requestedChanges(flag))) {
    const made = change.make(result.text, project);
    result = { ...result, text: made.text, applied: made.text !== result.text ? [...result.applied, change.title] : result.applied };
    for (const problem of made.problems) io.err(`${change.notMade}: ${problem}\n`);
  }
  if (!write) {
    io.out(result.text);
    for (const title of result.applied) io.err(`applied: ${title}\n`);
  } else if (result.text !== text) {
    if (backup) await fs.writeFile(`${file}.bak`, text);
    // Write beside the file and rename over it, so an interrupted write never leaves half a Dockerfile.
    const temp = `${file}.slimfile-${process.pid}.tmp`;
    await fs.writeFile(temp, result.text);
    await fs.rename(temp, file);
    io.err(`${file}: applied ${result.applied.length} fix(es): ${result.applied.join('; ')}\n`);
  }
  if (result.applied.length === 0) io.err(`${file}: nothing safe to change.\n`);
  for (const r of result.remaining) {
    io.err(`left as is [${r.rule}]: ${r.message}\n`);
    for (const detail of r.details ?? []) io.err(`  - ${detail}\n`);
  }
  return 0;
}

/**
 * Sizes for the CLI: the local engine's exact figure when it has the image, else the catalog;
 * package installs from Debian's or Alpine's index and the base's packages. `settled` waits for what the
 * first estimate started to load (a release's index), after which the estimate is made again.
 */
async function cliKnowledge(references: readonly ImageReference[], cliOffline: boolean, measured?: BuildMeasurer, contextDir?: string): Promise<{ knowledge: SizeKnowledge; settled: () => Promise<void> }> {
  const offline = process.env['SLIMFILE_OFFLINE'] === '1' || cliOffline;
  const registry = offline ? undefined : new RegistryClient({ cacheDir: path.join(os.homedir(), '.cache', 'slimfile', 'registry') });
  const images = new ImageKnowledge({ engine: () => engineFor(), registry: () => registry }, () => undefined);
  const indexes = new DebianPackageIndexes({ cacheDir: packageCacheDir(), offline, ...aptMirrors() });
  const packages = new PackageKnowledge({ engine: () => engineFor(), indexes: () => indexes }, () => undefined);
  const alpineIndexes = new AlpinePackageIndexes({ cacheDir: packageCacheDir(), offline, mirror: process.env['SLIMFILE_ALPINE_MIRROR'] || undefined });
  const alpine = new AlpinePackageKnowledge({ engine: () => engineFor(), indexes: () => alpineIndexes }, () => undefined);
  for (const reference of references) images.size(reference);
  await images.settled();
  const knowledge: SizeKnowledge = {
    baseImage: (ref) => images.size(ref),
    ...(measured && contextDir ? { measuredBuild: (_project: ProjectFacts, key: string) => measured.known(contextDir, key) } : {}),
    debianPackages: (ref: ImageReference, codename: string | undefined) => packages.facts(ref, codename),
    alpinePackages: (ref: ImageReference, branch: string | undefined) => alpine.facts(ref, branch),
  };
  return { knowledge, settled: async () => Promise.all([images.settled(), packages.settled(), alpine.settled()]).then(() => undefined) };
}

function stageJson(stage: StageEstimate): object {
  return {
    index: stage.index,
    name: stage.name ?? null,
    image: stage.image,
    base: stage.base ? { bytes: stage.base.bytes, compressed: stage.base.compressed ?? null, source: stage.base.provenance.detail, confidence: stage.base.provenance.confidence } : null,
    added: stage.added,
    layers: stage.layers.map((l) => ({ what: l.what, bytes: l.bytes ?? null, source: l.provenance?.detail ?? null, line: l.range.start.line + 1 })),
    bytes: stage.bytes ?? null,
  };
}

/** The estimate now and after minimizing, with the minimized text (shared by estimate, build and compare). */
async function estimatePair(loaded: Loaded, offline: boolean, measure = false): Promise<{ pair: EstimatePair; minimized: ImageEstimate; minimizedText: string; applied: readonly string[] }> {
  const { session, project } = loaded;
  const { text: minimizedText, applied } = session.minimized();
  // --measure: the builds the languages ask to measure (go builds, each with the builder's Go
  // release when installed) replace their models.
  const contextDir = project.contextDir;
  let measurer: BuildMeasurer | undefined;
  if (measure && contextDir) {
    const models = [session.model, session.minimized().model ?? parseDockerfile(minimizedText)];
    const builds = models.flatMap((m) => measuredBuilds(m, project));
    // No language asks to measure anything here (no go build): no measurer, and the models size it all.
    if (builds.length > 0) measurer = new BuildMeasurer(() => undefined);
    for (const build of builds) await measurer?.measure(contextDir, build);
  }
  const { knowledge, settled } = await cliKnowledge(session.baseImages(), offline, measurer, contextDir);
  // The first estimate asks for the package facts it needs; once they are loaded it is made again.
  session.estimate(knowledge);
  await settled();
  session.forgetEstimate();
  const pair = session.estimate(knowledge);
  return { pair, minimized: pair.minimized ?? pair.now, minimizedText, applied };
}

async function estimateCommand(files: readonly string[], format: string, context: string | undefined, settings: AnalysisSettings, offline: boolean, measure: boolean, io: Io, packageIndex?: { readonly offline: boolean }): Promise<number> {
  if (files.length !== 1) throw new UsageError('estimate takes exactly one Dockerfile.');
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format for estimate is text or json, not ${format}`);
  const file = files[0] as string;
  const { pair, minimized } = await estimatePair(await load(file, context, settings, packageIndex ? { ...packageIndex, io } : undefined), offline, measure);
  if (format === 'json') {
    io.out(
      `${JSON.stringify(
        {
          file,
          summary: imageLensTitle(pair.now, pair.minimized),
          current: { bytes: pair.now.bytes ?? null, stages: pair.now.stages.map(stageJson) },
          minimized: { bytes: minimized.bytes ?? null, confidence: minimized.confidence, unknowns: minimized.unknowns, stages: minimized.stages.map(stageJson) },
          confidence: pair.now.confidence,
          sources: [...new Set([...pair.now.sources, ...minimized.sources])],
          unknowns: pair.now.unknowns,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  // Worded as the editor's size lens words the same estimate.
  io.out(`${file}: ${imageLensTitle(pair.now, pair.minimized)} (${pair.now.confidence} confidence)\n`);
  for (const source of pair.now.sources) io.out(`    from ${source}\n`);
  for (const source of minimized.sources) if (!pair.now.sources.includes(source)) io.out(`    after minimize, from ${source}\n`);
  for (const unknown of pair.now.unknowns) io.out(`    not counted: ${unknown}\n`);
  // What the minimized image leaves unsized (a binary whose size no model knows) is said too.
  for (const unknown of minimized.unknowns.filter((u) => !pair.now.unknowns.includes(u))) io.out(`    not counted after minimize: ${unknown}\n`);
  return 0;
}

/** Aborts the running build or Minimize on Ctrl+C; the engine stops a build and removes its containers. */
async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
}

function buildFailure(error: unknown, io: Io): number {
  if (!(error instanceof BuildError)) throw error;
  io.err(`slimfile: ${error.message}\n`);
  return error.kind === 'cancelled' ? 130 : 1;
}

function imageJson(image: ShownImage): object {
  return { bytes: image.bytes, estimate: image.estimate, image: image.image, tag: image.tag, seconds: image.seconds, builder: image.builder };
}

function layersJson(image: ShownImage): object[] {
  return image.layers.map((l) => ({ createdBy: l.createdBy, bytes: l.bytes, created: l.created }));
}

async function buildCommand(files: readonly string[], format: string, context: string | undefined, tag: string | undefined, host: string | undefined, noCache: boolean, settings: AnalysisSettings, offline: boolean, maxSize: number | undefined, io: Io): Promise<number> {
  if (files.length !== 1) throw new UsageError('build takes exactly one Dockerfile.');
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format for build is text or json, not ${format}`);
  const loaded = await load(files[0] as string, context, settings);
  const budget = budgetOf(loaded.file, loaded.text, maxSize);
  try {
    const { image } = await withInterrupt((signal) =>
      runBuild(
        { contextDir: loaded.contextDir, dockerfilePath: path.resolve(loaded.file), host: host ?? '', noCache, ...(tag ? { tag } : {}) },
        async () => (await estimatePair(loaded, offline)).pair.now.bytes,
        { signal, onLog: (line) => io.err(`${line}\n`) },
      ),
    );
    const verdict = budget ? checkBuiltBudget(image.bytes, budget.bytes) : undefined;
    if (format === 'json') {
      const budgetJson = budget && verdict ? { budget: { bytes: budget.bytes, over: verdict.over } } : {};
      io.out(`${JSON.stringify({ file: loaded.file, ...imageJson(image), ...budgetJson, layers: layersJson(image) }, null, 2)}\n`);
    } else {
      io.out(`${loaded.file}: ${image.tag} is ${image.size} (${image.bytes} bytes), built in ${image.seconds.toFixed(1)} s; ${image.estimateNote}\n`);
      for (const layer of image.layers) io.out(`  ${layer.size.padStart(10)}  ${layer.createdBy.slice(0, 100)}\n`);
    }
    if (verdict) io.err(`${loaded.file}: ${verdict.over ? 'error: ' : ''}${verdict.line}\n`);
    return verdict?.over ? 1 : 0;
  } catch (error) {
    return buildFailure(error, io);
  }
}

interface RunFlags {
  readonly timeoutSeconds: number;
  readonly probes: readonly string[];
}

async function compareCommand(files: readonly string[], format: string, context: string | undefined, tag: string | undefined, host: string | undefined, noCache: boolean, settings: AnalysisSettings, offline: boolean, io: Io, run?: RunFlags): Promise<number> {
  if (run && (files.length === 1 || files.length === 2)) return compareRunCommand(files, format, context, tag, host, noCache, settings, offline, io, run);
  if (run) throw new UsageError('compare --run takes one Dockerfile (compared with its minimized text) or two of the same context.');
  if (files.length !== 1) throw new UsageError('compare takes exactly one Dockerfile.');
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format for compare is text or json, not ${format}`);
  const loaded = await load(files[0] as string, context, settings);
  const { pair, minimized: minimizedEstimate, minimizedText, applied } = await estimatePair(loaded, offline);
  try {
    const result = await withInterrupt((signal) =>
      runCompare(
        {
          contextDir: loaded.contextDir,
          dockerfilePath: path.resolve(loaded.file),
          minimizedText,
          applied,
          host: host ?? '',
          noCache,
          ...(tag ? { repository: tag } : {}),
          estimates: async () => ({ original: pair.now.bytes, minimized: minimizedEstimate.bytes }),
        },
        { signal, onLog: (line) => io.err(`${line}\n`) },
      ),
    );
    if (format === 'json') {
      io.out(`${JSON.stringify({ file: loaded.file, original: imageJson(result.original), minimized: imageJson(result.minimized), ratio: result.ratio }, null, 2)}\n`);
      return 0;
    }
    const { original, minimized } = result;
    io.out(`${loaded.file}:\n`);
    io.out(`  as written  ${original.size.padStart(10)}  ${original.estimateNote}, built in ${original.seconds.toFixed(1)} s  (${original.tag})\n`);
    io.out(`  minimized   ${minimized.size.padStart(10)}  ${minimized.estimateNote}, built in ${minimized.seconds.toFixed(1)} s  (${minimized.tag})\n`);
    io.out(`  ${(original.bytes / minimized.bytes).toFixed(1)}x smaller\n`);
    return 0;
  } catch (error) {
    return buildFailure(error, io);
  }
}

async function readDockerfile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** `compare --run`: both builds, both runs, the behaviour table. Exit 0 same, 1 different, 2 error. */
async function compareRunCommand(files: readonly string[], format: string, context: string | undefined, tag: string | undefined, host: string | undefined, noCache: boolean, settings: AnalysisSettings, offline: boolean, io: Io, run: RunFlags): Promise<number> {
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format for compare is text or json, not ${format}`);
  const loaded = await load(files[0] as string, context, settings);
  const other = files[1];
  const otherText = other === undefined ? undefined : await readDockerfile(other);
  const { pair, minimized: minimizedEstimate, minimizedText, applied } = await estimatePair(loaded, offline);
  const bText = otherText ?? minimizedText;
  if (otherText === undefined && applied.length === 0) {
    io.err(`${loaded.file}: nothing is safe to change, so Minimize gives the same Dockerfile; comparing it with itself.\n`);
  }
  const { planProbes } = await import('./docker/probePlan');
  const planned = await planProbes(loaded.contextDir, [loaded.text, bText], run.probes);
  for (const problem of planned.problems) io.err(`${problem.line === undefined ? '--probe' : `${loaded.file}:${problem.line + 1}`}: ${problem.message}\n`);
  if (planned.problems.length > 0) return 2;
  const labels = other === undefined ? { original: 'as written', minimized: 'minimized' } : { original: path.basename(loaded.file) === path.basename(other) ? loaded.file : path.basename(loaded.file), minimized: path.basename(loaded.file) === path.basename(other) ? other : path.basename(other) };
  const started = Date.now();
  try {
    const result = await withInterrupt((signal) =>
      runCompare(
        {
          contextDir: loaded.contextDir,
          dockerfilePath: path.resolve(loaded.file),
          minimizedText: bText,
          applied: otherText === undefined ? applied : [],
          host: host ?? '',
          noCache,
          labels,
          run: { plan: planned.plan, timeoutSeconds: run.timeoutSeconds },
          ...(tag ? { repository: tag } : {}),
          estimates: async () => ({ original: pair.now.bytes, minimized: otherText === undefined ? minimizedEstimate.bytes : undefined }),
        },
        { signal, onLog: (line) => io.err(`${line}\n`) },
      ),
    );
    const behaviour = result.behaviour as NonNullable<typeof result.behaviour>;
    const seconds = Number(((Date.now() - started) / 1000).toFixed(1));
    const verdict = behaviour.same && behaviour.unmet.length === 0 ? 'same' : 'different';
    if (format === 'json') {
      io.out(`${JSON.stringify({ file: loaded.file, ...(other ? { other } : {}), verdict, seconds, original: imageJson(result.original), minimized: imageJson(result.minimized), ratio: result.ratio, routes: planned.routes, behaviour }, null, 2)}\n`);
    } else {
      io.out(behaviourTable(`${loaded.file}${other ? ` vs ${other}` : ''}`, result.original, result.minimized, behaviour));
      io.out(`${verdict === 'same' ? 'Same' : 'Different'}: ${result.original.size} ${labels.original}, ${result.minimized.size} ${labels.minimized} (${result.ratio.toFixed(1)}x smaller); ${seconds} s in all.\n`);
    }
    return verdict === 'same' ? 0 : 1;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    io.err(`slimfile: ${error.message}\n`);
    return error.kind === 'cancelled' ? 130 : 2;
  }
}

/** The behaviour table as the terminal shows it: one line per check, then the named failures. */
function behaviourTable(title: string, a: ShownImage, b: ShownImage, behaviour: RunComparison): string {
  const header = { check: 'check', asWritten: a.label, minimized: b.label, same: '' };
  const rows = [header, ...behaviour.rows.map((r) => ({ check: r.check, asWritten: r.asWritten, minimized: r.minimized, same: r.same ? 'same' : 'DIFFERENT' }))];
  const width = (key: 'check' | 'asWritten' | 'minimized'): number => Math.min(48, Math.max(...rows.map((r) => r[key].length)));
  const cut = (text: string, w: number): string => (text.length > w ? `${text.slice(0, w - 1)}…` : text).padEnd(w);
  const [wc, wa, wm] = [width('check'), width('asWritten'), width('minimized')];
  const lines = rows.map((r) => `  ${cut(r.check, wc)}  ${cut(r.asWritten, wa)}  ${cut(r.minimized, wm)}  ${r.same}`.trimEnd());
  lines.splice(1, 0, `  ${'-'.repeat(wc)}  ${'-'.repeat(wa)}  ${'-'.repeat(wm)}  ---------`);
  const notes = behaviour.signatures
    .filter((s) => !s.onBothSides)
    .map((s) => `  ${s.side}: ${s.name}: ${s.cause}\n    in: ${s.line}\n    see ${s.url}`);
  const unmet = behaviour.unmet.map((u) => `  not as declared: ${u}`);
  return `${title}:\n${[...lines, ...notes, ...unmet].join('\n')}\n  (compared after masking ${behaviour.normalisation.join('; ')})\n`;
}

export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    // The flags of the changes on request (--upx) come from the languages; the parsed values are typed without them.
    const onRequestOptions = Object.fromEntries(ON_REQUEST.map((c) => [c.flag, { type: 'boolean', default: false } as const]));
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        ...onRequestOptions,
        format: { type: 'string', default: 'text' },
        context: { type: 'string' },
        write: { type: 'boolean', default: false },
        backup: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        measure: { type: 'boolean', default: false },
        tag: { type: 'string' },
        host: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        rule: { type: 'string', multiple: true, default: [] },
        'max-size': { type: 'string' },
        runtime: { type: 'string' },
        'package-index': { type: 'boolean', default: false },
        run: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        probe: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
    if (values.version) {
      io.out(`${VERSION}\n`);
      return 0;
    }
    const [command, ...files] = positionals;
    if (values.help || !command) {
      io.out(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    const runtime = values.runtime;
    if (runtime !== undefined && runtime !== 'distroless' && runtime !== 'scratch') throw new UsageError(`--runtime is distroless or scratch, not ${JSON.stringify(runtime)}`);
    if (runtime !== undefined && !['minimize', 'estimate', 'compare'].includes(command)) throw new UsageError('--runtime goes with minimize, estimate or compare.');
    const asked = ON_REQUEST.map((c) => c.flag).filter((flag) => (values as Record<string, unknown>)[flag] === true);
    for (const flag of asked) if (command !== 'minimize') throw new UsageError(`--${flag} goes with minimize.`);
    if (values['package-index'] && !['check', 'minimize', 'estimate'].includes(command)) throw new UsageError('--package-index goes with check, minimize or estimate.');
    const packageIndex = values['package-index'] ? { offline: values.offline ?? false } : undefined;
    if (!values.run && (values.timeout !== undefined || (values.probe ?? []).length > 0)) throw new UsageError('--timeout and --probe go with compare --run.');
    if (values.run && command !== 'compare') throw new UsageError('--run goes with compare.');
    const settings: AnalysisSettings = { rules: severityOverrides(values.rule ?? []), ...(runtime ? { runtime } : {}) };
    const maxSize = maxSizeOption(values['max-size']);
    if (maxSize !== undefined && command !== 'check' && command !== 'build') throw new UsageError('--max-size goes with check or build.');
    switch (command) {
      case 'check':
        return await check(files, values.format ?? 'text', values.context, settings, maxSize, values.offline ?? false, io, packageIndex);
      case 'minimize':
        return await minimizeCommand(files, values.write ?? false, values.backup ?? false, asked, values.context, settings, io, packageIndex);
      case 'estimate':
        return await estimateCommand(files, values.format ?? 'text', values.context, settings, values.offline ?? false, values.measure ?? false, io, packageIndex);
      case 'build':
        return await buildCommand(files, values.format ?? 'text', values.context, values.tag, values.host, values['no-cache'] ?? false, settings, values.offline ?? false, maxSize, io);
      case 'compare':
        return await compareCommand(files, values.format ?? 'text', values.context, values.tag, values.host, values['no-cache'] ?? false, settings, values.offline ?? false, io, values.run ? { timeoutSeconds: timeoutOption(values.timeout), probes: values.probe ?? [] } : undefined);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`slimfile: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    io.err(`slimfile: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

/** Entry of bin/slimfile.js. */
export function main(): void {
  // A reader that stops early (`slimfile check ... | head`) closes the pipe: the rest of the output
  // is not wanted, as for any Unix tool, and is dropped (processIo writes nothing to a closed
  // stream); the command still ends with its own exit code, not a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
  }
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
