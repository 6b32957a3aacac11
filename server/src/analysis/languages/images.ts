// What a language image provides, asked of each language's image description in turn
// (baseImage.ts falls back here for names it does not know itself). The list is this file's own,
// not the registry's: the languages' analyses ask for base facts, so the image descriptions sit
// below them and a language adds its line here as well as in registry.ts.
import type { BaseFacts } from '../baseFacts';
import type { ImageReference } from '../imageRef';
import { describeGolangImage } from './go/image';
import { describeRustImage } from './rust/image';
import { describeGccImage } from './c/image';
import { describeJavaImage } from './java/image';
import { describeNodeImage } from './node/image';
import { describePythonImage } from './python/image';

const DESCRIPTIONS: ReadonlyArray<(ref: ImageReference) => BaseFacts | undefined> = [describeGolangImage, describeRustImage, describeGccImage, describeJavaImage, describeNodeImage, describePythonImage];

/** Each language's image description, for the test that holds this list to the registry's. */
export function languageImageDescriptions(): ReadonlyArray<(ref: ImageReference) => BaseFacts | undefined> {
  return DESCRIPTIONS;
}

export function describeLanguageImage(ref: ImageReference): BaseFacts | undefined {
  for (const describe of DESCRIPTIONS) {
    const facts = describe(ref);
    if (facts) return facts;
  }
  return undefined;
}
