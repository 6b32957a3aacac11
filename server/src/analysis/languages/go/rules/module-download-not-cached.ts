// The sources are copied before `go mod download`, so any code change invalidates the module layer.
import type { Fix, Rule } from '../../../findings';
import type { ProjectFacts } from '../../../project';
import { messages } from '../../../messages';
import { goMessages } from '../messages';
import { commandName } from '../../../shell';
import { copiesModule, downloadModulesFirst } from '../downloadModulesFirst';
import { goBuildsIn } from '../goBuilds';
import { goFacts } from '../source/facts';

export const moduleDownloadNotCached: Rule = {
  id: 'module-download-not-cached',
  defaultSeverity: 'info',
  summary: 'Sources are copied before go mod download, so every change downloads modules again.',
  check({ model, project }) {
    const go = goFacts(project);
    // Only when there is something to download.
    if (!go.goMod || go.goMod.requires.length === 0) return [];
    const goModPath = (go.goModPath ?? 'go.mod').replace(/^\.\//, '');
    const moduleDir = goModPath.includes('/') ? goModPath.slice(0, goModPath.lastIndexOf('/')) : '';
    const beside = (name: string): string => (moduleDir === '' ? name : `${moduleDir}/${name}`);
    const listing = project.contextListing;
    // Vendored modules are in the sources already; nothing is downloaded.
    if (listing.directories.has(beside('vendor')) || (moduleDir === '' && project.contextEntries.some((e) => e.directory && e.name === 'vendor'))) return [];
    const out = [];
    for (const stage of model.stages) {
      const build = goBuildsIn(model, stage)[0];
      if (!build) continue;
      if (build.run.mounts.some((m) => m.type === 'cache' && (m.target ?? '').includes('/pkg/mod'))) continue;
      if (build.argv.includes('-mod=vendor') || (build.env.get('GOFLAGS') ?? '').includes('-mod=vendor')) continue;
      // GOPATH mode ignores go.mod, and `go mod download` there fails ("modules disabled by GO111MODULE=off").
      if (build.env.get('GO111MODULE') === 'off') continue;
      const copyAll = stage.copies.find((c) => c.from === undefined && !c.heredoc && c.sources.some((s) => copiesModule(s, moduleDir)));
      if (!copyAll || copyAll.range.start.line > build.run.range.start.line) continue;
      const downloadsFirst = stage.runs.some(
        (r) => r.range.start.line < copyAll.range.start.line && r.commands.some((c) => commandName(c) === 'go' && c.argv[1] === 'mod' && c.argv[2] === 'download'),
      );
      if (downloadsFirst) continue;
      const hasSum = sumSent(project, beside('go.sum'), moduleDir === '');
      const download = downloadModulesFirst(model, stage, copyAll, { dir: moduleDir, hasSum });
      // A module replaced by a folder of the context has its go.mod there: with only the main
      // go.mod copied, go mod download stops. The fix is offered, not applied.
      const localReplace = go.goMod.replaces.find((r) => /^(\.\.?(\/|$)|\/)/.test(r.to));
      const fixes: Fix[] = download ? [{ title: 'Download modules before copying the sources', edits: [download], isPreferred: true, safe: localReplace === undefined }] : [];
      if (model.directives.has('syntax') || stage.runs.some((r) => r.mounts.length > 0)) {
        const at = build.run.instruction.getInstructionRange().end;
        fixes.push({
          title: 'Cache modules with a BuildKit mount',
          edits: [{ range: { start: at, end: at }, newText: ' --mount=type=cache,target=/go/pkg/mod' }],
          safe: false,
        });
      }
      const related = !download
        ? [{ message: messages.noAutomaticFix(goMessages.moduleDestinationUnknown(goModPath)), range: copyAll.range }]
        : localReplace
          ? [{ message: messages.notAppliedAutomatically(goMessages.moduleReplacedByFolder(localReplace.from, localReplace.to)), range: copyAll.range }]
          : [];
      out.push({ message: goMessages.moduleDownloadNotCached(), range: copyAll.range, related, fixes });
    }
    return out;
  },
};

/**
 * Whether the engine receives go.sum: the listing says (.dockerignore applied) unless it was cut
 * short or not read; then only the top-level entries answer, and only for a go.sum at the root.
 */
function sumSent(project: ProjectFacts, path: string, atRoot: boolean): boolean | undefined {
  const listing = project.contextListing;
  if (listing.files.has(path)) return true;
  if (listing.files.size > 0 && !listing.truncated) return false;
  return atRoot ? project.contextEntries.some((e) => e.name === 'go.sum') : undefined;
}
