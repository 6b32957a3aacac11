// How BuildKit reads a generated COPY line back, for tests that check a fix writes the paths it
// means: the line parsed with dockerfile-ast, then read the way BuildKit reads it (JSON array or
// whitespace-split words, then the shell lexer's quotes, escapes and `$`; a source with `*`, `?`
// or `[` is a filepath.Match pattern). It follows BuildKit's code as read at moby/buildkit
// 73ed6825 (frontend/dockerfile/parser/line_parsers.go, shell/lex.go) and tonistiigi/fsutil
// 6d9dc2eb (copy/copy.go containsWildcards, resolveWildcards).
import * as assert from 'node:assert/strict';
import { DockerfileParser, type Copy } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';

/** What BuildKit's ProcessWord makes of a word with no variable in it; a `$` it would substitute fails the test. */
export function processWord(word: string, escape: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] as string;
    if (ch === escape) {
      i++;
      if (i < word.length) out += word[i];
    } else if (ch === "'") {
      const end = word.indexOf("'", i + 1);
      assert.ok(end > i, `unterminated single quote in ${word}`);
      out += word.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      for (i++; word[i] !== '"'; i++) {
        assert.ok(i < word.length, `unterminated double quote in ${word}`);
        if (word[i] === '$') assert.fail(`${word} has a variable inside double quotes`);
        if (word[i] === escape && ['"', '$', escape].includes(word[i + 1] as string)) i++;
        out += word[i];
      }
    } else if (ch === '$') {
      assert.fail(`${word} has a $ that Docker substitutes`);
    } else {
      out += ch;
    }
  }
  return out;
}

/** The words of a COPY after its flags, as BuildKit's parser hands them to ProcessWord. */
export function copyWords(text: string): { words: string[]; escape: string } {
  const dockerfile = DockerfileParser.parse(text);
  const copy = dockerfile.getInstructions().find((i) => i.getKeyword() === 'COPY') as Copy;
  const escape = dockerfile.getEscapeCharacter();
  // Each word's own text, before dockerfile-ast's unescaping (flags are not arguments).
  const lines = text.split(/\r?\n/);
  const raw = (range: Range): string => lines[range.start.line]?.slice(range.start.character, range.end.character) ?? '';
  const json = copy.getJSONStrings();
  if (json.length > 0) return { words: json.map((s) => JSON.parse(raw(s.getRange())) as string), escape };
  return { words: copy.getArguments().map((a) => raw(a.getRange())), escape };
}

/** Whether fsutil copies `path` for the source `pattern` (literal until a component holds an unescaped wildcard). */
export function sourceMatches(pattern: string, path: string): boolean {
  const isWildcard = (component: string): boolean => {
    for (let i = 0; i < component.length; i++) {
      if (component[i] === '\\') i++;
      else if ('*?['.includes(component[i] as string)) return true;
    }
    return false;
  };
  const parts = pattern.split('/');
  const first = parts.findIndex(isWildcard);
  if (first < 0) return pattern === path;
  // The literal folders before the first pattern component ('' for a pattern from the start).
  const literal = first === 0 ? '' : `${parts.slice(0, first).join('/')}/`;
  if (!path.startsWith(literal)) return false;
  // Go's filepath.Match as a regular expression: `\` escapes, classes, `*` and `?` within a component.
  let source = '';
  const rest = parts.slice(first).join('/');
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i] as string;
    if (ch === '\\') source += `\\${rest[++i]}`;
    else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const end = rest.indexOf(']', i + 2);
      source += `[${rest.slice(i + 1, end).replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = end;
    } else source += ch.replace(/[.+(){}|$^]/g, (c) => `\\${c}`);
  }
  return new RegExp(`^${source}$`).test(path.slice(literal.length));
}

/** Whether fsutil copies exactly `path` for `pattern`: it matches, and nothing that differs from it in a pattern character does. */
export function copiesExactly(pattern: string, path: string): boolean {
  const other = path.replace(/[*?[]/g, 'x');
  return sourceMatches(pattern, path) && (other === path || !sourceMatches(pattern, other));
}
