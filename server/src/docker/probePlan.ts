// Which probes Compare with run asks, in order: the ones the user declared (Dockerfile comments,
// then the slimfile.probes setting), GET on every route the sources register, as each language
// finds them (LanguageSupport.routes: Go's routers, Express, Flask and FastAPI), then GET /. The
// sources are read here (disk); the routes and directives come from the pure analysis.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { declaredProbes, type ProbeProblem } from '../analysis/probes';
import { languages } from '../analysis/languages/registry';
import type { RouteReader } from '../analysis/languages/types';
import type { Route } from '../analysis/webRoutes';
import { loadGrammars } from '../workspace/grammars';
import { walkTree } from '../workspace/walk';
import type { HttpProbe, ProbePlan } from './run';

const MAX_FILES = 2000;
const MAX_FILE_BYTES = 1024 * 1024;
const SKIPPED = new Set(['vendor', 'node_modules', '.git', 'testdata', '__pycache__', '.venv', 'venv']);

/** The languages' route readers, in registry order, each once (Node and Python share theirs). */
function routeReaders(): RouteReader[] {
  return [...new Set(languages().flatMap((l) => (l.routes ? [l.routes] : [])))];
}

/** The sources each reader reads, in walk order, each list capped. */
async function sourcesOf(contextDir: string, readers: readonly RouteReader[]): Promise<Map<RouteReader, Array<{ path: string; text: string }>>> {
  const found = new Map(readers.map((reader) => [reader, [] as Array<{ path: string; text: string }>]));
  await walkTree(
    contextDir,
    async (rel, entry) => {
      if (!entry.isFile()) return;
      const reader = readers.find((r) => r.reads(rel));
      const list = reader && found.get(reader);
      if (!list || list.length >= MAX_FILES) return;
      const file = path.join(contextDir, rel);
      if ((await fs.stat(file)).size > MAX_FILE_BYTES) return;
      list.push({ path: rel, text: await fs.readFile(file, 'utf8') });
    },
    { enter: (_rel, name) => !SKIPPED.has(name), maxEntries: 100_000 },
  );
  return found;
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
  const found: Route[] = [];
  // Each reader's grammars are loaded only for a context that has its sources; a path found
  // before (an earlier reader's) is asked once.
  for (const [reader, sources] of await sourcesOf(contextDir, routeReaders())) {
    if (sources.length === 0) continue;
    await loadGrammars(reader.grammars);
    found.push(...reader.routes(sources).filter((r) => !found.some((f) => f.path === r.path)));
  }
  for (const route of found) addHttp({ method: 'GET', path: route.path, port: undefined, status: undefined, source: 'route' });
  addHttp({ method: 'GET', path: '/', port: undefined, status: undefined, source: 'root' });
  return { plan: { http, runs }, problems, routes: found.map((r) => `${r.file}:${r.line + 1} ${r.path}`) };
}
