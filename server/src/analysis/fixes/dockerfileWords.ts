// Paths written into generated COPY and WORKDIR lines so that Docker reads exactly those paths.
// BuildKit (moby/buildkit frontend/dockerfile) reads a COPY as a JSON array when it is one, else
// splits it on whitespace (parser/line_parsers.go parseMaybeJSONToList); WORKDIR is the rest of the
// line (parseString). Either way every word then goes through the shell lexer's ProcessWord
// (dockerfile2llb/convert.go dispatch, shell/lex.go), which takes `$` as a variable, `'` and `"` as
// quotes and the escape character (the `# escape=` directive's, `\` by default) as an escape, in the
// JSON form too. A COPY source is then a pattern when a path component holds `*`, `?` or `[`
// unescaped (tonistiigi/fsutil copy/copy.go containsWildcards, resolveWildcards: filepath.Match).
import type { DockerfileModel } from '../model';
import { keyword } from './edits';

/** Characters ProcessWord treats specially besides the escape character itself. */
const LEXER_SPECIAL = /[$'"]/;
/**
 * A word written as is: nothing the lexer, the whitespace split, the JSON check or a heredoc marker
 * would read differently. `*` and `?` mean nothing to those, only to the copy that matches sources.
 */
const PLAIN_WORD = /^[^\s$'"`\\[\]<#]+$/;

/** The text ProcessWord turns back into `value`: each special character behind the escape character. */
function lexerWord(value: string, escapeChar: string): string {
  let out = '';
  for (const ch of value) out += ch === escapeChar || LEXER_SPECIAL.test(ch) ? `${escapeChar}${ch}` : ch;
  return out;
}

/**
 * A COPY source that is a pattern on purpose: the path `literal`, matched as exactly that, then
 * `wildcard` (no `/` in it) written as is, as in `go.sum` + `*` for a go.sum that may be missing.
 */
export interface SourcePattern {
  readonly literal: string;
  readonly wildcard: string;
}

/** A COPY source: a path copied as exactly that path, or a pattern on purpose. */
export type CopySource = string | SourcePattern;

/**
 * A COPY source as written: a path as a pattern that matches only that path, and a pattern on
 * purpose with its literal part so. fsutil treats a source as literal until a component holds an
 * unescaped `*`, `?` or `[`; from that component on, the rest is matched with Go's
 * filepath.Match, where `\` escapes. An escaped character alone would leave the component literal,
 * backslash included, so each pattern character is written as a one-character class (`[*]`),
 * which keeps the component a pattern that matches that character only.
 */
function sourceWord(source: CopySource): string {
  const literal = typeof source === 'string' ? source : source.literal;
  const parts = literal.split('/');
  const literalFirst = parts.findIndex((p) => /[*?[]/.test(p));
  // A wildcard on purpose makes the last component a pattern whatever comes before it.
  const first = typeof source === 'string' || literalFirst >= 0 ? literalFirst : parts.length - 1;
  const written = first < 0 ? literal : parts.map((p, i) => (i < first ? p : p.replace(/[*?[\\]/g, (c) => (c === '\\' ? '\\\\' : `[${c}]`)))).join('/');
  return typeof source === 'string' ? written : `${written}${source.wildcard}`;
}

/**
 * A COPY line whose sources and destination Docker reads as exactly the paths given (a pattern on
 * purpose as that pattern): as words when each is plain, else in the JSON form with the lexer's
 * escapes (a space or a quote cannot be written otherwise). `flags` are written as given
 * (`--from=build`, `--chown=65532:65532`).
 */
export function copyLine(model: DockerfileModel, flags: readonly string[], sources: readonly CopySource[], destination: string): string {
  const words = [...sources.map(sourceWord), destination];
  const head = [keyword(model, 'COPY'), ...flags].join(' ');
  if (words.every((w) => PLAIN_WORD.test(w))) return `${head} ${words.join(' ')}`;
  return `${head} [${words.map((w) => JSON.stringify(lexerWord(w, model.escapeChar))).join(', ')}]`;
}

/**
 * A WORKDIR line Docker reads as `path`, or why no line can say it: WORKDIR has no JSON form, and
 * the line's leading and trailing whitespace, and an escape character ending it (which continues
 * the line), are not part of the path Docker reads.
 */
export function workdirLine(model: DockerfileModel, path: string): { readonly ok: true; readonly line: string } | { readonly ok: false; readonly reason: string } {
  const word = lexerWord(path, model.escapeChar);
  if (path.trim() !== path || path === '' || /[\r\n]/.test(path) || word.endsWith(model.escapeChar)) {
    return { ok: false, reason: `the WORKDIR ${JSON.stringify(path)} cannot be written on a WORKDIR line (blanks at its ends, a line break, or an escape character at its end)` };
  }
  return { ok: true, line: `${keyword(model, 'WORKDIR')} ${word}` };
}

/**
 * A path as one word of a shell-form RUN's script. Docker hands that script to /bin/sh as written
 * (no variable or escape processing of its own), so the shell's quoting is what counts: a path
 * that is not plain goes in single quotes, a quote in it closed, escaped and reopened.
 */
export function shellWord(path: string): string {
  return /^[A-Za-z0-9_./@%+,:=-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
