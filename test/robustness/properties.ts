// The fuzzing properties, shared by the quick run in `npm test` (fuzz.test.ts) and the long run
// of `npm run fuzz` (fuzz.ts): random and mutated Dockerfiles through the whole analysis, every
// quick fix and Minimize. Seeds are the repository's own Dockerfiles with their build contexts.
import * as fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits, diffAsEdit } from '../../server/src/analysis/fixes/apply';
import { emptyProject, type ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';

const REPO = path.join(__dirname, '..', '..');

/**
 * Wall-clock bound on one case's analysis (parse + every rule), there to catch a runaway (an
 * exponential or unbounded loop), not to hold a speed target: a few KB of text take ~2 ms and the
 * 20,000-line case about 1 s on an idle machine, but CI and parallel work share two cores, and a
 * 2 s bound failed there on a correct build. Speed targets live in `npm run bench`.
 */
export const ANALYSIS_BOUND_MS = 15_000;

export interface Seed {
  /** Relative to the repository, for failure messages. */
  readonly file: string;
  readonly text: string;
  readonly project: ProjectFacts;
}

function dockerfilesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) dockerfilesUnder(full, out);
    else if (entry === 'Dockerfile') out.push(full);
  }
  return out;
}

/** test/fixtures/**\/Dockerfile and examples/*\/Dockerfile, each with its folder read as the build context. */
export async function loadSeeds(): Promise<Seed[]> {
  const files = [...dockerfilesUnder(path.join(REPO, 'test', 'fixtures')), ...dockerfilesUnder(path.join(REPO, 'examples'))].sort();
  const seeds: Seed[] = [];
  for (const file of files) {
    const project = await loadProject(path.dirname(file), { maxGoFiles: 200 });
    seeds.push({ file: path.relative(REPO, file), text: readFileSync(file, 'utf8'), project });
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Lines a user half-types or pastes: every instruction, broken forms, directives, heredocs, bytes. */
const LINES: readonly string[] = [
  'FROM golang:1.22',
  'FROM golang:1.22-alpine AS build',
  'FROM golang',
  'FROM',
  'FROM ',
  'FROM $BASE',
  'FROM ${BASE:-golang:1.21}',
  'FROM scratch',
  'FROM gcr.io/distroless/static-debian12:nonroot',
  'FROM alpine:3.19',
  'FROM debian:bookworm-slim',
  'FROM build AS final',
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
  'ARG BASE',
  'ARG GO_VERSION=1.22',
  'ARG A=1 B',
  'ARG TARGETOS TARGETARCH',
  'WORKDIR /app',
  'WORKDIR $HOME/src',
  'WORKDIR',
  'COPY . .',
  'COPY go.mod go.sum ./',
  'COPY --from=build /app/server /server',
  'COPY --from=0 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
  'COPY --from= /x /y',
  'COPY --chown=app:app . /app',
  'COPY ["a b", "/c"]',
  'COPY [',
  'ADD . /src',
  'COPY <<EOF /etc/config',
  'RUN go mod download',
  'RUN go build -o /app/server .',
  'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app/server ./cmd/server',
  'RUN CGO_ENABLED=1 go build -o main .',
  'RUN go build -ldflags -X=main.v=1 -o /bin/app',
  'RUN go build -tags netgo,osusergo -o /out/ .',
  'RUN go install ./...',
  'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .',
  'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y ca-certificates',
  'RUN apt-get update && apt-get install -y curl',
  'RUN apk add git gcc musl-dev',
  'RUN apk add --no-cache tzdata',
  'RUN make build',
  'RUN ./build.sh',
  'RUN cd cmd && go build -o ../app',
  'RUN ["go", "build", "-o", "/app", "."]',
  'RUN if [ -f x ]; then go build -o /a .; fi',
  'RUN <<EOF',
  'RUN <<-"EOT" bash',
  'go build -o /app .',
  'EOF',
  'EOT',
  'RUN \\',
  '    go build \\',
  '  -o /app/x \\',
  '\\',
  'RUN echo $(touch pwned) `id` ${X:?} ${Y/a/b}',
  'ENV CGO_ENABLED=0',
  'ENV GOOS=linux GOARCH=arm64',
  'ENV PATH /usr/local/go/bin:$PATH',
  'ENV',
  'USER nonroot',
  'USER 65532:65532',
  'USER root',
  'USER $APP_USER',
  'USER',
  'EXPOSE 80',
  'EXPOSE 8080/tcp 9090',
  'EXPOSE',
  'CMD ["/app/server"]',
  'CMD ./server --port=8080',
  'CMD ["/app/main", "-config", "config.yaml"]',
  'CMD [',
  'CMD',
  'ENTRYPOINT ["/app/server"]',
  'ENTRYPOINT ./entrypoint.sh',
  'ENTRYPOINT',
  'HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
  'HEALTHCHECK --interval=5s CMD ["/app/server", "health"]',
  'HEALTHCHECK NONE',
  'HEALTHCHECK',
  'LABEL a=b',
  'VOLUME /data',
  'STOPSIGNAL SIGTERM',
  'SHELL ["/bin/bash", "-c"]',
  'ONBUILD RUN go build',
  'MAINTAINER someone',
  'FORM golang:1.22',
  'RUNN go build',
  'BOGUS instruction here',
  '# escape=`',
  '# escape=\\',
  '# syntax=docker/dockerfile:1',
  '# check=skip=all',
  '# a comment',
  '#',
  '',
  '   ',
  '\t\tRUN\tgo\tbuild\t-o\t/app\t.',
  'RUN echo `',
  'RUN go build -o /app . `',
  '\u0000\u0001\u0002',
  '\uFEFFFROM golang',
  '\uFFFD\uFFFD\uD800',
  'RUN echo "unterminated',
  "RUN echo 'unterminated",
  'RUN echo ${',
  'FROM golang:1.22 AS',
  'FROM golang:1.22 AS build AS other',
  'COPY --from=build',
  'RUN go build -o',
  'RUN go build -ldflags',
  'RUN go build -ldflags="-s',
  'RUN go build -tags',
];

const TOKENS = ['go', 'build', '-o', '/app', '.', '&&', '||', ';', '|', '\\', '"', "'", '`', '$', '${X}', '$(', ')', '[', ']', '=', '-ldflags', '"-s -w"', '-trimpath', 'CGO_ENABLED=0', 'AS', '--from=build', '<<EOF', '#', '\t', 'ä', '\u0000', '\r'];

const lineArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...LINES) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...LINES), fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 })).map(([l, t]) => [l, ...t].join(' ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** A Dockerfile made of random lines, joined by \n, \r\n or a mix. */
export const randomDockerfile: fc.Arbitrary<string> = fc
  .tuple(fc.array(lineArb, { minLength: 0, maxLength: 30 }), fc.constantFrom('\n', '\r\n', 'mixed'), fc.boolean())
  .map(([lines, eol, finalEol]) => {
    const body = lines.map((l, i) => l + (eol === 'mixed' ? (i % 2 ? '\r\n' : '\n') : eol)).join('');
    return finalEol ? body : body.replace(/\r?\n$/, '');
  });

type Mutation = (text: string) => string;

const lineMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n) => (t: string) => editLines(t, (ls) => ls.splice(n % (ls.length || 1), 1))),
  fc.nat().map((n) => (t: string) => editLines(t, (ls) => ls.splice(n % (ls.length || 1), 0, ls[n % (ls.length || 1)] ?? ''))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (t: string) =>
    editLines(t, (ls) => {
      const i = a % (ls.length || 1);
      const j = b % (ls.length || 1);
      [ls[i], ls[j]] = [ls[j] ?? '', ls[i] ?? ''];
    }),
  ),
  fc.tuple(fc.nat(), lineArb).map(([n, line]) => (t: string) => editLines(t, (ls) => ls.splice(n % (ls.length + 1), 0, line))),
  fc.tuple(fc.nat(), lineArb).map(([n, line]) => (t: string) => editLines(t, (ls) => ls.splice(n % (ls.length || 1), 1, line))),
  // A line continued onto the next (or onto nothing, at the end).
  fc.nat().map((n) => (t: string) => editLines(t, (ls) => (ls[n % (ls.length || 1)] = `${ls[n % (ls.length || 1)] ?? ''} \\`))),
);

const charMutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Half-typed: the text cut at any point.
  fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(...TOKENS, '\n', ' ', '\\\n', '\uFEFF', '\u2028', '\uDC00')).map(([n, s]) => (t: string) => {
    const at = n % (t.length + 1);
    return t.slice(0, at) + s + t.slice(at);
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([n, len]) => (t: string) => {
    const at = n % (t.length + 1);
    return t.slice(0, at) + t.slice(at + len);
  }),
  fc.constant((t: string) => t.replace(/\r?\n/g, '\r\n')),
  fc.constant((t: string) => t.replace(/\r\n/g, '\n')),
  fc.constant((t: string) => `\uFEFF${t}`),
  fc.constant((t: string) => t.replace(/ +/g, '\t')),
  fc.constant((t: string) => t.toLowerCase()),
  fc.constant((t: string) => `# escape=\`\n${t}`),
  fc.constant((t: string) => t.replace(/\\$/gm, '`')),
  fc.nat().map((n) => (t: string) => {
    const at = n % (t.length + 1);
    return `${t.slice(0, at)}\n# escape=\`\n${t.slice(at)}`;
  }),
  // Bytes that are not UTF-8, decoded the way an editor opening a binary file would.
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => (t: string) => t + Buffer.from(bytes).toString('utf8')),
);

function editLines(text: string, change: (lines: string[]) => void): string {
  const lines = text.split('\n');
  change(lines);
  return lines.join('\n');
}

/** A seed Dockerfile with 1–6 mutations, analysed against its own build context or another one. */
export function mutatedCase(seeds: readonly Seed[]): fc.Arbitrary<{ text: string; project: ProjectFacts; origin: string }> {
  const projects = [emptyProject(), ...seeds.map((s) => s.project)];
  return fc
    .tuple(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(fc.oneof({ weight: 3, arbitrary: lineMutation }, { weight: 2, arbitrary: charMutation }), { minLength: 1, maxLength: 6 }),
      fc.option(fc.nat({ max: projects.length - 1 }), { freq: 4 }),
    )
    .map(([i, mutations, other]) => {
      const seed = seeds[i] as Seed;
      return {
        text: mutations.reduce((t, m) => m(t), seed.text),
        project: other === null ? seed.project : (projects[other] as ProjectFacts),
        origin: seed.file,
      };
    });
}

export function randomCase(seeds: readonly Seed[]): fc.Arbitrary<{ text: string; project: ProjectFacts; origin: string }> {
  const projects = [emptyProject(), ...seeds.map((s) => s.project)];
  return fc.tuple(randomDockerfile, fc.nat({ max: projects.length - 1 })).map(([text, p]) => ({ text, project: projects[p] as ProjectFacts, origin: 'random' }));
}

// ---------------------------------------------------------------------------------------------
// Properties

export class PropertyFailure extends Error {}

function fail(what: string, text: string, extra = ''): never {
  throw new PropertyFailure(`${what}\n--- input (JSON) ---\n${JSON.stringify(text)}${extra ? `\n${extra}` : ''}`);
}

/** Edits must lie inside the text and not overlap (LSP rejects overlapping edits). */
function checkEditsWellFormed(text: string, edits: readonly TextEdit[], title: string): void {
  const doc = TextDocument.create('untitled:x', 'dockerfile', 0, text);
  const spans = edits.map((e) => {
    const { start, end } = e.range;
    for (const p of [start, end]) {
      if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) fail(`${title}: a position is not a natural number: ${JSON.stringify(e.range)}`, text);
      if (p.line >= doc.lineCount) fail(`${title}: an edit reaches past the last line: ${JSON.stringify(e.range)}`, text);
      const lineText = doc.getText({ start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } }).replace(/\r?\n$/, '');
      if (p.character > lineText.length) fail(`${title}: an edit reaches past the end of line ${p.line}: ${JSON.stringify(e.range)}`, text);
    }
    return [doc.offsetAt(start), doc.offsetAt(end)] as const;
  });
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as readonly [number, number])[0] < (sorted[i - 1] as readonly [number, number])[1]) fail(`${title}: edits overlap`, text, JSON.stringify(edits));
  }
}

/**
 * Every instruction no edit touches is in the result, unchanged, where the edits before it put
 * it. An edit touches an instruction when their spans intersect (an insertion at its very start
 * or end counts as outside: it adds text beside the instruction, not in it).
 */
function checkUntouchedKept(text: string, edits: readonly TextEdit[], after: string, title: string): void {
  const model = parseDockerfile(text);
  const doc = model.document;
  const spans = edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), delta: e.newText.length - (doc.offsetAt(e.range.end) - doc.offsetAt(e.range.start)) }));
  for (const instruction of model.ast.getInstructions()) {
    const start = doc.offsetAt(instruction.getRange().start);
    const end = doc.offsetAt(instruction.getRange().end);
    const touched = spans.some((s) => (s.start < end && s.end > start) || (s.start === s.end && s.start > start && s.start < end));
    if (touched) continue;
    const shift = spans.filter((s) => s.end <= start && !(s.start === s.end && s.start === start && false)).reduce((sum, s) => sum + s.delta, 0);
    const kept = after.slice(start + shift, end + shift);
    const original = text.slice(start, end);
    if (kept !== original) {
      fail(`${title}: changed an instruction it does not touch: ${JSON.stringify(original)} became ${JSON.stringify(kept)}`, text, `edits: ${JSON.stringify(edits)}`);
    }
  }
}

function timedAnalysis(text: string, project: ProjectFacts): ReturnType<typeof analyze> {
  const started = performance.now();
  const findings = analyze(parseDockerfile(text), project);
  const took = performance.now() - started;
  if (took > ANALYSIS_BOUND_MS) fail(`analysis took ${Math.round(took)} ms (bound ${ANALYSIS_BOUND_MS} ms)`, text);
  for (const f of findings) {
    // analyze() turns a rule's throw into a finding so the others still show; here it is a bug.
    if (/^Slimfile's rule .* failed on this file/.test(f.message)) fail(`rule ${f.rule} threw: ${f.message}`, text);
  }
  return findings;
}

/** Analysis never throws, finishes within the bound, and every quick fix is sound and idempotent. */
export function checkAnalysisAndFixes(text: string, project: ProjectFacts): void {
  const findings = timedAnalysis(text, project);
  const offered = (fs: ReturnType<typeof analyze>, rule: string, title: string): number =>
    fs.filter((f) => f.rule === rule && f.fixes.some((x) => x.title === title && x.edits.length > 0)).length;
  for (const finding of findings) {
    for (const fix of finding.fixes) {
      if (fix.edits.length === 0) continue;
      const title = `${finding.rule} / ${fix.title}`;
      checkEditsWellFormed(text, fix.edits, title);
      const after = applyEdits(text, fix.edits);
      checkUntouchedKept(text, fix.edits, after, title);
      // Re-parses, and the fix is no longer offered for the finding it fixed: applying it again changes nothing.
      const again = timedAnalysis(after, project);
      if (offered(again, finding.rule, fix.title) >= offered(findings, finding.rule, fix.title)) {
        const repeat = again.find((f) => f.rule === finding.rule)?.fixes.find((x) => x.title === fix.title);
        if (repeat && applyEdits(after, repeat.edits) !== after) {
          fail(`${title}: still offered after it was applied, and applying it again changes the file`, text, `--- after the fix ---\n${after}\n--- after again ---\n${applyEdits(after, repeat.edits)}`);
        }
      }
    }
  }
}

/** Minimize: the result re-parses, the edit reproduces it, untouched instructions stay, and a second run changes nothing. */
export function checkMinimize(text: string, project: ProjectFacts): void {
  const first = minimize(text, project);
  const edits = diffAsEdit(text, first.text);
  checkEditsWellFormed(text, edits, 'minimize');
  if (applyEdits(text, edits) !== first.text) fail('minimize: the edit sent to the editor does not produce the minimized text', text, `--- minimized ---\n${first.text}`);
  checkUntouchedKept(text, edits, first.text, 'minimize');
  timedAnalysis(first.text, project);
  const second = minimize(first.text, project);
  if (second.text !== first.text) fail('minimize: a second run changes the file again', text, `--- first ---\n${first.text}\n--- second ---\n${second.text}`);
}

/** diffAsEdit turns any before/after pair into an edit that produces `after`. */
export const diffPairs: fc.Arbitrary<[string, string]> = fc.tuple(randomDockerfile, randomDockerfile);

export function checkDiff(before: string, after: string): void {
  const edits = diffAsEdit(before, after);
  checkEditsWellFormed(before, edits, 'diffAsEdit');
  const got = applyEdits(before, edits);
  if (got !== after) fail('diffAsEdit: the edit does not produce the new text', before, `--- wanted ---\n${JSON.stringify(after)}\n--- got ---\n${JSON.stringify(got)}`);
}
