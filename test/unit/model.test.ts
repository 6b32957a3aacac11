// The Dockerfile model over fixture folders: each test/fixtures/model/<case>/Dockerfile is parsed and
// a plain summary of what a user would check is compared whole with expected.json beside it.
// UPDATE_FIXTURES=1 rewrites expected.json; read every rewritten file before committing it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { DockerfileModel, Stage, CommandLine } from '../../server/src/analysis/model';
import { parseDockerfile } from '../../server/src/analysis';
import { goBuildsIn, hiddenBuildsIn } from '../../server/src/analysis/languages/go/goBuilds';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'model');
const UPDATE = process.env.UPDATE_FIXTURES === '1';

function commandLine(line: CommandLine | undefined): object | null {
  return line ? { form: line.form, args: [...line.args] } : null;
}

function summarizeStage(model: DockerfileModel, stage: Stage): object {
  const { base } = stage;
  return {
    index: stage.index,
    name: stage.name ?? null,
    base: {
      written: base.written,
      resolved: base.resolved ?? null,
      unresolvedVariables: [...base.unresolvedVariables],
      stage: base.stage ?? null,
      isScratch: base.isScratch,
      reference: base.reference
        ? { familiar: base.reference.familiar, tag: base.reference.tag ?? null, digest: base.reference.digest ?? null }
        : null,
    },
    platform: stage.platform ?? null,
    workdir: stage.workdir,
    user: stage.user?.value ?? null,
    env: Object.fromEntries(stage.env),
    args: Object.fromEntries([...stage.args].map(([k, v]) => [k, v ?? null])),
    mounts: stage.runs.flatMap((r) => r.mounts.map((m) => ({ type: m.type, target: m.target ?? null, from: m.from ?? null }))),
    goBuilds: goBuildsIn(model, stage).map((b) => ({
      command: b.command,
      cwd: b.cwd,
      output: b.output ?? null,
      ldflags: b.ldflags ?? null,
      tags: [...b.tags],
      trimpath: b.trimpath,
      cgo: b.cgo,
      env: Object.fromEntries(b.env),
      packages: [...b.packages],
    })),
    hiddenBuilds: hiddenBuildsIn(model, stage).map((h) => h.tool),
    packageInstalls: stage.packageInstalls.map((p) => ({
      manager: p.manager,
      packages: [...p.packages],
      lean: p.lean,
      cleansLists: p.cleansLists,
    })),
    copies: stage.copies.map((c) => ({
      keyword: c.keyword,
      from: c.from ?? null,
      fromStage: c.fromStage ?? null,
      sources: [...c.sources],
      destination: c.destination,
      chown: c.chown ?? null,
      chmod: c.chmod ?? null,
      heredoc: c.heredoc,
    })),
    expose: stage.expose.map((e) => e.value),
    entrypoint: commandLine(stage.entrypoint),
    cmd: commandLine(stage.cmd),
    healthcheck: stage.healthcheck
      ? { none: stage.healthcheck.none, command: commandLine(stage.healthcheck.command) }
      : null,
    dependsOn: [...stage.dependsOn].sort((a, b) => a - b),
  };
}

function summarize(model: DockerfileModel): object {
  return {
    eol: model.eol === '\r\n' ? 'crlf' : 'lf',
    escapeChar: model.escapeChar,
    directives: Object.fromEntries(model.directives),
    globalArgs: Object.fromEntries([...model.globalArgs].map(([k, v]) => [k, v ?? null])),
    finalStage: model.finalStage?.index ?? null,
    reachable: [...model.reachable].sort((a, b) => a - b),
    strayInstructions: model.strayInstructions.map((i) => i.getKeyword()),
    stages: model.stages.map((stage) => summarizeStage(model, stage)),
  };
}

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test('there are fixture cases to run', () => {
  assert.ok(cases.length >= 14, `only ${cases.length} model fixtures`);
});

for (const name of cases) {
  test(`model: ${name}`, () => {
    const dir = path.join(FIXTURES, name);
    const text = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const actual = summarize(parseDockerfile(text));
    const expectedFile = path.join(dir, 'expected.json');
    if (UPDATE || !existsSync(expectedFile)) {
      writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      if (!UPDATE) assert.fail(`${expectedFile} did not exist; wrote it, check it by hand`);
      return;
    }
    const expected: unknown = JSON.parse(readFileSync(expectedFile, 'utf8'));
    assert.deepStrictEqual(actual, expected);
  });
}

test('the example fixtures are the examples as shipped', () => {
  for (const example of ['hello', 'http-server', 'https-client']) {
    const shipped = readFileSync(path.join(__dirname, '..', '..', 'examples', example, 'Dockerfile'), 'utf8');
    const fixture = readFileSync(path.join(FIXTURES, `example-${example}`, 'Dockerfile'), 'utf8');
    assert.equal(fixture, shipped, `test/fixtures/model/example-${example}/Dockerfile is out of date`);
  }
});

test('parsing is deterministic: the same text gives the same summary', () => {
  const text = readFileSync(path.join(FIXTURES, 'cgo-settings', 'Dockerfile'), 'utf8');
  assert.deepStrictEqual(summarize(parseDockerfile(text)), summarize(parseDockerfile(text)));
});

test('files without a usable FROM have no stages, or one unresolved stage, and never throw', () => {
  for (const text of ['', '\n\n', '# just a comment\n', 'ARG X=1\nRUN echo hi\n']) {
    const model = parseDockerfile(text);
    assert.deepStrictEqual([model.stages.length, model.finalStage, model.reachable.size], [0, undefined, 0], JSON.stringify(text));
  }
  assert.deepStrictEqual(parseDockerfile('ARG X=1\nRUN echo hi\n').strayInstructions.map((i) => i.getKeyword()), ['RUN']);
  for (const text of ['FROM\n', 'ARG EMPTY=\nFROM $EMPTY\n']) {
    const [stage] = parseDockerfile(text).stages;
    assert.deepStrictEqual(
      { resolved: stage?.base.resolved, unresolvedVariables: stage?.base.unresolvedVariables, reference: stage?.base.reference },
      { resolved: undefined, unresolvedVariables: [], reference: undefined },
      JSON.stringify(text),
    );
  }
  const dangling = parseDockerfile('FROM golang:1.22 AS\nCOPY --from=7 /x /x\n');
  assert.equal(dangling.stages[0]?.base.resolved, 'golang:1.22');
  assert.deepStrictEqual(dangling.stages[0]?.dependsOn, []);
});

test('a variable used twice is reported once', () => {
  const [stage] = parseDockerfile('ARG V\nFROM golang:$V-$V\n').stages;
  assert.deepStrictEqual(stage?.base.unresolvedVariables, ['V']);
});
