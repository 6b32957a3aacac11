// Generated COPY and WORKDIR lines say exactly the paths they are given, as Docker reads them: the
// lines are parsed back with dockerfile-ast and read the way BuildKit reads them (JSON array or
// whitespace-split words, then the shell lexer's quotes, escapes and `$`; a source with `*`, `?`
// or `[` is a filepath.Match pattern; test/helpers/buildkitReader.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { parseDockerfile } from '../../server/src/analysis';
import { copyLine, shellWord, workdirLine } from '../../server/src/analysis/fixes/dockerfileWords';
import { splitCommands } from '../../server/src/analysis/shell';
import { copiesExactly, copyWords, processWord, sourceMatches } from '../helpers/buildkitReader';

const PATHS = [
  '/app/ERD Mentutor.png',
  '/app/tab\there.txt',
  `/app/it's "quoted".txt`,
  `/app/o'brien"s.txt`,
  '/app/$HOME and ${PATH}.txt',
  '/app/back\\slash\\',
  '/app/a`tick`.txt',
  '/app/star*.txt',
  '/app/what?.txt',
  '/app/[draft] notes.txt',
  '/app/dir[1]/a*b\\c.txt',
  '/app/plain-name_1.2+x@y,z=w.txt',
];

for (const directive of ['', '# escape=`\n']) {
  const escapeName = directive === '' ? 'the default escape' : 'a backtick escape directive';
  test(`COPY --from writes every path so that Docker reads it back exactly (${escapeName})`, () => {
    for (const path of PATHS) {
      const model = parseDockerfile(`${directive}FROM golang:1.22 AS build\n`);
      const line = copyLine(model, ['--from=build', '--chown=65532:65532'], [path], path);
      const { words, escape } = copyWords(`${directive}FROM scratch\n${line}\n`);
      assert.equal(words.length, 2, `${path}: ${line}`);
      const [source, destination] = words.map((w) => processWord(w, escape)) as [string, string];
      assert.ok(copiesExactly(source, path), `${path}: source read as ${source} (${line})`);
      assert.equal(destination, path, line);
    }
  });

  test(`the model reads every generated COPY as Docker does (${escapeName})`, () => {
    for (const path of PATHS) {
      const model = parseDockerfile(`${directive}FROM golang:1.22 AS build\n`);
      const line = copyLine(model, ['--from=build'], [path], path);
      const copy = parseDockerfile(`${directive}FROM golang:1.22 AS build\nFROM scratch\n${line}\n`).finalStage?.copies[0];
      assert.equal(copy?.sources.length, 1, line);
      assert.ok(copiesExactly(copy?.sources[0] ?? '', path), `${path}: the model read the source as ${copy?.sources[0]} (${line})`);
      assert.equal(copy?.destination, path, line);
    }
  });

  test(`the model reads every generated COPY written in the shell form as Docker does (${escapeName})`, () => {
    // copyLine's words, each as BuildKit's lexer reads it, on a shell-form line: the same words
    // mean the same paths in both forms. A path with a blank cannot be one shell-form word.
    for (const path of PATHS.filter((p) => !/\s/.test(p))) {
      const model = parseDockerfile(`${directive}FROM golang:1.22 AS build\n`);
      const { words, escape } = copyWords(`${directive}FROM scratch\n${copyLine(model, ['--from=build'], [path], path)}\n`);
      const line = `COPY --from=build ${words.join(' ')}`;
      const copy = parseDockerfile(`${directive}FROM golang:1.22 AS build\nFROM scratch\n${line}\n`).finalStage?.copies[0];
      assert.deepEqual(copyWords(`${directive}FROM scratch\n${line}\n`).words, words, line);
      assert.deepEqual([...(copy?.sources ?? []), copy?.destination], words.map((w) => processWord(w, escape)), line);
      assert.ok(copiesExactly(copy?.sources[0] ?? '', path), `${path}: the model read the source as ${copy?.sources[0]} (${line})`);
      assert.equal(copy?.destination, path, line);
    }
  });

  test(`WORKDIR writes every folder so that Docker reads it back exactly (${escapeName})`, () => {
    for (const path of PATHS.filter((p) => !p.endsWith('\\'))) {
      const written = workdirLine(parseDockerfile(`${directive}FROM golang:1.22\n`), path);
      assert.ok(written.ok, path);
      const dockerfile = DockerfileParser.parse(`${directive}FROM scratch\n${written.line}\n`);
      const workdir = dockerfile.getInstructions().find((i) => i.getKeyword() === 'WORKDIR');
      assert.equal(processWord((workdir?.getArgumentsContent() ?? '').trim(), dockerfile.getEscapeCharacter()), path, written.line);
    }
  });
}

test('plain paths are written as words, and a path with a space in the JSON form', () => {
  const model = parseDockerfile('FROM golang:1.22 AS build\n');
  assert.equal(
    [copyLine(model, ['--from=build'], ['/app/main'], '/app/main'), copyLine(model, ['--from=build'], ['/app/ERD Mentutor.png'], '/app/ERD Mentutor.png')].join('\n'),
    'COPY --from=build /app/main /app/main\nCOPY --from=build ["/app/ERD Mentutor.png", "/app/ERD Mentutor.png"]',
  );
});

test('a JSON-form COPY substitutes variables and reads quotes and escapes, as Docker does', () => {
  const model = parseDockerfile(
    ['FROM scratch', 'ARG SRC=dist', 'COPY ["$SRC/a", "${SRC}/b", "\'$SRC\'/c", "\\\\$SRC/d", "it\\\\\'s e", "\\"f g\\"", "/app/"]', ''].join('\n'),
  );
  const copy = model.finalStage?.copies[0];
  assert.deepEqual([...(copy?.sources ?? []), copy?.destination], ['dist/a', 'dist/b', '$SRC/c', '$SRC/d', "it's e", 'f g', '/app/']);
});

for (const escape of ['\\', '`']) {
  test(`a shell-form COPY substitutes variables and reads quotes and escapes as the JSON form does (escape ${escape})`, () => {
    const directive = escape === '`' ? '# escape=`\n' : '';
    const words = ['"$SRC"/a', "'$SRC'/b", `${escape}$SRC/c`, `"it's"/d`, `'say"hi"'/e`, `a${escape}"q${escape}'/f`, '"${SRC}-x"/g', '/app/'];
    const read = (line: string): unknown[] => {
      const copy = parseDockerfile(`${directive}FROM scratch\nARG SRC=dist\n${line}\n`).finalStage?.copies[0];
      return [...(copy?.sources ?? []), copy?.destination];
    };
    const expected = ['dist/a', '$SRC/b', '$SRC/c', "it's/d", 'say"hi"/e', `a"q'/f`, 'dist-x/g', '/app/'];
    assert.deepEqual(read(`COPY ${words.join(' ')}`), expected);
    assert.deepEqual(read(`COPY [${words.map((w) => JSON.stringify(w)).join(', ')}]`), expected);
    assert.deepEqual(read(`ADD --chown=1:1 ${words.join(' ')}`), expected);
    // A word continued on the next line is one word, the comment line between left out.
    assert.deepEqual(read(`COPY "$SRC"/a${escape}\n# note\n'$SRC'/b ${escape}\n  /app/`), ['dist/a$SRC/b', '/app/']);
  });
}

test('a WORKDIR that no line can say is refused with the reason', () => {
  const model = parseDockerfile('FROM golang:1.22\n');
  const ending = workdirLine(model, '/app\\');
  assert.equal(ending.ok, false);
  assert.match(ending.ok ? '' : ending.reason, /escape character at its end/);
  assert.equal(workdirLine(model, ' /app').ok, false);
});

test('a path in a generated RUN is one shell word that the shell reads as the path', () => {
  for (const path of PATHS) {
    const commands = splitCommands(`mkdir -p ${shellWord(path)}`);
    assert.deepEqual(commands.map((c) => c.argv), [['mkdir', '-p', path]], path);
  }
});

test('the spaced-names project minimized: Docker reads each kept file at the path the context has it', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'projects', 'spaced-names');
  const text = readFileSync(path.join(dir, 'minimized.Dockerfile'), 'utf8');
  const copies = text.split('\n').filter((line) => line.startsWith('COPY --from=build ["'));
  const read = copies.map((line) => copyWords(`FROM scratch\n${line}\n`).words.map((w) => processWord(w, '\\')));
  const kept = readdirSync(path.join(dir, 'static')).map((name) => `/srv/static/${name}`).sort();
  assert.deepEqual(read, kept.map((file) => [file, file]));
});

test('a pattern on purpose keeps its wildcard and matches its literal part as written', () => {
  // Each name above as a folder of the context holding go.sum.
  for (const folder of PATHS.map((p) => p.slice(1))) {
    const model = parseDockerfile('FROM golang:1.22\n');
    const line = copyLine(model, [], [{ literal: `${folder}/go.sum`, wildcard: '*' }], '/src/');
    const { words, escape } = copyWords(`FROM scratch\n${line}\n`);
    const source = processWord(words[0] as string, escape);
    assert.deepEqual(
      [`${folder}/go.sum`, `${folder}/go.sum.bak`, `${folder}x/go.sum`, `${folder}/go.mod`].map((p) => sourceMatches(source, p)),
      [true, true, false, false],
      `${folder}: ${line}`,
    );
  }
});
