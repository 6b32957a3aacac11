// An image that sets its local time zone keeps it through Minimize: the runtime stage gets the
// build stage's /etc/localtime (and /etc/timezone when the image wrote it), so the program's local
// times do not move to UTC; an image that sets no zone, or sets TZ, gets no such copy.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { minimize, parseDockerfile } from '../../server/src/analysis';
import type { Stage } from '../../server/src/analysis/model';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { splitStage } from '../../server/src/analysis/fixes/splitStage';
import { loadProject } from '../../server/src/workspace/project';

// A stdlib-only Go program that logs in local time.
const PROJECT = mkdtempSync(path.join(os.tmpdir(), 'slimfile-local-zone-'));
writeFileSync(path.join(PROJECT, 'go.mod'), 'module example.com/clock\n\ngo 1.19\n');
writeFileSync(path.join(PROJECT, 'main.go'), 'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() {\n\tfmt.Println(time.Now().Format("2006-01-02 15:04 MST"))\n}\n');
after(() => rmSync(PROJECT, { recursive: true, force: true }));

function dockerfile(zoneLines: string): string {
  return `FROM golang:1.19\nWORKDIR /srv\n${zoneLines}COPY . .\nRUN go build -o clock .\nCMD ["./clock"]\n`;
}

/** The minimized file's runtime stage, from its FROM to the end. */
async function runtimeStage(text: string): Promise<string> {
  const project = await loadProject(PROJECT, { maxGoFiles: 50 });
  const result = minimize(text, project);
  assert.ok(result.applied.includes('Convert to multi-stage build'), result.applied.join('; '));
  return result.text.slice(result.text.lastIndexOf('\nFROM ') + 1);
}

const KEPT_FILES = ['COPY --from=build /srv/clock /srv/clock'];

function expected(zoneCopies: readonly string[], env: readonly string[] = []): string {
  return ['FROM gcr.io/distroless/static-debian12:nonroot', ...zoneCopies, 'WORKDIR /srv', ...KEPT_FILES, ...env, 'CMD ["/srv/clock"]', ''].join('\n');
}

test('a zone linked with ln -sf: the runtime keeps /etc/localtime', async () => {
  const stage = await runtimeStage(dockerfile('RUN ln -sf /usr/share/zoneinfo/Asia/Shanghai /etc/localtime\n'));
  assert.equal(stage, expected(['COPY --from=build /etc/localtime /etc/localtime']));
});

test('a zone set through /etc/timezone and dpkg-reconfigure tzdata: the runtime keeps both files', async () => {
  const stage = await runtimeStage(dockerfile('RUN echo "Asia/Jakarta" > /etc/timezone\nRUN dpkg-reconfigure -f noninteractive tzdata\n'));
  assert.equal(stage, expected(['COPY --from=build /etc/localtime /etc/localtime', 'COPY --from=build /etc/timezone /etc/timezone']));
});

test('a zone answered to debconf before installing tzdata: the runtime keeps /etc/localtime', async () => {
  const answers = 'RUN echo "tzdata tzdata/Areas select Asia" | debconf-set-selections && echo "tzdata tzdata/Zones/Asia select Jakarta" | debconf-set-selections && apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata\n';
  const stage = await runtimeStage(dockerfile(answers));
  assert.ok(stage.split('\n').includes('COPY --from=build /etc/localtime /etc/localtime'), stage);
});

test('an image that sets no zone gets no zone file', async () => {
  assert.equal(await runtimeStage(dockerfile('')), expected([]));
});

test('an image that sets ENV TZ keeps the ENV and gets no zone file', async () => {
  const stage = await runtimeStage(dockerfile('ENV TZ=Asia/Shanghai\nRUN ln -sf /usr/share/zoneinfo/$TZ /etc/localtime\n'));
  assert.equal(stage, expected([], ['ENV TZ=Asia/Shanghai']));
});

test('an interpreted program moved to a smaller image keeps the zone its image set', () => {
  const text = 'FROM python:3.12\nWORKDIR /app\nRUN echo "Asia/Jakarta" > /etc/timezone && dpkg-reconfigure -f noninteractive tzdata\nCOPY . .\nCMD ["python", "app.py"]\n';
  const model = parseDockerfile(text);
  const result = splitStage(model, model.finalStage as Stage, { runtimeImage: 'python:3.12-slim' });
  assert.ok(result.ok);
  assert.equal(
    applyEdits(text, result.edits),
    [
      'FROM python:3.12 AS build',
      'WORKDIR /app',
      'RUN echo "Asia/Jakarta" > /etc/timezone && dpkg-reconfigure -f noninteractive tzdata',
      'COPY . .',
      '',
      'FROM python:3.12-slim',
      'COPY --from=build /etc/localtime /etc/localtime',
      'COPY --from=build /etc/timezone /etc/timezone',
      'WORKDIR /app',
      'COPY --from=build /app /app',
      'CMD ["python", "app.py"]',
      '',
    ].join('\n'),
  );
});

test('a link into zone data the build stage may lack is not copied, and the preview says the program runs in UTC', async () => {
  const text = 'FROM golang:1.19-alpine\nWORKDIR /srv\nRUN ln -sf /usr/share/zoneinfo/Asia/Shanghai /etc/localtime\nCOPY . .\nRUN go build -o clock .\nCMD ["./clock"]\n';
  const stage = await runtimeStage(text);
  assert.ok(!stage.includes('/etc/localtime /etc/localtime'), stage);
  assert.match(stage, /^# Line 3 links \/etc\/localtime into zone data the build stage may not have, so it is not copied: the program runs in UTC unless TZ is set\.$/m);
});
