// No .dockerignore while the context holds things that should never reach the engine.
import type { Rule } from '../findings';
import { messages } from '../messages';

const NOISE: ReadonlyArray<[RegExp, string, string]> = [
  [/^\.git$/, '.git', '.git'],
  [/^node_modules$/, 'node_modules', 'node_modules'],
  [/^(bin|dist|build|out)$/, 'build output', ''],
  [/^\.env(\..*)?$/, '.env files (secrets)', '.env*'],
];
const LARGE_FILE = 10 * 1024 * 1024;

export function dockerignoreText(entries: ReadonlyArray<{ name: string; directory: boolean }>): string {
  const lines = ['# Keep the build context small and free of secrets (written by Slimfile).', '.git', '.dockerignore', '**/*_test.go', 'Dockerfile*', '*.md'];
  for (const e of entries) {
    if (/^(bin|dist|build|out|node_modules)$/.test(e.name) && e.directory) lines.push(`${e.name}/`);
    if (/^\.env/.test(e.name)) lines.push(e.name);
  }
  return `${[...new Set(lines)].join('\n')}\n`;
}

export const missingDockerignore: Rule = {
  id: 'missing-dockerignore',
  defaultSeverity: 'info',
  summary: 'The build context has no .dockerignore but holds .git, node_modules, build output or large files.',
  check({ model, project }) {
    if (project.contextDir === undefined || project.dockerignore.present || !model.stages[0]) return [];
    const found = new Set<string>();
    for (const entry of project.contextEntries) {
      for (const [re, label] of NOISE) if (re.test(entry.name)) found.add(label);
      if (!entry.directory && entry.size > LARGE_FILE) found.add(`${entry.name} (${Math.round(entry.size / 1024 / 1024)} MB)`);
    }
    if (found.size === 0) return [];
    const first = { start: { line: 0, character: 0 }, end: { line: 0, character: model.document.getText({ start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }).replace(/\r?\n$/, '').length } };
    return [
      {
        message: messages.missingDockerignore([...found]),
        range: first,
        related: [],
        fixes: [{ title: 'Create .dockerignore', edits: [], files: [{ path: '.dockerignore', text: dockerignoreText(project.contextEntries) }], isPreferred: true, safe: false }],
      },
    ];
  },
};
