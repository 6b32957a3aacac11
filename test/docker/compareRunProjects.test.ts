// `slimfile compare --run <Dockerfile>` on the examples and the realistic projects, as their users
// would run it: the image as written and Minimize's result are built, run and probed the same
// way, and must behave the same (exit 0), with every container and image of the run removed.
// Each run's time is printed; a full run (SLIMFILE_COMPARE_RUN=all) also writes test/docker/compare-run-results.json.
//
// By default a subset runs (one example of each kind and the projects' CI subset);
// SLIMFILE_COMPARE_RUN=all runs every example and project.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunComparison } from '../../server/src/protocol';
import { docker, ensureDockerReady, ROOT, slimfile } from './helpers';

const RESULTS = path.join(ROOT, 'test', 'docker', 'compare-run-results.json');
/** Files beside a project's Dockerfile that describe the test, not the project. */
const HARNESS_FILES = new Set(['probe.json', 'classes.json', 'minimized.Dockerfile']);

const examples = readdirSync(path.join(ROOT, 'examples')).filter((name) => existsSync(path.join(ROOT, 'examples', name, 'Dockerfile'))).map((name) => `examples/${name}`);
const projects = readdirSync(path.join(ROOT, 'test', 'fixtures', 'projects')).filter((name) => existsSync(path.join(ROOT, 'test', 'fixtures', 'projects', name, 'probe.json'))).map((name) => `test/fixtures/projects/${name}`);
const SUBSET = ['examples/hello', 'examples/http-server', 'test/fixtures/projects/web-templates', 'test/fixtures/projects/data-writer', 'test/fixtures/projects/worker-cli'];
const selected = process.env['SLIMFILE_COMPARE_RUN'] === 'all' ? [...examples, ...projects] : SUBSET;

interface Row {
  readonly name: string;
  readonly verdict: string;
  readonly seconds: number;
  readonly checks: number;
  readonly differing: readonly string[];
}

const rows: Row[] = [];

before(async () => {
  await ensureDockerReady();
});

after(async () => {
  if (rows.length === 0) return;
  // The committed record is the full run's (SLIMFILE_COMPARE_RUN=all); a subset run, as in CI, only prints its rows.
  if (process.env['SLIMFILE_COMPARE_RUN'] === 'all') {
    await fs.writeFile(RESULTS, `${JSON.stringify({ engine: await docker('version', '--format', '{{.Server.Version}}'), date: new Date().toISOString(), selection: 'all', runs: rows }, null, 2)}\n`);
  }
  process.stdout.write(`\n${rows.map((r) => `${r.name.padEnd(40)} ${r.verdict.padEnd(9)} ${String(r.checks).padStart(3)} checks ${r.seconds.toFixed(1).padStart(7)} s`).join('\n')}\n`);
});

describe('compare --run says "same" for every example and realistic project', () => {
  for (const name of selected) {
    it(name, { timeout: 30 * 60_000 }, async () => {
      const source = path.join(ROOT, name);
      const copy = await fs.mkdtemp(path.join(os.tmpdir(), `slimfile-compare-run-${path.basename(name)}-`));
      const tag = `slimfile-test/compare-run-${path.basename(name)}`;
      try {
        await fs.cp(source, copy, { recursive: true, filter: (file) => !HARNESS_FILES.has(path.relative(source, file)) });
        const ran = await slimfile(['compare', '--run', '--format', 'json', '--tag', tag, path.join(copy, 'Dockerfile')]);
        assert.ok(ran.code === 0 || ran.code === 1, `compare --run ${name} failed (${ran.code}):\n${ran.stderr.slice(-4000)}`);
        const json = JSON.parse(ran.stdout) as { verdict: string; seconds: number; behaviour: RunComparison };
        const differing = json.behaviour.rows.filter((r) => !r.same).map((r) => `${r.check}: ${r.asWritten} | ${r.minimized}`);
        rows.push({ name, verdict: json.verdict, seconds: json.seconds, checks: json.behaviour.rows.length, differing });
        assert.deepEqual(differing, [], `${name} behaves differently minimized`);
        assert.equal(json.verdict, 'same');
        assert.equal(ran.code, 0);
        assert.equal(await docker('images', '--format', '{{.Repository}}:{{.Tag}}', tag), '', `${name}: the run left its images`);
      } finally {
        await fs.rm(copy, { recursive: true, force: true });
      }
    });
  }
});
