// Every language, in one list: one line per language, whose folder (languages/<id>/) holds all of
// it. The workspace reads the manifests and sources each names, the server watches them, detection
// and the estimate ask each in turn, rules/index.ts runs their rules, the base-image facts describe
// their images, and runtime.ts and runCreates.ts ask their questions (both handed over below).
// README: Adding a language.
import type { LanguageSupport } from './types';
import { useLanguageImages } from './images';
import { useLowerAnswers } from './answers';
import { go } from './go';
import { rust } from './rust';
import { c } from './c';
import { java } from './java';
import { node } from './node';
import { python } from './python';

const LANGUAGES: readonly LanguageSupport[] = [go, rust, c, java, node, python];

useLanguageImages(LANGUAGES.map((l) => l.describeImage));
useLowerAnswers(LANGUAGES);

export function languages(): readonly LanguageSupport[] {
  return LANGUAGES;
}
