// Compare with run, without an engine: the probes a Dockerfile declares, the routes Go sources
// register, the normalisation, the failure signatures and the behaviour table of two runs.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { declaredProbes } from '../../server/src/analysis/probes';
import { goRoutes } from '../../server/src/analysis/languages/go/source/routes';
import { loadGrammars } from '../../server/src/workspace/grammars';
import { GO_GRAMMARS } from '../../server/src/analysis/languages/go/source/parser';
import { compareRuns, firstErrorLine, normalise, signaturesIn, writtenPaths } from '../../server/src/docker/behaviour';
import type { ImageRun } from '../../server/src/docker/run';

describe('declared probes', () => {
  it('reads the directives in order, then the setting, and says what it cannot read', () => {
    const text = ['# slimfile: probe GET /health 200', 'FROM scratch', '# slimfile: probe run --version', '#slimfile: probe POST :8081/jobs', '# slimfile: probe FETCH /x', '# slimfile: probe GET /y 99'].join('\n');
    const { probes, problems } = declaredProbes(text, ['HEAD /ready']);
    assert.deepEqual(probes, [
      { kind: 'http', method: 'GET', path: '/health', port: undefined, status: 200, line: 0 },
      { kind: 'run', args: ['--version'], line: 2 },
      { kind: 'http', method: 'POST', path: '/jobs', port: 8081, status: undefined, line: 3 },
      { kind: 'http', method: 'HEAD', path: '/ready', port: undefined, status: undefined, line: undefined },
    ]);
    assert.deepEqual(problems, [
      { line: 4, message: 'probe takes an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS) or "run", not "FETCH".' },
      { line: 5, message: 'the expected status of a probe is a number from 100 to 599, not "99".' },
    ]);
  });
});

describe('routes from Go sources', () => {
  before(() => loadGrammars(GO_GRAMMARS));

  it('finds literal paths registered with net/http, gorilla/mux, gin, echo, fiber and chi, and leaves out parameters', () => {
    const files = [
      {
        path: 'main.go',
        text: `package main
import (
  "net/http"
  "github.com/gorilla/mux"
)
func main() {
  http.HandleFunc("/", nil)
  http.Handle("GET /health", nil)
  r := mux.NewRouter()
  r.HandleFunc("/items/{id}", nil)
  r.HandleFunc("/upload", nil).Methods("POST")
  name := r.URL.Query().Get("/not-a-route-call")
  _ = name
}`,
      },
      { path: 'web/gin.go', text: 'package web\nimport "github.com/gin-gonic/gin"\nfunc routes(r *gin.Engine) { r.GET("/about", nil); r.GET("/users/:id", nil); r.POST("/form", nil) }' },
      { path: 'web/fiber.go', text: 'package web\nimport "github.com/gofiber/fiber/v2"\nfunc f(app *fiber.App) { app.Get("/fiber", nil) }' },
      { path: 'web/chi.go', text: 'package web\nimport "github.com/go-chi/chi/v5"\nfunc c(r chi.Router) { r.Get("/chi", nil); r.Get("/files/*", nil) }' },
      { path: 'web/echo.go', text: 'package web\nimport "github.com/labstack/echo/v4"\nfunc e(e *echo.Echo) { e.GET("/echo", nil) }' },
      { path: 'main_test.go', text: 'package main\nimport "net/http"\nfunc t() { http.HandleFunc("/test-only", nil) }' },
    ];
    assert.deepEqual(
      goRoutes(files).map((r) => `${r.file}:${r.line + 1} ${r.path}`),
      ['main.go:7 /', 'main.go:8 /health', 'main.go:11 /upload', 'web/gin.go:3 /about', 'web/fiber.go:3 /fiber', 'web/chi.go:3 /chi', 'web/echo.go:3 /echo'],
    );
  });
});

describe('normalisation and signatures', () => {
  it('masks dates, ids and durations', () => {
    assert.equal(
      normalise('2026/12/06 03:05:33 served 4f1c2a9b8e7d to 172.17.0.1:38412 in 1.25ms at 2026-12-06T03:05:33.123Z (Sun, 06 Dec 2026 03:05:33 GMT) id 123e4567-e89b-12d3-a456-426614174000'),
      '<date> served <id> to 172.17.0.1:<port> in <duration> at <date> (<date>) id <id>',
    );
  });

  it('names each known failure with what it found', () => {
    const log = [
      '2026/12/06 03:05:33 error: open templates/index.html: no such file or directory',
      'open data/visits.txt: permission denied',
      'Get "https://localhost:8443/": x509: certificate signed by unknown authority',
      'exec /app/server: exec format error',
      "/app/server: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /app/server)",
      '/app/z: error while loading shared libraries: libz.so.1: cannot open shared object file: No such file or directory',
    ].join('\n');
    assert.deepEqual(
      signaturesIn(log).map((s) => `${s.name} [${s.rule}]: ${s.cause}`),
      [
        'no such file or directory [go-toolchain-in-final-image]: templates/index.html is not in the image: a file the program reads at run time (template, config, .env, data) or the loader of a dynamically linked binary was left out of the final stage.',
        "permission denied [runs-as-root]: data/visits.txt cannot be used by the image's user: a folder the program writes is owned by root, or a file is not readable by a non-root user.",
        'x509: certificate signed by unknown authority [scratch-missing-ca-certificates]: the image has no CA bundle (or not the one that trusts this server): TLS connections fail.',
        'exec format error [libc-mismatch]: the entrypoint is not a binary for this platform (another architecture, or a script without its interpreter).',
        "GLIBC not found [runtime-glibc-older-than-builder]: the binary needs GLIBC_2.34, newer than the runtime image's C library.",
        'error while loading shared libraries [cgo-dependency]: libz.so.1 is not in the runtime image: the binary is dynamically linked against it.',
      ],
    );
    assert.equal(firstErrorLine('2026/12/06 03:05:33 listening on :8080\n2026/12/06 03:05:34 error: open .env: no such file or directory\n'), '<date> error: open .env: no such file or directory');
  });

  it('keeps only the deepest paths of docker diff', () => {
    assert.deepEqual(
      writtenPaths([
        { kind: 'changed', path: '/app' },
        { kind: 'changed', path: '/app/data' },
        { kind: 'added', path: '/app/data/visits.txt' },
        { kind: 'deleted', path: '/tmp/old' },
        { kind: 'added', path: '/var/run/statusd.pid' },
      ]),
      ['+/app/data/visits.txt', '+/run/statusd.pid', '-/tmp/old'],
    );
  });
});

function server(answers: ImageRun['answers'], log: string, changes: ImageRun['changes']): ImageRun {
  return { image: 'x', config: { user: 'root', workdir: '/app', command: ['/app/server'], ports: [8080] }, answered: true, exited: undefined, answers, runs: [], log, changes, seconds: 1 };
}

describe('the behaviour table', () => {
  it('says what differs, and the signature on the side that printed it', () => {
    const a = server([{ key: 'GET :8080/', expected: 200, status: 200, body: 'hello at 2026-12-06T03:00:00Z\n', error: undefined }], '2026/12/06 03:00:00 listening on :8080\n', [{ kind: 'added', path: '/app/data/visits.txt' }]);
    const b = server(
      [{ key: 'GET :8080/', expected: 200, status: 500, body: 'open data/visits.txt: permission denied\n', error: undefined }],
      '2026/12/06 03:00:09 listening on :8080\n2026/12/06 03:00:09 error: open data/visits.txt: permission denied\n',
      [],
    );
    const result = compareRuns(a, b);
    assert.deepEqual(
      result.rows.map((r) => `${r.check} | ${r.asWritten} | ${r.minimized} | ${r.same ? 'same' : 'DIFFERENT'}`).join('\n'),
      [
        'server started | answered | answered | same',
        'GET :8080/ | 200 hello at <date> | 500 open data/visits.txt: permission denied | DIFFERENT',
        'first error line | (none) | <date> error: open data/visits.txt: permission denied | DIFFERENT',
        'files written (docker diff) | 1 path(s); only here: +/app/data/visits.txt | none | DIFFERENT',
      ].join('\n'),
    );
    assert.equal(result.same, false);
    assert.deepEqual(result.unmet, ['GET :8080/: minimized answered 500, not the declared 200']);
    assert.deepEqual(result.signatures.map((s) => `${s.side}: ${s.name} ${s.onBothSides ? '(both)' : ''}`.trim()), ['minimized: permission denied']);
  });

  it('a folder one side made at run time that both containers hold afterwards is not a difference', () => {
    const a = server([], '', [{ kind: 'added', path: '/app/data' }]);
    const b = server([], '', []);
    const row = (sameFolders: string[]): string => {
      const r = compareRuns(a, b, sameFolders).rows.find((x) => x.check === 'files written (docker diff)');
      return `${r?.asWritten} | ${r?.minimized} | ${r?.same}`;
    };
    assert.equal(row([]), '1 path(s); only here: +/app/data | none | false');
    assert.equal(row(['/app/data']), 'none | none | true');
  });

  it('calls two runs the same when they differ only in what is masked', () => {
    const a = server([{ key: 'GET :8080/', expected: undefined, status: 200, body: 'now 2026-12-06T03:00:00Z', error: undefined }], '2026/12/06 03:00:00 listening\n', []);
    const b = server([{ key: 'GET :8080/', expected: undefined, status: 200, body: 'now 2026-12-06T03:00:07Z', error: undefined }], '2026/12/06 03:00:07 listening\n', []);
    assert.equal(compareRuns(a, b).same, true);
  });
});

describe('a probe whose connection is closed without an answer', () => {
  it('ends in an error the run reports, instead of the process leaving in silence', async () => {
    // The engine's port proxy accepts a connection while nothing listens in the container yet,
    // then closes it. Node 20's fetch then never settles, and with only an unref'd timer left the
    // CLI exited 0 in the middle of `compare --run`, printing nothing. A plain node child runs the
    // module bundled (under tsx, the loader's own handle keeps the process alive and hides it).
    const { buildSync } = await import('esbuild');
    const { createServer } = await import('node:net');
    const { execFile } = await import('node:child_process');
    const bundle = path.join(process.cwd(), 'node_modules', '.cache', 'slimfile-test', `ask-${process.pid}.cjs`);
    buildSync({ entryPoints: ['server/src/docker/run.ts'], bundle: true, packages: 'external', platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const script = `require(${JSON.stringify(bundle)}).ask(${JSON.stringify(url)}, 'GET', undefined, 1000).then(() => console.log('answered'), (e) => console.log('error: ' + (e.cause?.message ?? e.message)))`;
    try {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['-e', script], { timeout: 30_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
      assert.match(out, /^error: /m, `the request must end in an error the run can report; the child printed ${JSON.stringify(out)}`);
    } finally {
      server.close();
      rmSync(bundle, { force: true });
    }
  });
});
