// Budgets as users write them: sizes with units, and the Dockerfile's own max-size comment.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { budgetDirective, parseSize } from '../../server/src/analysis/estimate/budget';

test('sizes need a unit; MB is decimal like docker image ls, MiB binary', () => {
  assert.equal(parseSize('20MB'), 20_000_000);
  assert.equal(parseSize(' 20 mb '), 20_000_000);
  assert.equal(parseSize('1.5GB'), 1_500_000_000);
  assert.equal(parseSize('500kB'), 500_000);
  assert.equal(parseSize('20MiB'), 20 * 1024 * 1024);
  assert.equal(parseSize('900B'), 900);
  for (const bad of ['20', 'MB', '-3MB', '0MB', '20 megabytes', '']) assert.equal(parseSize(bad), undefined, bad);
});

test('the first max-size comment is the budget, wherever it stands; a bad one says why', () => {
  assert.deepStrictEqual(budgetDirective('FROM scratch\n# slimfile: max-size=20MB\n# slimfile: max-size=1GB\n'), { bytes: 20_000_000, written: '20MB', line: 1 });
  assert.deepStrictEqual(budgetDirective('#slimfile:max-size = 1.5 GB\r\nFROM scratch\r\n'), { bytes: 1_500_000_000, written: '1.5 GB', line: 0 });
  assert.equal(budgetDirective('FROM scratch\n# max-size=20MB\n'), undefined);
  assert.match(budgetDirective('# slimfile: max-size=lots\n')?.problem ?? '', /not "lots"/);
});
