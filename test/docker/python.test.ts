// Python on a real engine: the naive single-stage example (full python image, pip with its cache)
// and its minimized form (python:3.11-slim, --no-cache-dir) print the same, and slim is smaller.
import { before, describe, it } from 'node:test';
import { ensureDockerReady } from './helpers';
import { assertSizes, compareExample } from './languageExample';

before(async () => {
  await ensureDockerReady();
});

describe('examples/python-hello', () => {
  it('builds as written and minimized, both print the greeting, and python:3.11-slim is smaller', async () => {
    const row = await compareExample('python-hello', 'Hello from Python 3.11\n');
    assertSizes(row, 2.2, 2);
  });
});
