// Scores Slimfile's Minimize on one corpus row against the row's ground truth: was the Dockerfile
// converted, and if so does the new image still hold what the program reads, let it write where it
// writes, carry CA certificates and libc when it needs them. A must-refuse row that was converted
// is unsafe.
import * as path from 'node:path';
import type { DockerfileModel, Stage } from '../../server/src/analysis/model';
import type { TruthRow, ProgramPath } from './truth';
import { entriesUnder, isRootUser, sameUser, type ContextFiles, type ImageFiles, type SimulatedStage, simulateStages } from './imageFiles';
import { goBuildsIn } from '../../server/src/analysis/languages/go/goBuilds';

export interface RowScore {
  readonly converted: boolean;
  /** Only for convertible rows that were converted: no problem below. */
  readonly correct: boolean | undefined;
  /** A must-refuse row converted; for other languages also a converted image that lost what the program reads, writes or links. */
  readonly unsafe: boolean;
  /** Why the converted image is not correct (reads, writes, certificates, libc, the start command). */
  readonly problems: readonly string[];
  /** What changes the program's behaviour without breaking it: zone data, the local time zone. */
  readonly warnings: readonly string[];
  /** Ground-truth paths that could not be checked, and why. */
  readonly unscored: readonly string[];
  readonly finalImage: string;
}

type Libc = 'glibc' | 'musl' | 'none' | 'unknown';

function isGolang(image: string): boolean {
  return /(^|\/)golang(:|@|$)/.test(image);
}

export function runtimeLibc(image: string): Libc {
  if (image === 'scratch' || /distroless\/static/.test(image)) return 'none';
  if (/distroless\//.test(image)) return 'glibc';
  if (/alpine/.test(image)) return 'musl';
  if (/(^|\/)(debian|ubuntu|golang|fedora|centos|rockylinux|almalinux)(:|@|$)/.test(image) || /bookworm|bullseye|buster|trixie/.test(image)) return 'glibc';
  return 'unknown';
}

export function hasShell(image: string): boolean {
  if (image === 'scratch') return false;
  if (/distroless\//.test(image)) return /:debug/.test(image);
  return true;
}

export function hasCertificates(image: string, stage: Stage, files: ImageFiles): boolean {
  if (/distroless\/|alpine|(^|\/)golang(:|@|$)/.test(image)) return true;
  if (files.has('/etc/ssl/certs/ca-certificates.crt') || files.has('/etc/ssl/certs')) return true;
  return stage.packageInstalls.some((p) => p.packages.some((name) => name.startsWith('ca-certificates')));
}

function hasZoneData(image: string, stage: Stage, files: ImageFiles, buildTags: readonly string[]): boolean {
  if (/distroless\/|(^|\/)(golang|debian)(:|@|$)/.test(image)) return true;
  if (buildTags.includes('timetzdata')) return true;
  if ([...files.keys()].some((p) => p === '/usr/share/zoneinfo' || p.startsWith('/usr/share/zoneinfo/'))) return true;
  return stage.packageInstalls.some((p) => p.packages.includes('tzdata'));
}

/** The local time zone the original image sets beyond TZ: /etc/localtime written by a RUN. */
function setsLocaltime(stage: Stage): boolean {
  return stage.runs.some((r) => /\/etc\/localtime|dpkg-reconfigure\s+(-f\s+\S+\s+)?tzdata/.test(r.script));
}

/** A path only known at run time (an environment variable, a config key). */
function runtimeOnly(p: ProgramPath): boolean {
  return p.path.startsWith('$') || p.path === '';
}

function binaryStages(files: ImageFiles): number[] {
  return [...new Set([...files.values()].flatMap((e) => (e.origin?.startsWith('binary:') ? [Number(e.origin.slice('binary:'.length))] : [])))];
}

export function checkReads(row: TruthRow, original: SimulatedStage, minimized: SimulatedStage, problems: string[], unscored: string[]): void {
  for (const read of row.reads) {
    if (runtimeOnly(read)) {
      unscored.push(`read ${read.path}: path known only at run time`);
      continue;
    }
    const before = path.posix.resolve(original.workdir, read.path);
    const fromContext = entriesUnder(original.files, before).filter(([, e]) => e.kind === 'file' && e.origin?.startsWith('context:'));
    if (fromContext.length === 0) {
      unscored.push(`read ${read.path}: not in the original image from the context (git-ignored, mounted or outside)`);
      continue;
    }
    const after = path.posix.resolve(minimized.workdir, read.path);
    const missing = fromContext.filter(([p, e]) => {
      const relative = p === before ? '' : p.slice(before === '/' ? 1 : before.length + 1);
      return minimized.files.get(relative === '' ? after : path.posix.join(after, relative))?.origin !== e.origin;
    });
    if (missing.length > 0) {
      const shown = missing.slice(0, 3).map(([p]) => path.posix.relative(original.workdir, p) || '.');
      problems.push(`read ${read.path}: ${missing.length} of ${fromContext.length} file(s) not at ${after} (${shown.join(', ')}${missing.length > 3 ? ', …' : ''})`);
    }
  }
}

export function checkWrites(row: TruthRow, original: SimulatedStage, minimized: SimulatedStage, problems: string[], unscored: string[]): void {
  for (const write of row.writes) {
    if (runtimeOnly(write)) {
      unscored.push(`write ${write.path}: path known only at run time`);
      continue;
    }
    if (isRootUser(minimized.user)) continue;
    const target = path.posix.resolve(minimized.workdir, write.path);
    if (target === '/tmp' || target.startsWith('/tmp/')) continue;
    const originalKind = original.files.get(path.posix.resolve(original.workdir, write.path))?.kind;
    const here = minimized.files.get(target);
    const owned = (p: string): boolean => {
      const owner = minimized.files.get(p)?.owner;
      return owner !== undefined && sameUser(owner, minimized.user);
    };
    let ok: boolean;
    if (originalKind === 'dir' || write.path === '.') ok = here?.kind === 'dir' && owned(target);
    else if (originalKind === 'file') ok = (here !== undefined && owned(target)) || owned(path.posix.dirname(target));
    else {
      // Made at run time: the deepest folder that exists must let the user create it.
      let existing = target;
      while (!minimized.files.has(existing) && existing !== '/') existing = path.posix.dirname(existing);
      ok = owned(existing);
    }
    if (!ok) problems.push(`write ${write.path}: ${target} is not writable by USER ${minimized.user}`);
  }
}

/** The container must still start: its program is in the image, and a shell form has a shell. */
function checkStart(final: Stage, image: SimulatedStage, problems: string[]): void {
  const command = final.entrypoint ?? final.cmd;
  if (!command) return;
  if (command.form === 'shell') {
    if (!hasShell(image.baseImage)) problems.push(`start: shell-form ${final.entrypoint ? 'ENTRYPOINT' : 'CMD'} needs /bin/sh, which ${image.baseImage} lacks`);
    return;
  }
  const program = command.args[0];
  if (!program || !program.includes('/')) return;
  const at = path.posix.resolve(image.workdir, program);
  // Only the runtimes with nothing of their own can be sure the program is missing.
  if (image.files.get(at)?.kind !== 'file' && runtimeLibc(image.baseImage) === 'none') problems.push(`start: ${program} is not in the final image (the COPY --from finds nothing there)`);
}

export function scoreRow(row: TruthRow, originalModel: DockerfileModel, minimizedModel: DockerfileModel, context: ContextFiles, moduleName: string | undefined): RowScore {
  const originalStages = simulateStages(originalModel, context, moduleName);
  const minimizedStages = simulateStages(minimizedModel, context, moduleName);
  const original = originalStages[originalStages.length - 1];
  const minimized = minimizedStages[minimizedStages.length - 1];
  const finalStage = minimizedModel.finalStage;
  const originalFinal = originalModel.finalStage;
  const finalImage = minimized?.baseImage ?? '(none)';
  const converted = minimizedModel.text !== originalModel.text && minimizedModel.stages.length > 1 && !isGolang(finalImage);
  const problems: string[] = [];
  const warnings: string[] = [];
  const unscored: string[] = [];
  if (converted && original && minimized && finalStage && originalFinal) {
    checkReads(row, original, minimized, problems, unscored);
    checkWrites(row, original, minimized, problems, unscored);
    if (row.tls && !hasCertificates(finalImage, finalStage, minimized.files)) problems.push(`tls: ${finalImage} has no CA certificates and none are copied`);
    const builders = binaryStages(minimized.files);
    const builds = builders.flatMap((i) => (minimizedModel.stages[i] ? goBuildsIn(minimizedModel, minimizedModel.stages[i]) : []));
    if (row.cgo) {
      const runtime = runtimeLibc(finalImage);
      const builderLibc = builders.map((i) => runtimeLibc(minimizedStages[i]?.baseImage ?? ''));
      const staticLink = builds.some((b) => /-static/.test(b.ldflags ?? ''));
      if (builds.some((b) => b.cgo === 'off')) problems.push('cgo: the build sets CGO_ENABLED=0, which the program cannot run without');
      else if (!staticLink && (runtime === 'none' || runtime === 'unknown')) problems.push(`cgo: ${finalImage} has no libc for a cgo binary`);
      else if (!staticLink && builderLibc.some((l) => l !== runtime)) problems.push(`cgo: built against ${builderLibc.join('/')} but the runtime has ${runtime}`);
    }
    if (row.zoneinfo) {
      const tags = builds.flatMap((b) => b.tags);
      if (!hasZoneData(finalImage, finalStage, minimized.files, tags)) warnings.push(`zoneinfo: ${finalImage} has no zone data`);
      const tz = originalFinal.env.get('TZ');
      if (tz !== undefined && finalStage.env.get('TZ') !== tz) warnings.push(`zoneinfo: TZ=${tz} is not set in the final stage`);
      // TZ wins over /etc/localtime in Go, so the file matters only when TZ is not set.
      if (setsLocaltime(originalFinal) && finalStage.env.get('TZ') === undefined && !minimized.files.has('/etc/localtime')) warnings.push('zoneinfo: the original sets /etc/localtime, the final image does not');
    }
    checkStart(finalStage, minimized, problems);
  }
  return {
    converted,
    correct: row.verdict === 'convertible' && converted ? problems.length === 0 : undefined,
    unsafe: row.verdict === 'must-refuse' && converted,
    problems,
    warnings,
    unscored,
    finalImage,
  };
}
