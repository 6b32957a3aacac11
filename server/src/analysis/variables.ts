// Expands Dockerfile variables the way BuildKit does for FROM and RUN arguments:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alternative} (and the non-colon forms).
// dockerfile-ast resolves plain names only, so the modifiers are handled here.

export interface Expansion {
  readonly value: string;
  /** Names referenced but not defined (their value was unknown, so `value` is not trustworthy). */
  readonly unresolved: readonly string[];
}

export type Scope = ReadonlyMap<string, string | undefined>;

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function expandVariables(text: string, scope: Scope, escapeChar = '\\'): Expansion {
  const unresolved: string[] = [];
  let out = '';
  let last = 0;
  VARIABLE.lastIndex = 0;
  for (let m = VARIABLE.exec(text); m; m = VARIABLE.exec(text)) {
    if (m.index > 0 && text[m.index - 1] === escapeChar) continue;
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    const name = m[1] ?? m[4] ?? '';
    const op = m[2];
    const word = m[3] ?? '';
    const known = scope.has(name) && scope.get(name) !== undefined;
    const value = known ? (scope.get(name) as string) : undefined;
    if (op === ':-' || op === '-') {
      const useDefault = op === ':-' ? !value : !known;
      if (useDefault) {
        const inner = expandVariables(word, scope, escapeChar);
        unresolved.push(...inner.unresolved);
        out += inner.value;
      } else out += value ?? '';
      continue;
    }
    if (op === ':+' || op === '+') {
      // Declared without a default: set only by a --build-arg we cannot see.
      if (scope.has(name) && !known) {
        unresolved.push(name);
        continue;
      }
      const useAlt = op === ':+' ? !!value : known;
      if (useAlt) {
        const inner = expandVariables(word, scope, escapeChar);
        unresolved.push(...inner.unresolved);
        out += inner.value;
      }
      continue;
    }
    if (!known) unresolved.push(name);
    out += value ?? '';
  }
  out += text.slice(last);
  return { value: out, unresolved };
}
