// The GitHub Action and the pre-commit hook, tested by running what each runs on the examples with
// a passing and a failing budget. Needs dist/cli.js (npm test builds it first).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs, existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'slimfile.js');
// Every bundled example (Go's and the other languages'), as the action's glob finds them.
const EXAMPLES = readdirSync(path.join(ROOT, 'examples'))
  .filter((name) => existsSync(path.join(ROOT, 'examples', name, 'Dockerfile')))
  .sort()
  .map((name) => `examples/${name}/Dockerfile`);

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: ROOT, env: { ...process.env, SLIMFILE_OFFLINE: '1', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Both files are ours and flat; a line-level read names the exact values the test depends on,
// without adding a YAML parser to the dependencies.
function yamlValue(text: string, key: string): string {
  const m = new RegExp(`^\\s*-?\\s*${key}:\\s*(.+)$`, 'm').exec(text);
  assert.ok(m, `no ${key}: in\n${text}`);
  return (m[1] as string).trim();
}

test('action.yml runs scripts/github-action-check.sh with its inputs and uploads the SARIF it writes', () => {
  const action = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
  assert.equal(yamlValue(action, 'using'), 'composite');
  assert.match(action, /run: bash "\$GITHUB_ACTION_PATH\/scripts\/github-action-check\.sh"/);
  for (const input of ['dockerfiles', 'max-size', 'context', 'offline', 'sarif-file']) {
    assert.match(action, new RegExp(`^  ${input}:$`, 'm'), `input ${input}`);
    assert.match(action, new RegExp(`INPUT_${input.toUpperCase().replace('-', '_')}: \\$\\{\\{ inputs\\.${input} \\}\\}`), `input ${input} passed to the script`);
  }
  assert.match(action, /uses: github\/codeql-action\/upload-sarif@v3\n\s+with:\n\s+sarif_file: \$\{\{ inputs\.sarif-file \}\}/);
});

test('the action fails on the examples over a 20MB budget with one line each, and passes under 2GB', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-action-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const sarifFile = path.join(dir, 'out.sarif');
  const script = path.join(ROOT, 'scripts', 'github-action-check.sh');
  // No engine: sizes come from the catalog only, so the lines do not depend on which images this
  // machine happens to hold (an engine with the stand-in images knows sizes the catalog does not).
  const env = { SLIMFILE_CLI: CLI, INPUT_DOCKERFILES: 'examples/*/Dockerfile', INPUT_SARIF_FILE: sarifFile, INPUT_OFFLINE: 'true', DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}` };

  const failing = await run('bash', [script], { ...env, INPUT_MAX_SIZE: '20MB' });
  assert.equal(failing.code, 1, failing.stderr);
  const budgetLines = failing.stdout.split('\n').filter((l) => l.includes('[size-over-budget]'));
  assert.deepStrictEqual(budgetLines.map((l) => l.split(':')[0]), EXAMPLES);
  for (const line of budgetLines) {
    assert.match(line, /:1:1: error \[size-over-budget\] estimated image ≈ [\d.]+ [MG]B exceeds the budget of 20 MB; biggest: the base image \S+ ≈ [\d.]+ [MG]B; Minimize would give /);
  }
  // The C and Rust runtimes (distroless base and cc) have no size in the catalog: the line says
  // Minimize exists and what keeps its size from being counted, instead of dropping it.
  for (const [example, runtime] of [['c-wordcount', 'base'], ['rust-primes', 'cc']] as const) {
    assert.match(budgetLines.find((l) => l.startsWith(`examples/${example}/`)) ?? '', new RegExp(`; Minimize would give an image of unknown size \\(not counted: the size of gcr\\.io/distroless/${runtime}-debian12:nonroot[,)]`));
  }
  for (const example of ['hello', 'http-server', 'https-client', 'java-hello', 'node-hello', 'python-hello']) {
    assert.match(budgetLines.find((l) => l.startsWith(`examples/${example}/`)) ?? '', /; Minimize would give ≈ [\d.]+ MB$/, example);
  }
  for (const go of ['hello', 'http-server', 'https-client']) {
    assert.match(budgetLines.find((l) => l.startsWith(`examples/${go}/`)) ?? '', /estimated image ≈ 1\.0\d GB exceeds the budget of 20 MB; biggest: the base image golang:1\.19/);
  }
  const sarif = JSON.parse(await fs.readFile(sarifFile, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
  const over = sarif.runs[0]!.results.filter((r) => r.ruleId === 'size-over-budget');
  assert.deepStrictEqual(over.map((r) => [r.level, r.locations[0]!.physicalLocation.artifactLocation.uri]), EXAMPLES.map((f) => ['error', f]));

  const passing = await run('bash', [script], { ...env, INPUT_MAX_SIZE: '2GB' });
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  assert.equal((passing.stderr.match(/is within the budget of 2\.00 GB/g) ?? []).length, EXAMPLES.length, passing.stderr);
  const passed = JSON.parse(await fs.readFile(sarifFile, 'utf8')) as typeof sarif;
  assert.ok(passed.runs[0]!.results.length > 0, 'the findings are still reported');
  assert.ok(!passed.runs[0]!.results.some((r) => r.ruleId === 'size-over-budget'));

  const none = await run('bash', [script], { ...env, INPUT_DOCKERFILES: 'examples/nothing-here/**/Dockerfile' });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^slimfile: no file matches examples\/nothing-here\/\*\*\/Dockerfile\n$/);
  const missing = await run('bash', [script], { ...env, INPUT_DOCKERFILES: 'examples/nothing-here/Dockerfile' });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^slimfile: cannot read examples\/nothing-here\/Dockerfile: ENOENT\n/);
});

test('the pre-commit hook picks the Dockerfiles and its entry fails over a budget, passes under it', async () => {
  const hooks = readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
  assert.equal(yamlValue(hooks, 'id'), 'slimfile-check');
  assert.equal(yamlValue(hooks, 'language'), 'node');
  const files = new RegExp(yamlValue(hooks, 'files'));
  for (const name of [...EXAMPLES, 'Containerfile', 'api.Dockerfile', 'svc/Dockerfile.prod']) assert.ok(files.test(name), name);
  for (const name of ['main.go', 'Dockerfiles/README.md', 'docs/dockerfile-guide.md']) assert.ok(!files.test(name), name);
  const entry = yamlValue(hooks, 'entry').split(' ');
  assert.equal(entry[0], 'slimfile', 'the package bin');
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(path.join(ROOT, pkg.bin['slimfile'] as string), CLI);
  // pre-commit runs `entry args... files...`.
  const failing = await run(process.execPath, [CLI, ...entry.slice(1), '--max-size=20MB', ...EXAMPLES]);
  assert.equal(failing.code, 1);
  assert.equal(failing.stdout.split('\n').filter((l) => l.includes('error [size-over-budget]')).length, EXAMPLES.length, failing.stdout);
  const passing = await run(process.execPath, [CLI, ...entry.slice(1), '--max-size=2GB', ...EXAMPLES]);
  assert.equal(passing.code, 0, passing.stdout);
});

test('npm pack, which pre-commit installs a node hook from, holds the CLI bundle and its launcher', async () => {
  const packed = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
  assert.equal(packed.code, 0, packed.stderr);
  const files = new Set((JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path));
  for (const needed of ['bin/slimfile.js', 'dist/cli.js', 'package.json', 'docs/rules.md']) assert.ok(files.has(needed), `${needed} in ${[...files].join(' ')}`);
  for (const file of files) assert.ok(!/^(server|client|test|examples)\//.test(file), `${file} should stay out of the package`);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts['prepack'] ?? '', /esbuild\.mjs/, 'prepack builds dist/ (ignored by git) before packing');
});
