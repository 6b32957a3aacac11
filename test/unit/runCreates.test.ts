// Which paths a RUN command may leave in the image, as the conversion asks when the program reads
// a file the build context lacks, and where a COPY lands when a RUN made its destination a folder.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Stage } from '../../server/src/analysis/model';
import { parseDockerfile } from '../../server/src/analysis';
import { mayCreate, mayCreateUnder, runCreations } from '../../server/src/analysis/runCreates';
import { splitCommands } from '../../server/src/analysis/shell';

function stageOf(runs: readonly string[]): Stage {
  const text = ['FROM golang:1.22', 'WORKDIR /app', ...runs.map((r) => `RUN ${r}`), ''].join('\n');
  return parseDockerfile(text).finalStage as Stage;
}

test('a redirection target is part of its command, not the next command', () => {
  assert.deepEqual(
    splitCommands('echo PORT=1 >> .env && go build -o app . 2>&1 | tee build.log; cat < in.txt').map((c) => ({ argv: c.argv, redirects: c.redirects })),
    [
      { argv: ['echo', 'PORT=1'], redirects: ['.env'] },
      { argv: ['go', 'build', '-o', 'app', '.', '2'], redirects: [] },
      { argv: ['tee', 'build.log'], redirects: [] },
      { argv: ['cat'], redirects: [] },
    ],
  );
});

test('builds, module downloads, mkdir and echo to the terminal cannot make a file the program reads; cp, tee and unknown commands can', () => {
  const quiet = runCreations(stageOf(['mkdir -p /app/data', 'go mod download && go build -o /app/main .', 'ls -la && echo done && find . -name "*.go"']));
  assert.equal(mayCreate(quiet, '/app/.env'), undefined);
  assert.equal(mayCreate(quiet, '/app/main')?.command, 'go build -o /app/main .');
  // An empty folder puts nothing under it; the folder itself is there.
  assert.equal(mayCreateUnder(quiet, '/app/data'), undefined);
  assert.equal(mayCreate(quiet, '/app/data')?.folder, true);
  for (const [run, command] of [
    ['cp .env.example .env', 'cp .env.example .env'],
    ['cd /app && tee .env < /dev/null', 'tee .env'],
    ['touch /app/.env', 'touch /app/.env'],
    ['cp -r config/ /app', 'cp -r config/ /app'],
    ['./setup', './setup'],
    ['go generate ./...', 'go generate ./...'],
    ['find . -name x -exec touch .env +', 'find . -name x -exec touch .env +'],
  ] as const) {
    assert.equal(mayCreate(runCreations(stageOf([run])), '/app/.env')?.command, command, run);
  }
  // A cd into a folder the RUN cannot name leaves relative paths unknown.
  assert.equal(mayCreate(runCreations(stageOf(['cd $DIR && touch x'])), '/app/.env')?.kind, 'anything');
});
