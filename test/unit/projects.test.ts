// The realistic projects under test/fixtures/projects, each a whole build context: Minimize must
// convert every one, class every entry its COPY sends as the hand-written classes.json says, make
// writable exactly the folders the program writes, and give the Dockerfile in minimized.Dockerfile
// (read every one before committing it: UPDATE_FIXTURES=1 writes them). The test's own files are
// left out of the context, as a user's project has none. The Docker Engine test
// (test/docker/projects.test.ts) builds, runs and probes the same projects.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { toMultiStage } from '../../server/src/analysis/languages/go/toMultiStage';
import { joinPath } from '../../server/src/analysis/paths';
import { loadProject } from '../../server/src/workspace/project';

const PROJECTS = path.join(__dirname, '..', 'fixtures', 'projects');
const UPDATE = process.env.UPDATE_FIXTURES === '1';

interface Classes {
  readonly entries: Readonly<Record<string, string>>;
  /** Folders the program writes, relative to its WORKDIR or absolute. */
  readonly writes: readonly string[];
}

/** Files that describe the test, not the project. */
const HARNESS_FILES = new Set(['probe.json', 'classes.json', 'minimized.Dockerfile']);

const projects = readdirSync(PROJECTS).filter((name) => existsSync(path.join(PROJECTS, name, 'classes.json')));

test('the corpus has at least 12 realistic projects', () => {
  assert.ok(projects.length >= 12, `only ${projects.length}: ${projects.join(', ')}`);
});

for (const name of projects) {
  test(`${name}: Minimize converts it, with every context entry classed and every write made possible`, async (t) => {
    const source = path.join(PROJECTS, name);
    const spec = JSON.parse(readFileSync(path.join(source, 'classes.json'), 'utf8')) as Classes;
    const dir = mkdtempSync(path.join(os.tmpdir(), `slimfile-project-${name}-`));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    for (const entry of readdirSync(source)) if (!HARNESS_FILES.has(entry)) cpSync(path.join(source, entry), path.join(dir, entry), { recursive: true });
    const project = await loadProject(dir, { maxGoFiles: 500 });
    const text = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const model = parseDockerfile(text);
    const result = toMultiStage(model, project);
    assert.ok(result.ok, `${name}: ${result.ok ? '' : result.reason}`);
    const { conversion } = result;
    assert.deepEqual(conversion.problems, [], `${name}: the conversion is not proven`);
    assert.equal(conversion.safe, true);

    // classes.json names every top-level entry of the context; the analysis classes what COPY sends.
    const classes = Object.fromEntries(conversion.files.entries.map((e) => [e.name, e.class]));
    const sent = Object.fromEntries(Object.entries(spec.entries).filter(([entry]) => entry in classes));
    assert.deepEqual(classes, sent, `${name}: classes of the context entries`);
    assert.ok(Object.keys(sent).length > 0);

    const workdir = model.finalStage?.workdir ?? '/';
    const writes = [...conversion.files.writable.map((w) => w.path), ...(conversion.files.needsTmp ? ['/tmp'] : [])];
    assert.deepEqual(writes.sort(), spec.writes.map((w) => joinPath(workdir, w)).sort(), `${name}: writable folders`);

    const minimized = minimize(text, project);
    assert.ok(minimized.applied.includes('Convert to multi-stage build'), `${name}: applied ${minimized.applied.join('; ')}`);
    const expectedFile = path.join(source, 'minimized.Dockerfile');
    if (UPDATE) writeFileSync(expectedFile, minimized.text);
    assert.equal(minimized.text, readFileSync(expectedFile, 'utf8'));
    // Minimize is done: a second run changes nothing.
    assert.equal(minimize(minimized.text, project).text, minimized.text);
  });
}
