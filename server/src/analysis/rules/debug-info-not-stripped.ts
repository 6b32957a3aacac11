// go build without -s -w / -trimpath: symbol tables and DWARF ride along in the image.
import type { Rule } from '../findings';
import { messages } from '../messages';
import { deliveredBinaries } from '../runtime';
import { addBuildFlags } from '../fixes/edits';

export const debugInfoNotStripped: Rule = {
  id: 'debug-info-not-stripped',
  defaultSeverity: 'info',
  summary: 'The go build keeps debug information (-ldflags "-s -w") or build paths (-trimpath).',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    // Only builds whose binary leaves the toolchain image matter; in a golang final stage
    // go-toolchain-in-final-image says what matters more.
    const out = [];
    const seen = new Set<unknown>();
    for (const { build } of deliveredBinaries(model, project)) {
      if (seen.has(build) || build.stage === final.index) continue;
      seen.add(build);
      const flags = (build.ldflags ?? '').split(/\s+/);
      const missingStrip = ['-s', '-w'].filter((f) => !flags.includes(f));
      const missing = [...(missingStrip.length > 0 ? [`-ldflags "${missingStrip.join(' ')}"`] : []), ...(build.trimpath ? [] : ['-trimpath'])];
      if (missing.length === 0) continue;
      const goflagsLd = (build.env.get('GOFLAGS') ?? '').includes('-ldflags');
      const edits = goflagsLd ? undefined : addBuildFlags(model, build, { strip: missingStrip, trimpath: !build.trimpath });
      out.push({
        message: messages.notStripped(missing),
        range: build.run.range,
        related: [],
        fixes: edits ? [{ title: `Add ${missing.join(' and ')}`, edits, isPreferred: true, safe: true }] : [],
      });
    }
    return out;
  },
};
