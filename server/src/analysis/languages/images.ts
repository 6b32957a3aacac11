// What a language image provides, asked of each language in turn (baseImage.ts falls back here
// for names it does not know itself).
import type { BaseFacts } from '../baseImage';
import type { ImageReference } from '../imageRef';
import { languages } from './registry';

export function describeLanguageImage(ref: ImageReference): BaseFacts | undefined {
  for (const language of languages()) {
    const facts = language.describeImage(ref);
    if (facts) return facts;
  }
  return undefined;
}
