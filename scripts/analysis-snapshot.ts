// Everything Slimfile says about a set of Dockerfiles, as one JSON line per file: the findings
// with their fixes' edits, Minimize's text and what it applied and left, and the estimate's layers
// now and minimized (catalog sizes only, no engine or registry). Written before and after a change
// that must not change behaviour, the two files are compared with `diff`.
//
//   node --import tsx scripts/analysis-snapshot.ts OUT.jsonl ROOT...
//
// Each Dockerfile's build context is its own folder, as `slimfile check` picks it when run there.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../server/src/workspace/project';
import { DocumentSession } from '../server/src/session';
import { DEFAULTS } from '../server/src/settings';
import { catalogKnowledge } from '../bench/lib/slimfileWork';

const SKIPPED = new Set(['node_modules', '.git', 'vendor']);

async function dockerfiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) await walk(file);
      } else if (entry.isFile() && /(^|\.)Dockerfile(\.|$)|\.Dockerfile$|^Containerfile$/i.test(entry.name)) found.push(file);
    }
  };
  await walk(root);
  return found.sort();
}

/** JSON without functions, with Maps and Sets as arrays, so two runs compare as text. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'function') return undefined;
      if (v instanceof Map) return [...v];
      if (v instanceof Set) return [...v];
      return v;
    }),
  );
}

async function main(): Promise<void> {
  const [out, ...roots] = process.argv.slice(2);
  if (!out || roots.length === 0) throw new Error('usage: analysis-snapshot.ts OUT.jsonl ROOT...');
  const knowledge = catalogKnowledge();
  const lines: string[] = [];
  for (const root of roots) {
    for (const file of await dockerfiles(path.resolve(root))) {
      const text = await fs.readFile(file, 'utf8');
      const project = await loadProject(path.dirname(file), { maxGoFiles: 5000 });
      const session = new DocumentSession({ text, project, settings: DEFAULTS });
      let record: unknown;
      try {
        const minimized = session.minimized();
        const estimate = session.estimate(knowledge);
        record = {
          file: path.relative(process.cwd(), file),
          findings: session.findings,
          minimized: { text: minimized.text, applied: minimized.applied, remaining: minimized.remaining },
          estimate: { now: estimate.now, minimized: estimate.minimized },
        };
      } catch (error) {
        record = { file: path.relative(process.cwd(), file), error: String(error) };
      }
      lines.push(JSON.stringify(plain(record)));
    }
  }
  await fs.writeFile(out, `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.length} Dockerfiles written to ${out}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(2);
});
