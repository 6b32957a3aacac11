// What decides a conversion (issue 20), as the user meets it: a naive Dockerfile and the facts the
// Go analysis hands over, Minimize, and the whole Dockerfile that results with what the preview
// says. The facts are built here rather than scanned, so each story pins one decision: entries
// nothing reads are left out, unknown paths keep what the original image had, env-only paths are
// not touched by an image that never sets them, started programs must be in the runtime, and on
// scratch, modules not known to be free of TLS and zone lookups bring the CA bundle and zone data.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile, minimize } from '../../server/src/analysis';
import { applyEdits } from '../../server/src/analysis/fixes/apply';
import { analyze } from '../../server/src/analysis/analyze';
import { toMultiStage, type Conversion } from '../../server/src/analysis/languages/go/toMultiStage';
import { parseGoMod } from '../../server/src/analysis/languages/go/gomod';
import { unknownNeeds, type Evidence, type RuntimeNeeds } from '../../server/src/analysis/languages/go/source/needs';
import { noFileAccess, type FileAccess } from '../../server/src/analysis/languages/go/source/fileAccess';
import { emptyListing, emptyProject, type ProjectFacts } from '../../server/src/analysis/project';
import type { RuntimeChoice } from '../../server/src/analysis/findings';
import { goFacts } from '../../server/src/analysis/languages/go/source/facts';

const NAIVE = ['FROM golang:1.22', 'WORKDIR /app', 'COPY . .', 'RUN go build -o app .', 'CMD ["./app"]', ''].join('\n');
const BUILD_STAGE = ['FROM golang:1.22 AS build', 'WORKDIR /app', 'COPY . .', 'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .', ''].join('\n');

/** A build context of these files (sizes only), with the program's file access as given. */
function projectOf(files: readonly string[], access: Partial<FileAccess> = {}, options: { goMod?: string; needs?: Partial<RuntimeNeeds> } = {}): ProjectFacts {
  const all = ['go.mod', 'Dockerfile', 'main.go', ...files];
  const directories = new Set<string>();
  for (const file of all) for (let i = file.indexOf('/'); i > 0; i = file.indexOf('/', i + 1)) directories.add(file.slice(0, i));
  const tops = new Map<string, boolean>();
  for (const file of all) tops.set(file.split('/')[0] as string, file.includes('/'));
  return {
    ...emptyProject(),
    contextDir: '/ctx',
    own: {
      go: {
        goMod: parseGoMod(options.goMod ?? 'module example.com/app\n\ngo 1.22\n'),
        goModPath: 'go.mod',
        hasGoSources: true,
        mainPackages: [''],
        needs: { ...unknownNeeds(), filesScanned: 1, ...options.needs, files: { ...noFileAccess(), ...access } },
      },
    },
    contextEntries: [...tops].map(([name, directory]) => ({ name, directory, size: 10 })),
    contextListing: { ...emptyListing(), files: new Map(all.map((f) => [f, 10])), directories },
  };
}

const at = (line: number, what: string, file = 'main.go'): Evidence => ({ file, line: line - 1, what });

/** The conversion the preview shows, and what Minimize makes of the file (checked to be finished). */
function convert(text: string, project: ProjectFacts, runtime: RuntimeChoice = 'distroless'): { conversion: Conversion; minimized: string } {
  const result = toMultiStage(parseDockerfile(text), project, runtime);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const settings = { rules: {}, runtime };
  const minimized = minimize(text, project, settings).text;
  // The result parses into a build and a runtime stage, and Minimize has nothing left to do on it.
  assert.ok(parseDockerfile(minimized).stages.length >= (minimized === text ? 1 : 2));
  assert.equal(minimize(minimized, project, settings).text, minimized);
  return { conversion: result.conversion, minimized };
}

test('entries nothing reads are left out, each said in the preview, when every read path is known', () => {
  const project = projectOf(
    [
      'go.sum',
      'templates/index.html',
      'screenshot1.png',
      '.DS_Store',
      'Pseudo-Code.TXT',
      'app.db-journal',
      'package.json',
      'scss/main.scss',
      'app.yaml',
      'Gopkg.lock',
      'docker-compose-tests.yml',
      'manual.pdf',
      'mongo-init.js',
      'credentials_example.yaml',
    ],
    { reads: [{ path: 'templates/*.html', directory: false, evidence: at(12, 'template.ParseGlob') }] },
  );
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(
    minimized,
    [
      BUILD_STAGE,
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# Not copied: .DS_Store: nothing reads it at run time.',
      '# Not copied: app.db-journal: nothing reads it at run time.',
      '# Not copied: app.yaml: nothing reads it at run time.',
      '# Not copied: credentials_example.yaml: nothing reads it at run time.',
      '# Not copied: docker-compose-tests.yml: nothing reads it at run time.',
      '# Not copied: Gopkg.lock: nothing reads it at run time.',
      '# Not copied: mongo-init.js: nothing reads it at run time.',
      '# Not copied: package.json: nothing reads it at run time.',
      '# Not copied: Pseudo-Code.TXT: nothing reads it at run time.',
      '# Not copied: screenshot1.png: nothing reads it at run time.',
      '# Not copied: scss/: nothing reads it at run time.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/templates /app/templates',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(conversion.problems, []);
  assert.equal(conversion.safe, true);
  const classes = Object.fromEntries(conversion.files.entries.map((e) => [e.name, e.class]));
  assert.equal(classes['screenshot1.png'], 'unread');
  assert.equal(classes['manual.pdf'], 'clutter');
  assert.equal(classes['templates'], 'run-time');
});

test('a file an ENV value names stays, as a read through the environment', () => {
  const text = NAIVE.replace('WORKDIR /app\n', 'WORKDIR /app\nENV APP_CONFIG=conf/prod.yaml GIN_MODE=release\n');
  const { conversion, minimized } = convert(text, projectOf(['conf/prod.yaml', 'conf/dev.yaml', 'release.txt']));
  assert.deepEqual(conversion.files.copies, ['/app/conf/prod.yaml']);
  assert.deepEqual(conversion.notes, ['Not copied: release.txt: nothing reads it at run time.']);
  assert.ok(minimized.includes('\nCOPY --from=build /app/conf/prod.yaml /app/conf/prod.yaml\nENV APP_CONFIG=conf/prod.yaml GIN_MODE=release\n'), minimized);
  assert.equal(conversion.files.entries.find((e) => e.name === 'conf')?.reason, 'conf/prod.yaml: ENV APP_CONFIG names it');
});

test('a configuration library the scan does not follow keeps the files of its formats', () => {
  const imports = new Set(['github.com/BurntSushi/toml', 'os']);
  const { conversion, minimized } = convert(NAIVE, projectOf(['config.toml', 'conf/extra.toml', 'app.yaml'], {}, { needs: { imports } }));
  assert.equal(
    minimized.slice(minimized.indexOf('FROM gcr.io')),
    [
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# Not copied: app.yaml: nothing reads it at run time.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/conf /app/conf',
      'COPY --from=build /app/config.toml /app/config.toml',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.equal(conversion.files.entries.find((e) => e.name === 'config.toml')?.reason, 'github.com/BurntSushi/toml is imported, and it opens files by names the scan does not follow');
});

test('entries are still reasons to review when the Go sources were not all read', () => {
  const project = projectOf(['screenshot1.png'], {}, { needs: { truncated: true } });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(minimized, NAIVE);
  assert.deepEqual(conversion.problems, [
    'the Go sources were not all read (the file cap or the time budget), so some reads may be missing',
    'screenshot1.png: not read by any call Slimfile recognises, and not a known build or repository file',
  ]);
});

test('a read of a relative or unknown path keeps every data file where the original image had it, and says which call', () => {
  const project = projectOf(['config/app.yaml', 'data.json', 'README.md', 'scripts/run.sh', 'internal/store/store.go'], {
    unknownReads: [{ ...at(21, 'os.ReadFile(name)'), prefix: 'config/' }, at(30, 'os.Open(os.Args[1])')],
  });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(
    minimized,
    [
      BUILD_STAGE,
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# Keeps config/, data.json where the original image had them: unknown path at main.go:21: os.ReadFile(name) reads a path the scan cannot see; unknown path at main.go:30: os.Open(os.Args[1]) reads a path the scan cannot see.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/config /app/config',
      'COPY --from=build /app/data.json /app/data.json',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.equal(conversion.safe, true);
});

test('a read under a copied folder keeps that folder; the rest nothing reads is left out', () => {
  const project = projectOf(['static/logo.png', 'notes.txt'], { unknownReads: [{ ...at(8, 'os.ReadFile(path)'), prefix: '/app/static/' }] });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(
    minimized,
    [
      BUILD_STAGE,
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# Not copied: notes.txt: nothing reads it at run time.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/static /app/static',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.equal(conversion.safe, true);
});

test('a read under a system folder the small runtime lacks is not converted automatically, and says which', () => {
  const project = projectOf([], { unknownReads: [{ ...at(14, 'os.ReadFile(conf)'), prefix: '/etc/' }] });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(minimized, NAIVE);
  assert.deepEqual(conversion.problems, ['unknown path at main.go:14: os.ReadFile(conf) reads a path under /etc/ the scan cannot see, and the small runtime does not have what the build image has there']);
  // Certificates and zone data are in every runtime Slimfile chooses: a read there is no reason.
  const certs = projectOf([], { unknownReads: [{ ...at(14, 'os.ReadFile(name)'), prefix: '/etc/ssl/certs/' }] });
  assert.equal(convert(NAIVE, certs).conversion.safe, true);
  // Scratch has neither: the runtime stays distroless, and the preview says why.
  const onScratch = convert(NAIVE, certs, 'scratch').conversion;
  assert.equal(onScratch.runtimeImage, 'gcr.io/distroless/static-debian12:nonroot');
  assert.deepEqual(onScratch.notes, ['Runs on gcr.io/distroless/static-debian12:nonroot rather than scratch: os.ReadFile(name) (main.go:14) reads a path under /etc/ssl/certs/ the scan cannot see, and scratch does not have that folder.']);
});

test('a read under a folder the original image had nothing in (a volume) converts, and says so', () => {
  const project = projectOf([], { unknownReads: [{ ...at(14, 'os.ReadFile(p)'), prefix: '/data/' }] });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(
    minimized,
    [
      BUILD_STAGE,
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# unknown path at main.go:14: os.ReadFile(p) reads a path under /data/ the scan cannot see; the original image had nothing there either (a volume, or a file made at run time), so nothing is copied.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  // A RUN step besides the build may have made files there, and the reason names it.
  const made = NAIVE.replace('RUN go build', 'RUN mkdir -p /data && echo x > /data/seed\nRUN go build');
  assert.deepEqual(convert(made, project).conversion.problems.filter((p) => p.includes('/data/')), ['unknown path at main.go:14: os.ReadFile(p) reads a path under /data/ the scan cannot see, and `echo x > /data/seed` at line 4 may create files there']);
});

test('a variable the image sets decides the folder of an unknown read', () => {
  const text = NAIVE.replace('WORKDIR /app\n', 'WORKDIR /app\nENV CONFIG_DIR=/etc/myapp\n');
  const project = projectOf([], { unknownReads: [{ ...at(9, 'os.ReadFile(f)'), prefix: '${CONFIG_DIR}/' }] });
  assert.deepEqual(convert(text, project).conversion.problems, ['unknown path at main.go:9: os.ReadFile(f) reads a path under /etc/myapp/ the scan cannot see, and the small runtime does not have what the build image has there']);
});

test('a write the scan cannot place keeps root, the user the original image had, and its folders', () => {
  const project = projectOf(['out/.keep', 'screenshot.png'], { unknownWrites: [at(17, 'os.WriteFile(os.Args[1], …)')] });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(
    minimized,
    [
      BUILD_STAGE,
      'FROM gcr.io/distroless/static-debian12',
      '# Runs as root: unknown path at main.go:17: os.WriteFile(os.Args[1], …) writes where the scan cannot see.',
      '# Keeps out/, screenshot.png where the original image had them: unknown path at main.go:17: os.WriteFile(os.Args[1], …) writes a path the scan cannot see.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/out /app/out',
      'COPY --from=build /app/screenshot.png /app/screenshot.png',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.equal(conversion.safe, true);
});

test('a read through a variable the image does not set is known only up to it: the data files are kept', () => {
  const project = projectOf(['seed.csv'], { reads: [{ path: '${DATA_DIR}/seed.csv', directory: false, evidence: at(5, 'os.Open') }] });
  const { conversion } = convert(NAIVE, project);
  assert.equal(conversion.safe, true);
  assert.deepEqual(conversion.files.copies, ['/app/seed.csv']);
  assert.deepEqual(conversion.notes, ['Keeps seed.csv where the original image had it: os.Open at main.go:5 reads ${DATA_DIR}/seed.csv (the image does not set DATA_DIR).']);
  // Set to a system folder, the read is one the small runtime cannot serve.
  const etc = projectOf([], { reads: [{ path: '${CONF_DIR}/${NAME}.conf', directory: false, evidence: at(5, 'os.Open') }] });
  const text = NAIVE.replace('WORKDIR /app\n', 'WORKDIR /app\nENV CONF_DIR=/etc/app\n');
  assert.deepEqual(convert(text, etc).conversion.problems, ['os.Open at main.go:5 reads ${CONF_DIR}/${NAME}.conf (the image does not set NAME), and the small runtime does not have what the build image has under /etc/app/']);
});

const LOG_FILE_WRITE = { path: '${LOG_FILE}', directory: false, evidence: at(40, 'os.OpenFile'), onlyWhenSet: 'LOG_FILE' };

test('a path used only when a variable is set is not touched by an image that never sets it', () => {
  const project = projectOf([], { writes: [LOG_FILE_WRITE], reads: [{ path: '${TLS_KEY}', directory: false, evidence: at(52, 'os.ReadFile'), onlyWhenSet: 'TLS_KEY' }] });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(
    minimized,
    [
      BUILD_STAGE,
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# os.ReadFile at main.go:52 reads ${TLS_KEY} only when TLS_KEY is set, and the image does not set it: if you set TLS_KEY at run time, mount the file there.',
      '# os.OpenFile at main.go:40 writes ${LOG_FILE} only when LOG_FILE is set, and the image does not set it: if you set LOG_FILE at run time, mount a writable volume there.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.equal(conversion.safe, true);
});

test('a path used only when a variable is set follows the value the image gives it', () => {
  const text = NAIVE.replace('WORKDIR /app\n', 'WORKDIR /app\nENV LOG_FILE=/var/log/app/app.log\n');
  const { conversion, minimized } = convert(text, projectOf([], { writes: [LOG_FILE_WRITE] }));
  assert.equal(
    minimized,
    [
      'FROM golang:1.22 AS build',
      'WORKDIR /app',
      'ENV LOG_FILE=/var/log/app/app.log',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .',
      'RUN mkdir -p /writable/var/log/app',
      '',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build --chown=65532:65532 /writable/var/log/app /var/log/app',
      'ENV LOG_FILE=/var/log/app/app.log',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(conversion.notes, []);
  // Set to the empty string, it is not set as the program sees it.
  const empty = NAIVE.replace('WORKDIR /app\n', 'WORKDIR /app\nENV LOG_FILE=""\n');
  assert.equal(convert(empty, projectOf([], { writes: [LOG_FILE_WRITE] })).conversion.files.writable.length, 0);
});

const WORKER_EXEC = { programs: undefined, evidence: at(40, 'exec.Command(task.Command, task.Args...)', 'worker.go') };

test('a program named at run time cannot be started on distroless: not converted automatically, and the call is said', () => {
  const { conversion, minimized } = convert(NAIVE, projectOf(['worker.go'], { execs: [WORKER_EXEC] }));
  assert.equal(minimized, NAIVE);
  const problem = 'the small runtime has no program besides /app/app, and which programs the code starts is not known (exec.Command(task.Command, task.Args...) at worker.go:40 starts a program whose name is not known)';
  assert.deepEqual(conversion.problems, [problem]);
  // The preview shows it above the runtime stage.
  assert.ok(applyEdits(NAIVE, conversion.edits).includes(`\n# Check before use: ${problem}.\n`));
});

test('a literal program the runtime lacks refuses the conversion and names it, on scratch too', () => {
  const project = projectOf([], { execs: [{ programs: ['git', 'sh'], evidence: at(12, 'exec.Command') }] });
  for (const runtime of ['distroless', 'scratch'] as const) {
    const result = toMultiStage(parseDockerfile(NAIVE), project, runtime);
    assert.deepEqual(result, { ok: false, reason: 'the program starts git (main.go:12), and the small runtime has no program besides /app/app; the program starts sh (main.go:12), and the small runtime has no program besides /app/app' });
    assert.equal(minimize(NAIVE, project, { rules: {}, runtime }).text, NAIVE);
  }
});

test('a program that starts its own binary again converts', () => {
  const project = projectOf([], { execs: [{ programs: ['./app', '/app/app'], evidence: at(30, 'exec.Command') }] });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.deepEqual(conversion.problems, []);
  assert.equal(minimized, [BUILD_STAGE, 'FROM gcr.io/distroless/static-debian12:nonroot', 'WORKDIR /app', 'COPY --from=build /app/app /app/app', 'CMD ["/app/app"]', ''].join('\n'));
});

test('a cgo program on Alpine that starts sh is offered for review (what its commands run is not known); any other program refuses', () => {
  const text = NAIVE.replace('golang:1.22', 'golang:1.22-alpine');
  const cgo = { cgo: { needed: true, evidence: [at(3, 'import "C"')] } };
  const shell = projectOf([], { execs: [{ programs: ['sh'], evidence: at(12, 'exec.Command') }] }, { needs: cgo });
  const onAlpine = convert(text, shell);
  assert.equal(onAlpine.conversion.runtimeImage, 'alpine:3');
  assert.deepEqual(onAlpine.conversion.problems, ["the program starts sh (main.go:12): alpine:3 has busybox's sh, but which programs its commands run is not known"]);
  const git = projectOf([], { execs: [{ programs: ['git'], evidence: at(12, 'exec.Command') }] }, { needs: cgo });
  assert.deepEqual(toMultiStage(parseDockerfile(text), git), { ok: false, reason: "the program starts git (main.go:12), and alpine:3 has only busybox's programs besides /app/app" });
});

test('heavy-runtime-base does not offer distroless or scratch to a program that starts other programs', () => {
  const text = ['FROM golang:1.22-alpine AS build', 'WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/server .', '', 'FROM alpine:3.20', 'COPY --from=build /out/server /usr/local/bin/server', 'ENTRYPOINT ["server"]', ''].join('\n');
  const heavy = (project: ProjectFacts): number => analyze(parseDockerfile(text), project).filter((f) => f.rule === 'heavy-runtime-base').length;
  assert.equal(heavy(projectOf([])), 1);
  assert.equal(heavy(projectOf([], { execs: [{ programs: ['git'], evidence: at(12, 'exec.Command') }] })), 0);
  assert.equal(heavy(projectOf([], { execs: [WORKER_EXEC] })), 0);
  // Starting itself again is no reason: the binary is in every runtime.
  assert.equal(heavy(projectOf([], { execs: [{ programs: ['server'], evidence: at(12, 'exec.Command') }] })), 1);
});

/** The build stage Minimize makes of NAIVE when go.mod requires modules: they are downloaded first. */
const MODULES_FIRST = ['FROM golang:1.22 AS build', 'WORKDIR /app', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .', ''].join('\n');
const RESTY_GO_MOD = ['module example.com/fetch', '', 'go 1.22', '', 'require github.com/go-resty/resty/v2 v2.16.5', '', 'require golang.org/x/net v0.33.0 // indirect', ''].join('\n');

test('on scratch, a program whose modules are not known to be free of TLS and zone lookups gets the CA bundle and zone data', () => {
  // resty makes the HTTPS calls; the program's own code calls no net/http API the scan knows.
  const project = projectOf(['go.sum'], {}, { goMod: RESTY_GO_MOD });
  const { conversion, minimized } = convert(NAIVE, project, 'scratch');
  assert.equal(
    minimized,
    [
      'FROM golang:1.22 AS build',
      'WORKDIR /app',
      'COPY go.mod go.sum ./',
      'RUN go mod download',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -tags=timetzdata -o app .',
      '',
      'FROM scratch',
      '# The CA bundle and zone data: go.mod requires github.com/go-resty/resty/v2, golang.org/x/net, not known to be free of TLS calls and time-zone lookups.',
      `# ${conversion.notes[1]}`,
      'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'USER 65532:65532',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.match(conversion.notes[1] ?? '', /^Zone data: -tags timetzdata \(\d+ kB in the binary, .*\), smaller than copying \/usr\/share\/zoneinfo/);
  assert.equal(conversion.safe, true);
});

test('on scratch, modules known to make no TLS calls or zone lookups add nothing; distroless has both anyway', () => {
  const goMod = ['module example.com/tool', '', 'go 1.22', '', 'require (', '\tgithub.com/spf13/cobra v1.8.1', '\tgithub.com/go-chi/chi/v5 v5.1.0', ')', '', 'require (', '\tgithub.com/inconshreveable/mousetrap v1.1.0 // indirect', '\tgithub.com/spf13/pflag v1.0.5 // indirect', ')', ''].join('\n');
  const scratch = convert(NAIVE, projectOf(['go.sum'], {}, { goMod }), 'scratch').minimized;
  assert.equal(scratch, [MODULES_FIRST, 'FROM scratch', 'WORKDIR /app', 'COPY --from=build /app/app /app/app', 'USER 65532:65532', 'CMD ["/app/app"]', ''].join('\n'));
  const distroless = convert(NAIVE, projectOf(['go.sum'], {}, { goMod: RESTY_GO_MOD })).minimized;
  assert.equal(distroless, [MODULES_FIRST, 'FROM gcr.io/distroless/static-debian12:nonroot', 'WORKDIR /app', 'COPY --from=build /app/app /app/app', 'CMD ["/app/app"]', ''].join('\n'));
});

test('switching an Alpine runtime to scratch copies the CA bundle for modules not proven free of TLS, and says why', () => {
  const text = ['FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -tags timetzdata -o /out/fetch .', '', 'FROM alpine:3.20', 'COPY --from=build /out/fetch /usr/local/bin/fetch', 'USER 65532:65532', 'ENTRYPOINT ["fetch"]', ''].join('\n');
  const project = projectOf([], {}, { goMod: RESTY_GO_MOD });
  const finding = analyze(parseDockerfile(text), project, { rules: {}, runtime: 'scratch' }).find((f) => f.rule === 'heavy-runtime-base');
  const fix = finding?.fixes.find((f) => f.title === 'Switch runtime to scratch');
  assert.ok(fix?.safe, JSON.stringify(finding));
  const switched = applyEdits(text, [...fix.edits]);
  assert.equal(
    switched,
    [
      'FROM golang:1.22 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -tags timetzdata -o /out/fetch .',
      '',
      'FROM scratch',
      // Zone data is linked in already (-tags timetzdata): only the bundle is said.
      '# The CA bundle: go.mod requires github.com/go-resty/resty/v2, golang.org/x/net, not known to be free of TLS calls and time-zone lookups.',
      'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'COPY --from=build /out/fetch /usr/local/bin/fetch',
      'USER 65532:65532',
      'ENTRYPOINT ["fetch"]',
      '',
    ].join('\n'),
  );
  assert.equal(analyze(parseDockerfile(switched), project, { rules: {}, runtime: 'scratch' }).filter((f) => f.rule === 'heavy-runtime-base').length, 0);
});

test('the Go runtime\'s own settings in ENV stay with the program; the build\'s go settings do not', () => {
  const text = NAIVE.replace('WORKDIR /app\n', 'WORKDIR /app\nENV GOFLAGS=-mod=mod GOMEMLIMIT=200MiB GODEBUG=http2client=0 GOGC=50\n');
  const { minimized } = convert(text, projectOf([]));
  assert.equal(
    minimized.slice(minimized.indexOf('FROM gcr.io')),
    ['FROM gcr.io/distroless/static-debian12:nonroot', 'WORKDIR /app', 'COPY --from=build /app/app /app/app', 'ENV GOMEMLIMIT=200MiB GODEBUG=http2client=0 GOGC=50', 'CMD ["/app/app"]', ''].join('\n'),
  );
});

test('on scratch, a third-party package imported without a go.mod requirement (GOPATH mode) counts as not proven too', () => {
  const imports = new Set(['fmt', 'github.com/go-resty/resty', 'github.com/spf13/pflag', 'example.com/app/internal/store']);
  const project = projectOf([], {}, { goMod: 'module example.com/app\n\ngo 1.22\n', needs: { imports } });
  const { conversion } = convert(NAIVE, project, 'scratch');
  // resty also saves responses to files and uploads files by the paths the program gives, so root stays too.
  assert.deepEqual(conversion.notes, [
    'Runs as root: github.com/go-resty/resty may write files where only root may, and Slimfile does not read its code.',
    'The CA bundle and zone data: the sources import github.com/go-resty/resty, not known to be free of TLS calls and time-zone lookups.',
    'Zone data: -tags timetzdata (513 kB in the binary, Go binary model, measured with Go 1.22.12 on 2026-12-01), smaller than copying /usr/share/zoneinfo (1495 kB, measured on Debian bookworm).',
  ]);
  assert.deepEqual(convert(NAIVE, projectOf([], {}, { needs: { imports: new Set(['fmt', 'github.com/spf13/pflag', 'github.com/go-chi/chi/v5/middleware']) } }), 'scratch').conversion.notes, []);
});

test('runs-as-root switches to a non-root user when the only write is one the image never makes (its variable unset)', () => {
  const text = ['FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/app .', '', 'FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]', ''].join('\n');
  const fixOf = (project: ProjectFacts, env = ''): boolean | undefined => {
    const source = env ? text.replace('FROM scratch\n', `FROM scratch\n${env}\n`) : text;
    return analyze(parseDockerfile(source), project).find((f) => f.rule === 'runs-as-root')?.fixes.find((f) => f.title === 'Add USER 65532:65532')?.safe;
  };
  const project = projectOf([], { writes: [LOG_FILE_WRITE] });
  assert.equal(fixOf(project), true);
  assert.equal(fixOf(project, 'ENV LOG_FILE=/var/log/app.log'), false);
  // A package whose code the scan does not read may write anywhere: the switch is offered, not applied.
  const library = projectOf([], {}, { needs: { imports: new Set(['github.com/uadmin/uadmin']) } });
  assert.equal(fixOf(library), false);
  const risks = analyze(parseDockerfile(text), library).find((f) => f.rule === 'runs-as-root')?.related?.map((r) => r.message);
  assert.ok(risks?.some((m) => m.includes('github.com/uadmin/uadmin may write files where only root may, and Slimfile does not read its code')), risks?.join('\n'));
});

test('a file the program reads that neither image has converts when no RUN step can make it, and the preview says so', () => {
  const text = ['FROM golang:1.22', 'RUN mkdir /app', 'WORKDIR /app', 'COPY . .', 'RUN go mod download', 'RUN go build -o main . && ls -l main > /dev/null', 'CMD ["/app/main"]', ''].join('\n');
  const project = projectOf([], { reads: [{ path: '.env', directory: false, evidence: at(18, 'godotenv.Load()') }] }, { needs: { imports: new Set(['github.com/joho/godotenv']) } });
  const { conversion, minimized } = convert(text, project);
  assert.equal(
    minimized,
    [
      'FROM golang:1.22 AS build',
      'RUN mkdir /app',
      'WORKDIR /app',
      'COPY . .',
      'RUN go mod download',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o main . && ls -l main > /dev/null',
      '',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# godotenv.Load() at main.go:18 reads /app/.env, which neither image has (the build context lacks it and no RUN step makes it), so the program behaves the same.',
      'WORKDIR /app',
      'COPY --from=build /app/main /app/main',
      'CMD ["/app/main"]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(conversion.problems, []);
  // A RUN step that may write the file is named, and the conversion waits for the reader.
  for (const [step, maker] of [
    ['RUN cp .env.example .env', '`cp .env.example .env` at line 5'],
    ['RUN echo "PORT=8080" >> .env', '`echo PORT=8080 > .env` at line 5'],
    ['RUN node scripts/write-env.js', '`node scripts/write-env.js` at line 5'],
  ] as const) {
    const made = text.replace('RUN go mod download', step);
    assert.deepEqual(convert(made, project).conversion.problems, [`godotenv.Load() at main.go:18 reads /app/.env, which the build context does not have, and ${maker} may create it`]);
  }
});

test('a single file copied to a folder a RUN step made goes inside that folder, and is found there', () => {
  const text = [
    'FROM golang:1.22',
    'RUN mkdir /app && mkdir /app/templates && mkdir -p /app/static/css',
    'COPY main.go go.mod /app/',
    'COPY templates/welcome.html /app/templates',
    'COPY static/css/site.css /app/static/css',
    'WORKDIR /app',
    'RUN go build -o main .',
    'USER 1001',
    'ENTRYPOINT ["/app/main"]',
    '',
  ].join('\n');
  const project = projectOf(['templates/welcome.html', 'static/css/site.css'], {
    reads: [
      { path: 'templates/welcome.html', directory: false, evidence: at(24, 'template.ParseFiles("templates/welcome.html")') },
      { path: 'static', directory: true, evidence: at(30, 'http.Dir("static")') },
    ],
  });
  const { conversion, minimized } = convert(text, project);
  assert.equal(
    minimized,
    [
      'FROM golang:1.22 AS build',
      'RUN mkdir /app && mkdir /app/templates && mkdir -p /app/static/css',
      'COPY main.go go.mod /app/',
      'COPY templates/welcome.html /app/templates',
      'COPY static/css/site.css /app/static/css',
      'WORKDIR /app',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o main .',
      '',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'WORKDIR /app',
      'COPY --from=build /app/main /app/main',
      'COPY --from=build /app/static/css/site.css /app/static/css/site.css',
      'COPY --from=build /app/templates/welcome.html /app/templates/welcome.html',
      'USER 1001',
      'ENTRYPOINT ["/app/main"]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(conversion.problems, []);
});

test('a library whose code the scan does not read keeps the data files where they were and the user the original image had, and says which', () => {
  // stellviaproject/uadmin: main.go only calls uadmin.StartServer(); the library reads templates/
  // and static/ and writes uadmin.db, .key and media/ in the working folder.
  const goMod = 'module example.com/admin\n\ngo 1.21\n\nrequire github.com/uadmin/uadmin v0.10.1\n';
  const project = projectOf(['go.sum', 'templates/uadmin/default/home.html', 'static/index.html', 'docker-compose.yml'], {}, { goMod, needs: { imports: new Set(['github.com/uadmin/uadmin']) } });
  const text = NAIVE.replace('CMD', 'EXPOSE 8080\nCMD');
  const { conversion, minimized } = convert(text, project);
  assert.equal(
    minimized,
    [
      'FROM golang:1.22 AS build',
      'WORKDIR /app',
      'COPY go.mod go.sum ./',
      'RUN go mod download',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o app .',
      '',
      'FROM gcr.io/distroless/static-debian12',
      '# Runs as root: github.com/uadmin/uadmin may write files where only root may, and Slimfile does not read its code.',
      '# Keeps static/, templates/ where the original image had them: github.com/uadmin/uadmin is imported, and Slimfile does not know which files it opens.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/static /app/static',
      'COPY --from=build /app/templates /app/templates',
      'EXPOSE 8080',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(conversion.problems, []);
  // A user the original image set is the one it keeps.
  const withUser = convert(text.replace('CMD', 'USER 1000\nCMD'), project).minimized;
  assert.ok(withUser.includes('\nCOPY --from=build /app/templates /app/templates\nEXPOSE 8080\nUSER 1000\nCMD ["/app/app"]\n'), withUser);
});

test('libraries known to open no files of their own, the module\'s own packages and a module replaced by a context folder leave the unread entries out', () => {
  const goMod = 'module example.com/app\n\ngo 1.22\n\nreplace github.com/acme/shared => ./shared\n';
  const imports = new Set(['github.com/gin-gonic/gin', 'github.com/lib/pq', 'github.com/sirupsen/logrus', 'gopkg.in/yaml.v3', 'example.com/app/internal/store', 'github.com/acme/shared/log', 'github.com/golang-jwt/jwt/v5', 'net/http']);
  const project = projectOf(['shared/log/log.go', 'internal/store/store.go', 'screenshot.png'], {}, { goMod, needs: { imports } });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(minimized, [BUILD_STAGE, 'FROM gcr.io/distroless/static-debian12:nonroot', '# Not copied: screenshot.png: nothing reads it at run time.', 'WORKDIR /app', 'COPY --from=build /app/app /app/app', 'CMD ["/app/app"]', ''].join('\n'));
  assert.deepEqual(conversion.problems, []);
  // In GOPATH mode (no go.mod) a package whose folder the context holds is the program's own.
  const withModule = projectOf(['controllers/users.go', 'screenshot.png'], {}, { needs: { imports: new Set(['github.com/me/app/controllers', 'github.com/gorilla/mux']) } });
  const gopath = { ...withModule, own: { ...withModule.own, go: { ...goFacts(withModule), goMod: undefined, goModPath: undefined } } };
  assert.deepEqual(convert(NAIVE, gopath).conversion.notes, ['Not copied: screenshot.png: nothing reads it at run time.']);
});

test('a library that only reads the files the program names keeps the data files, and the program still runs as non-root', () => {
  // echo's middleware.Static("public") serves a folder through a call the scan does not recognise.
  const imports = new Set(['github.com/labstack/echo/v4', 'github.com/labstack/echo/v4/middleware']);
  const project = projectOf(['public/index.html', 'notes.txt'], {}, { needs: { imports } });
  const { conversion, minimized } = convert(NAIVE, project);
  assert.equal(
    minimized,
    [
      BUILD_STAGE,
      'FROM gcr.io/distroless/static-debian12:nonroot',
      '# Keeps notes.txt, public/ where the original image had them: github.com/labstack/echo/v4/middleware reads files the program names through calls Slimfile does not follow.',
      'WORKDIR /app',
      'COPY --from=build /app/app /app/app',
      'COPY --from=build /app/notes.txt /app/notes.txt',
      'COPY --from=build /app/public /app/public',
      'CMD ["/app/app"]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(conversion.problems, []);
});

test('on scratch, a program whose only module is godotenv gets neither the CA bundle nor zone data: it reads .env files and dials nothing', () => {
  const project = projectOf([], {}, { goMod: 'module example.com/notifier\n\ngo 1.19\n\nrequire github.com/joho/godotenv v1.5.1\n' });
  const { conversion } = convert(NAIVE, project, 'scratch');
  assert.equal(conversion.runtimeImage, 'scratch');
  const runtime = applyEdits(NAIVE, conversion.edits).split('\nFROM scratch\n')[1] ?? '';
  assert.doesNotMatch(runtime, /ca-certificates|zoneinfo|timetzdata|Zone data/);
});

test('on scratch in GOPATH mode, the project\'s own packages (folders of the context) need nothing; a package from elsewhere still does', () => {
  // The shape of test/fixtures/projects/gopath-get: no go.mod, main.go imports github.com/acme/greeter/greet, the context's greet/.
  const gopath = (imports: readonly string[]): ProjectFacts => {
    const project = projectOf(['greet/greet.go'], {}, { needs: { imports: new Set(imports) } });
    return { ...project, own: { ...project.own, go: { ...goFacts(project), goMod: undefined, goModPath: undefined } } };
  };
  const own = convert(NAIVE, gopath(['fmt', 'net/http', 'github.com/acme/greeter/greet']), 'scratch');
  assert.deepEqual(own.conversion.notes, []);
  assert.ok(!own.minimized.includes('ca-certificates.crt') && !own.minimized.includes('timetzdata'), own.minimized);
  const elsewhere = convert(NAIVE, gopath(['fmt', 'github.com/acme/greeter/greet', 'github.com/go-resty/resty']), 'scratch');
  assert.ok(elsewhere.conversion.notes.includes('The CA bundle and zone data: the sources import github.com/go-resty/resty, not known to be free of TLS calls and time-zone lookups.'), elsewhere.conversion.notes.join('\n'));
});
