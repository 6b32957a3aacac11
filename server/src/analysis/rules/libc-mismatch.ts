// A dynamically linked binary on a runtime with another libc (or none): the container fails with
// "exec …: no such file or directory".
import type { Fix, Rule } from '../findings';
import { messages } from '../messages';
import { disableCgo, replaceBaseImage } from '../fixes/edits';
import { linkedBinaries } from './libc';
import { stageOf } from '../runtime';

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
      if (!project.needs.cgo.needed) {
        const edits = disableCgo(model, b.build);
        if (edits) fixes.push({ title: 'Build with CGO_ENABLED=0', edits, isPreferred: true, safe: true });
      } else if (b.links === 'glibc' && final.base.stage === undefined) {
        fixes.push({ title: 'Switch runtime to distroless cc', edits: [replaceBaseImage(final, 'gcr.io/distroless/cc-debian12')], isPreferred: true, safe: false });
      } else if (b.links === 'musl' && has === 'none') {
        fixes.push({ title: 'Switch runtime to alpine', edits: [replaceBaseImage(final, 'alpine')], safe: false });
      } else if (has === 'musl' && b.links === 'glibc') {
        const builder = stageOf(model, b.build);
        if (b.builder.kind === 'go-toolchain' && builder.base.reference && b.builder.goVersion && builder.base.stage === undefined) {
          fixes.push({ title: 'Build on golang Alpine', edits: [replaceBaseImage(builder, `golang:${b.builder.goVersion}-alpine`)], safe: false });
        }
      }
      const message = b.links === 'glibc' ? messages.libcMismatchGlibc(runtimeName, b.why ?? 'the program imports net or os/user') : messages.libcMismatchMusl(runtimeName);
      out.push({ message, range: b.build.run.range, related: [{ message: `runtime image: ${runtimeName}`, range: final.base.range }], fixes });
    }
    return out;
  },
};
