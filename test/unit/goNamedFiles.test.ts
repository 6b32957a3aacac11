// A go build that names .go files compiles those files and the packages they import, nothing else
// of their folder (cmd/go's GoFilesPackage). The fixture is a kiosk: main.go serves and saves
// through store/, and check.go, another file of package main, halts the machine from an init.
// `go build main.go` never compiles check.go, so its halt is no reason to keep the toolchain
// image; every build that compiles check.go, or may, keeps the refusal.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { minimize } from '../../server/src/analysis';
import type { ProjectFacts } from '../../server/src/analysis/project';
import { ContextState, loadProject } from '../../server/src/workspace/project';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'go-named-files');

function kiosk(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slimfile-named-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const naive = (run: string): string => ['FROM golang:1.22', 'WORKDIR /app', 'COPY . .', `RUN ${run}`, 'CMD ["/app/kiosk"]', ''].join('\n');

/** Why Minimize kept the toolchain image, or undefined when it converted the file. */
function refusal(text: string, project: ProjectFacts): string | undefined {
  const result = minimize(text, project);
  const left = result.remaining.find((f) => f.rule === 'go-toolchain-in-final-image');
  if (!left) {
    assert.ok(result.applied.includes('Convert to multi-stage build'), `applied: ${result.applied.join('; ')}`);
    return undefined;
  }
  assert.equal(result.text, text);
  return (left.details ?? []).join('\n');
}

const HALT = 'No automatic fix: the program starts halt (check.go:12), and the small runtime has no program besides /app/kiosk.';

test('go build main.go is judged by main.go and the store package it imports, not by check.go beside it', async (t) => {
  const project = await loadProject(kiosk(t), { maxGoFiles: 100 });
  const text = naive('go build -o /app/kiosk main.go');
  assert.equal(
    minimize(text, project).text,
    [
      'FROM golang:1.22 AS build',
      'WORKDIR /app',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app/kiosk main.go',
      // store.Save writes data/saved.txt: the imported package's facts are there.
      'RUN mkdir -p /writable/app/data',
      '',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'WORKDIR /app',
      'COPY --from=build /app/kiosk /app/kiosk',
      'COPY --from=build --chown=65532:65532 /writable/app/data /app/data',
      'CMD ["/app/kiosk"]',
      '',
    ].join('\n'),
  );
});

test('a build of the package, or one that names check.go too, keeps the refusal', async (t) => {
  const project = await loadProject(kiosk(t), { maxGoFiles: 100 });
  for (const run of ['go build -o /app/kiosk .', 'go build -o /app/kiosk ./...', 'go build -o /app/kiosk main.go check.go', 'go build -o /app/kiosk check.go main.go']) {
    assert.equal(refusal(naive(run), project), HALT, run);
  }
});

test('files the analysis cannot tell keep every source of the context: a variable, a glob, a file a RUN step changes', async (t) => {
  const project = await loadProject(kiosk(t), { maxGoFiles: 100 });
  const runs = [
    // The shell expands this when the RUN runs: main.go check.go, say.
    'go build -o /app/kiosk ${MAIN_FILES}',
    // main.go is check.go's text by the time go reads it.
    'cp check.go main.go && go build -o /app/kiosk main.go',
    'sed -i "s/store.Save/_ = /" main.go && go build -o /app/kiosk main.go',
  ];
  for (const run of runs) assert.equal(refusal(naive(run), project), HALT, run);
  // A file that comes from another stage is not the context's.
  const fromStage = ['FROM golang:1.22 AS source', 'WORKDIR /app', 'COPY . .', '', 'FROM source', 'RUN go build -o /app/kiosk main.go', 'CMD ["/app/kiosk"]', ''].join('\n');
  assert.ok(refusal(fromStage, project)?.includes('starts halt'), 'FROM an earlier stage');
  const overwritten = ['FROM golang:1.22', 'WORKDIR /app', 'COPY . .', 'COPY --from=busybox:1.36 /bin /app', 'RUN go build -o /app/kiosk main.go', 'CMD ["/app/kiosk"]', ''].join('\n');
  assert.equal(refusal(overwritten, project), HALT, 'COPY --from into the folder');
});

const REBOOT = 'No automatic fix: the program starts reboot (reboot.go:9), and the small runtime has no program besides /app/kiosk.';

test('a named file is compiled whatever its build constraints say, as go does with UseAllFiles', async (t) => {
  const project = await loadProject(kiosk(t), { maxGoFiles: 100 });
  // reboot.go is `//go:build ignore`: `go build .` leaves it out, `go build reboot.go` builds it alone.
  assert.equal(refusal(naive('go build -o /app/kiosk reboot.go'), project), REBOOT);
  // Where what the build compiles cannot be told, every source counts, and the named file too.
  assert.equal(refusal(naive('ssh-keyscan github.com >> /root/known_hosts && go build -o /app/kiosk reboot.go'), project), `${HALT.slice(0, -1)}; ${REBOOT.replace('No automatic fix: ', '')}`);
  // *.go is every file of the folder when the shell expands it, reboot.go among them.
  assert.equal(refusal(naive('go build -o /app/kiosk *.go'), project), `${HALT.slice(0, -1)}; ${REBOOT.replace('No automatic fix: ', '')}`);
  // `go build .` is a package: reboot.go is not in it.
  assert.equal(refusal(naive('go build -o /app/kiosk .'), project), HALT);
});

test('after a save, the named file is read as saved: main.go that now starts shutdown keeps the image', async (t) => {
  const dir = kiosk(t);
  const state = new ContextState(dir, { maxGoFiles: 100 });
  t.after(() => state.dispose());
  const text = naive('go build -o /app/kiosk main.go');
  assert.equal(refusal(text, await state.load()), undefined);
  const main = path.join(dir, 'main.go');
  writeFileSync(main, 'package main\n\nimport "os/exec"\n\nfunc main() {\n\t_ = exec.Command("shutdown").Run()\n}\n');
  const saved = await state.changed([{ path: main, kind: 'changed' }]);
  assert.equal(refusal(text, saved), 'No automatic fix: the program starts shutdown (main.go:6), and the small runtime has no program besides /app/kiosk.');
  // The state is disposed (the editor closed the folder): the facts handed out still answer, from their own texts.
  state.dispose();
  assert.equal(refusal(naive('go build -o /app/kiosk main.go'), saved), 'No automatic fix: the program starts shutdown (main.go:6), and the small runtime has no program besides /app/kiosk.');
});

test('the packages a named file imports count, through go.mod replace directives to a folder of the context too', async (t) => {
  const dir = kiosk(t);
  // main.go now imports a module that go.mod replaces by ./power, whose package starts poweroff.
  writeFileSync(path.join(dir, 'go.mod'), 'module example.com/kiosk\n\ngo 1.22\n\nrequire example.com/power v0.0.0\n\nreplace example.com/power => ./power\n');
  mkdirSync(path.join(dir, 'power', 'off'), { recursive: true });
  writeFileSync(path.join(dir, 'power', 'go.mod'), 'module example.com/power\n\ngo 1.22\n');
  writeFileSync(path.join(dir, 'power', 'off', 'off.go'), 'package off\n\nimport "os/exec"\n\nfunc Now() { _ = exec.Command("poweroff").Run() }\n');
  writeFileSync(path.join(dir, 'main.go'), 'package main\n\nimport "example.com/power/off"\n\nfunc main() { off.Now() }\n');
  const project = await loadProject(dir, { maxGoFiles: 100 });
  assert.equal(refusal(naive('go build -o /app/kiosk main.go'), project), 'No automatic fix: the program starts poweroff (power/off/off.go:5), and the small runtime has no program besides /app/kiosk.');
  // A go.work makes the build a workspace's, which the facts do not follow: every source counts.
  writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  writeFileSync(path.join(dir, 'go.work'), 'go 1.22\n\nuse .\n');
  assert.equal(refusal(naive('go build -o /app/kiosk main.go'), await loadProject(dir, { maxGoFiles: 100 })), 'No automatic fix: the program starts halt (check.go:12), and the small runtime has no program besides /app/kiosk; the program starts poweroff (power/off/off.go:5), and the small runtime has no program besides /app/kiosk.');
});
