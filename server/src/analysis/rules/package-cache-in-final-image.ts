// Package manager caches and extras left in the final image's layers.
import type { Fix, RelatedNote, Rule } from '../findings';
import { messages } from '../messages';
import { insertOptionAfterVerb } from '../fixes/packageEdits';
import type { DockerfileModel, PackageInstall, Stage } from '../model';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { baseFactsOf } from '../runtime';
import { debianIndexFor, type PackageIndexes } from '../packages/indexes';
import { planLeanInstall } from '../packages/recommends';
import { startCommandPrograms } from '../runtime';
import { formatBytes } from '../estimate/sizes';

/** Removes an `apk update &&` written in the RUN (on one line with it), if there is one. */
function apkUpdateBefore(model: DockerfileModel, range: Range): TextEdit | undefined {
  const text = model.document.getText(range);
  const m = /\bapk update\s*&&[ \t]*/.exec(text);
  if (!m) return undefined;
  const start = model.document.offsetAt(range.start) + m.index;
  return { range: { start: model.document.positionAt(start), end: model.document.positionAt(start + m[0].length) }, newText: '' };
}

/**
 * Whether ` && cmd` can go at the end of this RUN: not in exec form (JSON), and the last line does
 * not end in a shell comment (the command would be commented out) or an operator (`; &&` is a
 * syntax error).
 */
export function canAppendCommand(model: DockerfileModel, range: Range): boolean {
  const text = model.document.getText(range);
  // Continued lines are one line to the shell: a comment on any of them runs to the end.
  const joined = text.split(`${model.escapeChar}\n`).join(' ').split(`${model.escapeChar}\r\n`).join(' ');
  const lastLine = joined.slice(joined.search(/[^\r\n]*$/)).trimEnd();
  if (/^\s*RUN\s+(--\S+\s+)*\[/i.test(text)) return false;
  return !/(^|\s)#/.test(lastLine) && !/[;&|\\`]$/.test(lastLine);
}

/**
 * Packages whose HTTPS needs a CA bundle they only recommend, so --no-install-recommends leaves
 * them failing with "error setting certificate file" (seen with curl on the bookworm stand-in).
 * From Debian bookworm's Packages: libcurl4 (curl's library), wget, git and aria2 each list
 * ca-certificates under Recommends, not Depends.
 */
const HTTPS_THROUGH_RECOMMENDS = new Set(['curl', 'libcurl4', 'wget', 'git', 'aria2']);

/** Named packages that need ca-certificates named beside them once recommendations are dropped. */
function needCaCertificatesNamed(packages: readonly string[]): string[] {
  const names = packages.map((p) => p.split(/[=:]/)[0] as string);
  return names.includes('ca-certificates') ? [] : names.filter((n) => HTTPS_THROUGH_RECOMMENDS.has(n));
}

/**
 * --no-install-recommends from the release's index: the fix names the recommended packages the
 * image still needs and lists what it drops, with sizes; it is safe because the index shows every
 * package it leaves out. Undefined when the index is not at hand.
 */
function leanFromIndex(model: DockerfileModel, stage: Stage, install: PackageInstall, indexes: PackageIndexes | undefined): { fix: Fix | undefined; related: RelatedNote[] } | undefined {
  const debian = debianIndexFor(baseFactsOf(model, stage), indexes);
  if (!debian) return undefined;
  const image = stage.base.stage === undefined ? stage.base.resolved : undefined;
  const base = image ? indexes?.installed?.(image) : undefined;
  const plan = planLeanInstall(debian.index, install.packages, base ?? new Set(), startCommandPrograms(stage));
  const range = install.run.range;
  if (plan.unknown.length > 0) return { fix: undefined, related: [{ message: messages.aptRecommendsUnknownPackages(plan.unknown, debian.source), range }] };
  const named = plan.named.filter((n) => !install.packages.some((p) => p.split(/[=:]/)[0] === n.name));
  const edit = insertOptionAfterVerb(install.run, ['apt-get', 'apt'], 'install', '--no-install-recommends');
  const total = formatBytes(plan.droppedBytes);
  const related: RelatedNote[] = [
    { message: messages.aptRecommendsDropped(plan.dropped.map((p) => ({ name: p.name, size: formatBytes(p.installedBytes) })), total, debian.source, base !== undefined), range },
    ...named.map((n) => ({ message: messages.aptRecommendNamed(n.name, n.why), range })),
  ];
  if (!edit) return { fix: undefined, related };
  const naming = named.length > 0 ? `, naming ${named.map((n) => n.name).join(', ')}` : '';
  // Without the base's package list, packages the base already has count as dropped: an upper bound.
  const title = `Add --no-install-recommends${naming} (drops ${base ? '' : 'at most '}${plan.dropped.length} package${plan.dropped.length === 1 ? '' : 's'}, ${total})`;
  const option = ['--no-install-recommends', ...named.map((n) => n.name)].join(' ');
  return { fix: { title, edits: [{ ...edit, newText: ` ${option}` }], isPreferred: true, safe: true }, related };
}

export const packageCacheInFinalImage: Rule = {
  id: 'package-cache-in-final-image',
  defaultSeverity: 'warning',
  summary: 'apt/apk in the final image leaves caches or recommended packages behind.',
  check({ model, packages }) {
    const final = model.finalStage;
    if (!final) return [];
    const out = [];
    for (const p of final.packageInstalls) {
      if (p.run.heredoc || p.cacheMounted) continue;
      if (p.manager === 'apt') {
        if (!p.cleansLists) {
          const end = p.run.range.end;
          const fixes = canAppendCommand(model, p.run.range)
            ? [{ title: 'Remove the apt lists in the same RUN', edits: [{ range: { start: end, end }, newText: ' && rm -rf /var/lib/apt/lists/*' }], isPreferred: true, safe: true }]
            : [];
          out.push({ message: messages.aptListsKept(), range: p.run.range, related: [], fixes });
        }
        if (!p.lean) {
          const indexed = leanFromIndex(model, final, p, packages);
          if (indexed) {
            out.push({ message: messages.aptRecommends(), range: p.run.range, related: indexed.related, fixes: indexed.fix ? [indexed.fix] : [] });
            continue;
          }
          // Without the release's index, which recommended packages the option drops is not
          // known: the fix is offered for review, never applied by Minimize.
          const https = needCaCertificatesNamed(p.packages);
          const option = https.length > 0 ? '--no-install-recommends ca-certificates' : '--no-install-recommends';
          const edit = insertOptionAfterVerb(p.run, ['apt-get', 'apt'], 'install', '--no-install-recommends');
          const fixes = edit ? [{ title: 'Add --no-install-recommends (review: not proven safe)', edits: [{ ...edit, newText: ` ${option}` }], isPreferred: true, safe: false }] : [];
          out.push({ message: messages.aptRecommends(), range: p.run.range, related: [{ message: messages.aptRecommendsUnchecked(https), range: p.run.range }], fixes });
        }
      } else if (!p.lean) {
        const edit = insertOptionAfterVerb(p.run, ['apk'], 'add', '--no-cache');
        // `apk update` writes the index that --no-cache avoids; with --no-cache it is not needed.
        const update = apkUpdateBefore(model, p.run.range);
        const edits = edit ? [...(update ? [update] : []), edit] : [];
        out.push({ message: messages.apkCache(), range: p.run.range, related: [], fixes: edit ? [{ title: 'Add --no-cache', edits, isPreferred: true, safe: true }] : [] });
      }
    }
    return out;
  },
};
