// Where a COPY from the build context lands: a destination that is a folder of the base image takes
// the file inside it, as Docker does, and a language's image says which folders it makes besides
// those every image has (golang: GOPATH's).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { contextCopies } from '../../server/src/analysis/runtimeFiles';
import { emptyListing } from '../../server/src/analysis/project';

const listing = { ...emptyListing(), files: new Map([['app', 10]]) };
const targets = (dockerfile: string): string[] => contextCopies(parseDockerfile(dockerfile).stages[0]!, listing).map((c) => c.target);

test("a file copied to a folder a golang image makes lands inside it, whatever registry the image comes from", () => {
  assert.deepEqual(targets('FROM golang:1.22\nCOPY app /go/bin\n'), ['/go/bin/app']);
  assert.deepEqual(targets('FROM registry.example.com/library/golang:1.22-alpine\nCOPY app /usr/local/go\n'), ['/usr/local/go/app']);
});

test('on an image without that folder, the same COPY writes a file named as the destination', () => {
  assert.deepEqual(targets('FROM alpine:3.20\nCOPY app /go/bin\n'), ['/go/bin']);
  assert.deepEqual(targets('FROM rust:1.79\nCOPY app /go/bin\n'), ['/go/bin']);
});
