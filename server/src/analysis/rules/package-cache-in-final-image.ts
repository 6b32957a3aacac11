// Package manager caches and extras left in the final image's layers.
import type { Rule } from '../findings';
import { messages } from '../messages';
import { insertOptionAfterVerb } from '../fixes/packageEdits';
import type { DockerfileModel } from '../model';
import type { Range, TextEdit } from 'vscode-languageserver-types';

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

export const packageCacheInFinalImage: Rule = {
  id: 'package-cache-in-final-image',
  defaultSeverity: 'warning',
  summary: 'apt/apk in the final image leaves caches or recommended packages behind.',
  check({ model }) {
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
          // Which recommended packages the option drops needs the release's package index, which
          // Slimfile does not read yet: the fix is offered for review, never applied by Minimize.
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
