// How BuildKit reads each string of a JSON-form COPY or ADD (`COPY ["a b", "/app/"]`): after the
// JSON array, its shell lexer's ProcessWord (moby/buildkit frontend/dockerfile/shell/lex.go), which
// substitutes `$` variables, takes `'` and `"` as quotes and the escape character (the
// `# escape=` directive's, `\` by default) as an escape, as it does for the shell form's words.
// fixes/dockerfileWords.ts writes JSON words for this reading; read with JSON.parse alone, a
// generated `["team\\'s"]` kept its backslash in the model. Written out because no package reads words
// this way: shell-quote splits at blanks and knows `\` only, and a word here keeps its blanks.
import { expandVariables, variableReferenceAt, type ExpandOptions, type Expansion, type Scope } from './variables';

/** Characters an escape character keeps its meaning before inside double quotes (lex.go processDoubleQuote); before others it is itself. */
function escapedInDoubleQuotes(ch: string | undefined, escapeChar: string): boolean {
  return ch === '"' || ch === '$' || ch === escapeChar;
}

/**
 * The word as BuildKit's ProcessWord reads it, with variables from `scope` (through
 * expandVariables, so `${NAME:-default}` and the rest read as in FROM and ENV). A quote left open
 * (a build error in Docker) reads to the end of the word.
 */
export function processWord(word: string, scope: Scope, escapeChar: string, options: ExpandOptions = {}): Expansion {
  if (!/["'$]/.test(word) && !word.includes(escapeChar)) return { value: word, unresolved: [] };
  let value = '';
  const unresolved: string[] = [];
  /** The `$` at `i`: a variable's value, or the `$` itself when no name follows. The index after it. */
  const dollar = (i: number): number => {
    const length = variableReferenceAt(word, i);
    if (length === 0) {
      value += '$';
      return i + 1;
    }
    const expanded = expandVariables(word.slice(i, i + length), scope, escapeChar, options);
    value += expanded.value;
    unresolved.push(...expanded.unresolved);
    return i + length;
  };
  let i = 0;
  while (i < word.length) {
    const ch = word[i] as string;
    if (ch === "'") {
      // Everything up to the closing quote, as written.
      const end = word.indexOf("'", i + 1);
      value += word.slice(i + 1, end < 0 ? word.length : end);
      i = end < 0 ? word.length : end + 1;
    } else if (ch === '"') {
      for (i++; i < word.length && word[i] !== '"'; ) {
        if (word[i] === '$') {
          i = dollar(i);
          continue;
        }
        if (word[i] === escapeChar && escapedInDoubleQuotes(word[i + 1], escapeChar)) i++;
        value += word[i];
        i++;
      }
      i++;
    } else if (ch === '$') {
      i = dollar(i);
    } else {
      // The escape character stands for the character after it, whatever that is.
      if (ch === escapeChar) i++;
      if (i < word.length) value += word[i];
      i++;
    }
  }
  return { value, unresolved };
}
