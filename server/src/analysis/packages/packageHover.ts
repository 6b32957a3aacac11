// The hover on a package name in `apt-get install` or `apk add`: its installed size, what it pulls
// in with it (its closure as that step installs it, less what the base and earlier steps have),
// and whether the base image already has it, each with where the figure comes from.
import type { Hover, Position } from 'vscode-languageserver-types';
import type { DockerfileModel, PackageInstall, Stage } from '../model';
import { formatBytes } from '../estimate/sizes';
import { alpineFactsFor, debianFactsFor, type SizeKnowledge } from '../estimate/estimate';
import { installPlan } from './debianIndex';
import { apkInstallPlan } from './alpineIndex';

/** How many of the packages pulled in the hover names, largest first. */
const LISTED = 8;

export interface PackageAtPosition {
  readonly stage: Stage;
  readonly install: PackageInstall;
  /** As written in the install (`curl=7.88*` or `libssl3:amd64` included). */
  readonly written: string;
  /** The package's name. */
  readonly name: string;
  readonly range: { start: Position; end: Position };
}

type PackageKnowledge = Pick<SizeKnowledge, 'debianPackages' | 'alpinePackages'>;

/** The package name of an install under the cursor, if any. */
export function packageAt(model: DockerfileModel, position: Position): PackageAtPosition | undefined {
  for (const stage of model.stages) {
    for (const install of stage.packageInstalls) {
      const { range } = install.run;
      if (position.line < range.start.line || position.line > range.end.line) continue;
      const line = model.text.split(/\r?\n/)[position.line] ?? '';
      // The word under the cursor, as a package argument is spelled; the install's own list
      // (read by the shell parser) decides whether it is one.
      const word = /[A-Za-z0-9][A-Za-z0-9.+\-:=~*@<>_]*/g;
      for (let m = word.exec(line); m; m = word.exec(line)) {
        if (position.character < m.index || position.character > m.index + m[0].length) continue;
        if (!install.packages.includes(m[0])) break;
        // apt: `curl=7.88*`, `curl/bookworm`, `libssl3:amd64`; apk: `curl=8.5.0-r0`, `curl>8`, `sqlite@edge`.
        const name = install.manager === 'apk' ? m[0].replace(/[<>=~@].*$/, '') : m[0].replace(/[=/].*$/, '').replace(/:\w+$/, '');
        return { stage, install, written: m[0], name, range: { start: { line: position.line, character: m.index }, end: { line: position.line, character: m.index + m[0].length } } };
      }
    }
  }
  return undefined;
}

/** Whether the facts the hover needs are known now (asking starts loading them). */
export function packageFactsKnown(model: DockerfileModel, at: PackageAtPosition, knowledge: PackageKnowledge): boolean {
  return (at.install.manager === 'apk' ? alpineFactsFor(model, at.stage, knowledge) : debianFactsFor(model, at.stage, knowledge)) !== undefined;
}

/** A package's line of the hover, sizes and source: the same for apt and apk. */
interface Described {
  readonly name: string;
  readonly version: string;
  readonly installedBytes: number;
}

function hoverText(
  at: PackageAtPosition,
  pkg: Described,
  baseHas: boolean,
  plan: () => { installed: readonly Described[]; bytes: number },
  mode: string,
  source: string,
): string {
  const lines: string[] = [];
  const provided = pkg.name === at.name ? '' : ` (a virtual name, provided by ${pkg.name})`;
  lines.push(`**${at.name}**${provided} ${pkg.version}: ${formatBytes(pkg.installedBytes)} installed.`);
  if (baseHas) {
    lines.push('', 'The base image already has it: this name adds nothing.');
  } else {
    const { installed, bytes } = plan();
    const others = installed.filter((p) => p.name !== pkg.name).sort((a, b) => b.installedBytes - a.installedBytes);
    lines.push('', `Not in the base image. Installed alone ${mode}, it adds ${installed.length} package${installed.length === 1 ? '' : 's'}, ${formatBytes(bytes)} in all.`);
    if (others.length > 0) {
      lines.push('', `Pulls in: ${others.slice(0, LISTED).map((p) => `${p.name} (${formatBytes(p.installedBytes)})`).join(', ')}${others.length > LISTED ? `, and ${others.length - LISTED} more` : ''}.`);
    }
  }
  lines.push('', source);
  return lines.join('\n');
}

/** `problem`: why the index or the base's packages are not known (shown instead of sizes). */
export function packageHover(model: DockerfileModel, at: PackageAtPosition, knowledge: PackageKnowledge, problem?: string): Hover {
  const hover = (value: string): Hover => ({ range: at.range, contents: { kind: 'markdown', value } });
  if (at.install.manager === 'apk') {
    const facts = alpineFactsFor(model, at.stage, knowledge);
    if (!facts) return hover(`**${at.name}**: size not known (${problem ?? "Alpine's index or the base image's packages are not known yet"}).`);
    const pkg = facts.index.packages.get(at.name) ?? facts.index.packages.get(facts.index.providers.get(at.name)?.[0] ?? '');
    if (!pkg) return hover(`**${at.name}** is not in ${facts.indexSource}: apk would stop with "unable to select packages".`);
    const baseHas = facts.installed.has(pkg.name);
    return hover(hoverText(at, pkg, baseHas, () => apkInstallPlan(facts.index, [pkg.name], facts.installed), 'with its dependencies', `From ${facts.indexSource} (I: installed sizes; not measured against real Alpine); base packages: ${facts.installedSource}.`));
  }
  const facts = debianFactsFor(model, at.stage, knowledge);
  if (!facts) return hover(`**${at.name}**: size not known (${problem ?? "Debian's index or the base image's packages are not known yet"}).`);
  const pkg = facts.index.packages.get(at.name) ?? facts.index.packages.get(facts.index.providers.get(at.name)?.[0] ?? '');
  if (!pkg) return hover(`**${at.name}** is not in ${facts.indexSource}: apt would stop with "Unable to locate package".`);
  const mode = at.install.lean ? 'without Recommends (--no-install-recommends)' : 'with its Recommends, as apt installs them by default';
  const plan = (): { installed: readonly Described[]; bytes: number } => installPlan(facts.index, [pkg.name], { recommends: !at.install.lean, installed: facts.installed });
  return hover(hoverText(at, pkg, facts.installed.has(pkg.name), plan, mode, `From ${facts.indexSource} (Installed-Size); base packages: ${facts.installedSource}.`));
}
