// A Rust binary that links a libc the runtime does not have: a glibc build on alpine, scratch or
// distroless static; a musl build made dynamic (-crt-static) on a glibc image. It cannot start.
import type { Fix, Rule } from '../../../findings';
import type { Stage } from '../../../model';
import { baseFactsOf, shellNeeds } from '../../../runtime';
import { replaceBaseImage } from '../../../fixes/edits';
import { smallestRuntime } from '../../compiled';
import { rustMessages } from '../rust';
import { prefixCargo, rustDelivered } from './shared';

export const rustLibcMismatch: Rule = {
  id: 'rust-libc-mismatch',
  language: 'rust',
  defaultSeverity: 'error',
  summary: 'The Rust binary links a libc that the runtime image does not have.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    const runtime = baseFactsOf(model, final);
    const has = runtime.libc;
    const image = final.base.resolved ?? final.base.written;
    const out = [];
    const seen = new Set<string>();
    for (const { build, path, finalPath } of rustDelivered(model, project)) {
      const links = build.linkage;
      if (links === undefined || links === 'static' || has === undefined || has === links || seen.has(path)) continue;
      seen.add(path);
      const builder = baseFactsOf(model, model.stages[build.stage] as Stage);
      const fixes: Fix[] = [];
      const ownBase = final.base.stage === undefined && shellNeeds(model).length === 0;
      if (links === 'glibc') {
        if (ownBase) fixes.push({ title: 'Switch runtime to distroless cc', edits: [replaceBaseImage(final, smallestRuntime('glibc', builder, true, 'distroless').image)], isPreferred: true, safe: false });
        // Static glibc: the same path, no libc needed at run time.
        if (!/RUSTFLAGS/.test(build.run.script)) {
          const edits = prefixCargo(build, ['RUSTFLAGS="-C target-feature=+crt-static"']);
          if (edits) fixes.push({ title: 'Link the binary statically (+crt-static)', edits, isPreferred: fixes.length === 0, safe: false });
        }
      } else if (ownBase && has !== 'none') {
        fixes.push({ title: 'Switch runtime to alpine', edits: [replaceBaseImage(final, smallestRuntime('musl', builder, true, 'distroless').image)], isPreferred: true, safe: false });
      }
      out.push({
        message: rustMessages.libcMismatch(finalPath, links, build.linkageWhy, image, has),
        range: build.stage === final.index ? build.run.range : final.base.range,
        related: [{ message: `built by \`${build.command}\``, range: build.run.range }],
        fixes,
      });
    }
    return out;
  },
};
