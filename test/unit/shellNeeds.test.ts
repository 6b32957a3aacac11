// What keeps a shell in the final image: the languages answer which RUN steps build the program
// and which start command runs a toolchain (LanguageSupport.programBuilds and toolchainCommand,
// handed to runtime.ts by the registry), so a Go Dockerfile's needs read the same as before Go's
// answers moved into its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { shellNeeds } from '../../server/src/analysis/runtime';

const reasons = (text: string): string[] => shellNeeds(parseDockerfile(text)).map((n) => n.reason);

test('the go build that makes the program needs no shell at run time; other RUN steps do', () => {
  assert.deepEqual(reasons('FROM golang:1.22\nRUN go build -o /app .\nCMD ["/app"]\n'), []);
  assert.deepEqual(reasons('FROM golang:1.22\nRUN go build -o /app . && ./app --selftest\nRUN mkdir /data\nCMD ["/app"]\n'), ['a RUN step needs a shell in the final image']);
});

test('a start command that runs the Go toolchain needs it, by name or by path', () => {
  assert.deepEqual(reasons('FROM golang:1.22\nCMD ["go", "run", "."]\n'), ['the start command runs the Go toolchain']);
  assert.deepEqual(reasons('FROM debian:12\nENTRYPOINT ["/usr/local/go/bin/go", "run", "."]\n'), ['the start command runs the Go toolchain']);
  // Another language's toolchain has no such answer, and a program whose name only ends in "go" is not Go's.
  assert.deepEqual(reasons('FROM rust:1.79\nCMD ["cargo", "run"]\n'), []);
  assert.deepEqual(reasons('FROM debian:12\nCMD ["/usr/bin/hugo"]\n'), []);
});
