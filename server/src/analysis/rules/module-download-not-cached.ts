// The sources are copied before `go mod download`, so any code change invalidates the module layer.
import type { Fix, Rule } from '../findings';
import { messages } from '../messages';
import { commandName } from '../shell';
import { insertLinesBefore, keyword } from '../fixes/edits';

const WHOLE_CONTEXT = new Set(['.', './', '*', './*']);

export const moduleDownloadNotCached: Rule = {
  id: 'module-download-not-cached',
  defaultSeverity: 'info',
  summary: 'Sources are copied before go mod download, so every change downloads modules again.',
  check({ model, project }) {
    // Only when there is something to download.
    if (!project.goMod || project.goMod.requires.length === 0) return [];
    // Vendored modules are in the sources already; nothing is downloaded.
    if (project.contextEntries.some((e) => e.directory && e.name === 'vendor')) return [];
    const out = [];
    for (const stage of model.stages) {
      const build = stage.goBuilds[0];
      if (!build) continue;
      if (build.run.mounts.some((m) => m.type === 'cache' && (m.target ?? '').includes('/pkg/mod'))) continue;
      if (build.argv.includes('-mod=vendor') || (build.env.get('GOFLAGS') ?? '').includes('-mod=vendor')) continue;
      const copyAll = stage.copies.find((c) => c.fromStage === undefined && !c.heredoc && c.sources.some((s) => WHOLE_CONTEXT.has(s)));
      if (!copyAll || copyAll.range.start.line > build.run.range.start.line) continue;
      const downloadsFirst = stage.runs.some(
        (r) => r.range.start.line < copyAll.range.start.line && r.commands.some((c) => commandName(c) === 'go' && c.argv[1] === 'mod' && c.argv[2] === 'download'),
      );
      if (downloadsFirst) continue;
      const hasSum = project.contextEntries.some((e) => e.name === 'go.sum');
      const k = (w: string): string => keyword(model, w);
      const lines = [`${k('COPY')} go.mod ${hasSum ? 'go.sum ' : ''}./`, `${k('RUN')} go mod download`];
      const fixes: Fix[] = [
        { title: 'Download modules before copying the sources', edits: [insertLinesBefore(model, copyAll.range.start.line, lines)], isPreferred: true, safe: true },
      ];
      if (model.directives.has('syntax') || stage.runs.some((r) => r.mounts.length > 0)) {
        const at = build.run.instruction.getInstructionRange().end;
        fixes.push({
          title: 'Cache modules with a BuildKit mount',
          edits: [{ range: { start: at, end: at }, newText: ' --mount=type=cache,target=/go/pkg/mod' }],
          safe: false,
        });
      }
      out.push({ message: messages.moduleDownloadNotCached(), range: copyAll.range, related: [], fixes });
    }
    return out;
  },
};
