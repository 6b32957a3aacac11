// What `--no-install-recommends` does to one `apt-get install`, from the release's index: which
// recommended packages it drops, with their sizes, and which of them must be named in the install
// because a package that stays needs them whenever it runs, or the image starts their program.
// Pure: the index and the image's facts in, the plan out.
import { droppedRecommends, installPlan, type DebianIndex, type DebianPackage } from './debianIndex';
import { classifyPackage, packageName } from './classes';

/**
 * Recommended packages whose files their recommenders read on every run, so dropping them breaks
 * the recommender itself rather than a side feature. Each reason says what breaks; the
 * recommenders are those of bookworm's and trixie's Packages (libcurl4, libcurl3-gnutls, wget,
 * git, aria2, wget2, nodejs and python3.11 recommend ca-certificates; perl recommends netbase).
 * openssl is not among them: it only Suggests ca-certificates, which apt never installs.
 */
const READ_ON_EVERY_RUN: ReadonlyMap<string, string> = new Map([
  ['ca-certificates', 'for HTTPS: its CA bundle is /etc/ssl/certs/ca-certificates.crt, without which curl stops with "error setting certificate file"'],
  ['netbase', 'to open sockets by name: its /etc/protocols and /etc/services answer perl\'s IO::Socket::INET when it asks for the "tcp" protocol'],
]);

export interface NamedRecommend {
  readonly name: string;
  /** Why it is named: who needs it and what breaks without it. */
  readonly why: string;
}

export interface LeanInstall {
  /** Recommended packages the install must name to keep the image working, in index order. */
  readonly named: readonly NamedRecommend[];
  /** What the option still drops once those are named. */
  readonly dropped: readonly DebianPackage[];
  readonly droppedBytes: number;
  /** Named packages the index does not know: what they recommend cannot be told. */
  readonly unknown: readonly string[];
}

/**
 * The plan for adding --no-install-recommends to `apt-get install packages…` on an image that has
 * `installed`. `started` are the programs the image runs (CMD, ENTRYPOINT, HEALTHCHECK), with the
 * instruction that runs each: a dropped package that installs one of them is named too.
 */
export function planLeanInstall(index: DebianIndex, packages: readonly string[], installed: ReadonlySet<string>, started: ReadonlyMap<string, string>): LeanInstall {
  const requested = packages.map(packageName);
  const unknown = installPlan(index, requested, { recommends: false, installed }).unknown;
  const dropped = droppedRecommends(index, requested, installed);
  const kept = installPlan(index, requested, { recommends: false, installed }).installed;
  const named: NamedRecommend[] = [];
  for (const candidate of dropped) {
    const reads = READ_ON_EVERY_RUN.get(candidate.name);
    const recommenders = kept.filter((p) => p.recommends.some((alternatives) => alternatives.includes(candidate.name)));
    if (reads && recommenders.length > 0) {
      const who = recommenders.map((p) => p.name);
      named.push({ name: candidate.name, why: `${who.join(', ')} ${who.length === 1 ? 'needs' : 'need'} it ${reads}` });
      continue;
    }
    const program = classifyPackage(candidate.name)?.programs.find((p) => started.has(p));
    if (program !== undefined) named.push({ name: candidate.name, why: `${started.get(program)} runs ${program}, which it installs` });
  }
  const lean = new Set(installPlan(index, [...requested, ...named.map((n) => n.name)], { recommends: false, installed }).installed.map((p) => p.name));
  const left = dropped.filter((p) => !lean.has(p.name));
  return { named, dropped: left, droppedBytes: left.reduce((sum, p) => sum + p.installedBytes, 0), unknown };
}
