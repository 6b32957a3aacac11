// What the user sees when a build cannot happen or goes wrong: no engine, a wrong address, a
// failing RUN, a missing base image, BuildKit-only syntax, and a build cancelled half-way.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage, connectEngine } from '../../server/src/docker/build';
import { BuildError } from '../../server/src/docker/errors';
import { CLI, containersWith, ensureDockerReady, slimfile, waitForLine } from './helpers';

async function project(dockerfile: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slimfile-fail-'));
  await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile);
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  return dir;
}

function withHost(host: string): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: host };
}

/** A unix socket file whose listener is gone (a daemon that died): connecting is refused. */
async function deadSocket(): Promise<string> {
  const socket = path.join(os.tmpdir(), `slimfile-dead-${process.pid}.sock`);
  await fs.rm(socket, { force: true });
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(existsSync(socket), 'the killed listener leaves its socket file behind');
  return socket;
}

before(async () => {
  await ensureDockerReady();
});

describe('no usable engine', () => {
  it('says the engine is not running when DOCKER_HOST names a missing socket', async () => {
    const ran = await slimfile(['build', 'examples/hello/Dockerfile'], withHost('unix:///tmp/slimfile-no-such-engine.sock'));
    assert.equal(ran.code, 1);
    assert.equal(ran.stderr, 'slimfile: The Docker Engine is not running: no socket at unix:///tmp/slimfile-no-such-engine.sock (from DOCKER_HOST). Start it (for example "sudo systemctl start docker", or open Docker Desktop) and try again.\n');
  });

  it('says the engine is not running when its socket refuses connections (daemon stopped)', async () => {
    const socket = await deadSocket();
    try {
      const ran = await slimfile(['compare', 'examples/hello/Dockerfile'], withHost(`unix://${socket}`));
      assert.equal(ran.code, 1);
      assert.equal(ran.stderr, `slimfile: The Docker Engine is not running: nothing answers at unix://${socket} (from DOCKER_HOST) (connection refused). Start the engine, or check DOCKER_HOST / the docker context.\n`);
    } finally {
      await fs.rm(socket, { force: true });
    }
  });

  it('names a DOCKER_HOST that is not a Docker address', async () => {
    const ran = await slimfile(['build', 'examples/hello/Dockerfile'], withHost('bogus://engine.invalid'));
    assert.equal(ran.code, 1);
    assert.equal(ran.stderr, 'slimfile: DOCKER_HOST is "bogus://engine.invalid": Slimfile talks to unix://, tcp:// and ssh:// engines, not bogus://.\n');
  });

  it('says nothing answers at a tcp:// DOCKER_HOST with no engine behind it', async () => {
    const ran = await slimfile(['build', 'examples/hello/Dockerfile'], withHost('tcp://127.0.0.1:9'));
    assert.equal(ran.code, 1);
    assert.equal(ran.stderr, 'slimfile: The Docker Engine is not running: nothing answers at tcp://127.0.0.1:9 (from DOCKER_HOST) (connection refused). Start the engine, or check DOCKER_HOST / the docker context.\n');
  });
});

describe('builds that fail', () => {
  it('names the failing RUN step and shows its output', async () => {
    const dir = await project('FROM debian:bookworm\nRUN echo "checking the widget" && echo "widget is missing" >&2 && exit 3\n');
    try {
      const ran = await slimfile(['build', '--tag', 'slimfile-test/fails:latest', path.join(dir, 'Dockerfile')]);
      assert.equal(ran.code, 1);
      const message = ran.stderr.slice(ran.stderr.lastIndexOf('slimfile: '));
      const [header, output] = message.split('Output of the step:\n') as [string, string | undefined];
      assert.equal(
        header,
        [
          'slimfile: Build step failed: [2/2] RUN echo "checking the widget" && echo "widget is missing" >&2 && exit 3',
          'executor failed running [/bin/sh -c echo "checking the widget" && echo "widget is missing" >&2 && exit 3]: exit code: 3',
          '',
        ].join('\n'),
      );
      // BuildKit streams stdout and stderr separately, so their lines may arrive in either order.
      assert.deepEqual(output?.split('\n').filter(Boolean).sort(), ['checking the widget', 'widget is missing']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('says which base image is not available', async () => {
    const dir = await project('FROM slimfile-test/no-such-base:1\nRUN true\n');
    try {
      const ran = await slimfile(['build', '--tag', 'slimfile-test/nobase:latest', path.join(dir, 'Dockerfile')]);
      assert.equal(ran.code, 1);
      assert.match(ran.stderr, /Base image slimfile-test\/no-such-base:1 is not in the engine; the engine will try to pull it\./);
      assert.match(ran.stderr, /slimfile: The base image docker\.io\/slimfile-test\/no-such-base:1 is not available: the engine does not have it and could not pull it/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('BuildKit-only syntax', () => {
  it('builds cache mounts and COPY --chmod through the Engine API', async () => {
    const dir = await project('FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/slimfile echo cached > /var/cache/slimfile/x\nCOPY --chmod=750 run.sh /run.sh\nRUN test "$(stat -c %a /run.sh)" = 750\n', { 'run.sh': '#!/bin/sh\n' });
    try {
      const ran = await slimfile(['build', '--format', 'json', '--tag', 'slimfile-test/buildkit:latest', path.join(dir, 'Dockerfile')]);
      assert.equal(ran.code, 0, ran.stderr);
      assert.equal((JSON.parse(ran.stdout) as { builder: string }).builder, 'engine-buildkit');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('explains before building when the engine cannot parse heredocs', async (t) => {
    const engine = await connectEngine();
    if (Number(/^(\d+)/.exec(engine.facts.version)?.[1]) >= 23) return t.skip(`Docker ${engine.facts.version} parses heredocs`);
    const dir = await project('FROM debian:bookworm\nRUN <<EOF\necho from a heredoc\nEOF\n');
    try {
      const ran = await slimfile(['build', path.join(dir, 'Dockerfile')]);
      assert.equal(ran.code, 1);
      assert.equal(ran.stderr, `slimfile: This Dockerfile uses heredocs (RUN <<EOF (line 2)), which Docker Engine ${engine.facts.version}'s built-in Dockerfile frontend cannot parse (heredocs need Engine 23 or later). Add "# syntax=docker/dockerfile:1" as the first line (BuildKit then fetches the frontend from Docker Hub), or upgrade the engine.\n`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cancelling a build', () => {
  it('stops the build when aborted and leaves no containers behind', async () => {
    const marker = `slimfile-cancel-${randomUUID().slice(0, 8)}`;
    const dir = await project(`FROM debian:bookworm\nRUN echo ${marker} started && sleep 300\n`);
    try {
      const engine = await connectEngine();
      const controller = new AbortController();
      const started = Date.now();
      const build = buildImage(engine, { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag: 'slimfile-test/cancelled:latest', noCache: true }, {
        signal: controller.signal,
        onLog: (line) => {
          if (line.includes(`${marker} started`) && !line.includes('RUN')) controller.abort();
        },
      });
      await assert.rejects(build, (error: unknown) => error instanceof BuildError && error.kind === 'cancelled');
      assert.ok(Date.now() - started < 60_000, 'the build stopped long before its sleep ended');
      assert.deepEqual(await containersWith(marker), []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('cancels on Ctrl+C in the CLI (exit 130) and leaves no containers behind', async () => {
    const marker = `slimfile-sigint-${randomUUID().slice(0, 8)}`;
    const dir = await project(`FROM debian:bookworm\nRUN echo ${marker} started && sleep 300\n`);
    try {
      const child = spawn(process.execPath, [CLI, 'build', '--no-cache', '--tag', 'slimfile-test/sigint:latest', path.join(dir, 'Dockerfile')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      await waitForLine(child, new RegExp(`^  ${marker} started`));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 130);
      assert.match(stderr, /slimfile: The build was cancelled\.\n$/);
      assert.deepEqual(await containersWith(marker), []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
