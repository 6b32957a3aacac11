// Python's compiled dependencies without the compiler in the final image: a stage on the full image
// builds every requirement into a wheel (`pip wheel`), the slim runtime installs from those wheels
// only, and gets the Debian packages of the shared libraries they link. The wheel stage proves the
// list: it runs ldd over every installed extension, maps each library to its package with
// `dpkg -S`, and fails the build naming any package the runtime image would lack. Pure: text out.
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../../model';
import { keyword, insertLinesBefore, insertLinesAfter, replaceBaseImage } from '../../fixes/edits';
import { pipInstalls, normalizeDistribution, type PipInstall } from './python';
import { linkCheckLines } from '../linkCheck';

/** Where the wheels are built, and mounted in the runtime stage. */
export const WHEEL_DIR = '/wheels';

/** What the runtime's pip install is told: the wheels only, never an index or a source build. */
const WHEELS_ONLY = `--no-index --find-links=${WHEEL_DIR} --only-binary=:all:`;

/** `pip install`, `pip3.11 install`, `python3 -m pip install` in a RUN's text: where the options go. */
const PIP_INSTALL_WORDS = /\b(?:pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip)\s+install\b/g;

/**
 * The Debian package each source-only distribution's extension links at run time, by release
 * (`*` for every release). From Debian's package names: psycopg2 links libpq.so.5 (libpq5),
 * mysqlclient libmariadb.so.3 (libmariadb3), uWSGI libxml2.so.2.
 */
const RUNTIME_PACKAGES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  psycopg2: { '*': ['libpq5'] },
  mysqlclient: { '*': ['libmariadb3'] },
  uwsgi: { '*': ['libxml2'] },
  pycairo: { '*': ['libcairo2'] },
  pyodbc: { bullseye: ['libodbc1'], '*': ['libodbc2'] },
  gssapi: { '*': ['libgssapi-krb5-2'] },
  'python-ldap': { bullseye: ['libldap-2.4-2', 'libsasl2-2'], bookworm: ['libldap-2.5-0', 'libsasl2-2'], '*': ['libldap2', 'libsasl2-2'] },
};

/**
 * Distributions that start programs outside the Python packages at run time (a browser and its
 * driver, wkhtmltopdf, tesseract): what those link is not in any wheel, so no build step can
 * prove the slim image runs them.
 */
export const STARTS_PROGRAMS: ReadonlyMap<string, string> = new Map([
  ['selenium', 'a web browser and its driver'],
  ['playwright', 'a web browser'],
  ['pyppeteer', 'Chromium'],
  ['pdfkit', 'wkhtmltopdf'],
  ['imgkit', 'wkhtmltoimage'],
  ['pytesseract', 'tesseract'],
  ['pydub', 'ffmpeg'],
  ['moviepy', 'ffmpeg'],
  ['ffmpeg-python', 'ffmpeg'],
]);

/** The runtime's Debian packages for these distributions on this release (codename, or undefined: the current one). */
export function runtimePackages(distributions: readonly string[], release: string | undefined): string[] {
  const out = new Set<string>();
  for (const name of distributions) {
    const byRelease = RUNTIME_PACKAGES[normalizeDistribution(name)];
    if (!byRelease) continue;
    for (const p of byRelease[release ?? '*'] ?? byRelease['*'] ?? []) out.add(p);
  }
  return [...out].sort();
}

/** A word for a shell line, quoted when the shell would split or expand it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Options of `pip install` that `pip wheel` does not take (they say where or how to install). */
const INSTALL_ONLY = new Set(['-U', '--upgrade', '--force-reinstall', '--user', '--no-warn-script-location', '--break-system-packages', '--ignore-installed', '-I', '--compile', '--no-compile']);
const INSTALL_ONLY_WITH_VALUE = new Set(['-t', '--target', '--prefix', '--root', '--upgrade-strategy']);

/** `pip wheel --wheel-dir /wheels …` with the install's requirements and index options. */
export function pipWheelLine(install: PipInstall): string {
  const argv = install.command.argv;
  const program = install.program.startsWith('python') ? [argv[0] as string, '-m', 'pip'] : [argv[0] as string];
  const args = install.program.startsWith('python') ? argv.slice(3) : argv.slice(1);
  const kept: string[] = [];
  for (let i = args.indexOf('install') + 1; i < args.length; i++) {
    const w = args[i] as string;
    if (INSTALL_ONLY.has(w)) continue;
    if (INSTALL_ONLY_WITH_VALUE.has(w)) {
      i++;
      continue;
    }
    kept.push(w);
  }
  return [...program, 'wheel', '--wheel-dir', WHEEL_DIR, ...kept].map(shellWord).join(' ');
}

export interface WheelPlan {
  readonly edits: TextEdit[];
  /** Debian packages the runtime stage installs for the libraries the wheels link. */
  readonly runtimePackages: readonly string[];
}

/** A stage name no other stage of the file has. */
function freeName(model: DockerfileModel, wanted: string): string {
  const taken = new Set(model.stages.map((s) => s.name?.toLowerCase()));
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}-${i}`;
  return name;
}

/**
 * The edits: the wheel stage (the final stage's own steps up to its last pip install, then
 * `pip wheel` beside each install, then the check) before the final stage; the final stage on
 * the slim image, with the runtime packages, pip told to take only the wheels, and the wheels
 * mounted into each RUN that installs (BuildKit), so they never become a layer of the image.
 */
export function wheelStage(model: DockerfileModel, stage: Stage, fullImage: string, slimImage: string, distributions: readonly string[], release: string | undefined): WheelPlan | undefined {
  const installs = pipInstalls(stage);
  if (installs.length === 0 || model.unfinished) return undefined;
  const k = (w: string): string => keyword(model, w);
  const name = freeName(model, 'wheels');
  const packages = runtimePackages(distributions, release);
  const installRuns = [...new Set(installs.map((i) => i.run))];
  const lastInstall = installRuns[installRuns.length - 1]?.range.end.line ?? 0;
  const lines: string[] = [
    `# Builds every requirement into a wheel on ${fullImage}, with its compiler and headers, and checks what the wheels link.`,
    `${k('FROM')} ${fullImage} ${k('AS')} ${name}`,
  ];
  for (const instruction of stage.instructions.slice(1)) {
    const range = instruction.getRange();
    if (range.start.line > lastInstall) break;
    if (!['ARG', 'ENV', 'WORKDIR', 'COPY', 'ADD', 'RUN', 'SHELL'].includes(instruction.getKeyword())) continue;
    lines.push(model.document.getText(range).replace(/\r?\n/g, model.eol));
    const run = installRuns.find((r) => r.range.start.line === range.start.line);
    if (run) for (const install of installs.filter((i) => i.run === run)) lines.push(`${k('RUN')} ${pipWheelLine(install)}`);
  }
  lines.push(...linkCheckLines(model, { runtimeImage: slimImage, packages, what: 'an installed package', roots: `$(python3 -c 'import sysconfig; p = sysconfig.get_paths(); print(p["platlib"], p["purelib"])')`, files: '*.so*' }), '');
  const edits: TextEdit[] = [insertLinesBefore(model, stage.fromRange.start.line, lines), replaceBaseImage(stage, slimImage)];
  if (packages.length > 0) edits.push(insertLinesAfter(model, stage.fromRange, [`${k('RUN')} apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`]));
  for (const run of installRuns) {
    const at = run.instruction.getInstructionRange().end;
    edits.push({ range: { start: at, end: at }, newText: ` --mount=type=bind,from=${name},source=${WHEEL_DIR},target=${WHEEL_DIR}` });
    // Command-line options, not PIP_* variables: a --find-links the user wrote would override the
    // variable, and pip would build the sdist it finds there again, without a compiler.
    const text = model.document.getText(run.range);
    const start = model.document.offsetAt(run.range.start);
    for (const m of text.matchAll(PIP_INSTALL_WORDS)) {
      const position = model.document.positionAt(start + (m.index ?? 0) + m[0].length);
      edits.push({ range: { start: position, end: position }, newText: ` ${WHEELS_ONLY}` });
    }
  }
  return { edits, runtimePackages: packages };
}
