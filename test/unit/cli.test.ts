// `slimfile` from a terminal: run() with captured output, over the shipped examples and temp copies.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type Io } from '../../server/src/cli';
import { RULES } from '../../server/src/analysis/rules';
import { BUDGET_RULE } from '../../server/src/analysis/estimate/budget';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const RULE_IDS = new Set(RULES.map((r) => r.id));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await run(argv, io);
  return { code, out, err };
}

function example(name: string): string {
  return path.join(EXAMPLES, name, 'Dockerfile');
}

async function tempCopy(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-cli-${name}-`));
  await fs.cp(path.join(EXAMPLES, name), dir, { recursive: true });
  return path.join(dir, 'Dockerfile');
}

test('check on the examples exits 0 and prints each finding with its rule id', async () => {
  const files = ['hello', 'http-server', 'https-client'].map(example);
  const { code, out } = await cli('check', ...files);
  assert.equal(code, 0);
  const lines = out.trimEnd().split('\n');
  const findings = lines.filter((l) => !l.startsWith('    fix: ') && !/^\d+ findings?\.$|^No findings\.$/.test(l));
  assert.ok(findings.length >= 3, out);
  for (const line of findings) {
    const m = /^(.+):(\d+):(\d+): (error|warning|info|hint) \[([\w-]+)\] .+$/.exec(line);
    assert.ok(m, `not a finding line: ${line}`);
    assert.ok(files.includes(m[1] as string), line);
    assert.ok(RULE_IDS.has(m[5] as string), `unknown rule in ${line}`);
    assert.notEqual(m[4], 'error', 'no example finding is an error by default');
  }
  for (const file of files) assert.ok(out.includes(`${file}:1:6: warning [go-toolchain-in-final-image] `), `${file} in\n${out}`);
  assert.equal(lines[lines.length - 1], `${findings.length} finding${findings.length === 1 ? '' : 's'}.`);
});

test('check --format json prints one object per finding', async () => {
  const file = example('hello');
  const { code, out } = await cli('check', '--format', 'json', file);
  assert.equal(code, 0);
  const findings = JSON.parse(out) as Array<Record<string, unknown>>;
  assert.ok(Array.isArray(findings) && findings.length > 0);
  for (const f of findings) {
    assert.deepStrictEqual(Object.keys(f).sort(), ['file', 'fixes', 'message', 'range', 'related', 'rule', 'severity']);
    assert.ok(Array.isArray(f.related) && (f.related as Array<{ message: unknown }>).every((r) => typeof r.message === 'string'));
    assert.equal(f.file, file);
    assert.ok(RULE_IDS.has(f.rule as string));
    assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity as string));
    assert.equal(typeof f.message, 'string');
    const range = f.range as { start: { line: number; character: number }; end: { line: number; character: number } };
    for (const p of [range.start, range.end]) {
      assert.deepStrictEqual(Object.keys(p).sort(), ['character', 'line']);
      assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character));
    }
    assert.ok(Array.isArray(f.fixes) && (f.fixes as unknown[]).every((x) => typeof x === 'string'));
  }
  const toolchain = findings.find((f) => f.rule === 'go-toolchain-in-final-image');
  assert.deepStrictEqual(toolchain?.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 16 } });
});

test('check says why root is kept for a write the scan cannot place, and converts anyway', async () => {
  const file = path.join(__dirname, '..', 'fixtures', 'rules', 'go-toolchain-in-final-image', 'unknown-write-keeps-root', 'Dockerfile');
  const { out } = await cli('check', file);
  assert.ok(out.includes('\n    note: Runs as root: unknown path at main.go:6: os.WriteFile(os.Args[1], …) writes where the scan cannot see.\n'), out);
  assert.ok(out.includes('\n    fix: Convert to multi-stage build\n'), out);
});

async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-cli-project-'));
  const naive = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n';
  for (const [name, text] of Object.entries({ 'go.mod': 'module example.com/app\n\ngo 1.22\n', Dockerfile: naive, ...files })) await fs.writeFile(path.join(dir, name), text);
  return path.join(dir, 'Dockerfile');
}

test('check says why a conversion is not proven: a read of a system file the build context does not give', async () => {
  const file = await tempProject({ 'main.go': 'package main\n\nimport "os"\n\nfunc main() {\n\t_, _ = os.ReadFile("/etc/app/config.yaml")\n}\n' });
  const { out } = await cli('check', file);
  assert.ok(out.includes('\n    note: Not converted automatically: os.ReadFile("/etc/app/config.yaml") at main.go:6 reads /etc/app/config.yaml, which does not come from the build context.\n'), out);
  assert.ok(out.includes('\n    fix: Convert to multi-stage build (review the notes: not proven safe)\n'), out);
  await fs.rm(path.dirname(file), { recursive: true, force: true });
});

test('minimize and check list each context file left out, with its reason', async () => {
  const file = await tempProject({ 'main.go': 'package main\n\nfunc main() {}\n', 'screenshot1.png': 'png', 'Pseudo-Code.TXT': 'steps\n' });
  const printed = await cli('minimize', file);
  assert.equal(
    printed.out.slice(printed.out.indexOf('FROM gcr.io')),
    [
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# Not copied: Pseudo-Code.TXT: nothing reads it at run time.',
      '# Not copied: screenshot1.png: nothing reads it at run time.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.match(printed.err, /^applied: Convert to multi-stage build$/m);
  const checked = await cli('check', file);
  assert.ok(checked.out.includes('\n    note: Not copied: screenshot1.png: nothing reads it at run time.\n'), checked.out);
  await fs.rm(path.dirname(file), { recursive: true, force: true });
});

test('minimize --runtime scratch gives a resty HTTPS client the CA bundle, and zone data because its modules are not known to be free of zone lookups', async () => {
  const file = await tempProject({
    'go.mod': 'module example.com/fetch\n\ngo 1.22\n\nrequire github.com/go-resty/resty/v2 v2.16.5\n\nrequire golang.org/x/net v0.33.0 // indirect\n',
    'go.sum': '',
    'main.go': 'package main\n\nimport "github.com/go-resty/resty/v2"\n\nfunc main() {\n\t_, _ = resty.New().R().Get("https://example.com/")\n}\n',
  });
  const printed = await cli('minimize', '--runtime', 'scratch', file);
  const runtime = printed.out.slice(printed.out.indexOf('FROM scratch'));
  assert.equal(
    // The measured sizes of the zone data choice change with the catalog; the choice is masked.
    runtime.replace(/^# Zone data: -tags timetzdata .*\n/m, ''),
    [
      'FROM scratch',
      // resty saves responses to files and uploads files by the paths the program gives: root stays.
      '# Runs as root: github.com/go-resty/resty/v2 may write files where only root may, and Slimfile does not read its code.',
      // resty is an HTTP client module: the CA bundle comes from the program's own import; the zone
      // data only from its modules not being known free of zone lookups.
      '# Zone data: go.mod requires github.com/go-resty/resty/v2, golang.org/x/net, not known to be free of TLS calls and time-zone lookups.',
      'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  await fs.rm(path.dirname(file), { recursive: true, force: true });
});

test('check --format sarif is SARIF 2.1.0 with the rules and results', async () => {
  const { code, out } = await cli('check', '--format', 'sarif', example('hello'));
  assert.equal(code, 0);
  const sarif = JSON.parse(out) as {
    version: string;
    runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; locations: unknown[] }> }>;
  };
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs.length, 1);
  const [runEntry] = sarif.runs;
  assert.equal(runEntry!.tool.driver.name, 'slimfile');
  assert.deepStrictEqual(new Set(runEntry!.tool.driver.rules.map((r) => r.id)), new Set([...RULE_IDS, BUDGET_RULE]));
  assert.ok(runEntry!.results.some((r) => r.ruleId === 'go-toolchain-in-final-image' && r.level === 'warning'));
  for (const r of runEntry!.results) assert.equal(r.locations.length, 1);
});

test('--rule ID=error turns a finding into an error and check exits 1', async () => {
  const { code, out } = await cli('check', '--rule', 'go-toolchain-in-final-image=error', example('hello'));
  assert.equal(code, 1);
  assert.match(out, /:1:6: error \[go-toolchain-in-final-image\] /);
});

test('--rule ID=off silences the rule', async () => {
  const { code, out } = await cli('check', '--format', 'json', '--rule', 'go-toolchain-in-final-image=off', example('hello'));
  assert.equal(code, 0);
  assert.ok(!(JSON.parse(out) as Array<{ rule: string }>).some((f) => f.rule === 'go-toolchain-in-final-image'));
});

test('a bad --rule exits 2 and says why', async () => {
  const unknown = await cli('check', '--rule', 'no-such-rule=error', example('hello'));
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown rule no-such-rule/);
  const badSeverity = await cli('check', '--rule', 'go-toolchain-in-final-image=loud', example('hello'));
  assert.equal(badSeverity.code, 2);
  assert.match(badSeverity.err, /--rule takes ID=off\|hint\|info\|warning\|error/);
  assert.equal(badSeverity.out, '');
});

test('an unreadable file exits 2 with a clear message', async () => {
  const missing = path.join(os.tmpdir(), 'slimfile-does-not-exist', 'Dockerfile');
  const { code, out, err } = await cli('check', missing);
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /^slimfile: cannot read .*slimfile-does-not-exist\/Dockerfile: ENOENT/);
  const folder = await cli('check', EXAMPLES);
  assert.equal(folder.code, 2);
  assert.match(folder.err, /is not a file/);
});

test('usage errors exit 2: unknown command, bad format, no file', async () => {
  const unknown = await cli('frobnicate', example('hello'));
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "frobnicate"/);
  assert.match(unknown.err, /Usage:/);
  assert.equal((await cli('check', '--format', 'xml', example('hello'))).code, 2);
  assert.equal((await cli('check')).code, 2);
  assert.equal((await cli('check', '--no-such-flag', example('hello'))).code, 2);
  assert.equal((await cli()).code, 2);
});

test('--help and --version exit 0', async () => {
  const help = await cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /slimfile check/);
  const version = await cli('--version');
  assert.equal(version.code, 0);
  assert.match(version.out, /^\d+\.\d+\.\d+\n$/);
});

test('minimize prints the new Dockerfile and leaves the file alone; --write changes it in place', async () => {
  const file = await tempCopy('hello');
  const before = await fs.readFile(file, 'utf8');
  const printed = await cli('minimize', file);
  assert.equal(printed.code, 0);
  assert.equal(await fs.readFile(file, 'utf8'), before);
  assert.notEqual(printed.out, before, 'the naive example has something safe to change');

  const written = await cli('minimize', '--write', file);
  assert.equal(written.code, 0);
  const after = await fs.readFile(file, 'utf8');
  assert.equal(after, printed.out);
  const recheck = await cli('check', '--format', 'json', file);
  assert.ok(!(JSON.parse(recheck.out) as Array<{ rule: string }>).some((f) => f.rule === 'go-toolchain-in-final-image'), recheck.out);
  await fs.rm(path.dirname(file), { recursive: true, force: true });
});

// The base's figure is the local engine's golang:1.19 when it has one (a stand-in whose size moves
// with its recipe), the catalog's otherwise (the bookworm image, 1.04 GB): hundreds of MB to about a GB.
test('check --max-size fails each naive example with one line naming the estimate and the budget', async () => {
  for (const name of ['hello', 'http-server', 'https-client']) {
    const file = example(name);
    const { code, out } = await cli('check', '--offline', '--max-size', '20MB', file);
    assert.equal(code, 1, out);
    const [first] = out.split('\n');
    assert.match(
      first ?? '',
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: error \\[size-over-budget\\] estimated image ≈ (?:\\d{3} MB|1\\.\\d\\d GB) exceeds the budget of 20 MB; biggest: the base image golang:1\\.19 ≈ (?:\\d{3} MB|1\\.\\d\\d GB); Minimize would give ≈ \\d\\.\\d MB$`),
    );
  }
});

test('check --max-size passes a naive example under a roomy budget and says so on stderr', async () => {
  const { code, err } = await cli('check', '--offline', '--max-size', '2GB', example('hello'));
  assert.equal(code, 0);
  assert.match(err, /: estimated image ≈ (?:\d{3} MB|1\.\d\d GB) is within the budget of 2\.00 GB\n/);
});

test('check --max-size on the minimized example: 20MB passes, 3MB fails and names the Go binary', async () => {
  const file = await tempCopy('http-server');
  assert.equal((await cli('minimize', '--write', file)).code, 0);
  assert.equal((await cli('check', '--offline', '--max-size', '20MB', file)).code, 0);
  const tight = await cli('check', '--offline', '--format', 'json', '--max-size', '3MB', file);
  assert.equal(tight.code, 1);
  const budget = (JSON.parse(tight.out) as Array<{ rule: string; severity: string; message: string }>).filter((f) => f.rule === 'size-over-budget');
  assert.equal(budget.length, 1);
  assert.equal(budget[0]!.severity, 'error');
  assert.match(budget[0]!.message, /^estimated image ≈ \d\.\d MB exceeds the budget of 3\.0 MB; biggest: Go binary \/app\/main ≈ \d\.\d MB$/);
  const sarif = JSON.parse((await cli('check', '--offline', '--format', 'sarif', '--max-size', '3MB', file)).out) as { runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
  assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'size-over-budget' && r.level === 'error'));
  await fs.rm(path.dirname(file), { recursive: true, force: true });
});

test("a Dockerfile's max-size comment is its budget, over --max-size; a bad one exits 2", async () => {
  const file = await tempCopy('hello');
  const text = await fs.readFile(file, 'utf8');
  await fs.writeFile(file, `# slimfile: max-size=1.5GB\n${text}`);
  assert.equal((await cli('check', '--offline', '--max-size', '20MB', file)).code, 0, 'the comment allows 1.5 GB');
  await fs.writeFile(file, `# slimfile: max-size=20MB\n${text}`);
  const over = await cli('check', '--offline', file);
  assert.equal(over.code, 1, 'the comment alone sets a budget');
  assert.match(over.out, /:1:1: error \[size-over-budget\] estimated image ≈ (?:\d{3} MB|1\.\d\d GB) exceeds the budget of 20 MB;/);
  await fs.writeFile(file, `# slimfile: max-size=20\n${text}`);
  const bad = await cli('check', '--offline', file);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Dockerfile:1: max-size takes a size with its unit \(20MB, 1\.5GB, 500kB\), not "20"/);
  await fs.rm(path.dirname(file), { recursive: true, force: true });
});

test('a --max-size without a unit, or on a command without a budget, exits 2', async () => {
  const noUnit = await cli('check', '--max-size', '20', example('hello'));
  assert.equal(noUnit.code, 2);
  assert.match(noUnit.err, /--max-size takes a size with its unit/);
  const onEstimate = await cli('estimate', '--max-size', '20MB', example('hello'));
  assert.equal(onEstimate.code, 2);
  assert.match(onEstimate.err, /--max-size goes with check or build/);
});

test('minimize --runtime scratch prints the scratch conversion; estimate --runtime scratch sizes it', async () => {
  const expected = await fs.readFile(path.join(__dirname, '..', 'fixtures', 'minimize', 'https-client', 'expected.scratch.Dockerfile'), 'utf8');
  const printed = await cli('minimize', '--runtime', 'scratch', example('https-client'));
  assert.equal(printed.code, 0, printed.err);
  assert.equal(printed.out, expected);
  const onScratch = await cli('estimate', '--offline', '--format', 'json', '--runtime', 'scratch', example('https-client'));
  const onDistroless = await cli('estimate', '--offline', '--format', 'json', example('https-client'));
  const scratchBytes = (JSON.parse(onScratch.out) as { minimized: { bytes: number; stages: Array<{ image: string }> } }).minimized;
  const distrolessBytes = (JSON.parse(onDistroless.out) as { minimized: { bytes: number } }).minimized;
  assert.equal(scratchBytes.stages.at(-1)?.image, 'scratch');
  assert.ok(distrolessBytes.bytes - scratchBytes.bytes > 1e6, `${distrolessBytes.bytes} -> ${scratchBytes.bytes}`);
});

test('a bad --runtime, or --runtime on check, exits 2', async () => {
  const bad = await cli('minimize', '--runtime', 'alpine', example('hello'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--runtime is distroless or scratch, not "alpine"/);
  const onCheck = await cli('check', '--runtime', 'scratch', example('hello'));
  assert.equal(onCheck.code, 2);
  assert.match(onCheck.err, /--runtime goes with minimize, estimate or compare/);
});

test('estimate --runtime scratch counts the /tmp a temp-file program gets (nothing left unknown)', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-cli-worker-'));
  const source = path.join(__dirname, '..', 'fixtures', 'projects', 'worker-cli');
  await fs.cp(source, dir, { recursive: true, filter: (f) => !['probe.json', 'classes.json', 'minimized.Dockerfile'].includes(path.basename(f)) });
  const printed = await cli('minimize', '--runtime', 'scratch', path.join(dir, 'Dockerfile'));
  assert.match(printed.out, /^RUN mkdir -p \/scratch-root\/tmp && chmod 1777 \/scratch-root\/tmp$/m);
  assert.match(printed.out, /^COPY --from=build \/scratch-root\/ \/$/m);
  const estimate = await cli('estimate', '--offline', '--format', 'json', '--runtime', 'scratch', path.join(dir, 'Dockerfile'));
  const json = JSON.parse(estimate.out) as { minimized: { stages: Array<{ layers: Array<{ what: string; bytes: number | null }> }> } };
  const layers = json.minimized.stages.at(-1)!.layers;
  assert.deepStrictEqual(layers.filter((l) => l.bytes === null), []);
  assert.equal(layers.find((l) => l.what === '/scratch-root')?.bytes, 0);
  await fs.rm(dir, { recursive: true, force: true });
});

test('Ctrl+C during minimize --write stops between two fixes: exit 130 and the file as it was', async () => {
  const file = await tempCopy('hello');
  const before = await fs.readFile(file, 'utf8');
  // The interrupt arrives as soon as the CLI listens for it, i.e. while Minimize has applied its
  // first fix in memory and waits to go on (hello's Minimize applies two).
  const interrupt = (event: string | symbol): void => {
    if (event !== 'SIGINT') return;
    process.removeListener('newListener', interrupt);
    queueMicrotask(() => process.emit('SIGINT'));
  };
  process.on('newListener', interrupt);
  try {
    const { code, out, err } = await cli('minimize', '--write', file);
    assert.equal(code, 130, err);
    assert.equal(out, '');
    assert.match(err, /Minimize cancelled; nothing changed/);
  } finally {
    process.removeListener('newListener', interrupt);
  }
  assert.equal(await fs.readFile(file, 'utf8'), before);
  assert.equal((await cli('minimize', file)).err.match(/^applied: /gm)?.length, 2, 'uninterrupted, the same Minimize applies two fixes');
});

test('estimate --measure on a Dockerfile no language measures a build of (Rust, C) says what estimate says without it', async () => {
  for (const name of ['rust-primes', 'c-wordcount']) {
    const plain = await cli('estimate', '--format', 'json', '--offline', example(name));
    const measured = await cli('estimate', '--format', 'json', '--offline', '--measure', example(name));
    assert.equal(plain.code, 0, plain.err);
    assert.deepEqual([measured.code, measured.out, measured.err], [plain.code, plain.out, plain.err], name);
  }
});

test('minimize --upx packs the binary after every safe fix; the flag is refused elsewhere, and the usage lists it', async () => {
  const packed = await cli('minimize', '--upx', example('http-server'));
  assert.equal(packed.code, 0, packed.err);
  assert.match(packed.out, /^RUN upx --best --lzma \/app\/main$/m);
  assert.match(packed.err, /^applied: Compress the binary with UPX$/m);
  const plain = await cli('minimize', example('http-server'));
  assert.doesNotMatch(plain.out, /upx/);
  const refused = await cli('estimate', '--upx', example('http-server'));
  assert.equal(refused.code, 2);
  assert.match(refused.err, /--upx goes with minimize\./);
  const help = (await cli('--help')).out;
  assert.match(help, /slimfile minimize \[[^\n]*\[--upx\]/);
  assert.match(help, /^ {6}--upx also packs the binary with UPX \(smaller, but see docs\/rules\.md#upx for what it costs\)\.$/m);
});
