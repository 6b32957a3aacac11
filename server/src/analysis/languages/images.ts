// What a language image provides, asked of each language in turn (baseImage.ts falls back here for
// names it does not know itself, and model.ts for the WORKDIR an image sets). The registry hands
// the languages' descriptions over as it loads: the languages' analyses ask for base facts, so the
// base facts sit below the registry and cannot import it without an import circle. Callers outside
// the analysis parse through its entry (analysis/index.ts), which loads the registry first
// (test/unit/layers.test.ts holds them to it); a description asked before the registry loaded
// fails loudly, never as "unknown".
import type { BaseFacts } from '../baseFacts';
import type { ImageReference } from '../imageRef';

export type ImageDescription = (ref: ImageReference) => BaseFacts | undefined;

let descriptions: readonly ImageDescription[] | undefined;

/** Called once, by registry.ts as it loads, with each language's description in registry order. */
export function useLanguageImages(list: readonly ImageDescription[]): void {
  descriptions = list;
}

export function describeLanguageImage(ref: ImageReference): BaseFacts | undefined {
  if (!descriptions) throw new Error("Slimfile: an image was described before the languages were registered; parse through the analysis' entry (server/src/analysis/index.ts), which loads them.");
  for (const describe of descriptions) {
    const facts = describe(ref);
    if (facts) return facts;
  }
  return undefined;
}
