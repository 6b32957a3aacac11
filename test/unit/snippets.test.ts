// Each contributed snippet, expanded with its defaults, is a Dockerfile that `slimfile check`
// finds nothing wrong with, for the kind of program it is meant for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { loadProject } from '../../server/src/workspace/project';
import { goBuildsIn } from '../../server/src/analysis/languages/go/goBuilds';

const root = path.resolve(__dirname, '../..');
const snippets = JSON.parse(readFileSync(path.join(root, 'snippets/dockerfile.json'), 'utf8')) as Record<string, { body: string[]; prefix: string[] }>;

/** Expands tab stops the way the editor does when the user accepts every default. */
function expand(body: readonly string[]): string {
  return body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{?\d+\}?/g, '');
}

const programFor: Record<string, string> = {
  'Go multi-stage: distroless static (nonroot)': 'examples/https-client',
  'Go multi-stage: scratch with certificates and zoneinfo': 'examples/https-client',
  'Go multi-stage: distroless base for cgo': 'test/fixtures/projects/sqlite-app',
};

test('every snippet has a program to check it against', () => {
  assert.deepEqual(Object.keys(snippets).sort(), Object.keys(programFor).sort());
});

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet "${name}" passes slimfile check`, async () => {
    const project = await loadProject(path.join(root, programFor[name] as string), { maxGoFiles: 50 });
    const text = expand(snippet.body);
    const model = parseDockerfile(text);
    assert.equal(model.stages.length, 2, 'a build stage and a runtime stage');
    const build = goBuildsIn(model, model.stages[0]!)[0];
    assert.ok(build, 'the build stage runs go build');
    const findings = analyze(model, project).map((f) => `${f.rule}: ${f.message}`);
    assert.deepEqual(findings, []);
  });
}
