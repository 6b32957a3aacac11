// The binary is static-capable but runs on a full OS image (or distroless base/cc where static
// would do). Offers distroless static, or scratch with what scratch lacks.
import type { Fix, Rule } from '../findings';
import type { TextEdit } from 'vscode-languageserver-types';
import { messages } from '../messages';
import { baseFactsOf, cgoEffectivelyOn, deliveredBinaries, shellNeeds, stageOf } from '../runtime';
import { disableCgo, replaceBaseImage, deleteLines, uniqueEdits } from '../fixes/edits';
import { STATIC_RUNTIME } from '../fixes/toMultiStage';
import { scratchAdditions } from '../fixes/scratch';

/** Users and groups distroless static defines. */
const DISTROLESS_USERS = new Set(['root', 'nonroot', 'nobody']);

export const heavyRuntimeBase: Rule = {
  id: 'heavy-runtime-base',
  defaultSeverity: 'info',
  summary: 'A static Go binary runs on a full OS image; distroless static or scratch would do.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final || final.base.stage !== undefined || !final.base.reference) return [];
    const facts = baseFactsOf(model, final);
    const heavy = facts.kind === 'os' || facts.kind === 'distroless-base' || facts.kind === 'distroless-cc' || (facts.kind === 'go-toolchain' && final.goBuilds.length === 0);
    if (!heavy) return [];
    const binaries = deliveredBinaries(model, project).filter((b) => b.copy !== undefined);
    if (binaries.length === 0 || final.goBuilds.length > 0) return [];
    // Precision first: only when the program is known and needs no cgo.
    if (!project.hasGoSources || project.needs.cgo.needed) return [];
    const image = final.base.resolved ?? final.base.written;
    const blockers = shellNeeds(model);
    if (blockers.length > 0) return [];
    // A user named in USER or COPY --chown must exist in the new image's /etc/passwd.
    const names = [final.user?.value, ...final.copies.map((c) => c.chown)].flatMap((v) => (v ? v.split(':') : []));
    if (names.some((n) => n !== '' && !/^\d+$/.test(n) && !DISTROLESS_USERS.has(n))) return [];

    let cgoEdits: TextEdit[] = [];
    for (const b of binaries) {
      const stage = stageOf(model, b.build);
      if (cgoEffectivelyOn(b.build, baseFactsOf(model, stage), stage) === false) continue;
      const edit = disableCgo(model, b.build);
      if (!edit) return [];
      cgoEdits.push(...edit);
    }
    cgoEdits = uniqueEdits(cgoEdits);
    // RUN steps that only install certs/tzdata go away: distroless has both.
    const removals = final.runs.map((r) => deleteLines(model, r.range));
    const nonroot = final.user === undefined && !final.expose.some((e) => Number.parseInt(e.value, 10) < 1024);
    const distroless = `${STATIC_RUNTIME}${nonroot ? ':nonroot' : ''}`;
    const fixes: Fix[] = [
      { title: 'Switch runtime to distroless', edits: [replaceBaseImage(final, distroless), ...cgoEdits, ...removals], isPreferred: true, safe: true },
    ];
    const scratch = scratchAdditions(model, project, binaries[0]!.build);
    if (scratch) fixes.push({ title: 'Switch runtime to scratch', edits: [replaceBaseImage(final, 'scratch'), ...cgoEdits, ...removals, ...scratch], safe: false });
    return [{ message: messages.heavyRuntimeBase(image, 'gcr.io/distroless/static-debian12 (about 2 MB)'), range: final.base.range, related: [], fixes }];
  },
};
