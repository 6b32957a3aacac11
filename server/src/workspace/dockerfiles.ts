// Finds the Dockerfiles under a module folder, for go.mod's hover ("which Dockerfiles build this").
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const NAME = /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:Dockerfile|dockerfile)$/;
const SKIP = new Set(['vendor', 'node_modules', 'testdata', '.git']);

export async function findDockerfiles(root: string, maxDepth = 3, maxFiles = 50): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > maxDepth || found.length >= maxFiles) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (found.length >= maxFiles) return;
      if (e.isFile() && NAME.test(e.name)) found.push(path.join(dir, e.name));
      else if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) await walk(path.join(dir, e.name), depth + 1);
    }
  };
  await walk(root, 0);
  return found.sort();
}
