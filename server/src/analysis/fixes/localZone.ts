// The local time zone a stage sets for the running program, which the runtime stage of a
// conversion keeps. An image that links /etc/localtime to Asia/Jakarta runs its program in that
// zone; distroless and scratch have no /etc/localtime, so without it every local-time log line and
// formatted date would silently move to UTC. A COPY of a file that is not there fails the build, so
// only what a RUN visibly writes is copied. BuildKit's COPY follows a source that is a symlink
// (FollowSymlinks: true in moby/buildkit frontend/dockerfile/dockerfile2llb/convert_copy.go), so
// the runtime gets the zone file's bytes, not a link into a zoneinfo tree it may lack.
import { stageChain, type DockerfileModel, type Stage } from '../model';
import { describeBase } from '../baseImage';
import { commandName } from '../shell';
import { runCreations } from '../runCreates';

export const LOCALTIME = '/etc/localtime';
/** Debian's name for the zone, which some runtimes (the JVM) read before /etc/localtime. */
export const TIMEZONE = '/etc/timezone';

export interface LocalZone {
  /** The files the runtime keeps from the build stage, in the order they are copied. */
  readonly keep: readonly string[];
  /** What the reader of the preview should know when the zone the original set is not carried. */
  readonly notes: readonly string[];
}

/**
 * The zone files the stage's RUN steps write, when ENV TZ does not set the zone already (the
 * runtime keeps the ENV): /etc/localtime written by ln, cp or a redirection, or by Debian's tzdata
 * (`dpkg-reconfigure tzdata`, or installing tzdata after debconf-set-selections answers its zone
 * questions), and /etc/timezone written the same ways.
 */
export function localZone(model: DockerfileModel, stage: Stage): LocalZone {
  if (stage.env.has('TZ')) return { keep: [], notes: [] };
  const chain = stageChain(model, stage);
  const creations = chain.flatMap((s) => runCreations(s));
  const written = (path: string): { line: number; link: boolean } | undefined => {
    const creation = creations.find((c) => c.kind !== 'anything' && c.path === path);
    return creation ? { line: creation.line, link: /^ln\s/.test(creation.command) } : undefined;
  };
  const runs = chain.flatMap((s) => s.runs);
  const answered = runs.some((r) => r.commands.some((c) => commandName(c) === 'debconf-set-selections')) && /tzdata\/(Areas|Zones)/.test(runs.map((r) => r.script).join('\n'));
  const reconfigured = runs.find((r) => r.commands.some((c) => commandName(c) === 'dpkg-reconfigure' && c.argv.includes('tzdata')))
    ?? (answered ? chain.flatMap((s) => s.packageInstalls).find((p) => p.packages.includes('tzdata'))?.run : undefined);
  // tzdata's own link points into the zone data it installs (dpkg-reconfigure fails without it).
  const localtime = written(LOCALTIME) ?? (reconfigured ? { line: reconfigured.range.start.line + 1, link: false } : undefined);
  const keep: string[] = [];
  const notes: string[] = [];
  if (localtime) {
    // An ln link resolves only where zone data is: the copy would fail on a dangling one, where
    // the original ran in UTC anyway.
    const root = chain[0] as Stage;
    const zoneData = describeBase(root.base.reference, root.base.isScratch).zoneinfo === true || chain.some((s) => s.packageInstalls.some((p) => p.packages.includes('tzdata')));
    if (!localtime.link || zoneData) keep.push(LOCALTIME);
    else notes.push(`Line ${localtime.line} links ${LOCALTIME} into zone data the build stage may not have, so it is not copied: the program runs in UTC unless TZ is set.`);
  }
  if (written(TIMEZONE)) keep.push(TIMEZONE);
  return { keep, notes };
}
