// module-download-not-cached when the facts say less than the fixtures' contexts do: a listing cut
// short leaves go.sum unknown beside a go.mod in a subfolder, and the fix must still build.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { parseGoMod } from '../../server/src/analysis/languages/go/gomod';
import { emptyListing, emptyProject, type ProjectFacts } from '../../server/src/analysis/project';
import { emptyGoFacts, goFacts } from '../../server/src/analysis/languages/go/source/facts';

const project: ProjectFacts = {
  ...emptyProject(),
  contextDir: '/ctx',
  own: { go: { ...emptyGoFacts(), goMod: parseGoMod('module example.com/app\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n'), goModPath: 'service/go.mod', hasGoSources: true } },
  contextEntries: [{ name: 'service', directory: true, size: 0 }],
  contextListing: { ...emptyListing(), files: new Map([['service/go.mod', 30]]), directories: new Set(['service']), truncated: true },
};

function applyPreferred(text: string): string {
  const findings = analyze(parseDockerfile(text), project).filter((f) => f.rule === 'module-download-not-cached');
  const fix = findings.flatMap((f) => f.fixes.filter((x) => x.isPreferred))[0];
  return fix ? applyEdits(text, [...fix.edits]) : text;
}

test('module-download-not-cached: go.sum unknown beside service/go.mod is copied by a pattern that may match nothing', () => {
  const text = ['FROM golang:1.22 AS build', 'COPY service/ /src/', 'WORKDIR /src', 'RUN CGO_ENABLED=0 go build -o /out/app .', ''].join('\n');
  const fixed = applyPreferred(text);
  assert.equal(
    fixed,
    [
      'FROM golang:1.22 AS build',
      // BuildKit's COPY accepts a wildcard source that matches nothing (dockerfile2llb: AllowEmptyWildcard).
      'COPY service/go.mod service/go.sum* /src/',
      'RUN cd /src && go mod download',
      'COPY service/ /src/',
      'WORKDIR /src',
      'RUN CGO_ENABLED=0 go build -o /out/app .',
      '',
    ].join('\n'),
  );
  assert.equal(applyPreferred(fixed), fixed, 'applying the fix twice changes nothing more');
});

test('module-download-not-cached: a module replaced by a folder of the context is not downloaded first automatically, and the finding says why', () => {
  // muharik19/test-pos-api: with only go.mod copied, go mod download stops at the replacement
  // ("reading common/go.mod: open /app/common/go.mod: no such file or directory", go 1.22).
  const replaced: ProjectFacts = {
    ...project,
    own: { ...project.own, go: { ...goFacts(project), goMod: parseGoMod('module test-pos\n\ngo 1.17\n\nreplace github.com/devcode-pos/common => ./common\n\nrequire (\n\tgithub.com/devcode-pos/common v0.0.0-00010101000000-000000000000\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n'), goModPath: 'go.mod' } },
    contextEntries: [{ name: 'common', directory: true, size: 0 }],
    contextListing: { ...emptyListing(), files: new Map([['go.mod', 30], ['go.sum', 30], ['common/go.mod', 20], ['main.go', 10]]), directories: new Set(['common']) },
  };
  const text = ['FROM golang:1.22', 'WORKDIR /app', 'COPY . .', 'RUN go build -o app .', 'CMD ["./app"]', ''].join('\n');
  const [finding] = analyze(parseDockerfile(text), replaced).filter((f) => f.rule === 'module-download-not-cached');
  assert.ok(finding);
  assert.deepEqual(finding.fixes.map((f) => [f.title, f.safe]), [['Download modules before copying the sources', false]]);
  assert.deepEqual(finding.related?.map((r) => r.message), [
    'Not applied automatically: go.mod replaces github.com/devcode-pos/common with the folder ./common, which `go mod download` reads before the sources are copied ("reading common/go.mod: no such file or directory"); copy that folder\'s go.mod too.',
  ]);
});
