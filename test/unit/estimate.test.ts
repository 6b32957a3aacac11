// The Go binary model against real builds (the calibration's measured programs, which the model
// does not read directly when several packages combine), and the estimate's arithmetic.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import calibration from '../../server/src/analysis/languages/go/calibration/go-binary-calibration.json';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { loadProject } from '../../server/src/workspace/project';
import { estimateGoBinarySize, estimateBuildCache } from '../../server/src/analysis/languages/go/binarySize';
import { estimateImage, estimateNowAndMinimized, type SizeKnowledge } from '../../server/src/analysis/estimate/estimate';
import { FILE_SIZES } from '../../server/src/analysis/estimate/files';
import { imageLensTitle, sizeLenses } from '../../server/src/analysis/estimate/present';
import { ImageKnowledge } from '../../server/src/images/knowledge';
import { goBuilds } from '../../server/src/analysis/languages/go/goBuilds';

const root = path.resolve(__dirname, '../..');
const programs = calibration.programs as unknown as Record<string, Record<string, number>>;

async function projectWith(files: Record<string, string>): Promise<Awaited<ReturnType<typeof loadProject>>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-est-'));
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  const project = await loadProject(dir, { maxGoFiles: 10 });
  await fs.rm(dir, { recursive: true, force: true });
  return project;
}

/** These tests measure the model against Go 1.19's calibration (go-binary-calibration.json). */
const GO_119 = { version: '1.19', source: 'golang:1.19' };

const STRIPPED = 'FROM golang:1.19\nRUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app .\n';

const combos: Array<[string, string, string[]]> = [
  ['web-service', 'a server with JSON and HTML templates', ['net/http', 'encoding/json', 'html/template']],
  ['api-service', 'a server with JSON, SQL and embedded tzdata', ['net/http', 'encoding/json', 'database/sql', 'time/tzdata']],
  ['http-client-json', 'an HTTPS client decoding JSON', ['net/http', 'encoding/json']],
];

for (const [program, what, imports] of combos) {
  test(`the binary model is within 5% of a real build: ${what}`, async () => {
    const client = program === 'http-client-json';
    const body = client ? 'func main() { r, _ := http.Get("https://x"); _ = r; var v any; _ = json.Unmarshal(nil, &v) }' : 'func main() {}';
    const project = await projectWith({
      'go.mod': 'module example.com/x\n\ngo 1.19\n',
      'main.go': `package main\n\nimport (\n${imports.map((i) => `\t_ "${i}"`).join('\n')}\n\t"net/http"\n\t"encoding/json"\n)\n\nvar _ = http.Get\nvar _ = json.Marshal\n\n${body}\n`,
    });
    const build = goBuilds(parseDockerfile(STRIPPED))[0]!;
    const estimate = estimateGoBinarySize(build, project, GO_119).bytes;
    const real = programs[program]!['strippedTrimpath']!;
    const error = Math.abs(estimate - real) / real;
    assert.ok(error < 0.05, `${program}: model ${estimate} vs real ${real} (${(error * 100).toFixed(1)}%)`);
  });
}

test('a println-only program is sized as the minimal binary, unstripped as built by a naive Dockerfile', async () => {
  const project = await loadProject(path.join(root, 'examples/hello'), { maxGoFiles: 10 });
  const build = goBuilds(parseDockerfile('FROM golang:1.19\nRUN go build -o main .\n'))[0]!;
  assert.equal(estimateGoBinarySize(build, project, GO_119).bytes, programs['minimal']!['plain']);
  assert.equal(estimateBuildCache(build, project, GO_119).bytes, calibration.buildCacheDetail.minimal.fileBytes.cgo1);
});

test('the estimate of a final stage is its base plus every layer, and the minimized image drops the toolchain', async () => {
  const project = await loadProject(path.join(root, 'examples/http-server'), { maxGoFiles: 10 });
  const text = await fs.readFile(path.join(root, 'examples/http-server/Dockerfile'), 'utf8');
  const base = 975_666_704;
  const knowledge: SizeKnowledge = {
    baseImage: (ref) =>
      ref.familiar === 'golang'
        ? { bytes: base, compressed: undefined, provenance: { origin: 'local-engine', detail: 'test engine', confidence: 'high' } }
        : { bytes: 1_541_756, compressed: undefined, provenance: { origin: 'local-engine', detail: 'test engine', confidence: 'high' } },
  };
  const now = estimateImage(parseDockerfile(text), project, knowledge);
  const layers = now.stages[0]!.layers;
  assert.deepEqual(layers.map((l) => l.what), ['context files .', 'Go binary /app/main', 'Go build cache left in the layer']);
  assert.equal(now.bytes, base + layers.reduce((n, l) => n + (l.bytes ?? 0), 0));
  assert.equal(now.unknowns.length, 0);
  const pair = estimateNowAndMinimized(parseDockerfile(text), project, knowledge, (t) => minimize(t, project).text);
  // distroless + the stripped static http server binary (measured 4,460,544 bytes with Go 1.19).
  const expected = 1_541_756 + programs['http-server']!['strippedTrimpath']!;
  assert.ok(Math.abs(pair.minimized!.bytes! - expected) / expected < 0.02, `${pair.minimized!.bytes} vs ${expected}`);
  assert.equal(imageLensTitle(pair.now, pair.minimized), `Image ≈ ${Math.round(now.bytes! / 1e6)} MB · ≈ ${(pair.minimized!.bytes! / 1e6).toFixed(1)} MB after Minimize`);
});

test('files the fixes copy are counted with their measured sizes, and package installs are named as unknown', async () => {
  const project = await loadProject(path.join(root, 'examples/https-client'), { maxGoFiles: 10 });
  const text = [
    'FROM golang:1.19 AS build',
    'RUN CGO_ENABLED=0 go build -o /app .',
    'FROM scratch',
    'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
    'COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo',
    'COPY --from=build /app /app',
    '',
  ].join('\n');
  const images = new ImageKnowledge({ engine: () => undefined, registry: () => undefined }, () => undefined);
  const knowledge: SizeKnowledge = { baseImage: (r) => images.size(r) };
  const estimate = estimateImage(parseDockerfile(text), project, knowledge);
  const final = estimate.stages[1]!;
  assert.equal(final.layers[0]!.bytes, FILE_SIZES['/etc/ssl/certs/ca-certificates.crt']);
  assert.equal(final.layers[1]!.bytes, FILE_SIZES['/usr/share/zoneinfo']);
  assert.equal(estimate.bytes, final.added, 'scratch adds nothing');
  const withApt = estimateImage(parseDockerfile('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n'), project, knowledge);
  assert.deepEqual(withApt.unknowns, ['apt packages: curl']);
  assert.equal(withApt.confidence, 'low');
});

test('run-time files and writable folders copied from the build stage count as the context bytes they come from', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-est-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(dir, 'templates'));
  await fs.writeFile(path.join(dir, 'templates', 'index.html'), 'x'.repeat(3000));
  await fs.writeFile(path.join(dir, 'templates', 'layout.html'), 'y'.repeat(1000));
  await fs.writeFile(path.join(dir, 'go.mod'), 'module example.com/site\n\ngo 1.19\n');
  await fs.writeFile(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  const project = await loadProject(dir, { maxGoFiles: 10 });
  const text = [
    'FROM golang:1.19 AS build',
    'WORKDIR /app',
    'COPY . .',
    'RUN CGO_ENABLED=0 go build -o site .',
    'RUN mkdir -p /writable/app/data',
    'FROM gcr.io/distroless/static-debian12:nonroot',
    'COPY --from=build /app/templates /app/templates',
    'COPY --from=build /app/templates/index.html /app/index.html',
    'COPY --from=build --chown=65532:65532 /writable/app/data /app/data',
    '',
  ].join('\n');
  const knowledge: SizeKnowledge = { baseImage: () => undefined };
  const final = estimateImage(parseDockerfile(text), project, knowledge).stages[1]!;
  assert.deepEqual(final.layers.map((l) => [l.what, l.bytes]), [
    ['/app/templates', 4000],
    ['/app/templates/index.html', 3000],
    ['/writable/app/data', 0],
  ]);
});

test('in GOPATH mode (no go.mod) a calibrated module is counted from the imports', async () => {
  const source = 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/gorilla/mux"\n)\n\nfunc main() { http.ListenAndServe(":80", mux.NewRouter()) }\n';
  const withModule = await projectWith({ 'go.mod': 'module example.com/x\n\ngo 1.19\n\nrequire github.com/gorilla/mux v1.8.0\n', 'main.go': source });
  const gopath = await projectWith({ 'main.go': source });
  const build = goBuilds(parseDockerfile(STRIPPED))[0]!;
  assert.equal(estimateGoBinarySize(build, gopath, GO_119).bytes, estimateGoBinarySize(build, withModule, GO_119).bytes);
  assert.ok(estimateGoBinarySize(build, gopath, GO_119).bytes > programs['http-server']!['strippedTrimpath']!);
});

test('a vendored module the calibration has not measured is sized by its vendored bytes, not the median guess', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-est-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(dir, 'vendor', 'example.com', 'greet'), { recursive: true });
  await fs.writeFile(path.join(dir, 'vendor', 'example.com', 'greet', 'greet.go'), 'package greet\n\nfunc Hello() string { return "hi" }\n');
  await fs.writeFile(path.join(dir, 'vendor', 'modules.txt'), '# example.com/greet v0.1.0\n## explicit; go 1.19\nexample.com/greet\n');
  await fs.writeFile(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.19\n\nrequire example.com/greet v0.1.0\n');
  await fs.writeFile(path.join(dir, 'main.go'), 'package main\n\nimport "example.com/greet"\n\nfunc main() { println(greet.Hello()) }\n');
  const vendored = await loadProject(dir, { maxGoFiles: 10 });
  await fs.rm(path.join(dir, 'vendor'), { recursive: true });
  const fromCache = await loadProject(dir, { maxGoFiles: 10 });
  const build = goBuilds(parseDockerfile(STRIPPED))[0]!;
  const small = estimateGoBinarySize(build, vendored, GO_119);
  const guessed = estimateGoBinarySize(build, fromCache, GO_119);
  // 60 vendored bytes add a few bytes of code; without vendor/ the module is guessed at the median (~0.85 MB).
  assert.ok(guessed.bytes - small.bytes > 800_000, `${guessed.bytes} vs ${small.bytes}`);
  assert.match(small.provenance.detail, /1 vendored module\(s\) sized by their bytes/);
  assert.equal(small.provenance.confidence, 'low');
});

test('a COPY --from of the binary where a cp after the build put it is sized as the Go binary', async () => {
  const project = await loadProject(path.join(root, 'examples/https-client'), { maxGoFiles: 10 });
  const text = 'FROM golang:1.19 AS build\nRUN CGO_ENABLED=0 go build -o /build/cli .\nWORKDIR /dist\nRUN cp /build/cli .\nFROM scratch\nCOPY --from=build /dist/cli /dist/cli\n';
  const knowledge: SizeKnowledge = { baseImage: () => undefined };
  const final = estimateImage(parseDockerfile(text), project, knowledge).stages[1]!;
  assert.deepEqual(final.layers.map((l) => l.what), ['Go binary /dist/cli']);
});

test('a Go binary the caller measured replaces the model, in the build stage and in the COPY --from of the final stage', async () => {
  const project = await loadProject(path.join(root, 'examples/https-client'), { maxGoFiles: 10 });
  const text = 'FROM golang:1.19 AS build\nRUN CGO_ENABLED=0 go build -o /out/cli .\nFROM scratch\nCOPY --from=build /out/cli /cli\n';
  const measured = { bytes: 1_234_567, compressed: undefined, provenance: { origin: 'measured-build' as const, detail: 'go build on this machine', confidence: 'high' as const } };
  const model = parseDockerfile(text);
  const modelled = estimateImage(model, project, { baseImage: () => undefined });
  const withMeasure = estimateImage(model, project, { baseImage: () => undefined, measuredBuild: () => measured });
  const binaryOf = (e: typeof modelled, stage: number): number | undefined => e.stages[stage]!.layers.find((l) => l.what.startsWith('Go binary'))?.bytes;
  assert.notEqual(binaryOf(modelled, 0), measured.bytes);
  assert.equal(binaryOf(withMeasure, 0), measured.bytes);
  assert.equal(binaryOf(withMeasure, 1), measured.bytes);
  assert.deepEqual(withMeasure.sources, ['scratch is empty', 'go build on this machine']);
});

test("a version's size lenses are worded once per estimate, however many the editor resolves, and again for a new estimate", async () => {
  const project = await loadProject(path.join(root, 'examples/http-server'), { maxGoFiles: 10 });
  const model = parseDockerfile(await fs.readFile(path.join(root, 'examples/http-server/Dockerfile'), 'utf8'));
  const knowing = (bytes: number): SizeKnowledge => ({
    baseImage: () => ({ bytes, compressed: undefined, provenance: { origin: 'local-engine', detail: 'test engine', confidence: 'high' } }),
  });
  const pair = estimateNowAndMinimized(model, project, knowing(1_000_000), (t) => minimize(t, project).text);
  const lenses = sizeLenses(model, pair.now, pair.minimized);
  assert.deepEqual(lenses.map((l) => l.title), [imageLensTitle(pair.now, pair.minimized), ...pair.now.stages.map((s) => `${s.image} ≈ 1.0 MB · stage adds ${s.added === undefined ? '?' : `≈ ${(s.added / 1e6).toFixed(1)} MB`}`)]);
  // Each lens's resolve reads the one list the first resolve made.
  for (let i = 0; i < lenses.length; i++) assert.equal(sizeLenses(model, pair.now, pair.minimized), lenses);
  // A size learned later makes a new estimate, whose titles are worded from it.
  const learned = estimateNowAndMinimized(model, project, knowing(2_000_000), (t) => minimize(t, project).text);
  assert.notEqual(sizeLenses(model, learned.now, learned.minimized), lenses);
  assert.match(sizeLenses(model, learned.now, learned.minimized)[1]!.title, /≈ 2\.0 MB/);
});
