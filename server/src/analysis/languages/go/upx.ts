// "Compress the binary with UPX", on request only (never in Minimize's default): upx is installed in
// the build stage with its own package manager and packs the binary right after the go build.
// The trade-offs go into the preview as a comment, and into the hover on the packing step.
import type { Hover, Position, Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../../model';
import type { ProjectFacts } from '../../project';
import { baseFactsOf } from '../../runtime';
import { binaryPath, deliveredBinaries } from './binaries';
import { commandName } from '../../shell';
import { insertLinesAfter, keyword } from '../../fixes/edits';
import { applyEdits } from '../../fixes/apply';
import { parseDockerfile } from '../../model';
import { AnalysisContext } from '../../context';
import { goBuildsIn } from './goBuilds';
import type { GoBuild } from './gobuild';

export const UPX_TITLE = 'Compress the binary with UPX';

/**
 * What packing costs; the same text in the preview comment, the hover and docs/rules.md. Figures:
 * bench/upx-startup.sh on the examples (`upx --best --lzma`, upx-ucl 4.2.2, Go 1.19.8, mean of 30
 * starts on a shared 2-core machine, 2026-12-01; bench/results.md).
 */
export const UPX_TRADE_OFFS: readonly string[] = [
  'the binary unpacks itself at every start (measured: hello 2 ms -> 27 ms, https-client 2 ms -> 143 ms, http-server 4 ms -> 195 ms until its port answers)',
  'the unpacked program is private memory of each process, so containers running the same image no longer share the binary\'s pages (measured, http-server: 0.7 MB private + 3.8 MB shared -> 5.0 MB private)',
  'some security scanners flag packed binaries as suspicious',
  'the packed binary cannot be debugged or profiled (no symbols, no DWARF)',
  'stripping it afterwards (strip, objcopy) breaks it: strip with -ldflags "-s -w" in the go build instead',
];

/**
 * Debian ships upx-ucl in bullseye and from trixie on, but bookworm has it only in its backports
 * (4.2.2-3~bpo12+1; checked with apt-cache policy on 2026-12-01), so a bookworm builder adds them.
 */
const INSTALL: Readonly<Record<'apt' | 'apk', string>> = {
  apt: '. /etc/os-release && { [ "$VERSION_CODENAME" != bookworm ] || echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/backports.list; } && apt-get update && apt-get install -y --no-install-recommends upx-ucl && rm -rf /var/lib/apt/lists/*',
  apk: 'apk add --no-cache upx',
};

const ALREADY_PACKED = 'the binary is packed with upx already';

export type UpxResult = { readonly ok: true; readonly edits: TextEdit[] } | { readonly ok: false; readonly reason: string };

/** True when a RUN after the build already runs upx on the binary. */
function alreadyPacked(stage: Stage, build: GoBuild): boolean {
  return stage.runs.some((r) => r.range.start.line >= build.run.range.start.line && r.commands.some((c) => commandName(c) === 'upx'));
}

/** The edits that install upx before the build and pack the binary after it. */
export function compressWithUpx(model: DockerfileModel, project: ProjectFacts, build: GoBuild): UpxResult {
  const stage = model.stages[build.stage];
  if (!stage) return { ok: false, reason: 'the build is in no stage' };
  if (alreadyPacked(stage, build)) return { ok: false, reason: ALREADY_PACKED };
  const binary = binaryPath(build, project);
  if (!binary || binary.includes('$')) return { ok: false, reason: "the binary's path is not known (add `-o /path/name` to the go build)" };
  const manager = baseFactsOf(model, stage).packageManager;
  if (!manager) return { ok: false, reason: `${stage.base.resolved ?? stage.base.written} has no package manager Slimfile knows to install upx with` };
  // strip or objcopy on a packed binary breaks it.
  const laterStrip = stage.runs.find((r) => r.range.start.line > build.run.range.end.line && r.commands.some((c) => ['strip', 'objcopy'].includes(commandName(c))));
  if (laterStrip) return { ok: false, reason: `line ${laterStrip.range.start.line + 1} strips the binary after the build, which breaks a packed one; strip with -ldflags "-s -w" instead` };
  const k = (word: string): string => keyword(model, word);
  return {
    ok: true,
    edits: [
      // Right after FROM, so a change to the sources does not install it again.
      insertLinesAfter(model, stage.fromRange, [`${k('RUN')} ${INSTALL[manager]}`]),
      insertLinesAfter(model, build.run.range, [`# UPX trade-offs: ${UPX_TRADE_OFFS.join('; ')}.`, `${k('RUN')} upx --best --lzma ${binary}`]),
    ],
  };
}

/** `slimfile minimize --upx`: packs every binary the final image receives; each one that cannot be packed says why. */
export function addUpx(text: string, project: ProjectFacts, context: AnalysisContext = new AnalysisContext()): { readonly text: string; readonly problems: readonly string[] } {
  let current = text;
  // One binary at a time, re-parsed after each: the lines move. A packed binary is not offered again.
  for (let round = 0; round < 10; round++) {
    const model = parseDockerfile(current, new AnalysisContext(context));
    const results = deliveredBinaries(model, project).map((b) => compressWithUpx(model, project, b.build));
    const next = results.find((r) => r.ok);
    if (!next?.ok) {
      const problems = results.flatMap((r) => (r.ok || r.reason === ALREADY_PACKED ? [] : [r.reason]));
      return { text: current, problems: [...new Set(problems)] };
    }
    current = applyEdits(current, next.edits);
  }
  return { text: current, problems: [] };
}

/** The go builds under the cursor that can be packed, each as a titled set of edits (the code action). */
export function upxActions(model: DockerfileModel, project: ProjectFacts, range: Range): Array<{ readonly title: string; readonly edits: TextEdit[] }> {
  const out: Array<{ title: string; edits: TextEdit[] }> = [];
  for (const stage of model.stages) {
    for (const build of goBuildsIn(model, stage)) {
      if (build.run.range.end.line < range.start.line || build.run.range.start.line > range.end.line) continue;
      const result = compressWithUpx(model, project, build);
      if (result.ok && !out.some((a) => JSON.stringify(a.edits) === JSON.stringify(result.edits))) out.push({ title: UPX_TITLE, edits: result.edits });
    }
  }
  return out;
}

/** The hover on a RUN that packs with upx: what the smaller binary costs. */
export function upxHover(model: DockerfileModel, position: Position): Hover | undefined {
  for (const stage of model.stages) {
    const run = stage.runs.find((r) => r.range.start.line <= position.line && position.line <= r.range.end.line && r.commands.some((c) => commandName(c) === 'upx'));
    if (!run) continue;
    const lines = ['**UPX** packs the binary: smaller image (measured on the examples: bench/results.md), at a cost:', '', ...UPX_TRADE_OFFS.map((t) => `- ${t.charAt(0).toUpperCase()}${t.slice(1)}.`)];
    return { range: run.range, contents: { kind: 'markdown', value: lines.join('\n') } };
  }
  return undefined;
}
