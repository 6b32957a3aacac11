// module-download-not-cached when the facts say less than the fixtures' contexts do: a listing cut
// short leaves go.sum unknown beside a go.mod in a subfolder, and the fix must still build.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis/model';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { parseGoMod } from '../../server/src/analysis/gomod';
import { emptyListing, emptyProject, type ProjectFacts } from '../../server/src/analysis/project';

const project: ProjectFacts = {
  ...emptyProject(),
  contextDir: '/ctx',
  goMod: parseGoMod('module example.com/app\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n'),
  goModPath: 'service/go.mod',
  hasGoSources: true,
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
