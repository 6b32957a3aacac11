// Minimize handed the version's parse and findings (as the server does, to skip its first round)
// gives what it gives from the text alone, and the parse it returns is the parse of its result.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { loadProject } from '../../server/src/workspace/project';

const CORPUS = path.join(__dirname, '..', '..', 'bench', 'corpus');

test('minimize from the version parse and findings equals minimize from the text, for every bench corpus file', async () => {
  const project = await loadProject(CORPUS, { maxGoFiles: 100 });
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.Dockerfile'));
  assert.ok(files.length >= 15);
  for (const file of files) {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    const model = parseDockerfile(text);
    const alone = minimize(text, project);
    const started = minimize(text, project, undefined, { model, findings: analyze(model, project) });
    assert.equal(started.text, alone.text, file);
    assert.deepStrictEqual(started.applied, alone.applied, file);
    assert.deepStrictEqual(started.remaining, alone.remaining, file);
    assert.equal(alone.model.text, alone.text, `${file}: the returned parse is of the result`);
    assert.deepStrictEqual(
      analyze(alone.model, project).map((f) => f.rule),
      analyze(parseDockerfile(alone.text), project).map((f) => f.rule),
      file,
    );
  }
});

test('Minimize keeps the root user a compiled conversion keeps for a reason (runs-as-root does not undo it)', async () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'rules', 'rust-toolchain-in-final-image', 'crates-pure-rust');
  const project = await loadProject(dir, { maxGoFiles: 10 });
  const result = minimize(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), project);
  assert.match(result.text, /^FROM gcr\.io\/distroless\/cc-debian12$/m);
  assert.match(result.text, /^# Runs as root: its crates \(serde, tokio\)/m);
  assert.match(result.text, /^USER root$/m);
  assert.doesNotMatch(result.text, /nonroot|65532/);
});
