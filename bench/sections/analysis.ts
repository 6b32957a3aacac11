// 1. Analysis cost per Dockerfile, in process: Slimfile's work per version (parse, rules,
// diagnostics) against the peer's validation (dockerfile-utils), and everything a client can ask
// for a version against its language service (validate + code actions), on the corpus and on
// generated files of 1k, 10k and 50k lines.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProject } from '../../server/src/workspace/project';
import { catalogKnowledge, slimfileWork } from '../lib/slimfileWork';
import { peerWork } from '../lib/peerWork';
import { generateDockerfile } from '../lib/generate';
import { growthExponent, median, timeInTurn, timeRuns, type TimingOptions } from '../lib/stats';
import type { ServerCommand } from '../lib/lspProcess';
import { mainSource, measureSaves, type SaveResult } from './save';

export const CORPUS_DIR = path.join(__dirname, '..', 'corpus');

export interface CostRow {
  readonly name: string;
  readonly lines: number;
  /** Median ms of the work on every change (parse, rules, diagnostics): RUN scripts unchanged since the last parse are not split again. */
  readonly slimfile: number;
  /** The same on a file's first open: nothing kept from an earlier parse. */
  readonly slimfileCold: number;
  /** Everything a client can ask for the version: diagnostics, code actions with fix-all resolved, lenses resolved. */
  readonly slimfileAll: number;
  readonly slimfileParts: { parse: number; analyze: number; codeActions: number; fixAll: number; lenses: number };
  readonly peerValidate: number;
  readonly peerService: number;
}

/** A naive Dockerfile over a generated context of many files: the conversion classes every entry it sends. */
export interface LargeContextRow {
  readonly files: number;
  readonly topLevelEntries: number;
  /** ms for loadProject: the one bounded walk (Go sources, sizes, listing) and the Go scan. */
  readonly load: number;
  /** Median ms of everything asked for a version (the conversion runs in a rule, in fix-all and in the lens). */
  readonly perVersion: number;
  /** A .go save to refreshed diagnostics, the server over stdio; undefined without a built server. */
  readonly saves: SaveResult | undefined;
}

export interface AnalysisResult {
  readonly largeContext: LargeContextRow;
  readonly corpus: readonly CostRow[];
  readonly generated: readonly CostRow[];
  readonly slimfileExponent: number;
  readonly slimfileColdExponent: number;
  readonly slimfileAllExponent: number;
  readonly peerExponent: number;
}

export async function corpusFiles(): Promise<Array<{ name: string; file: string; text: string }>> {
  const names = (await fs.readdir(CORPUS_DIR)).filter((n) => n.endsWith('.Dockerfile')).sort();
  return Promise.all(names.map(async (name) => ({ name, file: path.join(CORPUS_DIR, name), text: await fs.readFile(path.join(CORPUS_DIR, name), 'utf8') })));
}

function timing(lines: number, quick: boolean): TimingOptions {
  if (lines >= 20_000) return { warmup: 1, minRuns: quick ? 2 : 5, minTimeMs: 0, maxRuns: quick ? 2 : 5 };
  if (lines >= 5_000) return { warmup: 2, minRuns: quick ? 3 : 7, minTimeMs: quick ? 200 : 1000, maxRuns: 30 };
  return { warmup: 5, minRuns: quick ? 5 : 15, minTimeMs: quick ? 100 : 400, maxRuns: 2000 };
}

function measure(name: string, text: string, project: Awaited<ReturnType<typeof loadProject>>, quick: boolean): CostRow {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const options = timing(lines, quick);
  const slim = slimfileWork(text, project, catalogKnowledge());
  const peer = peerWork(text);
  const [peerValidate, slimfile, slimfileCold, peerService, slimfileAll] = timeInTurn([peer.validate, slim.perVersion, slim.cold, peer.service, slim.all], options).map(median) as [number, number, number, number, number];
  const partsOptions = { ...options, minRuns: Math.max(2, Math.ceil(options.minRuns / 2)), minTimeMs: options.minTimeMs / 2 };
  const slimfileParts = {
    parse: median(timeRuns(slim.parse, partsOptions)),
    analyze: median(timeRuns(slim.analyze, partsOptions)),
    codeActions: median(timeRuns(slim.codeActions, partsOptions)),
    fixAll: median(timeRuns(slim.fixAll, partsOptions)),
    lenses: median(timeRuns(slim.lenses, partsOptions)),
  };
  return { name, lines, slimfile, slimfileCold, slimfileAll, slimfileParts, peerValidate, peerService };
}

export async function runAnalysis(options: { quick: boolean; log: (line: string) => void; server?: ServerCommand }): Promise<AnalysisResult> {
  // The corpus's Dockerfiles build the small module beside them (go.mod, main.go): the rules
  // that need project facts (TLS, zoneinfo, cgo) run as they do in a real workspace.
  const project = await loadProject(CORPUS_DIR, { maxGoFiles: 2000 });
  // Every contender once over everything first, so the first file is not the one paying for the JIT.
  const files = await corpusFiles();
  for (let i = 0; i < 3; i++) {
    for (const { text } of files) {
      slimfileWork(text, project, catalogKnowledge()).all();
      peerWork(text).validate();
      peerWork(text).service();
    }
  }
  const corpus: CostRow[] = [];
  for (const { name, text } of files) {
    const row = measure(name, text, project, options.quick);
    options.log(`  ${name}: slimfile ${row.slimfile.toFixed(3)} ms, peer validate ${row.peerValidate.toFixed(3)} ms`);
    corpus.push(row);
  }
  const generated: CostRow[] = [];
  for (const lines of [1_000, 10_000, 50_000]) {
    const row = measure(`generated ${lines / 1000}k`, generateDockerfile(lines), project, options.quick);
    options.log(`  ${row.name}: slimfile ${row.slimfile.toFixed(1)} ms, peer validate ${row.peerValidate.toFixed(1)} ms`);
    generated.push(row);
  }
  const largeContext = await measureLargeContext(options.quick, options.server);
  options.log(`  large context (${largeContext.files} files): load ${largeContext.load.toFixed(0)} ms, per version ${largeContext.perVersion.toFixed(1)} ms`);
  const saves = largeContext.saves;
  if (saves) options.log(`  .go save to diagnostics: p50 ${saves.p50.toFixed(1)} ms, p95 ${saves.p95.toFixed(1)} ms over ${saves.saves} saves (first open ${saves.firstOpen.toFixed(0)} ms)`);
  return {
    largeContext,
    corpus,
    generated,
    slimfileExponent: growthExponent(generated.map((r) => ({ n: r.lines, cost: r.slimfile }))),
    slimfileColdExponent: growthExponent(generated.map((r) => ({ n: r.lines, cost: r.slimfileCold }))),
    slimfileAllExponent: growthExponent(generated.map((r) => ({ n: r.lines, cost: r.slimfileAll }))),
    peerExponent: growthExponent(generated.map((r) => ({ n: r.lines, cost: r.peerValidate }))),
  };
}

const NAIVE = 'FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN go build -o server ./cmd/server\nEXPOSE 8080\nCMD ["/app/server"]\n';

/**
 * A monorepo-sized context: 40 Go packages, templates/ and static/ the program reads, and 400
 * documentation folders of 50 files each (20,000 files that every classing must look through).
 */
export async function measureLargeContext(quick: boolean, server?: ServerCommand): Promise<LargeContextRow> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-bench-context-'));
  try {
    await fs.writeFile(path.join(dir, 'go.mod'), 'module example.com/big\n\ngo 1.19\n');
    await fs.writeFile(path.join(dir, 'Dockerfile'), NAIVE);
    await fs.mkdir(path.join(dir, 'cmd', 'server'), { recursive: true });
    await fs.writeFile(path.join(dir, 'cmd', 'server', 'main.go'), mainSource(false));
    for (let p = 0; p < 40; p++) {
      await fs.mkdir(path.join(dir, 'internal', `pkg${p}`), { recursive: true });
      await fs.writeFile(path.join(dir, 'internal', `pkg${p}`, 'pkg.go'), `package pkg${p}\n\nfunc Name() string { return "pkg${p}" }\n`);
    }
    for (const folder of ['templates', 'static']) {
      await fs.mkdir(path.join(dir, folder));
      for (let f = 0; f < 20; f++) await fs.writeFile(path.join(dir, folder, `f${f}.html`), `<p>${f}</p>\n`);
    }
    let files = 0;
    for (let d = 0; d < 400; d++) {
      const folder = path.join(dir, `docs-${d}`);
      await fs.mkdir(folder);
      for (let f = 0; f < 50; f++) await fs.writeFile(path.join(folder, `page${f}.md`), '# page\n');
      files += 50;
    }
    files += 40 + 40 + 3;
    const loadStarted = performance.now();
    const project = await loadProject(dir, { maxGoFiles: 2000 });
    const load = performance.now() - loadStarted;
    const work = slimfileWork(NAIVE, project, catalogKnowledge());
    const perVersion = median(timeRuns(work.all, { warmup: 2, minRuns: quick ? 3 : 10, minTimeMs: quick ? 100 : 500, maxRuns: 200 }));
    const saves = server ? await measureSaves(server, dir, quick ? 10 : 40) : undefined;
    return { files, topLevelEntries: project.contextEntries.length, load, perVersion, saves };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
