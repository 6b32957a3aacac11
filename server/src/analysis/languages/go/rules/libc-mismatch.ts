// A dynamically linked binary on a runtime with another libc (or none): the container fails with
// "exec …: no such file or directory".
import type { Fix, Rule } from '../../../findings';
import { goMessages } from '../messages';
import { insertLinesAfter, keyword, replaceBaseImage } from '../../../fixes/edits';
import { disableCgo } from '../buildEdits';
import { linkedBinaries } from './libc';
import { shellNeeds } from '../../../runtime';
import { stageOf } from '../binaries';
import type { BaseFacts } from '../../../baseImage';
import { goVersionParts } from '../gomod';
import { golangVersion, isGolangImage } from '../image';
import { goFacts } from '../source/facts';

/** distroless cc of the builder's Debian release (its glibc must not be older than the builder's). */
function distrolessCcFor(builder: BaseFacts): string {
  const parts = goVersionParts(golangVersion(builder));
  // Unsuffixed golang tags follow Debian's current release: trixie from Go 1.25.
  const trixie = builder.release === '13' || (builder.release === undefined && builder.os === 'debian' && parts !== undefined && parts[1] >= 25);
  return `gcr.io/distroless/cc-debian${trixie ? '13' : '12'}`;
}

export const libcMismatch: Rule = {
  id: 'libc-mismatch',
  defaultSeverity: 'error',
  summary: 'The binary links a libc that the runtime image does not have.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    const runtimeName = final.base.resolved ?? final.base.written;
    const out = [];
    for (const b of linkedBinaries(model, project)) {
      const has = b.runtime.libc;
      if (b.links === undefined || has === undefined || b.links === has) continue;
      const fixes: Fix[] = [];
      const builder = stageOf(model, b.build);
      if (!goFacts(project).needs.cgo.needed) {
        const edits = disableCgo(model, b.build);
        if (edits) fixes.push({ title: 'Build with CGO_ENABLED=0', edits, isPreferred: true, safe: true });
      } else if (b.links === 'glibc') {
        // distroless cc has glibc but no shell or packages: only when the image needs none.
        if (final.base.stage === undefined && shellNeeds(model).length === 0) {
          fixes.push({ title: 'Switch runtime to distroless cc', edits: [replaceBaseImage(final, distrolessCcFor(b.builder))], isPreferred: true, safe: false });
        }
        // Keep the musl runtime and build against musl instead; golang:*-alpine has no C compiler.
        if (has === 'musl' && isGolangImage(b.builder) && golangVersion(b.builder) && builder.base.reference && builder.base.stage === undefined && builder.packageInstalls.length === 0) {
          const k = (w: string): string => keyword(model, w);
          fixes.push({
            title: 'Build on golang Alpine',
            edits: [replaceBaseImage(builder, `golang:${golangVersion(b.builder)}-alpine`), insertLinesAfter(model, builder.fromRange, [`${k('RUN')} apk add --no-cache gcc musl-dev`])],
            isPreferred: fixes.length === 0,
            safe: false,
          });
        }
      } else if (b.links === 'musl' && has === 'none' && final.base.stage === undefined) {
        fixes.push({ title: 'Switch runtime to alpine', edits: [replaceBaseImage(final, `alpine:${b.builder.release ?? '3'}`)], isPreferred: true, safe: false });
      }
      const message = b.links === 'glibc' ? goMessages.libcMismatchGlibc(runtimeName, b.why ?? 'the program imports net or os/user') : goMessages.libcMismatchMusl(runtimeName);
      out.push({ message, range: b.build.run.range, related: [{ message: `runtime image: ${runtimeName}`, range: final.base.range }], fixes });
    }
    return out;
  },
};
