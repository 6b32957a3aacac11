// Which probes Compare with run asks, in order: the ones the user declared (Dockerfile comments,
// then the slimfile.probes setting), GET on every route the Go, Express, Flask and FastAPI sources
// register, then GET /. The sources are read here (disk); the routes and directives come from
// the pure analysis.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { goRoutes } from '../analysis/languages/go/source/routes';
import { declaredProbes, type ProbeProblem } from '../analysis/probes';
import { loadGoParser } from '../workspace/goParser';
import { loadWebParsers } from '../workspace/webParsers';
import { webRoutes } from '../analysis/webRoutes';
import { walkTree } from '../workspace/walk';
import type { HttpProbe, ProbePlan } from './run';

const MAX_FILES = 2000;
const MAX_FILE_BYTES = 1024 * 1024;
const SKIPPED = new Set(['vendor', 'node_modules', '.git', 'testdata', '__pycache__', '.venv', 'venv']);
/** Express apps (JavaScript, not TypeScript: the grammar is JavaScript's), Flask and FastAPI apps. */
const WEB_SOURCE = /\.(c|m)?js$|\.py$/;

/** The Go sources (tests left out) and the JavaScript and Python ones, each list capped. */
async function sourcesOf(contextDir: string): Promise<{ go: Array<{ path: string; text: string }>; web: Array<{ path: string; text: string }> }> {
  const go: Array<{ path: string; text: string }> = [];
  const web: Array<{ path: string; text: string }> = [];
  await walkTree(
    contextDir,
    async (rel, entry) => {
      if (!entry.isFile()) return;
      const list = rel.endsWith('.go') && !rel.endsWith('_test.go') ? go : WEB_SOURCE.test(rel) && !/\.min\.js$/.test(rel) ? web : undefined;
      if (!list || list.length >= MAX_FILES) return;
      const file = path.join(contextDir, rel);
      if ((await fs.stat(file)).size > MAX_FILE_BYTES) return;
      list.push({ path: rel, text: await fs.readFile(file, 'utf8') });
    },
    { enter: (_rel, name) => !SKIPPED.has(name), maxEntries: 100_000 },
  );
  return { go, web };
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
  const sources = await sourcesOf(contextDir);
  await loadGoParser();
  const found = goRoutes(sources.go);
  // The JavaScript and Python grammars are loaded only for a context that has such sources.
  if (sources.web.length > 0) {
    await loadWebParsers();
    found.push(...webRoutes(sources.web).filter((r) => !found.some((f) => f.path === r.path)));
  }
  for (const route of found) addHttp({ method: 'GET', path: route.path, port: undefined, status: undefined, source: 'route' });
  addHttp({ method: 'GET', path: '/', port: undefined, status: undefined, source: 'root' });
  return { plan: { http, runs }, problems, routes: found.map((r) => `${r.file}:${r.line + 1} ${r.path}`) };
}
