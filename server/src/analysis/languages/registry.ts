// Every language, in one list: the workspace reads the manifests and sources each names, and
// detection and the estimate ask each in turn. A new language adds its module here, its image
// description in images.ts, its id in id.ts and its rules in rules/<language>/ (README: Adding a language).
import type { LanguageSupport } from './types';
import { go } from './go/go';
import { rust } from './rust/rust';
import { c } from './c/c';
import { java } from './java/java';
import { node } from './node/node';
import { python } from './python/python';

const LANGUAGES: readonly LanguageSupport[] = [go, rust, c, java, node, python];

export function languages(): readonly LanguageSupport[] {
  return LANGUAGES;
}
