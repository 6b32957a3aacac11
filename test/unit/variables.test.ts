// Dockerfile variable expansion: every form BuildKit accepts in FROM/ARG/ENV, escapes, and what
// stays unresolved (an ARG without a default is never guessed).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expandVariables, type Scope } from '../../server/src/analysis/variables';

const scope: Scope = new Map<string, string | undefined>([
  ['GO_VERSION', '1.22'],
  ['EMPTY', ''],
  ['NODEFAULT', undefined],
  ['VARIANT', 'alpine'],
]);

function expand(text: string, options?: { keepUnknown?: boolean }, escapeChar = '\\'): { value: string; unresolved: string[] } {
  const e = expandVariables(text, scope, escapeChar, options);
  return { value: e.value, unresolved: [...e.unresolved] };
}

test('plain $VAR and ${VAR}', () => {
  assert.deepStrictEqual(expand('golang:$GO_VERSION'), { value: 'golang:1.22', unresolved: [] });
  assert.deepStrictEqual(expand('golang:${GO_VERSION}-${VARIANT}'), { value: 'golang:1.22-alpine', unresolved: [] });
  assert.deepStrictEqual(expand('$GO_VERSION$VARIANT'), { value: '1.22alpine', unresolved: [] });
  assert.deepStrictEqual(expand('no variables here'), { value: 'no variables here', unresolved: [] });
  assert.deepStrictEqual(expand('trailing $'), { value: 'trailing $', unresolved: [] });
});

test('${VAR:-default} uses the default when unset or empty; ${VAR-default} only when unset', () => {
  assert.deepStrictEqual(expand('${GO_VERSION:-1.21}'), { value: '1.22', unresolved: [] });
  assert.deepStrictEqual(expand('${EMPTY:-1.21}'), { value: '1.21', unresolved: [] });
  assert.deepStrictEqual(expand('${EMPTY-1.21}'), { value: '', unresolved: [] });
  assert.deepStrictEqual(expand('${UNDECLARED:-1.21}'), { value: '1.21', unresolved: [] });
  assert.deepStrictEqual(expand('${UNDECLARED-1.21}'), { value: '1.21', unresolved: [] });
  // The default the author wrote is what builds without --build-arg.
  assert.deepStrictEqual(expand('${NODEFAULT:-docker.io}/x'), { value: 'docker.io/x', unresolved: [] });
});

test('defaults can hold variables, and unknown ones in them are reported', () => {
  assert.deepStrictEqual(expand('${MISSING:-$GO_VERSION}'), { value: '1.22', unresolved: [] });
  assert.deepStrictEqual(expand('${MISSING:-${VARIANT}}'), { value: 'alpine', unresolved: [] });
  assert.deepStrictEqual(expand('${MISSING:-$NODEFAULT}'), { value: '', unresolved: ['NODEFAULT'] });
});

test('${VAR:+alt} and ${VAR+alt}', () => {
  assert.deepStrictEqual(expand('golang${VARIANT:+-$VARIANT}'), { value: 'golang-alpine', unresolved: [] });
  assert.deepStrictEqual(expand('x${EMPTY:+-debug}'), { value: 'x', unresolved: [] });
  assert.deepStrictEqual(expand('x${EMPTY+-debug}'), { value: 'x-debug', unresolved: [] });
  assert.deepStrictEqual(expand('x${UNDECLARED:+-debug}'), { value: 'x', unresolved: [] });
  // Declared without a default: only a --build-arg we cannot see would set it.
  assert.deepStrictEqual(expand('x${NODEFAULT:+-debug}'), { value: 'x', unresolved: ['NODEFAULT'] });
});

test('an ARG without a default stays unresolved and is never guessed', () => {
  assert.deepStrictEqual(expand('golang:${NODEFAULT}'), { value: 'golang:', unresolved: ['NODEFAULT'] });
  assert.deepStrictEqual(expand('$NODEFAULT'), { value: '', unresolved: ['NODEFAULT'] });
  assert.deepStrictEqual(expand('$A-$B'), { value: '-', unresolved: ['A', 'B'] });
});

test('many variables and modifiers in one text all expand (no lost place between them)', () => {
  assert.deepStrictEqual(expand('${MISSING:-docker.io}/library/golang:${GO_VERSION:-1.21}${VARIANT:+-$VARIANT}'), {
    value: 'docker.io/library/golang:1.22-alpine',
    unresolved: [],
  });
  const many = Array.from({ length: 20 }, (_, i) => `\${X${i}:-${i}}`).join('/');
  assert.equal(expand(many).value, Array.from({ length: 20 }, (_, i) => String(i)).join('/'));
});

test('an escaped $ is a literal $, with the escape removed', () => {
  assert.deepStrictEqual(expand('\\$GO_VERSION'), { value: '$GO_VERSION', unresolved: [] });
  assert.deepStrictEqual(expand('a\\${GO_VERSION}b'), { value: 'a${GO_VERSION}b', unresolved: [] });
  assert.deepStrictEqual(expand('\\$GO_VERSION-$VARIANT'), { value: '$GO_VERSION-alpine', unresolved: [] });
});

test('with `# escape=`` the backtick escapes and a backslash is an ordinary character', () => {
  assert.deepStrictEqual(expand('`$GO_VERSION', undefined, '`'), { value: '$GO_VERSION', unresolved: [] });
  assert.deepStrictEqual(expand('C:\\go$GO_VERSION', undefined, '`'), { value: 'C:\\go1.22', unresolved: [] });
});

test('keepUnknown writes unknown references back as written', () => {
  assert.deepStrictEqual(expand('$HOME/app', { keepUnknown: true }), { value: '$HOME/app', unresolved: ['HOME'] });
  assert.deepStrictEqual(expand('-X main.v=${GO_VERSION} -X main.c=${COMMIT}', { keepUnknown: true }), {
    value: '-X main.v=1.22 -X main.c=${COMMIT}',
    unresolved: ['COMMIT'],
  });
  assert.deepStrictEqual(expand('x${NODEFAULT:+-debug}', { keepUnknown: true }), { value: 'x${NODEFAULT:+-debug}', unresolved: ['NODEFAULT'] });
  assert.deepStrictEqual(expand('${GO_VERSION}', { keepUnknown: true }), { value: '1.22', unresolved: [] });
});
