// The routes Compare with run asks of Express, Flask and FastAPI programs, read with tree-sitter's
// JavaScript and Python grammars, and planProbes picking them up from a build context.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { webRoutes, WEB_GRAMMARS } from '../../server/src/analysis/webRoutes';
import { loadGrammars } from '../../server/src/workspace/grammars';
import { planProbes } from '../../server/src/docker/probePlan';

before(() => loadGrammars(WEB_GRAMMARS));

const shown = (files: Array<{ path: string; text: string }>): string[] => webRoutes(files).map((r) => `${r.file}:${r.line + 1} ${r.path}`);

test('Express: get and all with a literal path, in a file that requires or imports express', () => {
  const server = [
    "const express = require('express');",
    'const app = express();',
    'const api = express.Router();',
    "app.get('/health', (req, res) => res.send('ok'));",
    "app.get(`/about`, about);",
    "app.post('/items', create);",
    "api.get('/items/:id', show);",
    "app.all('/ping', pong);",
    "app.get('/files/*', files);",
    'app.get(`/v${version}/x`, x);',
    "app.use('/api', api);",
    'app.listen(3000);',
  ].join('\n');
  const esm = "import express from 'express';\nconst app = express();\napp.get(\"/esm\", h);\n";
  const notExpress = "const cache = new Map();\ncache.get('/not-a-route');\n";
  assert.deepEqual(shown([{ path: 'server.js', text: server }, { path: 'src/app.mjs', text: esm }, { path: 'lib/cache.js', text: notExpress }]), ['server.js:4 /health', 'server.js:5 /about', 'server.js:8 /ping', 'src/app.mjs:3 /esm']);
});

test('Flask and FastAPI: route and get decorators with a literal path; a methods list without GET is left out', () => {
  const flask = [
    'from flask import Flask, jsonify',
    'app = Flask(__name__)',
    "@app.route('/')",
    'def index():',
    "    return 'hi'",
    "@app.route('/predict', methods=['POST'])",
    'def predict():',
    '    pass',
    '@app.route("/status", methods=["GET", "HEAD"])',
    'def status():',
    '    pass',
    "@app.route('/users/<int:id>')",
    'def user(id):',
    '    pass',
  ].join('\n');
  const fastapi = ['from fastapi import APIRouter, FastAPI', 'app = FastAPI()', 'router = APIRouter()', '@app.get("/health")', 'async def health():', '    return {}', '@router.get("/items/{item_id}")', 'async def item(item_id: int):', '    pass', '@app.post("/items")', 'async def create():', '    pass'].join('\n');
  const other = "import functools\n@functools.lru_cache('/x')\ndef f():\n    pass\n";
  assert.deepEqual(shown([{ path: 'app.py', text: flask }, { path: 'api/main.py', text: fastapi }, { path: 'util.py', text: other }]), ['app.py:3 /', 'app.py:9 /status', 'api/main.py:4 /health']);
});

test('a broken file still gives the routes tree-sitter can read, and each path is asked once', () => {
  const broken = "const express = require('express');\nconst app = express();\napp.get('/one', h);\nfunction (\napp.get('/two', h);\napp.get('/one', again);\n";
  assert.deepEqual(webRoutes([{ path: 'a.js', text: broken }]).map((r) => r.path), ['/one', '/two']);
});

test('planProbes asks the Flask routes of a context, then /', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-web-routes-'));
  try {
    mkdirSync(path.join(dir, 'node_modules', 'express'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'express', 'index.js'), "const express = require('express');\nexpress().get('/inside-node-modules', h);\n");
    writeFileSync(path.join(dir, 'app.py'), "from flask import Flask\napp = Flask(__name__)\n@app.route('/health')\ndef health():\n    return 'ok'\n");
    const planned = await planProbes(dir, ['FROM python:3.12\nCOPY . .\nCMD ["python", "app.py"]\n']);
    assert.deepEqual(planned.plan.http.map((p) => `${p.method} ${p.path} ${p.source}`), ['GET /health route', 'GET / root']);
    assert.deepEqual(planned.routes, ['app.py:3 /health']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
