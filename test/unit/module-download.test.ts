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
import { copiesExactly, copyWords, processWord } from '../helpers/buildkitReader';

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

/** The project above with go.mod in `dir` and go.sum beside it when `sum` says so (the listing complete when it does). */
function moduleIn(dir: string, sum: boolean | undefined): ProjectFacts {
  const files = new Map([[`${dir}/go.mod`, 30], ...(sum ? [[`${dir}/go.sum`, 30] as [string, number]] : [])]);
  return {
    ...project,
    own: { go: { ...goFacts(project), goModPath: `${dir}/go.mod` } },
    contextEntries: [{ name: dir.split('/')[0] as string, directory: true, size: 0 }],
    contextListing: { ...emptyListing(), files, directories: new Set([dir]), truncated: sum === undefined },
  };
}

/** The lines the preferred fix adds, as BuildKit reads them: the COPY's words and the RUN's argv. */
function addedSteps(text: string, facts: ProjectFacts): { copy: string[]; run: string[][] } {
  const fix = analyze(parseDockerfile(text), facts).filter((f) => f.rule === 'module-download-not-cached').flatMap((f) => f.fixes.filter((x) => x.isPreferred))[0];
  assert.ok(fix, 'the fix is offered');
  const added = (fix.edits[0]?.newText ?? '').split('\n').filter((l) => l !== '');
  assert.equal(added.length, 2, added.join('\n'));
  const { words, escape } = copyWords(`FROM scratch\n${added[0]}\n`);
  const run = parseDockerfile(`FROM scratch\n${added[1]}\n`).stages[0]?.runs[0];
  return { copy: words.map((w) => processWord(w, escape)), run: (run?.commands ?? []).map((c) => [...c.argv]) };
}

test('module-download-not-cached: a module folder and a destination with spaces are copied and entered as those paths', () => {
  const text = ['FROM golang:1.22 AS build', 'COPY ["my service/", "/src/app dir/"]', 'WORKDIR "/src/app dir"', 'RUN CGO_ENABLED=0 go build -o /out/app .', ''].join('\n');
  const known = addedSteps(text, moduleIn('my service', true));
  assert.deepEqual(known, { copy: ['my service/go.mod', 'my service/go.sum', '/src/app dir/'], run: [['cd', '/src/app dir'], ['go', 'mod', 'download']] });
  // go.sum unknown: its pattern stays a pattern (it matches go.sum, or nothing) while the folder's name stays literal.
  const unknown = addedSteps(text, moduleIn('my service', undefined));
  assert.deepEqual(unknown.copy, ['my service/go.mod', 'my service/go.sum*', '/src/app dir/']);
  // The whole context copied, the module in a folder whose name holds a pattern character.
  const whole = ['FROM golang:1.22 AS build', 'COPY . /src/', 'WORKDIR "/src/svc[1]"', 'RUN CGO_ENABLED=0 go build -o /out/app .', ''].join('\n');
  const bracketed = addedSteps(whole, moduleIn('svc[1]', undefined));
  assert.deepEqual(bracketed, { copy: ['svc[[]1]/go.mod', 'svc[[]1]/go.sum*', '/src/svc[1]/'], run: [['cd', '/src/svc[1]'], ['go', 'mod', 'download']] });
  assert.ok(copiesExactly(bracketed.copy[0] as string, 'svc[1]/go.mod'), 'the folder is matched as its literal name');
});
