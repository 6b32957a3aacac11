// What the stripping findings tell the user: a size only when the fix adds -s -w (the measured
// figure, from the calibration), and none for -trimpath, which is about build paths.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { emptyProject } from '../../server/src/analysis/project';

function buildFindings(build: string): Array<{ rule: string; severity: string; message: string }> {
  const text = ['FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY . .', build, '', 'FROM gcr.io/distroless/static-debian12:nonroot', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]', ''].join('\n');
  return analyze(parseDockerfile(text), emptyProject())
    .filter((f) => f.rule === 'debug-info-not-stripped' || f.rule === 'build-paths-in-binary')
    .map((f) => ({ rule: f.rule, severity: f.severity, message: f.message }));
}

test('an unstripped build is told the measured saving of -s -w', () => {
  assert.deepStrictEqual(buildFindings('RUN CGO_ENABLED=0 go build -o /out/app .'), [
    {
      rule: 'debug-info-not-stripped',
      severity: 'info',
      message:
        'The go build keeps its symbol table and DWARF debug information, which the running binary does not need: add -ldflags "-s -w" and -trimpath. ' +
        "On Slimfile's calibration programs (Go 1.19, docs/calibration.md), -s -w cut the binary by 32% on average (27-35%). " +
        '-trimpath keeps the build paths out of the binary.',
    },
  ]);
});

test('a build with -s -w but no -trimpath gets a quiet hint and no size claim', () => {
  assert.deepStrictEqual(buildFindings('RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/app .'), [
    {
      rule: 'build-paths-in-binary',
      severity: 'hint',
      message: "The go build records the builder's file paths in the binary: add -trimpath, so the binary does not depend on where the sources were built and does not show those paths.",
    },
  ]);
});

test('a build with -w but not -s is told to add -s, with no figure measured for -s alone', () => {
  assert.deepStrictEqual(buildFindings('RUN CGO_ENABLED=0 go build -trimpath -ldflags=-w -o /out/app .'), [
    {
      rule: 'debug-info-not-stripped',
      severity: 'info',
      message: 'The go build keeps its symbol table, which the running binary does not need: add -ldflags "-s".',
    },
  ]);
});

test('-s alone already drops DWARF from a Linux binary: nothing to say', () => {
  assert.deepStrictEqual(buildFindings('RUN CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/app .'), []);
});
