// Every language besides Go, in one list: detection and the estimate ask each in turn.
// A new language adds its module here, its image description in images.ts, and its rules in
// rules/<language>/index.ts.
import type { LanguageSupport } from './types';
import { rust } from './rust';
import { c } from './c';
import { java } from './java';
import { node } from './node';
import { python } from './python';

const LANGUAGES: readonly LanguageSupport[] = [rust, c, java, node, python];

export function languages(): readonly LanguageSupport[] {
  return LANGUAGES;
}
