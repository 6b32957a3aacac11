// What a Node program's own sources load, read from tree-sitter's JavaScript tree: the packages a
// `--omit=dev` install must keep, the names it cannot know, and npm's own variables.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AnalysisContext } from '../../server/src/analysis/context';
import { emptyProject } from '../../server/src/analysis/project';
import { nodeImportsOf, packageOf } from '../../server/src/analysis/languages/node/nodeImports';
import { loadGrammars } from '../../server/src/workspace/grammars';
import { WEB_GRAMMARS } from '../../server/src/analysis/webRoutes';

before(async () => {
  await loadGrammars(WEB_GRAMMARS);
});

test('package names from specifiers: scopes and subpaths kept to the package, local files and built-ins left out', () => {
  assert.deepEqual(['dotenv', 'dotenv/config', '@swc/core', '@scope/pkg/sub/path', './lib', '../x', '/abs', 'node:fs'].map(packageOf), ['dotenv', 'dotenv', '@swc/core', '@scope/pkg', undefined, undefined, undefined, undefined]);
});

test('import, export from, require and import() with literal names; computed names and npm variables are reported', () => {
  const sources = new Map([
    ['src/server.ts', "import express from 'express';\nimport type { Config } from './config';\nexport { helper } from '@acme/helpers/dist';\n"],
    ['src/boot.mjs', "const pino = await import('pino');\nrequire('dotenv/config');\nconst plugin = require(process.env.PLUGIN);\nconsole.log(process.env.npm_package_version);\n"],
    ['node_modules/left-pad/index.js', "require('never-read');\n"],
  ]);
  const imports = nodeImportsOf({ ...emptyProject(), sources }, new AnalysisContext());
  assert.ok(imports);
  assert.deepEqual(Object.fromEntries([...imports.packages].map(([name, at]) => [name, `${at.file}:${at.line + 1}`])), {
    express: 'src/server.ts:1',
    '@acme/helpers': 'src/server.ts:3',
    pino: 'src/boot.mjs:1',
    dotenv: 'src/boot.mjs:2',
  });
  assert.deepEqual(imports.gaps, ['src/boot.mjs:3 loads a module whose name is computed']);
  assert.deepEqual(imports.npmVariables, ['npm_package_version']);
});
