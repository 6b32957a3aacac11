// The binary is static-capable but runs on a full OS image (or distroless base/cc where static
// would do). Offers distroless static, or scratch with what scratch lacks.
import type { Fix, Rule } from '../../../findings';
import type { TextEdit } from 'vscode-languageserver-types';
import { goMessages } from '../messages';
import { baseFactsOf, shellNeeds } from '../../../runtime';
import { cgoEffectivelyOn, deliveredBinaries, stageOf, distrolessRelease } from '../binaries';
import { decideStartedPrograms, type PackageDecisions } from '../stagePackages';

/** The final stage's packages are this rule's own business (shellNeeds); here only the Go code's starts count. */
const NO_PACKAGES: PackageDecisions = { refusals: [], problems: [], notes: [], startedFromPackages: new Set() };
import { replaceBaseImage, deleteLines, uniqueEdits } from '../../../fixes/edits';
import { disableCgo } from '../buildEdits';
import type { CopyStep } from '../../../model';
import { baseName, joinPath } from '../../../paths';
import { scratchAdditions, scratchBlockers } from '../scratch';
import { goBuildsIn } from '../goBuilds';
import { goFacts } from '../source/facts';
import { isGolangImage } from '../image';

/** Users and groups distroless static defines. */
const DISTROLESS_USERS = new Set(['root', 'nonroot', 'nobody']);

export const heavyRuntimeBase: Rule = {
  id: 'heavy-runtime-base',
  defaultSeverity: 'info',
  summary: 'A static Go binary runs on a full OS image; distroless static or scratch would do.',
  check({ model, project, runtime }) {
    const final = model.finalStage;
    if (!final || final.base.stage !== undefined || !final.base.reference) return [];
    const facts = baseFactsOf(model, final);
    const heavy = facts.kind === 'os' || facts.kind === 'distroless-base' || facts.kind === 'distroless-cc' || (isGolangImage(facts) && goBuildsIn(model, final).length === 0);
    if (!heavy) return [];
    const binaries = deliveredBinaries(model, project).filter((b) => b.copy !== undefined);
    if (binaries.length === 0 || goBuildsIn(model, final).length > 0) return [];
    // Precision first: only when the program is known and needs no cgo.
    if (!goFacts(project).hasGoSources || goFacts(project).needs.cgo.needed) return [];
    const image = final.base.resolved ?? final.base.written;
    const blockers = shellNeeds(model);
    if (blockers.length > 0) return [];
    // A program the Go code starts (git, a shell, one named at run time) is on the heavy image only.
    const own = binaries.flatMap((b) => (b.path && b.copy ? finalPathsOf(b.path, b.copy) : []));
    const started = decideStartedPrograms(project, own, 'scratch', NO_PACKAGES, final.workdir);
    if (started.refusals.length > 0 || started.problems.length > 0) return [];
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
    // The release of the stages that build the binaries (debian13 for trixie builders).
    const release = binaries.every((b) => distrolessRelease(stageOf(model, b.build)) === '13') ? '13' : '12';
    const staticRuntime = `gcr.io/distroless/static-debian${release}`;
    const distroless = `${staticRuntime}${nonroot ? ':nonroot' : ''}`;
    const toDistroless: Fix = { title: 'Switch runtime to distroless', edits: [replaceBaseImage(final, distroless), ...cgoEdits, ...removals], isPreferred: true, safe: true };
    const additions = scratchAdditions(model, project, binaries.map((b) => b.build));
    const toScratch = additions ? { title: 'Switch runtime to scratch', edits: uniqueEdits([replaceBaseImage(final, 'scratch'), ...cgoEdits, ...removals, ...additions]) } : undefined;
    if (runtime === 'scratch') {
      // What this fix cannot give a scratch runtime (the conversion of a golang image can).
      const needs = goFacts(project).needs;
      const reasons = [
        ...scratchBlockers(project),
        ...(needs.files.tempFiles.length > 0 ? ['the program makes temporary files, and scratch has no /tmp'] : []),
        ...(needs.userLookup.needed ? ['the program looks users up, and scratch has no user database'] : []),
        ...(additions ? [] : ['the build stage lacks the CA bundle or zoneinfo the program needs']),
      ];
      if (reasons.length === 0 && toScratch) {
        return [{ message: goMessages.heavyRuntimeBase(image, 'scratch with only what the program needs'), range: final.base.range, related: [], fixes: [{ ...toScratch, isPreferred: true, safe: true }, { ...toDistroless, isPreferred: false }] }];
      }
      const fixes: Fix[] = [toDistroless, ...(toScratch ? [{ ...toScratch, safe: false }] : [])];
      const related = [{ message: `Distroless rather than scratch: ${reasons.join('; ')}.`, range: final.base.range }];
      return [{ message: goMessages.heavyRuntimeBase(image, `${staticRuntime} (about 2 MB)`), range: final.base.range, related, fixes }];
    }
    const fixes: Fix[] = [toDistroless, ...(toScratch ? [{ ...toScratch, safe: false }] : [])];
    return [{ message: goMessages.heavyRuntimeBase(image, `${staticRuntime} (about 2 MB)`), range: final.base.range, related: [], fixes }];
  },
};

/** Where a COPY may put the binary in the final stage: at the destination, or in it under its own name. */
function finalPathsOf(binary: string, copy: CopyStep): string[] {
  const dest = joinPath(copy.workdir, copy.destination);
  return [dest, joinPath(dest, baseName(binary))];
}
