// Every user-facing sentence of the shared analysis, as functions the tests call too; each
// language's own are in its folder (Go's in languages/go/messages.ts).

const list = (items: readonly string[]): string => items.join(', ');

export const messages = {
  noAutomaticFix: (reason: string): string => `No automatic fix: ${reason}.`,
  conversionUnproven: (problem: string): string => `Not converted automatically: ${problem}.`,
  nonrootRisk: (risk: string): string => `Not switched automatically: ${risk}.`,
  notAppliedAutomatically: (reason: string): string => `Not applied automatically: ${reason}.`,
  runsAsRoot: (): string => 'The container runs as root. Set a non-root USER (65532:65532 works on every base, even scratch).',
  unknownUser: (user: string, image: string): string =>
    `USER ${user} is a name, and ${image} has no /etc/passwd entry for it: the container will not start ("unable to find user ${user}"). Use a numeric USER such as 65532:65532.`,
  aptListsKept: (): string => 'apt-get install in the final image keeps the package lists (/var/lib/apt/lists, ~20 MB). Remove them in the same RUN.',
  aptRecommends: (): string => 'apt-get install in the final image also installs recommended packages. Add --no-install-recommends.',
  aptRecommendsUnchecked: (https: readonly string[]): string =>
    `Without the release's package index, Slimfile cannot see which recommended packages --no-install-recommends would drop, so Minimize leaves this install alone (\`slimfile minimize --package-index\` reads the index). Check that nothing the image runs needs them` +
    (https.length > 0 ? `: the fix names ca-certificates, because ${https.join(', ')} reach${https.length === 1 ? 'es' : ''} HTTPS through it and get${https.length === 1 ? 's' : ''} it only as a recommendation.` : '.'),
  aptRecommendsDropped: (dropped: ReadonlyArray<{ readonly name: string; readonly size: string }>, total: string, source: string, baseKnown: boolean): string =>
    dropped.length === 0
      ? `--no-install-recommends drops no package here (${source}).`
      : `--no-install-recommends drops ${dropped.length} recommended package${dropped.length === 1 ? '' : 's'}, ${total}${baseKnown ? '' : ' before counting what the base image already has'} (${source}): ${dropped.map((d) => `${d.name} ${d.size}`).join(', ')}.`,
  aptRecommendNamed: (name: string, why: string): string => `The fix names ${name} in the install: ${why}.`,
  aptRecommendsUnknownPackages: (names: readonly string[], source: string): string =>
    `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not in ${source}, so what ${names.length === 1 ? 'it recommends' : 'they recommend'} cannot be told: Minimize leaves this install alone.`,
  apkCache: (): string => 'apk add in the final image keeps the package index cache. Add --no-cache.',
  missingDockerignore: (what: readonly string[]): string =>
    `The build context has no .dockerignore, and it holds ${list(what)}: they are sent to the engine on every build${' '}and land in the image with COPY . . Add a .dockerignore.`,
  minimizeStopped: (applied: number): string =>
    `Minimize stopped after ${applied} fix${applied === 1 ? '' : 'es'} to stay within its time budget; run it again to apply the rest.`,
  documentTooLarge: (bytes: number, limit: number): string =>
    `Slimfile does not analyse this Dockerfile: it is ${Math.round(bytes / 1024)} KB, more than the ${Math.round(limit / 1024)} KB it reads, which keeps the editor responsive.`,
  contextSizeTruncated: (files: number): string =>
    `Build context: stopped counting after ${files} files; its size is a lower bound.`,
  /** A language's own reader stopped at its file cap, or the walk at its entry cap ("Go sources: …"). */
  sourcesCut: (language: string, files: number, entries: number): string =>
    `${language} sources: stopped after ${files} files (${entries} entries); run-time needs may be incomplete.`,
};
