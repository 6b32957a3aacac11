// A Rust binary copied onto a bigger runtime than it needs: a static one on an OS image or
// distroless cc, a dynamic one on a full OS image. Offers the smallest runtime that still has
// what the binary links.
import type { Fix, Rule } from '../../../findings';
import type { Stage } from '../../../model';
import { baseFactsOf, shellNeeds } from '../../../runtime';
import { deleteLines, replaceBaseImage } from '../../../fixes/edits';
import { linkageText, smallestRuntime } from '../../compiled';
import { rustMessages } from '../rust';
import { crateRootReasons, rustDelivered, unprovenRuntimeNeeds } from './shared';

/** Users and groups every distroless image defines. */
const DISTROLESS_USERS = new Set(['root', 'nonroot', 'nobody']);

export const rustHeavyRuntimeBase: Rule = {
  id: 'rust-heavy-runtime-base',
  language: 'rust',
  defaultSeverity: 'info',
  summary: 'A Rust binary runs on a full OS image (or distroless cc when static); distroless static or cc would do.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final || final.base.stage !== undefined || !final.base.reference) return [];
    const facts = baseFactsOf(model, final);
    const delivered = rustDelivered(model, project).filter((d) => d.copy !== undefined);
    if (delivered.length === 0) return [];
    const linkages = new Set(delivered.map((d) => d.build.linkage));
    if (linkages.size !== 1) return [];
    const linkage = delivered[0]?.build.linkage;
    if (linkage === undefined || linkage === 'musl') return [];
    const heavy = linkage === 'static' ? ['os', 'distroless-base', 'distroless-cc', 'toolchain'].includes(facts.kind) : facts.kind === 'os' && facts.libc === 'glibc';
    // An image whose own language judges its stages alone (golang) is that language's to report.
    if (!heavy || facts.judgedByItsLanguage) return [];
    if (shellNeeds(model).length > 0) return [];
    const names = [final.user?.value, ...final.copies.map((c) => c.chown)].flatMap((v) => (v ? v.split(':') : []));
    if (names.some((n) => n !== '' && !/^\d+$/.test(n) && !DISTROLESS_USERS.has(n))) return [];
    const builder = baseFactsOf(model, model.stages[delivered[0]!.build.stage] as Stage);
    // A glibc binary needs a glibc at least as new as its builder's: only a builder whose release is known.
    if (linkage === 'glibc' && (builder.os !== 'debian' || builder.release === undefined)) return [];
    const runtime = smallestRuntime(linkage, builder, true, 'distroless');
    const image = final.base.resolved ?? final.base.written;
    // RUN steps that only install certificates or time zones go away: distroless has both.
    const removals = final.runs.map((r) => deleteLines(model, r.range));
    const nonroot = final.user === undefined && !final.expose.some((e) => Number.parseInt(e.value, 10) < 1024) && unprovenRuntimeNeeds(project, model.context).length === 0 && crateRootReasons(project).length === 0;
    const target = `${runtime.image}${nonroot ? ':nonroot' : ''}`;
    // Proven only when the program opens no files and starts no programs: it may read the OS image's.
    const safe = unprovenRuntimeNeeds(project, model.context).length === 0;
    const fixes: Fix[] = [{ title: `Switch runtime to ${target}`, edits: [replaceBaseImage(final, target), ...removals], isPreferred: true, safe }];
    return [{ message: rustMessages.heavyRuntime(image, linkageText(linkage), target), range: final.base.range, related: [], fixes }];
  },
};
