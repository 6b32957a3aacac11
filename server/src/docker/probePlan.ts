// Which probes Compare with run asks, in order: the ones the user declared (Dockerfile comments,
// then the slimfile.probes setting), GET on every route the Go sources register, then GET /.
// The Go sources are read here (disk); the routes and directives come from the pure analysis.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { goRoutes } from '../analysis/go/routes';
import { declaredProbes, type ProbeProblem } from '../analysis/probes';
import { loadGoParser } from '../workspace/goParser';
import { walkTree } from '../workspace/walk';
import type { HttpProbe, ProbePlan } from './run';

const MAX_GO_FILES = 2000;
const MAX_GO_BYTES = 1024 * 1024;
const SKIPPED = new Set(['vendor', 'node_modules', '.git', 'testdata']);

async function goSourcesOf(contextDir: string): Promise<Array<{ path: string; text: string }>> {
  const files: Array<{ path: string; text: string }> = [];
  await walkTree(
    contextDir,
    async (rel, entry) => {
      if (!entry.isFile() || !rel.endsWith('.go') || rel.endsWith('_test.go')) return;
      if (files.length >= MAX_GO_FILES) return false;
      const file = path.join(contextDir, rel);
      if ((await fs.stat(file)).size > MAX_GO_BYTES) return;
      files.push({ path: rel, text: await fs.readFile(file, 'utf8') });
    },
    { enter: (_rel, name) => !SKIPPED.has(name), maxEntries: 100_000 },
  );
  return files;
}

export interface PlannedProbes {
  readonly plan: ProbePlan;
  /** Directives or setting entries that could not be read. */
  readonly problems: readonly ProbeProblem[];
  /** Where each derived route came from ("main.go:27 /healthz"). */
  readonly routes: readonly string[];
}

export async function planProbes(contextDir: string, dockerfileTexts: readonly string[], setting: readonly string[] = []): Promise<PlannedProbes> {
  const http: HttpProbe[] = [];
  const runs: string[][] = [];
  const problems: ProbeProblem[] = [];
  const seenRuns = new Set<string>();
  const seenHttp = new Set<string>();
  const addHttp = (probe: HttpProbe): void => {
    const key = `${probe.method} ${probe.port ?? ''} ${probe.path}`;
    if (seenHttp.has(key)) return;
    seenHttp.add(key);
    http.push(probe);
  };
  // Directives of either Dockerfile count (the hand-edited side may carry them), each once.
  for (const [i, text] of dockerfileTexts.entries()) {
    const declared = declaredProbes(text, i === 0 ? setting : []);
    // Minimize keeps the comments: the same mistake in both texts is said once.
    problems.push(...declared.problems.filter((p) => !problems.some((q) => q.message === p.message)));
    for (const probe of declared.probes) {
      if (probe.kind === 'run') {
        const key = probe.args.join('\u0000');
        if (!seenRuns.has(key)) runs.push([...probe.args]);
        seenRuns.add(key);
      } else addHttp({ method: probe.method, path: probe.path, port: probe.port, status: probe.status, source: 'declared' });
    }
  }
  await loadGoParser();
  const found = goRoutes(await goSourcesOf(contextDir));
  for (const route of found) addHttp({ method: 'GET', path: route.path, port: undefined, status: undefined, source: 'route' });
  addHttp({ method: 'GET', path: '/', port: undefined, status: undefined, source: 'root' });
  return { plan: { http, runs }, problems, routes: found.map((r) => `${r.file}:${r.line + 1} ${r.path}`) };
}
