// A -static binary copied onto an OS image or distroless: it needs nothing from them, and scratch
// is empty.
import type { Rule } from '../../../findings';
import { baseFactsOf, shellNeeds } from '../../../runtime';
import { deleteLines, insertLinesAfter, keyword, replaceBaseImage, endOfStage } from '../../../fixes/edits';
import { cMessages } from '../c';
import { cDelivered, unprovenCNeeds } from './shared';

export const cStaticBinaryOnHeavyRuntime: Rule = {
  id: 'c-static-binary-on-heavy-runtime',
  language: 'c',
  defaultSeverity: 'info',
  summary: 'A statically linked C/C++ binary runs on an OS image or distroless; scratch would do.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final || final.base.stage !== undefined || !final.base.reference) return [];
    const facts = baseFactsOf(model, final);
    // An image whose own language judges its stages alone (golang) is that language's to report.
    if (!['os', 'distroless-static', 'distroless-base', 'distroless-cc', 'static', 'busybox', 'toolchain'].includes(facts.kind) || facts.judgedByItsLanguage) return [];
    const delivered = cDelivered(model).filter((d) => d.copy !== undefined);
    if (delivered.length === 0 || delivered.some((d) => d.build.linkage !== 'static')) return [];
    if (shellNeeds(model).length > 0) return [];
    // scratch has no /etc/passwd: only numeric users work there.
    const names = [final.user?.value, ...final.copies.map((c) => c.chown)].flatMap((v) => (v ? v.split(':') : []));
    if (names.some((n) => n !== '' && !/^\d+$/.test(n))) return [];
    const unproven = unprovenCNeeds(project, model.context);
    const image = final.base.resolved ?? final.base.written;
    const k = (w: string): string => keyword(model, w);
    const privileged = final.expose.some((e) => Number.parseInt(e.value, 10) < 1024);
    const edits = [replaceBaseImage(final, 'scratch'), ...final.runs.map((r) => deleteLines(model, r.range))];
    // distroless :nonroot ran as 65532; scratch keeps that only with USER.
    const nonroot = final.user === undefined && (facts.nonrootDefault === true || (!privileged && unproven.length === 0));
    if (nonroot) edits.push(insertLinesAfter(model, endOfStage(final), [`${k('USER')} 65532:65532`]));
    return [
      {
        message: cMessages.staticOnHeavyRuntime(image),
        range: final.base.range,
        related: unproven.map((u) => ({ message: `Not switched automatically: ${u}.`, range: final.base.range })),
        fixes: [{ title: 'Switch runtime to scratch', edits, isPreferred: true, safe: unproven.length === 0 }],
      },
    ];
  },
};
