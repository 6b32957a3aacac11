// cgo left on for a binary headed to a runtime without glibc, when nothing needs cgo.
import type { Rule } from '../../../findings';
import { goMessages } from '../messages';
import { disableCgo } from '../buildEdits';
import { linkedBinaries } from './libc';
import { isStaticRuntime } from '../../../baseImage';
import { goFacts } from '../source/facts';

export const cgoNotDisabled: Rule = {
  id: 'cgo-not-disabled',
  defaultSeverity: 'warning',
  summary: 'cgo is on for a binary headed to scratch, distroless static or Alpine, and nothing needs it.',
  check({ model, project }) {
    if (!goFacts(project).hasGoSources || goFacts(project).needs.cgo.needed) return [];
    const out = [];
    for (const b of linkedBinaries(model, project)) {
      const target = isStaticRuntime(b.runtime) || b.runtime.libc === 'musl';
      if (!target || b.cgo === false || b.build.cgo === 'off') continue;
      // A binary that would link libc the runtime lacks is libc-mismatch's (an error); not said twice.
      if (b.links !== undefined && b.links !== b.runtime.libc) continue;
      const edits = disableCgo(model, b.build);
      out.push({
        message: goMessages.cgoNotDisabled(model.finalStage?.base.resolved ?? 'this runtime'),
        range: b.build.run.range,
        related: [],
        fixes: edits ? [{ title: 'Build with CGO_ENABLED=0', edits, isPreferred: true, safe: true }] : [],
      });
    }
    return out;
  },
};
