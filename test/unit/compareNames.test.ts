// The order Slimfile lists a build context's names in (the "# Not copied:" notes, Cargo crates):
// what localeCompare gives under English, computed without loading ICU's collation for ASCII.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareNames } from '../../server/src/analysis/paths';

const english = new Intl.Collator('en');
const sign = (n: number): number => Math.sign(n);

test('a context listing comes out case-insensitively, small letters first on a tie, punctuation before digits before letters', () => {
  const names = ['Pseudo-Code.TXT', 'package.json', 'mongo-init.js', 'Gopkg.lock', 'docker-compose-tests.yml', 'credentials_example.yaml', 'app.yaml', 'app.db-journal', '.DS_Store', 'Makefile', 'makefile', 'main.go', '2fa', '_build'];
  assert.deepEqual([...names].sort(compareNames), [
    '_build',
    '.DS_Store',
    '2fa',
    'app.db-journal',
    'app.yaml',
    'credentials_example.yaml',
    'docker-compose-tests.yml',
    'Gopkg.lock',
    'main.go',
    'makefile',
    'Makefile',
    'mongo-init.js',
    'package.json',
    'Pseudo-Code.TXT',
  ]);
});

test('every pair of printable ASCII characters orders as Intl.Collator("en") orders it', () => {
  const chars: string[] = [];
  for (let c = 0x20; c < 0x7f; c++) chars.push(String.fromCharCode(c));
  const strings = ['', ...chars, ...chars.flatMap((a) => chars.map((b) => a + b))];
  assert.deepEqual([...strings].sort(compareNames), [...strings].sort(english.compare));
});

test('random names with mixed case, punctuation and digits order as Intl.Collator("en") orders them', () => {
  // A fixed seed, so a failure names the same strings every run.
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const alphabet = 'aAbBzZ09_-./ ~$';
  const names = Array.from({ length: 4000 }, () => Array.from({ length: next(9) }, () => alphabet[next(alphabet.length)]).join(''));
  for (let i = 0; i + 1 < names.length; i++) {
    const a = names[i] as string;
    const b = names[i + 1] as string;
    assert.equal(sign(compareNames(a, b)), sign(english.compare(a, b)), `${JSON.stringify(a)} against ${JSON.stringify(b)}`);
  }
});

test('names outside printable ASCII go to ICU: accents, tabs and other scripts keep its order', () => {
  const names = ['résumé.txt', 'resume.txt', 'Résumé.txt', 'zebra', 'émail', 'tab\there', 'tab here', 'данные', 'daten'];
  assert.deepEqual([...names].sort(compareNames), [...names].sort(english.compare));
});
