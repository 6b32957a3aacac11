// UPX on request: the code action on a go build and `minimize --upx` install upx with the
// builder's package manager, pack after the build, and say what it costs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { addUpx, upxActions, upxHover, UPX_TITLE, UPX_TRADE_OFFS } from '../../server/src/analysis/languages/go/upx';
import { loadProject } from '../../server/src/workspace/project';
import type { ProjectFacts } from '../../server/src/analysis/project';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'minimize');

async function exampleProject(name: string): Promise<ProjectFacts> {
  return loadProject(path.join(EXAMPLES, name), { maxGoFiles: 100 });
}

test('minimize on scratch, then UPX: upx-ucl from apt on the Debian builder, packed after the build', async () => {
  const project = await exampleProject('http-server');
  const text = readFileSync(path.join(EXAMPLES, 'http-server', 'Dockerfile'), 'utf8');
  const scratch = minimize(text, project, { rules: {}, runtime: 'scratch' }).text;
  const packed = addUpx(scratch, project);
  assert.deepStrictEqual(packed.problems, []);
  assert.equal(packed.text, readFileSync(path.join(FIXTURES, 'http-server', 'expected.scratch.upx.Dockerfile'), 'utf8'));
  assert.equal(addUpx(packed.text, project).text, packed.text, 'packing twice changes nothing');
  // The conversion still recognises a packed build: nothing left for Minimize to do.
  assert.deepStrictEqual(minimize(packed.text, project, { rules: {}, runtime: 'scratch' }).applied, []);
});

test('an Alpine builder installs upx with apk', async () => {
  const project = await exampleProject('hello');
  const text = 'FROM golang:1.19-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/hello .\n\nFROM scratch\nCOPY --from=build /out/hello /hello\nENTRYPOINT ["/hello"]\n';
  const packed = addUpx(text, project);
  assert.equal(
    packed.text,
    [
      'FROM golang:1.19-alpine AS build',
      'RUN apk add --no-cache upx',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/hello .',
      `# UPX trade-offs: ${UPX_TRADE_OFFS.join('; ')}.`,
      'RUN upx --best --lzma /out/hello',
      '',
      'FROM scratch',
      'COPY --from=build /out/hello /hello',
      'ENTRYPOINT ["/hello"]',
      '',
    ].join('\n'),
  );
});

test('no packing where it would break or cannot install: stripped later, unknown builder', async () => {
  const project = await exampleProject('hello');
  const stripped = 'FROM golang:1.19 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/hello . && true\nRUN strip /out/hello\n\nFROM scratch\nCOPY --from=build /out/hello /hello\nENTRYPOINT ["/hello"]\n';
  const strip = addUpx(stripped, project);
  assert.equal(strip.text, stripped);
  assert.deepStrictEqual(strip.problems, ['line 5 strips the binary after the build, which breaks a packed one; strip with -ldflags "-s -w" instead']);
  const custom = 'FROM registry.example.com/ci/go-builder:7 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/hello .\n\nFROM scratch\nCOPY --from=build /out/hello /hello\nENTRYPOINT ["/hello"]\n';
  const unknown = addUpx(custom, project);
  assert.equal(unknown.text, custom);
  assert.deepStrictEqual(unknown.problems, ['registry.example.com/ci/go-builder:7 has no package manager Slimfile knows to install upx with']);
});

test('the code action sits on the go build only, and its edits are the same as minimize --upx', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-upx-'));
  try {
    cpSync(path.join(EXAMPLES, 'https-client'), dir, { recursive: true });
    const project = await loadProject(dir, { maxGoFiles: 100 });
    const text = readFileSync(path.join(FIXTURES, 'https-client', 'expected.scratch.Dockerfile'), 'utf8');
    writeFileSync(path.join(dir, 'Dockerfile'), text);
    const model = parseDockerfile(text);
    const buildLine = text.split('\n').findIndex((l) => l.includes('go build'));
    const onBuild = upxActions(model, project, { start: { line: buildLine, character: 3 }, end: { line: buildLine, character: 3 } });
    assert.deepStrictEqual(onBuild.map((a) => a.title), [UPX_TITLE]);
    assert.equal(applyEdits(text, onBuild[0]!.edits), addUpx(text, project).text);
    assert.deepStrictEqual(upxActions(model, project, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), []);
    const packed = applyEdits(text, onBuild[0]!.edits);
    const upxLine = packed.split('\n').findIndex((l) => l.startsWith('RUN upx'));
    const hover = upxHover(parseDockerfile(packed), { line: upxLine, character: 5 });
    const value = (hover?.contents as { value: string }).value;
    for (const cost of UPX_TRADE_OFFS) assert.ok(value.includes(cost.slice(1)), `${cost} in\n${value}`);
    assert.equal(upxHover(parseDockerfile(packed), { line: 0, character: 1 }), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
