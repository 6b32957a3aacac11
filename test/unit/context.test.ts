// The analysis context: what a version derives stays with that version, what only the project
// facts decide carries to the next version while they are the same object, and nothing is shared
// between contexts that were not chained.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AnalysisContext, query } from '../../server/src/analysis/context';
import { parseDockerfile } from '../../server/src/analysis';
import { emptyProject } from '../../server/src/analysis/project';
import { cargoBuilds } from '../../server/src/analysis/languages/rust/rust';
import { nodeProjectOf } from '../../server/src/analysis/languages/node/node';

const TEXT = 'FROM rust:1.79 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/app /app\n';

test('a model is parsed in the context it is given, and its derived facts are computed once there', () => {
  const context = new AnalysisContext();
  const model = parseDockerfile(TEXT, context);
  const project = emptyProject();
  assert.equal(model.context, context);
  const builds = cargoBuilds(model, project);
  assert.equal(builds.length, 1);
  assert.equal(cargoBuilds(model, project), builds, 'the second ask is answered from the context');
  // The same text parsed in the next version's context is a new model with its own answers.
  const next = parseDockerfile(TEXT, new AnalysisContext(context));
  assert.notEqual(cargoBuilds(next, project), builds);
  assert.deepEqual(cargoBuilds(next, project), builds);
});

test('the next version reuses split RUN scripts and answers about the same project facts, not a new project\'s', () => {
  const first = new AnalysisContext();
  const a = parseDockerfile(TEXT, first);
  const project = { ...emptyProject(), manifests: new Map([['package.json', '{"dependencies":{"express":"^4"}}']]) };
  const read = nodeProjectOf(project, first);
  assert.deepEqual(read?.dependencies, ['express']);

  const second = new AnalysisContext(first);
  const b = parseDockerfile(TEXT, second);
  assert.equal(b.stages[0]?.runs[0]?.commands, a.stages[0]?.runs[0]?.commands, 'the script was split once');
  assert.equal(nodeProjectOf(project, second), read, 'the same project facts: read once');
  const changed = { ...project, manifests: new Map([['package.json', '{"dependencies":{}}']]) };
  assert.deepEqual(nodeProjectOf(changed, second)?.dependencies, []);

  // A context made without a previous one shares nothing.
  const unrelated = new AnalysisContext();
  assert.notEqual(parseDockerfile(TEXT, unrelated).stages[0]?.runs[0]?.commands, a.stages[0]?.runs[0]?.commands);
  assert.notEqual(nodeProjectOf(project, unrelated), read);
});

test('memo answers per owner and per query, and keeps an undefined answer', () => {
  const context = new AnalysisContext();
  const owner = {};
  const other = {};
  const nothing = query<undefined>('nothing');
  const count = query<number>('count');
  let calls = 0;
  assert.equal(context.memo(nothing, [owner], () => (calls++, undefined)), undefined);
  assert.equal(context.memo(nothing, [owner], () => (calls++, undefined)), undefined);
  assert.equal(calls, 1);
  assert.equal(context.memo(count, [owner], () => 1), 1);
  assert.equal(context.memo(count, [owner, other], () => 2), 2);
  assert.equal(context.memo(count, [other], () => 3), 3);
  assert.equal(context.memo(count, [owner], () => 4), 1);
});
