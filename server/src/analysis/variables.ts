// Expands Dockerfile variables the way BuildKit does for FROM and RUN arguments:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alternative} (and the non-colon forms).
// dockerfile-ast resolves plain names only, so the modifiers are handled here.

export interface Expansion {
  readonly value: string;
  /** Names referenced but not defined (their value was unknown, so `value` is not trustworthy). */
  readonly unresolved: readonly string[];
}

export type Scope = ReadonlyMap<string, string | undefined>;

export interface ExpandOptions {
  /**
   * Write a reference whose value is unknown back as it stands (`$HOME/app`) instead of as "".
   * For values the model keeps (ENV, WORKDIR, COPY paths), where "" would be a wrong value.
   */
  readonly keepUnknown?: boolean;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** The length of the variable reference (`$NAME`, `${NAME…}`) that starts at `at` in `text`, or 0 when none starts there. */
export function variableReferenceAt(text: string, at: number): number {
  VARIABLE_AT.lastIndex = at;
  return VARIABLE_AT.exec(text)?.[0].length ?? 0;
}

/** VARIABLE anchored where lastIndex says (made once: processWord asks at every `$`). */
const VARIABLE_AT = new RegExp(VARIABLE.source, 'y');

export function expandVariables(text: string, scope: Scope, escapeChar = '\\', options: ExpandOptions = {}): Expansion {
  // Most words name no variable: no matcher, no new string.
  if (!text.includes('$')) return { value: text, unresolved: [] };
  const unresolved: string[] = [];
  let out = '';
  let last = 0;
  // A fresh matcher per call: the modifiers recurse, and a shared /g regex would lose its place.
  const matcher = new RegExp(VARIABLE.source, 'g');
  for (let m = matcher.exec(text); m; m = matcher.exec(text)) {
    if (m.index > 0 && text[m.index - 1] === escapeChar) {
      // `\$VAR` is a literal `$`: drop the escape, keep scanning right after the `$`.
      out += `${text.slice(last, m.index - 1)}$`;
      last = m.index + 1;
      matcher.lastIndex = last;
      continue;
    }
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    const name = m[1] ?? m[4] ?? '';
    const op = m[2];
    const word = m[3] ?? '';
    const known = scope.has(name) && scope.get(name) !== undefined;
    const value = known ? (scope.get(name) as string) : undefined;
    const unresolvedBefore = unresolved.length;
    let expanded = '';
    if (op === ':-' || op === '-') {
      const useDefault = op === ':-' ? !value : !known;
      if (useDefault) {
        const inner = expandVariables(word, scope, escapeChar);
        unresolved.push(...inner.unresolved);
        expanded = inner.value;
      } else expanded = value ?? '';
    } else if (op === ':+' || op === '+') {
      // Declared without a default: set only by a --build-arg we cannot see.
      if (scope.has(name) && !known) {
        unresolved.push(name);
      } else if (op === ':+' ? !!value : known) {
        const inner = expandVariables(word, scope, escapeChar);
        unresolved.push(...inner.unresolved);
        expanded = inner.value;
      }
    } else {
      if (!known) unresolved.push(name);
      expanded = value ?? '';
    }
    out += options.keepUnknown && unresolved.length > unresolvedBefore ? m[0] : expanded;
  }
  out += text.slice(last);
  return { value: out, unresolved };
}
