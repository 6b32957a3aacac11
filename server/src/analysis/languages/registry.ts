// Every language besides Go, in one list: detection, image facts and the estimate ask each in turn.
// A new language adds its module here (and its rules in rules/<language>/index.ts).
import type { LanguageSupport } from './types';
import { rust } from './rust';
import { c } from './c';
import { java } from './java';
import { node } from './node';
import { python } from './python';

/**
 * A function, not a constant: baseImage.ts asks the languages about image names, and language
 * modules use baseImage.ts in turn, so when a language module is loaded first this file runs
 * before that module has finished; the list must be read at call time.
 */
export function languages(): readonly LanguageSupport[] {
  return [rust, c, java, node, python];
}
