// go build without -ldflags "-s -w": the symbol table and DWARF ride along in the image.
import type { Rule } from '../../../findings';
import type { DockerfileModel } from '../../../model';
import type { ProjectFacts } from '../../../project';
import { goMessages, type StripSaving } from '../messages';
import { deliveredBinaries, stageOf } from '../binaries';
import { builderGo } from '../builderGo';
import { compareGoVersions, goVersionParts } from '../gomod';
import { addBuildFlags } from '../buildEdits';
import calibration from '../calibration/go-binary-calibration.json';
import type { GoBuild } from '../gobuild';

/**
 * What -s -w saved on the calibration programs (stripped size / plain size, bench/calibrate-go-binary.sh).
 * Only a fix that adds both may claim it: a build with -w already has only its symbol table to
 * lose, which was not measured on its own.
 */
const MEASURED: StripSaving = {
  average: Math.round((1 - calibration.stripRatio) * 100),
  least: Math.round((1 - (calibration.stripRatioRange[1] as number)) * 100),
  most: Math.round((1 - (calibration.stripRatioRange[0] as number)) * 100),
  go: calibration.go.split('.').slice(0, 2).join('.'),
};

/** Whether a linker flag is on (`-s`, `--s`, `-s=true`), as Go's flag package reads it. */
function linkerFlagOn(ldflags: readonly string[], name: string): boolean {
  return ldflags.some((f) => new RegExp(`^--?${name}(=(1|t|T|true|TRUE|True))?$`).test(f));
}

/**
 * Whether the linker drops the symbol table and DWARF. -s alone does both for Linux binaries: the
 * linker has skipped DWARF under -s on every target but macOS, and since Go 1.22 -s implies -w
 * everywhere (unless -w=0, which asks for DWARF on purpose).
 */
export function stripsDebugInfo(build: GoBuild): boolean {
  return linkerFlagOn((build.ldflags ?? '').split(/\s+/), 's');
}

/** The go builds whose binary leaves the toolchain image; in a golang final stage go-toolchain-in-final-image says what matters more. */
export function shippedBuilds(model: DockerfileModel, project: ProjectFacts): GoBuild[] {
  const final = model.finalStage;
  if (!final) return [];
  const out = new Set<GoBuild>();
  for (const { build } of deliveredBinaries(model, project)) if (build.stage !== final.index) out.add(build);
  return [...out];
}

/** Whether the build's Go has -trimpath (Go 1.13 added it; an older go build fails on the flag). Unknown versions are current ones. */
export function trimpathAvailable(model: DockerfileModel, build: GoBuild): boolean {
  const parts = goVersionParts(builderGo(model, stageOf(model, build))?.version);
  return parts === undefined || compareGoVersions(parts, [1, 13, 0]) >= 0;
}

export const debugInfoNotStripped: Rule = {
  id: 'debug-info-not-stripped',
  defaultSeverity: 'info',
  summary: 'The go build keeps its symbol table and debug information (-ldflags "-s -w").',
  check({ model, project }) {
    const out = [];
    for (const build of shippedBuilds(model, project)) {
      if (stripsDebugInfo(build)) continue;
      const hasW = linkerFlagOn((build.ldflags ?? '').split(/\s+/), 'w');
      const strip = hasW ? ['-s'] : ['-s', '-w'];
      // The fix adds -trimpath too, so a build fixed here needs no build-paths-in-binary fix after it.
      const trimpath = !build.trimpath && trimpathAvailable(model, build);
      const missing = [`-ldflags "${strip.join(' ')}"`, ...(trimpath ? ['-trimpath'] : [])];
      const goflagsLd = (build.env.get('GOFLAGS') ?? '').includes('-ldflags');
      const edits = goflagsLd ? undefined : addBuildFlags(model, build, { strip, trimpath });
      out.push({
        message: goMessages.notStripped({ strip, trimpath }, hasW ? undefined : MEASURED),
        range: build.run.range,
        related: [],
        fixes: edits ? [{ title: `Add ${missing.join(' and ')}`, edits, isPreferred: true, safe: true }] : [],
      });
    }
    return out;
  },
};
