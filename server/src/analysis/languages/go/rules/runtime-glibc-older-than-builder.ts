// A glibc-linked binary built on a newer Debian/Ubuntu release than the one it runs on.
import type { Rule } from '../../../findings';
import { goMessages } from '../messages';
import { linkedBinaries } from './libc';
import type { BaseFacts } from '../../../baseImage';
import { replaceBaseImage } from '../../../fixes/edits';

/** glibc of each release (Debian and Ubuntu package versions). */
const GLIBC: Record<string, string> = {
  'debian:9': '2.24', 'debian:10': '2.28', 'debian:11': '2.31', 'debian:12': '2.36', 'debian:13': '2.41',
  'ubuntu:18.04': '2.27', 'ubuntu:20.04': '2.31', 'ubuntu:22.04': '2.35', 'ubuntu:24.04': '2.39',
};
const CODENAME: Record<string, string> = { '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie' };

function glibcOf(facts: BaseFacts): string | undefined {
  return facts.release ? GLIBC[`${facts.os}:${facts.release}`] : undefined;
}

function older(a: string, b: string): boolean {
  const [a1, a2] = a.split('.').map(Number) as [number, number];
  const [b1, b2] = b.split('.').map(Number) as [number, number];
  return a1 < b1 || (a1 === b1 && a2 < b2);
}

export const runtimeGlibcOlderThanBuilder: Rule = {
  id: 'runtime-glibc-older-than-builder',
  defaultSeverity: 'error',
  summary: 'A cgo binary is built against a newer glibc than the runtime image has.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    const out = [];
    for (const b of linkedBinaries(model, project)) {
      if (b.links !== 'glibc' || b.runtime.libc !== 'glibc') continue;
      const built = glibcOf(b.builder);
      const runs = glibcOf(b.runtime);
      if (!built || !runs || !older(runs, built)) continue;
      const fixes = [];
      const ref = final.base.reference;
      const codename = CODENAME[b.builder.release ?? ''];
      if (ref && final.base.stage === undefined && b.builder.os === 'debian' && codename) {
        let image: string | undefined;
        if (ref.familiar === 'debian') image = `debian:${codename}${ref.tag?.includes('slim') ? '-slim' : ''}`;
        else if (ref.familiar.startsWith('gcr.io/distroless/')) image = `${ref.familiar.replace(/-debian\d+$/, `-debian${b.builder.release}`)}${ref.tag ? `:${ref.tag}` : ''}`;
        if (image) fixes.push({ title: `Run on ${image} (the builder's release)`, edits: [replaceBaseImage(final, image)], isPreferred: true, safe: true });
      }
      out.push({
        message: goMessages.glibcOlder(model.stages[b.build.stage]?.base.resolved ?? 'the builder', built, final.base.resolved ?? final.base.written, runs, b.finalPath ?? '<binary>'),
        range: final.base.range,
        related: [],
        fixes,
      });
    }
    return out;
  },
};
