// `npm run bench`: Slimfile against the Dockerfile language server (dockerfile-utils,
// dockerfile-language-service, dockerfile-language-server-nodejs), against tally's language
// server, and against real images.
// Prints one table and writes it, with the machine and versions, to bench/results.md (the raw
// figures to bench/results.json). A benchmark, not a test: a missed target is reported, and
// the exit code is 0 unless the bench itself broke.
//
//   npm run bench                  everything (Docker steps skip cleanly without an engine)
//   npm run bench -- --quick       fewer runs, for trying the bench itself
//   npm run bench -- --skip-docker --skip-package
//   npm run bench -- --rounds 3     rounds of the language-server measurements (default 3)
//   npm run bench -- --only lsp     one section: analysis, lsp, images, package, go-matrix or packages
//   npm run bench -- --skip-go-matrix   leave out section 7 (every project on every Go release:
//                                       over an hour on 2 cores; npm run bench:go-matrix runs it alone)
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runAnalysis, type AnalysisResult, type CostRow } from './sections/analysis';
import { runLsp, KEYSTROKE_FILE, SLIMFILE, installedServers, type LspResult, type ServerResult } from './sections/lsp';
import { runImages, type ImagesResult } from './sections/images';
import { runPackage, type PackageResult } from './sections/package';
import { MATRIX_BEGIN, MATRIX_END, matrixMarkdown, runGoMatrix } from './sections/goMatrix';
import { PACKAGES_BEGIN, PACKAGES_END, packagesMarkdown, runPackageInstalls, savePackagesSection } from './sections/packageInstalls';
import { formatMiB, formatMs, median } from './lib/stats';

const ROOT = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const args = new Set(argv);
const quick = args.has('--quick');
const valueOf = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rounds = Math.max(1, Number(valueOf('--rounds') ?? (quick ? 1 : 3)));
const only = valueOf('--only');
const runs = (section: string): boolean => only === undefined || only.split(',').includes(section);
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

interface Row {
  readonly what: string;
  readonly slimfile: string;
  readonly peer: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: string;
}

const metText = (ok: boolean | undefined): string => (ok === undefined ? '—' : ok ? 'met' : 'NOT met');
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const bytes = (n: number | undefined): string => (n === undefined ? 'unknown' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(0)} kB`);
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const perLine = (r: CostRow, ms: number): string => `${formatMs(ms)} (${((ms * 1000) / r.lines).toFixed(1)} µs/line)`;

function analysisRows(a: AnalysisResult): Row[] {
  const slim = sum(a.corpus.map((r) => r.slimfile));
  const cold = sum(a.corpus.map((r) => r.slimfileCold));
  const all = sum(a.corpus.map((r) => r.slimfileAll));
  const validate = sum(a.corpus.map((r) => r.peerValidate));
  const service = sum(a.corpus.map((r) => r.peerService));
  const lines = sum(a.corpus.map((r) => r.lines));
  const big = a.largeContext;
  const rows: Row[] = [
    {
      what: `1. Naive Dockerfile over a ${big.files}-file context (${big.topLevelEntries} top-level entries): everything asked for a version, the conversion classing every entry (load, one walk: ${formatMs(big.load)})`,
      slimfile: formatMs(big.perVersion),
      peer: '—',
      ratio: '—',
      target: '≤ 50 ms',
      met: metText(big.perVersion <= 50),
    },
    {
      what: `1. A .go save to refreshed diagnostics over the same context: the server over stdio, ${big.saves?.saves ?? 0} saves adding or dropping a file read, told as a file watcher tells (first open, the whole walk: ${big.saves ? formatMs(big.saves.firstOpen) : 'not measured'}); p50 [p95]`,
      slimfile: big.saves ? `${formatMs(big.saves.p50)} [${formatMs(big.saves.p95)}]` : 'not measured (no dist/server.js)',
      peer: '—',
      ratio: '—',
      target: 'p95 ≤ 50 ms',
      met: metText(big.saves ? big.saves.p95 <= 50 : undefined),
    },
    {
      what: `1. Analysis per version while editing, corpus (${a.corpus.length} files, ${lines} lines; sum of per-file medians): Slimfile on every change (parse, rules, diagnostics) vs peer validate (dockerfile-utils)`,
      slimfile: formatMs(slim),
      peer: formatMs(validate),
      ratio: ratio(slim, validate),
      target: '≤ 1.00',
      met: metText(slim / validate <= 1),
    },
    {
      what: '1. Analysis on first open (nothing cached), corpus: Slimfile on every change vs peer validate',
      slimfile: formatMs(cold),
      peer: formatMs(validate),
      ratio: ratio(cold, validate),
      target: '≤ 1.00',
      met: metText(cold / validate <= 1),
    },
    {
      what: '1. Everything a client can ask for a version, corpus: Slimfile diagnostics + code actions with fix-all resolved + lenses resolved (Minimize once) vs peer service (validate + code actions; it has no lenses)',
      slimfile: formatMs(all),
      peer: formatMs(service),
      ratio: ratio(all, service),
      target: '—',
      met: '—',
    },
  ];
  for (const r of a.generated) {
    rows.push({
      what: `1. Analysis, ${r.name} lines: Slimfile per version (first open in brackets) vs peer validate`,
      slimfile: `${perLine(r, r.slimfile)} [${formatMs(r.slimfileCold)}]`,
      peer: perLine(r, r.peerValidate),
      ratio: `${ratio(r.slimfile, r.peerValidate)} [${ratio(r.slimfileCold, r.peerValidate)}]`,
      target: '—',
      met: '—',
    });
  }
  rows.push({
    what: '1. Growth exponent k (cost ∝ lines^k, least squares on 1k/10k/50k): Slimfile per version [first open] {everything asked} vs peer validate',
    slimfile: `${a.slimfileExponent.toFixed(2)} [${a.slimfileColdExponent.toFixed(2)}] {${a.slimfileAllExponent.toFixed(2)}}`,
    peer: a.peerExponent.toFixed(2),
    ratio: '—',
    target: 'Slimfile per version ≤ 1.10 (linear)',
    met: metText(Math.max(a.slimfileExponent, a.slimfileColdExponent) <= 1.1),
  });
  return rows;
}

const range = (xs: readonly number[], show: (x: number) => string): string => {
  if (xs.length < 2) return show(xs[0] ?? Number.NaN);
  return `${show(median(xs))} (${show(Math.min(...xs))}–${show(Math.max(...xs))})`;
};
const times = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/**
 * One row per figure and peer. Ratios are taken within each round (both servers measured under
 * the same load), then the median of the rounds is judged; the range of the rounds is in brackets.
 */
function lspRows(l: LspResult): Row[] {
  const [slimfile, ...peers] = l.servers;
  if (!slimfile) return [];
  const rows: Row[] = [];
  const s = slimfile.rounds;
  const k = s[0]?.keystroke;
  const figures: Array<{
    what: string;
    value: (r: ServerResult) => number | undefined;
    show: (x: number) => string;
    target?: { peer: string; max: number };
  }> = [
    {
      what: `2. Keystroke → diagnostics p50, ${k?.edits ?? 0} edits on ${KEYSTROKE_FILE} (${k?.lines ?? 0} lines); none of the servers debounces its work except as noted`,
      value: (r) => r.keystroke.p50,
      show: formatMs,
    },
    { what: '2. Keystroke → diagnostics p95', value: (r) => r.keystroke.p95, show: formatMs, target: { peer: 'docker-langserver', max: 0.7 } },
    { what: '2. Keystroke → diagnostics p99', value: (r) => r.keystroke.p99, show: formatMs },
    {
      what: '3. Cold start: spawn → first diagnostics (median of the starts after the first; Slimfile from its code cache, which every start after a build\'s first reads)',
      value: (r) => r.coldStart,
      show: formatMs,
      target: { peer: 'docker-langserver', max: 1.0 },
    },
    { what: '3. First start: spawn → first diagnostics (Slimfile without a code cache: the first start after an install or update makes it)', value: (r) => r.firstStart, show: formatMs },
    { what: '3. Spawn → initialize answered (median)', value: (r) => r.initialize, show: formatMs },
    {
      what: `3. Resident memory (VmRSS) with the corpus open (${s[0]?.openFiles ?? 0} files; diagnostics, code actions and lenses resolved), each server as it is started: Slimfile as its VS Code client starts it (with MALLOC_ARENA_MAX=1), the others as shipped`,
      value: (r) => r.rssBytes,
      show: formatMiB,
      target: { peer: 'docker-langserver', max: 0.8 },
    },
    // The same step with one environment for both, so that a reader sees what is code and what is environment.
    { what: '3. Resident memory, both with glibc\'s default malloc arenas (no MALLOC_ARENA_MAX: Slimfile started without it)', value: (r) => r.rssByArenas?.default, show: formatMiB },
    { what: '3. Resident memory, both with one malloc arena (MALLOC_ARENA_MAX=1: docker-langserver started with it)', value: (r) => r.rssByArenas?.one, show: formatMiB },
  ];
  for (const figure of figures) {
    for (const peer of peers) {
      const mine = s.map(figure.value).filter((x): x is number => x !== undefined);
      const theirs = peer.rounds.map(figure.value).filter((x): x is number => x !== undefined);
      if (mine.length === 0 || theirs.length === 0) continue;
      const ratios = s.map((r, i) => {
        const a = figure.value(r);
        const b = peer.rounds[i] ? figure.value(peer.rounds[i] as ServerResult) : undefined;
        return a !== undefined && b !== undefined ? a / b : Number.NaN;
      });
      const judged = figure.target?.peer === peer.name ? figure.target : undefined;
      rows.push({
        what: `${figure.what}: Slimfile vs ${peer.name}, ${l.rounds} round${l.rounds === 1 ? '' : 's'}`,
        slimfile: range(mine, figure.show),
        peer: range(theirs, figure.show),
        ratio: range(ratios, times),
        target: judged ? `≤ ${judged.max.toFixed(2)}` : '—',
        met: judged ? metText(median(ratios) <= judged.max) : '—',
      });
    }
  }
  return rows;
}

function imageRows(images: ImagesResult): Row[] {
  if ('skipped' in images) {
    return [{ what: '4./5. Estimate accuracy and image outcome', slimfile: `skipped: ${images.skipped}`, peer: '—', ratio: '—', target: '—', met: '—' }];
  }
  const rows: Row[] = [];
  for (const e of images.examples) {
    const err = (est: number | undefined, real: number): number | undefined => (est === undefined ? undefined : Math.abs(est - real) / real);
    const naive = err(e.estimateNaive, e.realNaive);
    const min = err(e.estimateMinimized, e.realMinimized);
    rows.push({
      what: `4. Estimate error |est − real| / real, examples/${e.example}: naive / minimized`,
      slimfile: `${naive === undefined ? 'no estimate' : pct(naive)} / ${min === undefined ? 'no estimate' : pct(min)}`,
      peer: '—',
      ratio: '—',
      target: '≤ 5%',
      met: metText(naive !== undefined && min !== undefined && naive <= 0.05 && min <= 0.05),
    });
  }
  for (const e of images.examples) {
    const files = e.neededFiles.length > 0 ? ` + ${e.neededFiles.map((f) => `${path.basename(f.path)} ${bytes(f.bytes)}`).join(', ')}` : '';
    rows.push({
      what: `5. Image, examples/${e.example}: naive → minimized real size; floor = binary ${bytes(e.binary)}${files}`,
      slimfile: `${bytes(e.realNaive)} → ${bytes(e.realMinimized)} (${(e.realNaive / e.realMinimized).toFixed(0)}× smaller); floor ${bytes(e.floor)}`,
      peer: '—',
      ratio: `minimized/floor ${ratio(e.realMinimized, e.floor)}`,
      target: '≤ 1.05 (on scratch, below)',
      met: metText(e.realMinimized / e.floor <= 1.05),
    });
  }
  for (const e of images.examples) {
    rows.push({
      what: `5. Image on scratch (--runtime scratch), examples/${e.example}: real size against the same floor`,
      slimfile: `${bytes(e.realScratch)}; floor ${bytes(e.floor)}`,
      peer: '—',
      ratio: `scratch/floor ${ratio(e.realScratch, e.floor)}`,
      target: '≤ 1.05',
      met: metText(e.realScratch / e.floor <= 1.05),
    });
  }
  for (const e of images.examples) {
    const without = images.upx[`${e.example}-scratch`];
    const packed = images.upx[`${e.example}-upx`];
    const rss = without?.rss ? `; server memory without: ${without.rss.trim()}, with: ${packed?.rss.trim()}` : '';
    rows.push({
      what: `7. UPX (--upx), examples/${e.example}: scratch → scratch+UPX image; binary start-up without → with UPX (mean of 30 starts)`,
      slimfile: `${bytes(e.realScratch)} → ${bytes(e.realUpx)}; ${without?.msPerStart ?? '?'} ms → ${packed?.msPerStart ?? '?'} ms${rss}`,
      peer: '—',
      ratio: `${ratio(e.realUpx, e.realScratch)} of the size`,
      target: '—',
      met: '—',
    });
  }
  return rows;
}

function packageRows(pkg: PackageResult | undefined): Row[] {
  if (!pkg) return [{ what: '6. Package sizes', slimfile: 'skipped (--skip-package)', peer: '—', ratio: '—', target: '—', met: '—' }];
  if ('skipped' in pkg) return [{ what: '6. Package sizes', slimfile: pkg.skipped, peer: '—', ratio: '—', target: '—', met: '—' }];
  return [
    { what: '6. slimfile.vsix (npm run package)', slimfile: bytes(pkg.vsixBytes), peer: '—', ratio: '—', target: '—', met: '—' },
    { what: '6. Bundled server dist/server.js with the bundle it runs, dist/serverBundle.js (production build), loaded at start', slimfile: bytes(pkg.serverBytes), peer: '—', ratio: '—', target: '—', met: '—' },
    { what: '6. dist/dockerode.js (dockerode, ssh2, gRPC, protobuf), loaded on the first engine use', slimfile: bytes(pkg.dockerodeBytes), peer: '—', ratio: '—', target: '—', met: '—' },
  ];
}

function table(rows: readonly Row[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    '| measurement | Slimfile | peer | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${esc(r.what)} | ${esc(r.slimfile)} | ${esc(r.peer)} | ${esc(r.ratio)} | ${esc(r.target)} | ${r.met} |`),
  ].join('\n');
}

function version(pkg: string): string {
  try {
    return (require(path.join(ROOT, 'node_modules', pkg, 'package.json')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function dockerVersion(): string {
  try {
    return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return 'no engine';
  }
}

function machine(): string {
  const cpus = os.cpus();
  return [
    `- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical CPUs, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
    `- Node ${process.version}; slimfile ${(require(path.join(ROOT, 'package.json')) as { version: string }).version}`,
    `- Peers: dockerfile-utils ${version('dockerfile-utils')}, dockerfile-language-service ${version('dockerfile-language-service')}, dockerfile-language-server-nodejs ${version('dockerfile-language-server-nodejs')} (dockerfile-ast ${version('dockerfile-ast')}); tally ${version('@wharflab/tally-linux-x64')} (\`tally lsp --stdio\`, a Go binary)`,
    `- Docker Engine: ${dockerVersion()}`,
  ].join('\n');
}

function corpusDetail(a: AnalysisResult): string {
  const rows = [...a.corpus, ...a.generated].map((r) => {
    const p = r.slimfileParts;
    return `| ${r.name} | ${r.lines} | ${formatMs(r.slimfile)} | ${formatMs(r.slimfileCold)} | ${formatMs(p.parse)} | ${formatMs(p.analyze)} | ${formatMs(p.codeActions)} | ${formatMs(p.fixAll)} | ${formatMs(p.lenses)} | ${formatMs(r.slimfileAll)} | ${formatMs(r.peerValidate)} | ${formatMs(r.peerService)} | ${ratio(r.slimfile, r.peerValidate)} |`;
  });
  return [
    '| file | lines | per version | first open | parse+model | rules+diagnostics | code actions (listed) | fix-all (resolve: Minimize) | lenses (resolve: estimate) | everything asked | peer validate | peer service | per version/validate |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * Section 7 of the results on file, for a run that leaves the matrix out (`--skip-go-matrix`,
 * `--skip-docker`): it takes over an hour, and a shorter run must not erase the last one.
 */
async function lastMatrixSection(): Promise<string> {
  const current = await fs.readFile(path.join(__dirname, 'results.md'), 'utf8').catch(() => '');
  const begin = current.indexOf(MATRIX_BEGIN);
  const end = current.indexOf(MATRIX_END);
  if (begin < 0 || end < begin) return '';
  return ['## 7. Estimate against real size per Go release', '', current.slice(begin, end + MATRIX_END.length), ''].join('\n');
}

/** Section 8 as last written (`--only packages`), kept by a whole run. */
async function lastPackagesSection(): Promise<string> {
  const current = await fs.readFile(path.join(__dirname, 'results.md'), 'utf8').catch(() => '');
  const begin = current.indexOf(PACKAGES_BEGIN);
  const end = current.indexOf(PACKAGES_END);
  if (begin < 0 || end < begin) return '';
  return ['## 8. Debian packages: the index and package installs', '', current.slice(begin, end + PACKAGES_END.length), ''].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  let detail = '';

  if (runs('analysis')) {
    log('1. analysis cost, in process');
    const built = installedServers().servers.includes(SLIMFILE);
    const analysis = await runAnalysis({ quick, log, ...(built ? { server: SLIMFILE } : {}) });
    raw['analysis'] = analysis;
    rows.push(...analysisRows(analysis));
    detail += `### Analysis cost per file (medians)\n\nSlimfile's parts are timed alone on a model parsed beforehand. "Per version" is what the server does on every change (parse, rules, diagnostics); the code actions, the fix-all edit and the lenses are computed when a client asks for them, and "everything asked" is all of it on the text for one version.\n\n${corpusDetail(analysis)}\n`;
  }

  // The package step rebuilds dist/ for production, so the servers below run what users install.
  let pkg: PackageResult | undefined;
  if (runs('package') && !args.has('--skip-package')) {
    log('6. package sizes (npm run package)');
    pkg = await runPackage({ log });
    raw['package'] = pkg;
  }

  if (runs('lsp')) {
    log('2./3. language servers over stdio');
    const lsp = await runLsp({ quick, rounds, log });
    raw['lsp'] = lsp;
    if ('skipped' in lsp) rows.push({ what: '2./3. Language servers', slimfile: `skipped: ${lsp.skipped}`, peer: '—', ratio: '—', target: '—', met: '—' });
    else rows.push(...lspRows(lsp));
  }

  if (runs('images')) {
    log('4./5. estimates and images (Docker)');
    const images = await runImages({ log, skipDocker: args.has('--skip-docker') });
    raw['images'] = images;
    rows.push(...imageRows(images));
  }
  if (runs('package')) rows.push(...packageRows(pkg));

  let matrix = '';
  if (runs('go-matrix') && !args.has('--skip-go-matrix')) {
    log('7. estimate against real size per Go release (Docker)');
    const result = await runGoMatrix({ log, skipDocker: args.has('--skip-docker') });
    raw['goMatrix'] = result;
    matrix = ['## 7. Estimate against real size per Go release', '', MATRIX_BEGIN, matrixMarkdown(result), MATRIX_END, ''].join('\n');
  }

  // 8. Written into results.md at once, --only or not: it builds images and is run on its own.
  if (only !== undefined && only.split(',').includes('packages')) {
    log('8. Debian packages: the index and package installs (Docker)');
    const packages = await runPackageInstalls({ log });
    raw['packages'] = packages;
    const section = packagesMarkdown(packages, new Date().toISOString().slice(0, 10));
    process.stdout.write(`${section}\n`);
    await savePackagesSection(section);
  }

  const out = table(rows);
  process.stdout.write(`${out}\n`);
  if (only !== undefined) {
    log('--only: bench/results.md is left as it is (it holds whole runs only)');
    return;
  }
  // What the profiles show and what stands in the way of a missed target: written by hand, kept beside the bench.
  const findings = await fs.readFile(path.join(__dirname, 'findings.md'), 'utf8').catch(() => '');
  const md = [
    '# Slimfile benchmarks',
    '',
    `Written by \`npm run bench\`${quick ? ' --quick' : ''} on ${new Date().toISOString()} in ${((Date.now() - started) / 1000).toFixed(0)} s. Benchmarks, not tests: CI does not run them.`,
    '',
    machine(),
    '',
    out,
    '',
    detail,
    '',
    findings.trim(),
    '',
    matrix || (await lastMatrixSection()),
    await lastPackagesSection(),
    'How each figure is made: bench/README.md.',
    '',
  ].join('\n');
  await fs.writeFile(path.join(__dirname, 'results.md'), md);
  await fs.writeFile(path.join(__dirname, 'results.json'), `${JSON.stringify(raw, null, 2)}\n`);
  log(`wrote bench/results.md and bench/results.json`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
