// The hover on a package name in `apt-get install`: its installed size, what it pulls in with it
// (its closure as that step installs it, less what the base and earlier steps have), and whether
// the base image already has it, each with where the figure comes from.
import type { Hover, Position } from 'vscode-languageserver-types';
import type { DockerfileModel, PackageInstall, Stage } from '../model';
import { formatBytes } from '../estimate/sizes';
import { debianFactsFor, type SizeKnowledge } from '../estimate/estimate';
import { installPlan } from './debianIndex';

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

/** The package name of an install under the cursor, if any. */
export function packageAt(model: DockerfileModel, position: Position): PackageAtPosition | undefined {
  for (const stage of model.stages) {
    for (const install of stage.packageInstalls) {
      const { range } = install.run;
      if (position.line < range.start.line || position.line > range.end.line) continue;
      const line = model.text.split(/\r?\n/)[position.line] ?? '';
      // The word under the cursor, as a package argument is spelled; the install's own list
      // (read by the shell parser) decides whether it is one.
      const word = /[A-Za-z0-9][A-Za-z0-9.+\-:=~*]*/g;
      for (let m = word.exec(line); m; m = word.exec(line)) {
        if (position.character < m.index || position.character > m.index + m[0].length) continue;
        if (!install.packages.includes(m[0])) break;
        const name = m[0].replace(/[=/].*$/, '').replace(/:\w+$/, '');
        return { stage, install, written: m[0], name, range: { start: { line: position.line, character: m.index }, end: { line: position.line, character: m.index + m[0].length } } };
      }
    }
  }
  return undefined;
}

/** `problem`: why the index or the base's packages are not known (shown instead of sizes). */
export function packageHover(model: DockerfileModel, at: PackageAtPosition, knowledge: Pick<SizeKnowledge, 'debianPackages'>, problem?: string): Hover {
  const lines: string[] = [];
  const facts = at.install.manager === 'apt' ? debianFactsFor(model, at.stage, knowledge) : undefined;
  if (!facts) {
    const why = at.install.manager === 'apk' ? "Alpine's index is not read yet" : (problem ?? "Debian's index or the base image's packages are not known yet");
    lines.push(`**${at.name}**: size not known (${why}).`);
    return { range: at.range, contents: { kind: 'markdown', value: lines.join('\n') } };
  }
  const pkg = facts.index.packages.get(at.name) ?? facts.index.packages.get(facts.index.providers.get(at.name)?.[0] ?? '');
  if (!pkg) {
    lines.push(`**${at.name}** is not in ${facts.indexSource}: apt would stop with "Unable to locate package".`);
    return { range: at.range, contents: { kind: 'markdown', value: lines.join('\n') } };
  }
  const provided = pkg.name === at.name ? '' : ` (a virtual name, provided by ${pkg.name})`;
  lines.push(`**${at.name}**${provided} ${pkg.version}: ${formatBytes(pkg.installedBytes)} installed.`);
  if (facts.installed.has(pkg.name)) {
    lines.push('', 'The base image already has it: this name adds nothing.');
  } else {
    const plan = installPlan(facts.index, [pkg.name], { recommends: !at.install.lean, installed: facts.installed });
    const others = plan.installed.filter((p) => p.name !== pkg.name).sort((a, b) => b.installedBytes - a.installedBytes);
    const mode = at.install.lean ? 'without Recommends (--no-install-recommends)' : 'with its Recommends, as apt installs them by default';
    lines.push('', `Not in the base image. Installed alone ${mode}, it adds ${plan.installed.length} package${plan.installed.length === 1 ? '' : 's'}, ${formatBytes(plan.bytes)} in all.`);
    if (others.length > 0) {
      lines.push('', `Pulls in: ${others.slice(0, LISTED).map((p) => `${p.name} (${formatBytes(p.installedBytes)})`).join(', ')}${others.length > LISTED ? `, and ${others.length - LISTED} more` : ''}.`);
    }
  }
  lines.push('', `From ${facts.indexSource} (Installed-Size); base packages: ${facts.installedSource}.`);
  return { range: at.range, contents: { kind: 'markdown', value: lines.join('\n') } };
}
