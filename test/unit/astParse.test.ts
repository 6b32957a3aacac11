// parseDockerfileAst hands comments to stages in one pass; every stage must hold exactly the
// comments dockerfile-ast's own parse gives it, on every Dockerfile the repository has.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { DockerfileParser, Instruction, type Dockerfile } from 'dockerfile-ast';
import { ArgumentScans, argumentTexts, argumentValues, documentOf, envProperties, parseDockerfileAst } from '../../server/src/analysis/astParse';
import { generateDockerfile } from '../../bench/lib/generate';

const ROOT = path.join(__dirname, '..', '..');

function dockerfilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) out.push(...dockerfilesUnder(file));
    else if (/Dockerfile|\.dockerfile$/i.test(name)) out.push(file);
  }
  return out;
}

/** Each stage's comments (and the ones before the first FROM) as text and position. */
function commentsByStage(ast: Dockerfile): string[][] {
  const internals = ast as unknown as { initialInstructions: { getComments(): Array<{ getContent(): string; getRange(): unknown }> }; buildStages: Array<{ getComments(): Array<{ getContent(): string; getRange(): unknown }> }> };
  return [internals.initialInstructions, ...internals.buildStages].map((t) => t.getComments().map((c) => `${JSON.stringify(c.getRange())} ${c.getContent()}`));
}

const texts: Array<[string, string]> = [
  ...['bench/corpus', 'test/fixtures', 'examples'].flatMap((dir) => dockerfilesUnder(path.join(ROOT, dir)).map((f): [string, string] => [path.relative(ROOT, f), readFileSync(f, 'utf8')])),
  ['generated 2k lines', generateDockerfile(2000)],
  ['comments between, before and inside stages', '# top\nARG A=1\n# before from\nFROM a AS one\n# in one\nRUN x \\\n  # inside a continuation\n  && y\n\n# between\n\nFROM b\n# last\nCMD ["z"]\n# after everything\n'],
  ['only comments', '# one\n# two\n'],
  // A scan keeps its places as char codes when every number fits in one; these two do not.
  ['a word past column 65,535', `FROM alpine\nRUN echo ${'x'.repeat(70_000)} && echo done \\\n  again\n`],
  ['a RUN of 1,500 words over 300 lines', `FROM alpine\nRUN apk add \\\n${Array.from({ length: 300 }, (_, i) => `  a${i} b${i} c${i} d${i} e${i}`).join(' \\\n')}\n`],
];

test('every stage holds the comments dockerfile-ast gives it, on every Dockerfile in the repository', () => {
  assert.ok(texts.length > 20, `only ${texts.length} Dockerfiles found`);
  let compared = 0;
  for (const [name, text] of texts) {
    const expected = commentsByStage(DockerfileParser.parse(text));
    assert.deepStrictEqual(commentsByStage(parseDockerfileAst(text)), expected, name);
    compared += expected.flat().length;
  }
  assert.ok(compared > 50, `only ${compared} comments compared`);
});

test("dockerfile-ast's own parse is left as it was for other users in the process", () => {
  const text = '# a\nFROM x\n# b\nRUN y\n';
  parseDockerfileAst(text);
  const ast = DockerfileParser.parse(text) as unknown as { organizeComments: { name: string } };
  assert.equal(ast.organizeComments.name, 'organizeComments');
});

test('the two dockerfile-ast methods parseDockerfileAst stands in for are the ones its fixes were written against', () => {
  // A new dockerfile-ast may change them: then check that astParse.ts still gives the library's
  // results (the tests above) and pin the new text here (docs/dockerfile-ast-fixes.md).
  const fingerprint = (method: unknown): string => createHash('sha256').update(String(method)).digest('hex').slice(0, 16);
  const prototype = Object.getPrototypeOf(DockerfileParser.parse('')) as { organizeComments: unknown };
  const instruction = Instruction.prototype as unknown as { getRawArguments: unknown };
  assert.deepEqual(
    { organizeComments: fingerprint(prototype.organizeComments), getRawArguments: fingerprint(instruction.getRawArguments) },
    { organizeComments: '1cda157d5bd568d8', getRawArguments: '603221fadfbcbd3f' },
    'dockerfile-ast changed Dockerfile.organizeComments or Instruction.getRawArguments',
  );
});

test('each caller of getArguments gets its own list of the instruction\'s arguments', () => {
  const ast = parseDockerfileAst('FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/app\n');
  const run = ast.getInstructions()[1] as Instruction;
  const first = run.getArguments();
  first.splice(0, first.length);
  assert.deepEqual(run.getArguments().map((a) => a.getValue()), ['go', 'build', '-o', '/out/app', './cmd/app'], 'a caller splicing its list leaves the next caller\'s whole');
  assert.deepEqual(DockerfileParser.parse('RUN go build -o /out/app ./cmd/app\n').getInstructions()[0]!.getArguments().map((a) => a.getValue()), ['go', 'build', '-o', '/out/app', './cmd/app']);
});

/** Every instruction's arguments as text and range, for comparing two parses. */
function argumentsOf(ast: Dockerfile): string[][] {
  return ast.getInstructions().map((i) => i.getArguments().map((a) => `${JSON.stringify(a.getRange())} ${a.getValue()}`));
}

test("a version's parse reuses the last version's argument scans and still gives the library's arguments, edit after edit", () => {
  // What an editor sends: characters typed and deleted, a line added above everything (every
  // instruction moves), the escape character changed (every scan differs), CRLF line ends.
  const versions = [
    'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build \\\n  -o /out/app ./cmd/app\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
    'FROM golang:1.22 AS build\nWORKDIR /srcx\nCOPY . .\nRUN go build \\\n  -o /out/app ./cmd/app\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
    'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build \\\n  -o /out/app ./cmd/app\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
    '# a comment above\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build \\\n  -o /out/app ./cmd/app\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
    '# escape=`\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build `\n  -o /out/app ./cmd/app\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
    '# escape=`\r\nFROM golang:1.22 AS build\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build `\r\n  -o /out/app ./cmd/app\r\nFROM scratch\r\nCOPY --from=build /out/app /app\r\nENTRYPOINT ["/app"]\r\n',
  ];
  let scans: ArgumentScans | undefined;
  const scanned: number[] = [];
  for (const text of versions) {
    scans = new ArgumentScans(scans);
    const ast = parseDockerfileAst(text, scans);
    assert.deepStrictEqual(argumentsOf(ast), argumentsOf(DockerfileParser.parse(text)), text);
    scanned.push(scans.scanned);
  }
  // Seven instructions. First version: all scanned; an edit inside WORKDIR: only it (typed, then
  // deleted); a line above: every instruction moved; the escape character: every scan differs;
  // CRLF: the one-line instructions keep their text and start, the RUN continued over two lines
  // does not.
  assert.deepEqual(scanned, [7, 1, 1, 7, 7, 1]);
});

test("every instruction's arguments are the library's own, on every Dockerfile in the repository", () => {
  // The scans are kept as plain data and long values as slices of the text: the arguments made
  // again from them must be the ones dockerfile-ast's own scan gives, value and range.
  let compared = 0;
  for (const [name, text] of texts) {
    const expected = argumentsOf(DockerfileParser.parse(text));
    assert.deepStrictEqual(argumentsOf(parseDockerfileAst(text)), expected, name);
    const scans = new ArgumentScans();
    assert.deepStrictEqual(argumentsOf(parseDockerfileAst(text, scans)), expected, `${name}, scans kept`);
    // The next version of the same text: every scan is the last version's.
    assert.deepStrictEqual(argumentsOf(parseDockerfileAst(text, new ArgumentScans(scans))), expected, `${name}, scans reused`);
    compared += expected.flat().length;
  }
  assert.ok(compared > 1000, `only ${compared} arguments compared`);
});

test("the words the model reads are the values of the library's getArguments, flags left out, on every Dockerfile in the repository", () => {
  let compared = 0;
  for (const [name, text] of texts) {
    const expected = DockerfileParser.parse(text).getInstructions().map((i) => i.getArguments().map((a) => a.getValue()));
    const values = (ast: Dockerfile): string[][] => ast.getInstructions().map((i) => [...argumentValues(i)]);
    assert.deepStrictEqual(values(parseDockerfileAst(text)), expected, name);
    const scans = new ArgumentScans();
    assert.deepStrictEqual(values(parseDockerfileAst(text, scans)), expected, `${name}, scans kept`);
    assert.deepStrictEqual(values(parseDockerfileAst(text, new ArgumentScans(scans))), expected, `${name}, scans reused`);
    assert.deepStrictEqual(values(DockerfileParser.parse(text)), expected, `${name}, the library's own parse`);
    compared += expected.flat().length;
  }
  assert.ok(compared > 1000, `only ${compared} words compared`);
});

test("the words as written are the library's arguments' text, flags left out, the same through every parse, on every Dockerfile in the repository", () => {
  let compared = 0;
  for (const [name, text] of texts) {
    const lines = text.split('\n');
    // An argument on one line is its range's text; one continued on further lines is joined.
    const expected = DockerfileParser.parse(text)
      .getInstructions()
      .map((i) =>
        i.getArguments().map((a) => {
          const { start, end } = a.getRange();
          return start.line === end.line ? (lines[start.line] ?? '').slice(start.character, end.character) : undefined;
        }),
      );
    const words = (ast: Dockerfile): (string | undefined)[][] =>
      ast.getInstructions().map((i, n) => argumentTexts(i).map((w, k) => (expected[n]?.[k] === undefined ? undefined : w)));
    assert.deepStrictEqual(words(parseDockerfileAst(text)), expected, name);
    const scans = new ArgumentScans();
    assert.deepStrictEqual(words(parseDockerfileAst(text, scans)), expected, `${name}, scans kept`);
    assert.deepStrictEqual(words(parseDockerfileAst(text, new ArgumentScans(scans))), expected, `${name}, scans reused`);
    assert.deepStrictEqual(words(DockerfileParser.parse(text)), expected, `${name}, the library's own parse`);
    compared += expected.flat().filter((w) => w !== undefined).length;
  }
  assert.ok(compared > 1000, `only ${compared} words compared`);
});

test("an ENV's properties are the library's own, and the instruction does not keep them", () => {
  const nameAndValue = (p: { getName(): string; getValue(): string | null }): string => `${p.getName()}=${String(p.getValue())}`;
  let compared = 0;
  for (const [name, text] of texts) {
    const own = DockerfileParser.parse(text).getInstructions().filter((i) => i.getKeyword() === 'ENV');
    const ours = parseDockerfileAst(text).getInstructions().filter((i) => i.getKeyword() === 'ENV');
    assert.equal(ours.length, own.length, name);
    own.forEach((instruction, i) => {
      const library = instruction as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }>; properties?: unknown };
      const expected = library.getProperties();
      // What envProperties counts on: the library keeps the list it made in `properties`.
      assert.equal(library.properties, expected, `${name}: dockerfile-ast no longer keeps an ENV's properties in its properties field`);
      const env = ours[i] as Instruction;
      assert.deepEqual(envProperties(env).map(nameAndValue), expected.map(nameAndValue), name);
      assert.equal((env as unknown as { properties?: unknown }).properties, undefined, `${name}: the instruction kept the properties`);
      compared += expected.length;
    });
  }
  assert.ok(compared > 50, `only ${compared} ENV properties compared`);
});

test("the model shares the library's text document: the parse's own text, with the offsets of its lines", () => {
  for (const [name, text] of texts) {
    const document = documentOf(parseDockerfileAst(text));
    assert.equal(document.getText(), text, name);
    const end = document.positionAt(text.length);
    assert.equal(end.line, text.split(/\r\n|\r|\n/).length - 1, name);
    assert.equal(document.offsetAt(end), text.length, name);
  }
});
