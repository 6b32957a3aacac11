// The corpus scorer (test/corpus/score.ts) on small Dockerfile pairs: it must call a conversion
// correct only when the final image still holds what the program reads where it reads it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { scoreRow } from '../corpus/score';
import type { ContextFiles } from '../corpus/imageFiles';
import { parseTruth, type TruthRow } from '../corpus/truth';

const context: ContextFiles = {
  files: new Set(['go.mod', 'main.go', 'templates/index.html', 'templates/parts/nav.html', 'static/app.css']),
  dirs: new Set(['templates', 'templates/parts', 'static']),
};

const NAIVE = `FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o main .
CMD ["./main"]
`;

function row(fields: Partial<Record<'verdict' | 'reads' | 'writes' | 'tls' | 'cgo', string>>): TruthRow {
  const cells = ['someone/app', 'a'.repeat(40), 'Dockerfile', '.', fields.verdict ?? 'convertible', fields.reads ?? '', fields.writes ?? '', '', fields.tls ?? 'no', 'no', fields.cgo ?? 'no', ''];
  const header = 'repo\tcommit\tdockerfile\tcontext\tverdict\treads\twrites\texecs\ttls\tzoneinfo\tcgo\tnotes';
  const [parsed] = parseTruth(`${header}\n${cells.join('\t')}\n`);
  assert.ok(parsed);
  return parsed;
}

function score(truth: TruthRow, minimized: string, original = NAIVE) {
  return scoreRow(truth, parseDockerfile(original), parseDockerfile(minimized), context, 'example.com/app');
}

const build = `FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o main .

`;

test('a conversion that copies the templates folder where the program opens it is correct', () => {
  const result = score(
    row({ reads: 'templates@main.go:10' }),
    `${build}FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/main /app/main
COPY --from=build /app/templates /app/templates
CMD ["/app/main"]
`,
  );
  assert.deepEqual({ converted: result.converted, correct: result.correct, problems: result.problems }, { converted: true, correct: true, problems: [] });
});

test('a read whose files are left behind, or land elsewhere, makes the conversion incorrect', () => {
  const missing = score(
    row({ reads: 'templates' }),
    `${build}FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/main /app/main
COPY --from=build /app/templates/index.html /app/templates/index.html
CMD ["/app/main"]
`,
  );
  assert.equal(missing.correct, false);
  assert.deepEqual(missing.problems, ['read templates: 1 of 2 file(s) not at /app/templates (templates/parts/nav.html)']);
  const moved = score(
    row({ reads: 'static' }),
    `${build}FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app/main /app/main
COPY --from=build /app/static /app/static
CMD ["/app/main"]
`,
  );
  assert.deepEqual(moved.problems, ['read static: 1 of 1 file(s) not at /static (static/app.css)']);
});

test('a read the context does not hold is not scored', () => {
  const result = score(row({ reads: '.env@main.go:3' }), `${build}FROM gcr.io/distroless/static-debian12:nonroot\nWORKDIR /app\nCOPY --from=build /app/main /app/main\nCMD ["/app/main"]\n`);
  assert.equal(result.correct, true);
  assert.deepEqual(result.unscored, ['read .env: not in the original image from the context (git-ignored, mounted or outside)']);
});

test('a write needs a folder the final USER owns, or a root USER', () => {
  const runtime = `${build}FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /app/main /app/main
`;
  assert.deepEqual(score(row({ writes: 'uploads' }), `${runtime}CMD ["/app/main"]\n`).problems, ['write uploads: /app/uploads is not writable by USER nonroot']);
  assert.deepEqual(score(row({ writes: 'uploads' }), `${runtime}COPY --from=build --chown=nonroot:nonroot /app/static /app/uploads\nCMD ["/app/main"]\n`).problems, []);
  assert.deepEqual(score(row({ writes: 'uploads' }), `${runtime}USER root\nCMD ["/app/main"]\n`).problems, []);
});

test('certificates, libc and the start command are checked on the final stage', () => {
  const scratch = `${build}FROM scratch
COPY --from=build /app/main /main
CMD ["/main"]
`;
  assert.deepEqual(score(row({ tls: 'yes' }), scratch).problems, ['tls: scratch has no CA certificates and none are copied']);
  assert.deepEqual(score(row({ cgo: 'yes' }), scratch).problems, ['cgo: the build sets CGO_ENABLED=0, which the program cannot run without']);
  // Without a WORKDIR the golang image builds in /go, so /bot is not where the binary is.
  const noWorkdir = `FROM golang:1.22
COPY . .
RUN go build -o bot .
CMD ["./bot"]
`;
  const result = score(row({}), `FROM golang:1.22 AS build\nCOPY . .\nRUN CGO_ENABLED=0 go build -o bot .\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /bot /bot\nCMD ["/bot"]\n`, noWorkdir);
  assert.deepEqual(result.problems, ['start: /bot is not in the final image (the COPY --from finds nothing there)']);
});

test('a must-refuse row that was converted is unsafe, and one left alone is not', () => {
  const converted = `${build}FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app/main /main\nCMD ["/main"]\n`;
  assert.equal(score(row({ verdict: 'must-refuse' }), converted).unsafe, true);
  const untouched = score(row({ verdict: 'must-refuse' }), NAIVE);
  assert.deepEqual({ converted: untouched.converted, unsafe: untouched.unsafe, correct: untouched.correct }, { converted: false, unsafe: false, correct: undefined });
});

test('certificates and zone data copied from the builder image count, a binary path outside the build does not', () => {
  const scratch = `${build}FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /app/main /main
CMD ["/main"]
`;
  const result = score(row({ tls: 'yes' }), scratch);
  assert.deepEqual({ problems: result.problems, warnings: result.warnings }, { problems: [], warnings: [] });
  const lost = score(row({}), `${build}FROM scratch\nCOPY --from=build /main /main\nCMD ["/main"]\n`);
  assert.deepEqual(lost.problems, ['start: /main is not in the final image (the COPY --from finds nothing there)']);
});
