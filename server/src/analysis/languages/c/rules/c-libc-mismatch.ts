// A C/C++ binary linked against a libc the runtime does not have: gcc's glibc build on alpine,
// scratch or distroless static; a musl-gcc build on a glibc image. The container cannot start.
import type { Fix, Rule } from '../../../findings';
import type { Stage } from '../../../model';
import { baseFactsOf, shellNeeds } from '../../../runtime';
import { replaceBaseImage } from '../../../fixes/edits';
import { smallestRuntime } from '../../compiled';
import { cMessages } from '../c';
import { cDelivered } from './shared';

export const cLibcMismatch: Rule = {
  id: 'c-libc-mismatch',
  language: 'c',
  defaultSeverity: 'error',
  summary: 'The C/C++ binary links a libc that the runtime image does not have.',
  check({ model }) {
    const final = model.finalStage;
    if (!final) return [];
    const has = baseFactsOf(model, final).libc;
    const image = final.base.resolved ?? final.base.written;
    const out = [];
    // Two builds writing the same path: the later one is the binary the image keeps.
    const delivered = new Map<string, ReturnType<typeof cDelivered>[number]>();
    for (const d of cDelivered(model)) delivered.set(d.finalPath, d);
    for (const { build, finalPath } of delivered.values()) {
      const links = build.linkage;
      if (links === undefined || links === 'static' || has === undefined || has === links) continue;
      const builder = baseFactsOf(model, model.stages[build.stage] as Stage);
      const ownBase = final.base.stage === undefined && shellNeeds(model).length === 0;
      const fixes: Fix[] = [];
      const words = build.run.instruction.getArguments();
      const compilerWord = words.find((w) => w.getValue() === build.command.split(' ')[0]);
      const oneCall = words.filter((w) => w.getValue() === compilerWord?.getValue()).length === 1;
      // -static right after the compiler: the same output, no libc needed at run time.
      if (compilerWord && oneCall && !build.run.instruction.getArgumentsContent()?.trim().startsWith('[')) {
        const end = compilerWord.getRange().end;
        fixes.push({ title: 'Link the binary statically (-static)', edits: [{ range: { start: end, end }, newText: ' -static' }], isPreferred: true, safe: false });
      }
      if (ownBase && links === 'glibc') fixes.push({ title: 'Switch runtime to distroless', edits: [replaceBaseImage(final, smallestRuntime('glibc', builder, build.needsGccRuntime, 'scratch').image)], safe: false });
      if (ownBase && links === 'musl' && has !== 'none') fixes.push({ title: 'Switch runtime to alpine', edits: [replaceBaseImage(final, smallestRuntime('musl', builder, false, 'scratch').image)], safe: false });
      out.push({
        message: cMessages.libcMismatch(finalPath, links, build.linkageWhy, image, has),
        range: build.stage === final.index ? build.run.range : final.base.range,
        related: [{ message: `built by \`${build.command}\``, range: build.run.range }],
        fixes,
      });
    }
    return out;
  },
};
