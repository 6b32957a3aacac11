// Node on a real engine: the naive single-stage example (full node image, npm install) and its
// minimized form (node:18-slim, npm cache cleaned) print the same, and the slim image is smaller.
import { before, describe, it } from 'node:test';
import { ensureDockerReady } from './helpers';
import { assertSizes, compareExample } from './languageExample';

before(async () => {
  await ensureDockerReady();
});

describe('examples/node-hello', () => {
  it('builds as written and minimized, both print the greeting, and node:18-slim is smaller', async () => {
    const row = await compareExample('node-hello', 'Hello from Node 18\n');
    // Debian's npm brings its own libraries into the slim stand-in; 1.85x measured.
    assertSizes(row, 1.7, 2);
  });
});
