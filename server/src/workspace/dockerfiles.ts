// Finds the Dockerfiles under a module folder, for go.mod's hover ("which Dockerfiles build this").
import * as path from 'node:path';
import { isDockerfileName } from '../documents';
import { walkTree } from './walk';

const SKIP = new Set(['vendor', 'node_modules', 'testdata', '.git']);

export async function findDockerfiles(root: string, maxDepth = 3, maxFiles = 50): Promise<string[]> {
  const found: string[] = [];
  await walkTree(
    root,
    (rel, entry) => {
      if (entry.isFile() && isDockerfileName(entry.name)) found.push(path.join(root, rel));
      return found.length < maxFiles;
    },
    { enter: (rel, name) => !SKIP.has(name) && !name.startsWith('.') && rel.split('/').length <= maxDepth },
  );
  return found.sort();
}
