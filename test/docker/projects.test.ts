// Realistic Go projects (test/fixtures/projects/<name>: templates, static files, .env, config,
// migrations, folders written at run time, third-party modules, clutter), each built as written and
// minimized through `slimfile compare`, both run as their own user and probed the same way: Minimize
// must convert every one, the minimized image must answer exactly as the original (writes included),
// be at least 20x smaller, and match `slimfile estimate` within 5%. Sizes and times go to
// test/docker/projects-results.json.
//
// By default a representative subset runs (CI_SUBSET); SLIMFILE_PROJECTS=all runs every project,
// SLIMFILE_PROJECTS=a,b the named ones. SLIMFILE_GO=1.24 builds them on another golang stand-in
// (the copy's `FROM golang:1.19` names that release); CI builds them on one release, Go 1.19, and
// `npm run bench:go-matrix` builds every project on every release. Slimfile sees each project as its user would: a copy
// without the tests' own files (HARNESS_FILES), as test/unit/rules.test.ts does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contextFilter } from '../../server/src/docker/context';
import { docker, ensureDockerReady, formatMB, ROOT, run, slimfile, fetchOnceListening, waitForContainerLog } from './helpers';

const PROJECTS = path.join(ROOT, 'test', 'fixtures', 'projects');
const RESULTS = path.join(ROOT, 'test', 'docker', 'projects-results.json');

/** Files beside the Dockerfile that describe the test, not the project: never part of the build context. */
const HARNESS_FILES = new Set(['probe.json', 'classes.json', 'minimized.Dockerfile']);

/** One of each: templates + static, .env + a Debian-packaged module, data written at run time, cmd/ + migrations, go install, root needed. */
const CI_SUBSET = ['web-templates', 'dotenv', 'data-writer', 'migrations-cmd', 'go-install', 'needs-root', 'spaced-names', 'literal-names'];

/** A request and the exact answer the project gives (see test/e2e/README.md, "Project probes"). */
interface ProbeRequest {
  readonly method?: string;
  readonly path: string;
  /** Request body, sent as is. */
  readonly send?: string;
  /** A multipart/form-data body holding one file. */
  readonly upload?: { readonly field: string; readonly filename: string; readonly content: string };
  readonly status: number;
  readonly body: string;
}

type Probe =
  | { readonly kind: 'http'; readonly port: number; readonly ready: string; readonly requests: readonly ProbeRequest[] }
  | { readonly kind: 'command'; readonly args: readonly string[]; readonly code: number; readonly output: string };

type Class = 'run-time' | 'embedded' | 'go-source' | 'build-input' | 'clutter';

interface Classes {
  readonly entries: Readonly<Record<string, Class>>;
  readonly writes: readonly string[];
}

/** What a container did: each request's status and body, or the command's exit code and output. */
type Answers =
  | { readonly started: true; readonly answers: readonly { readonly request: string; readonly status: number; readonly body: string }[] }
  | { readonly started: false; readonly log: string }
  | { readonly code: number | null; readonly output: string };

interface CompareJson {
  original: { bytes: number; image: string; seconds: number; builder: string };
  minimized: { bytes: number; image: string; seconds: number; builder: string };
  ratio: number;
}

interface Row {
  project: string;
  converted: boolean | null;
  naiveBytes: number | null;
  minimizedBytes: number | null;
  ratio: number | null;
  sameAnswers: boolean | null;
  estimateMinimized: number | null;
  estimateErrorPercent: number | null;
  naiveBuildSeconds: number | null;
  minimizedBuildSeconds: number | null;
  /** The whole project: minimize, both builds, both runs, estimate. */
  totalSeconds: number | null;
  builder: string | null;
  /** Minimized onto scratch (`--runtime scratch`), and its floor: what the distroless conversion adds to its base, plus the base files the program uses (the CA bundle, zone data: linked in or copied). */
  scratchBytes?: number | null;
  floorBytes?: number | null;
  floorRatio?: number | null;
  scratchSameAnswers?: boolean | null;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function dockerfileOf(project: string): string {
  return path.join(PROJECTS, project, 'Dockerfile');
}

/** The Go release the projects are built with (their Dockerfiles say golang:1.19). */
const GO = (process.env['SLIMFILE_GO'] ?? '1.19').trim();

/** The project as its user has it: a temporary copy without the harness files, built on golang:<GO>. */
async function userCopy(project: string): Promise<string> {
  const source = path.join(PROJECTS, project);
  const copy = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-project-${project}-`));
  await fs.cp(source, copy, { recursive: true, filter: (file) => !HARNESS_FILES.has(path.relative(source, file)) });
  if (GO !== '1.19') {
    const dockerfile = path.join(copy, 'Dockerfile');
    await fs.writeFile(dockerfile, (await fs.readFile(dockerfile, 'utf8')).replace(/^FROM golang:1\.19(\s|$)/gim, `FROM golang:${GO}$1`));
  }
  return copy;
}

const everyProject = readdirSync(PROJECTS)
  .filter((name) => existsSync(path.join(PROJECTS, name, 'probe.json')))
  .sort();

function selected(): string[] {
  const wanted = (process.env['SLIMFILE_PROJECTS'] ?? '').trim();
  if (wanted === 'all') return everyProject;
  if (wanted === '') return CI_SUBSET;
  const names = wanted.split(',').map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) assert.ok(everyProject.includes(name), `SLIMFILE_PROJECTS names ${name}, which has no probe.json under ${path.relative(ROOT, PROJECTS)}`);
  return names;
}

// ---------------------------------------------------------------------------------------------
// Probing

async function send(base: string, request: ProbeRequest): Promise<{ request: string; status: number; body: string }> {
  let body: string | FormData | undefined = request.send;
  if (request.upload) {
    const form = new FormData();
    form.append(request.upload.field, new Blob([request.upload.content]), request.upload.filename);
    body = form;
  }
  const method = request.method ?? 'GET';
  const response = await fetchOnceListening(`${base}${request.path}`, { method, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
  return { request: `${method} ${request.path}`, status: response.status, body: await response.text() };
}

/** Rejects when the container has not printed its ready line in time (a guard, not a wait). */
function deadline(ms: number, what: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no ready line within ${ms / 1000} s`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Runs the image as built (its own user, command and working directory) and asks it every request in order. */
async function probeImage(image: string, probe: Probe): Promise<Answers> {
  if (probe.kind === 'command') {
    const ran = await run('docker', ['run', '--rm', image, ...probe.args], { timeoutMs: 120_000 });
    return { code: ran.code, output: `${ran.stdout}${ran.stderr}` };
  }
  const container = await docker('run', '-d', '-p', `127.0.0.1::${probe.port}`, image);
  try {
    const guard = deadline(60_000, image);
    try {
      await Promise.race([waitForContainerLog(container, new RegExp(probe.ready.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))), guard.promise]);
    } catch {
      return { started: false, log: await containerLog(container) };
    } finally {
      guard.cancel();
    }
    const hostPort = (await docker('port', container, `${probe.port}/tcp`)).split('\n')[0]?.split(':').pop();
    const answers = [];
    for (const request of probe.requests) answers.push(await send(`http://127.0.0.1:${hostPort}`, request));
    return { started: true, answers };
  } finally {
    await docker('rm', '-f', container);
  }
}

async function containerLog(container: string): Promise<string> {
  const ran = await run('docker', ['logs', container]);
  return `${ran.stdout}${ran.stderr}`;
}

/** The answers probe.json promises. */
function expected(probe: Probe): Answers {
  if (probe.kind === 'command') return { code: probe.code, output: probe.output };
  return { started: true, answers: probe.requests.map((r) => ({ request: `${r.method ?? 'GET'} ${r.path}`, status: r.status, body: r.body })) };
}

// ---------------------------------------------------------------------------------------------
// The Dockerfile Minimize gives

interface MinimizeOutcome {
  readonly text: string;
  readonly messages: string;
  readonly stages: number;
  readonly finalBase: string;
}

async function minimizeProject(dockerfile: string): Promise<MinimizeOutcome> {
  const ran = await slimfile(['minimize', dockerfile]);
  assert.equal(ran.code, 0, `slimfile minimize ${dockerfile} failed:\n${ran.stderr}`);
  const froms = ran.stdout.split('\n').filter((line) => /^\s*FROM\s/i.test(line));
  const finalBase = froms.at(-1)?.trim().split(/\s+/).slice(1).find((word) => !word.startsWith('--')) ?? '';
  return { text: ran.stdout, messages: ran.stderr, stages: froms.length, finalBase };
}

function isConverted(outcome: MinimizeOutcome): boolean {
  return outcome.stages >= 2 && !/^golang(:|@|$)/.test(outcome.finalBase) && !/\/golang(:|@|$)/.test(outcome.finalBase);
}

// ---------------------------------------------------------------------------------------------
// Results

/**
 * What `-tags timetzdata` adds to a binary built on `image`, measured there: the same small program
 * that uses package time, built the way Minimize builds for scratch, without and with the tag. A
 * scratch runtime gets the zone database this way when the program may look zones up (its own
 * calls, or dependencies Slimfile does not read); distroless has /usr/share/zoneinfo instead.
 */
const timetzdataBytes = new Map<string, Promise<number>>();
function zoneDataInBinary(image: string): Promise<number> {
  let bytes = timetzdataBytes.get(image);
  if (!bytes) {
    const script = [
      'set -e; cd "$(mktemp -d)"',
      'printf \'package main\\n\\nimport "time"\\n\\nfunc main() { println(time.Now().Unix()) }\\n\' > main.go',
      'go mod init example.com/zones >/dev/null 2>&1',
      'CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o without .',
      'CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -tags=timetzdata -o with .',
      'stat -c %s without with',
    ].join('\n');
    bytes = docker('run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', script).then((out) => {
      const [without, withZones] = out.split('\n').map(Number);
      assert.ok(without && withZones && withZones > without, `-tags timetzdata on ${image}: ${out}`);
      return withZones - without;
    });
    timetzdataBytes.set(image, bytes);
  }
  return bytes;
}

const rows = new Map<string, Row>();

function rowFor(project: string): Row {
  let row = rows.get(project);
  if (!row) {
    row = {
      project,
      converted: null,
      naiveBytes: null,
      minimizedBytes: null,
      ratio: null,
      sameAnswers: null,
      estimateMinimized: null,
      estimateErrorPercent: null,
      naiveBuildSeconds: null,
      minimizedBuildSeconds: null,
      totalSeconds: null,
      builder: null,
    };
    rows.set(project, row);
  }
  return row;
}

function cell(value: number | boolean | null, format: (v: never) => string = String): string {
  return value === null ? '-' : format(value as never);
}

before(async () => {
  await ensureDockerReady();
});

after(async () => {
  if (rows.size === 0) return;
  const all = [...rows.values()];
  const selection = (process.env['SLIMFILE_PROJECTS'] ?? '') || 'ci';
  await fs.writeFile(RESULTS, `${JSON.stringify({ engine: await docker('version', '--format', '{{.Server.Version}}'), date: new Date().toISOString(), selection, go: GO, projects: all }, null, 2)}\n`);
  const header = ['project'.padEnd(17), 'naive'.padStart(10), 'minimized'.padStart(10), 'ratio'.padStart(7), 'converted'.padStart(9), 'same'.padStart(5), 'est off'.padStart(8), 't naive'.padStart(8), 't min'.padStart(7), 't all'.padStart(7), 'scratch'.padStart(10), 'floor'.padStart(10), 'x floor'.padStart(8), 'same'.padStart(5)].join(' ');
  const lines = all.map((r) =>
    [
      r.project.padEnd(17),
      cell(r.naiveBytes, formatMB).padStart(10),
      cell(r.minimizedBytes, formatMB).padStart(10),
      cell(r.ratio, (v: number) => `${v}x`).padStart(7),
      cell(r.converted, (v: boolean) => (v ? 'yes' : 'NO')).padStart(9),
      cell(r.sameAnswers, (v: boolean) => (v ? 'yes' : 'NO')).padStart(5),
      cell(r.estimateErrorPercent, (v: number) => `${v}%`).padStart(8),
      cell(r.naiveBuildSeconds, (v: number) => `${v}s`).padStart(8),
      cell(r.minimizedBuildSeconds, (v: number) => `${v}s`).padStart(7),
      cell(r.totalSeconds, (v: number) => `${v}s`).padStart(7),
      cell(r.scratchBytes ?? null, formatMB).padStart(10),
      cell(r.floorBytes ?? null, formatMB).padStart(10),
      cell(r.floorRatio ?? null, (v: number) => `${v}x`).padStart(8),
      cell(r.scratchSameAnswers ?? null, (v: boolean) => (v ? 'yes' : 'NO')).padStart(5),
    ].join(' '),
  );
  process.stdout.write(`\n${header}\n${lines.join('\n')}\n(results in ${path.relative(ROOT, RESULTS)})\n`);
});

// ---------------------------------------------------------------------------------------------
// The fixtures themselves

describe('the project fixtures', () => {
  it('there are at least 13, each with a Dockerfile, a probe.json and a classes.json', () => {
    assert.ok(everyProject.length >= 13, `only ${everyProject.length} projects have a probe.json`);
    for (const project of everyProject) {
      assert.ok(existsSync(dockerfileOf(project)), `${project}: no Dockerfile`);
      assert.ok(existsSync(path.join(PROJECTS, project, 'classes.json')), `${project}: no classes.json`);
    }
  });

  it('every classes.json names exactly the top-level entries of its build context (after .dockerignore)', () => {
    const classes: readonly string[] = ['run-time', 'embedded', 'go-source', 'build-input', 'clutter'];
    for (const project of everyProject) {
      const dir = path.join(PROJECTS, project);
      const ignoreFile = path.join(dir, '.dockerignore');
      const keep = contextFilter(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '', ['Dockerfile', '.dockerignore']);
      const inContext = readdirSync(dir)
        .filter((entry) => !HARNESS_FILES.has(entry))
        .filter(keep)
        .sort();
      const spec = readJson<Classes>(path.join(dir, 'classes.json'));
      assert.deepEqual(Object.keys(spec.entries).sort(), inContext, `${project}: classes.json entries`);
      for (const [entry, value] of Object.entries(spec.entries)) assert.ok(classes.includes(value), `${project}: ${entry} has class ${value}`);
      assert.ok(Array.isArray(spec.writes), `${project}: writes is a list`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Each project on the engine

for (const project of selected()) {
  describe(`projects/${project}`, () => {
    const probe = readJson<Probe>(path.join(PROJECTS, project, 'probe.json'));
    const { writes } = readJson<Classes>(path.join(PROJECTS, project, 'classes.json'));
    const row = rowFor(project);
    let started = 0;
    let context = '';
    let dockerfile = '';
    let minimizedText: string | undefined;
    let result: CompareJson | undefined;
    let naive: Answers | undefined;

    before(async () => {
      context = await userCopy(project);
      dockerfile = path.join(context, 'Dockerfile');
    });

    after(async () => {
      if (context) await fs.rm(context, { recursive: true, force: true });
    });

    it('Minimize converts it: a build stage, and a final stage that is not golang', async () => {
      started = Date.now();
      const outcome = await minimizeProject(dockerfile);
      minimizedText = outcome.text;
      row.converted = isConverted(outcome);
      assert.ok(row.converted, `Minimize did not convert ${project} (${outcome.stages} FROM, final ${outcome.finalBase}):\n${outcome.messages}\n${outcome.text}`);
    });

    it('as written and minimized, run as their own users, both give the answers in probe.json', { timeout: 30 * 60_000 }, async () => {
      started ||= Date.now();
      const ran = await slimfile(['compare', '--format', 'json', '--tag', `slimfile-test/project-${project}${GO === '1.19' ? '' : `-go${GO}`}`, dockerfile]);
      assert.equal(ran.code, 0, `slimfile compare ${project} failed:\n${ran.stderr.slice(-4000)}`);
      result = JSON.parse(ran.stdout) as CompareJson;
      row.naiveBytes = result.original.bytes;
      row.minimizedBytes = result.minimized.bytes;
      row.ratio = Number((result.original.bytes / result.minimized.bytes).toFixed(1));
      row.naiveBuildSeconds = result.original.seconds;
      row.minimizedBuildSeconds = result.minimized.seconds;
      row.builder = result.minimized.builder;

      naive = await probeImage(result.original.image, probe);
      const minimized = await probeImage(result.minimized.image, probe);
      row.sameAnswers = JSON.stringify(naive) === JSON.stringify(minimized);
      row.totalSeconds = Number(((Date.now() - started) / 1000).toFixed(1));
      assert.deepEqual(naive, expected(probe), `${project} as written does not answer as probe.json says`);
      assert.deepEqual(minimized, naive, `${project} minimized answers differently from the image as written`);
    });

    it('minimized is at least 20x smaller, and the estimate is within 5% of it', async () => {
      const ran = await slimfile(['estimate', '--format', 'json', dockerfile]);
      assert.equal(ran.code, 0, ran.stderr);
      const estimate = (JSON.parse(ran.stdout) as { minimized: { bytes: number | null } }).minimized.bytes;
      row.estimateMinimized = estimate;
      if (started) row.totalSeconds = Number(((Date.now() - started) / 1000).toFixed(1));
      assert.ok(result, `${project}: no images to measure (the build failed)`);
      if (estimate !== null) row.estimateErrorPercent = Number((((estimate - result.minimized.bytes) / result.minimized.bytes) * 100).toFixed(1));
      assert.ok(result.original.bytes / result.minimized.bytes >= 20, `${project}: minimized is only ${row.ratio}x smaller (${formatMB(result.original.bytes)} -> ${formatMB(result.minimized.bytes)})`);
      assert.notEqual(estimate, null, `${project}: no estimate of the minimized image`);
      assert.ok(Math.abs(row.estimateErrorPercent ?? Infinity) <= 5, `${project}: estimate ${estimate} bytes is ${row.estimateErrorPercent}% off the real ${result.minimized.bytes} bytes`);
    });

    it('minimized onto scratch, it gives the same answers and is within 1.05x its floor', { timeout: 30 * 60_000 }, async () => {
      assert.ok(result && naive, `${project}: nothing to compare with (an earlier step failed)`);
      const minimized = await slimfile(['minimize', '--runtime', 'scratch', dockerfile]);
      assert.equal(minimized.code, 0, minimized.stderr);
      const froms = minimized.stdout.split('\n').filter((line) => /^\s*FROM\s/i.test(line)).map((line) => line.trim().split(/\s+/)[1] as string);
      assert.equal(froms.at(-1), 'scratch', `${project} stays on ${froms.at(-1)}:\n${minimized.stdout}`);
      const ran = await slimfile(['compare', '--format', 'json', '--runtime', 'scratch', '--tag', `slimfile-test/project-${project}-scratch`, dockerfile]);
      assert.equal(ran.code, 0, `slimfile compare --runtime scratch ${project} failed:\n${ran.stderr.slice(-4000)}`);
      const scratch = (JSON.parse(ran.stdout) as CompareJson).minimized;
      const answers = await probeImage(scratch.image, probe);
      row.scratchSameAnswers = JSON.stringify(answers) === JSON.stringify(naive);
      const distrolessBase = (minimizedText ?? '').split('\n').filter((line) => /^\s*FROM\s/i.test(line)).at(-1)?.trim().split(/\s+/)[1] as string;
      const caBundle = minimized.stdout.includes('/etc/ssl/certs/ca-certificates.crt') ? Number(await docker('run', '--rm', froms[0] as string, 'stat', '-c', '%s', '/etc/ssl/certs/ca-certificates.crt')) : 0;
      // Zone data scratch needs and distroless has in its base: linked in with -tags timetzdata, or the copied tree.
      const instructions = (text: string, keyword: string): string[] => text.split('\n').filter((line) => line.trim().toUpperCase().startsWith(`${keyword} `));
      const linksZones = (text: string): boolean => instructions(text, 'RUN').some((line) => /-tags[= ]["']?[\w,]*timetzdata/.test(line));
      const timetzdata = linksZones(minimized.stdout) && !linksZones(minimizedText ?? '') ? await zoneDataInBinary(froms[0] as string) : 0;
      const zoneTree = instructions(minimized.stdout, 'COPY').some((line) => line.includes('/usr/share/zoneinfo')) ? Number((await docker('run', '--rm', froms[0] as string, 'du', '-sb', '/usr/share/zoneinfo')).split(/\s+/)[0]) : 0;
      row.scratchBytes = scratch.bytes;
      row.floorBytes = result.minimized.bytes - Number(await docker('image', 'inspect', '--format', '{{.Size}}', distrolessBase)) + caBundle + timetzdata + zoneTree;
      row.floorRatio = Number((scratch.bytes / row.floorBytes).toFixed(3));
      assert.deepEqual(answers, naive, `${project} on scratch answers differently from the image as written`);
      assert.ok(row.floorRatio <= 1.05, `${project}: scratch ${formatMB(scratch.bytes)} is ${row.floorRatio}x its floor ${formatMB(row.floorBytes)}`);
    });

    // BuildKit creates a WORKDIR owned by the stage's USER, the classic builder owns it by root: a
    // program that writes must not work on one builder only (Podman and Kaniko differ again).
    if (writes.length > 0) {
      it('minimized and built by the classic builder, it still writes where it should', { timeout: 30 * 60_000 }, async (t) => {
        assert.ok(minimizedText !== undefined && naive !== undefined, `${project}: nothing to compare with (an earlier step failed)`);
        if (/^\s*RUN\s+--mount/im.test(minimizedText)) {
          t.skip('the minimized Dockerfile needs BuildKit');
          return;
        }
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-classic-'));
        const tag = `slimfile-test/project-${project}:minimized-classic`;
        try {
          await fs.writeFile(path.join(dir, 'Dockerfile'), minimizedText);
          const built = await run('docker', ['build', '-q', '-t', tag, '-f', path.join(dir, 'Dockerfile'), context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
          assert.equal(built.code, 0, `the classic builder failed on the minimized ${project}:\n${built.stderr.slice(-4000)}`);
          assert.deepEqual(await probeImage(tag, probe), naive, `${project} minimized and built by the classic builder answers differently from the image as written`);
        } finally {
          await fs.rm(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
