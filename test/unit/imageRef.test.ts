// Image references as users write them in FROM: Docker Hub normalisation, registries with ports,
// tags and digests; anything the reference grammar rejects is undefined, never a half-parse.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseImageReference, effectiveTag, formatImageReference } from '../../server/src/analysis/imageRef';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

function parsed(raw: string): object | undefined {
  const ref = parseImageReference(raw);
  return ref && { registry: ref.registry, path: ref.path, familiar: ref.familiar, tag: ref.tag, digest: ref.digest };
}

test('official Docker Hub images get library/', () => {
  assert.deepStrictEqual(parsed('golang:1.22-alpine'), { registry: 'docker.io', path: 'library/golang', familiar: 'golang', tag: '1.22-alpine', digest: undefined });
  assert.deepStrictEqual(parsed('alpine'), { registry: 'docker.io', path: 'library/alpine', familiar: 'alpine', tag: undefined, digest: undefined });
  assert.deepStrictEqual(parsed('docker.io/library/golang:1.22'), { registry: 'docker.io', path: 'library/golang', familiar: 'golang', tag: '1.22', digest: undefined });
  assert.deepStrictEqual(parsed('index.docker.io/library/debian:bookworm-slim'), { registry: 'docker.io', path: 'library/debian', familiar: 'debian', tag: 'bookworm-slim', digest: undefined });
});

test('Docker Hub user images keep their namespace', () => {
  assert.deepStrictEqual(parsed('bitnami/redis:7.2'), { registry: 'docker.io', path: 'bitnami/redis', familiar: 'bitnami/redis', tag: '7.2', digest: undefined });
  assert.deepStrictEqual(parsed('docker.io/bitnami/redis'), { registry: 'docker.io', path: 'bitnami/redis', familiar: 'bitnami/redis', tag: undefined, digest: undefined });
});

test('other registries, ports and localhost', () => {
  assert.deepStrictEqual(parsed('gcr.io/distroless/static-debian12:nonroot'), {
    registry: 'gcr.io', path: 'distroless/static-debian12', familiar: 'gcr.io/distroless/static-debian12', tag: 'nonroot', digest: undefined,
  });
  assert.deepStrictEqual(parsed('registry.example.com:5000/team/app:1.0'), {
    registry: 'registry.example.com:5000', path: 'team/app', familiar: 'registry.example.com:5000/team/app', tag: '1.0', digest: undefined,
  });
  assert.deepStrictEqual(parsed('localhost:5000/app'), { registry: 'localhost:5000', path: 'app', familiar: 'localhost:5000/app', tag: undefined, digest: undefined });
  assert.deepStrictEqual(parsed('localhost/app:dev'), { registry: 'localhost', path: 'app', familiar: 'localhost/app', tag: 'dev', digest: undefined });
  assert.deepStrictEqual(parsed('cgr.dev/chainguard/static:latest'), { registry: 'cgr.dev', path: 'chainguard/static', familiar: 'cgr.dev/chainguard/static', tag: 'latest', digest: undefined });
});

test('digests, alone and with a tag', () => {
  assert.deepStrictEqual(parsed(`gcr.io/distroless/static-debian12@${DIGEST}`), {
    registry: 'gcr.io', path: 'distroless/static-debian12', familiar: 'gcr.io/distroless/static-debian12', tag: undefined, digest: DIGEST,
  });
  assert.deepStrictEqual(parsed(`golang:1.22@${DIGEST}`), { registry: 'docker.io', path: 'library/golang', familiar: 'golang', tag: '1.22', digest: DIGEST });
  assert.deepStrictEqual(parsed(`localhost:5000/app:1@${DIGEST}`), { registry: 'localhost:5000', path: 'app', familiar: 'localhost:5000/app', tag: '1', digest: DIGEST });
});

test('invalid references are undefined', () => {
  for (const raw of [
    '',
    '   ',
    'Golang:1.22', // upper case repository
    'golang:', // empty tag
    'golang:bad tag',
    'golang@sha256:short',
    'golang@',
    `golang@md5:${'z'.repeat(64)}`,
    'gcr.io//double',
    '/leading',
    'trailing/',
    'golang:1.22:extra',
    '-dash',
    'a/b:-tag',
  ]) {
    assert.equal(parseImageReference(raw), undefined, `${JSON.stringify(raw)} should not parse`);
  }
});

test('the raw text is kept (trimmed) and effectiveTag/formatImageReference round-trip', () => {
  const ref = parseImageReference('  golang:1.22  ');
  assert.equal(ref?.raw, 'golang:1.22');
  assert.equal(effectiveTag(parseImageReference('alpine')!), 'latest');
  assert.equal(effectiveTag(parseImageReference(`alpine@${DIGEST}`)!), undefined);
  assert.equal(effectiveTag(parseImageReference('alpine:3.20')!), '3.20');
  for (const raw of ['golang:1.22', 'gcr.io/distroless/static-debian12:nonroot', `golang:1.22@${DIGEST}`, 'localhost:5000/app']) {
    assert.equal(formatImageReference(parseImageReference(raw)!), raw);
  }
  assert.equal(formatImageReference(parseImageReference('docker.io/library/golang:1.22')!), 'golang:1.22');
});
