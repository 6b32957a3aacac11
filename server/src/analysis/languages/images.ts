// What a language image provides, asked of each language in turn (baseImage.ts falls back here for
// names it does not know itself, and model.ts for the WORKDIR an image sets). The registry hands
// the languages' descriptions over as it loads: the languages' analyses ask for base facts, so the
// base facts sit below the registry and cannot import it without an import circle. Every entry
// point reaches the registry (analyze.ts through the rules and detection, the workspace through
// the manifests it reads); a description asked before it loaded fails loudly, never as "unknown".
import type { BaseFacts } from '../baseFacts';
import type { ImageReference } from '../imageRef';

export type ImageDescription = (ref: ImageReference) => BaseFacts | undefined;

let descriptions: readonly ImageDescription[] | undefined;

/** Called once, by registry.ts as it loads, with each language's description in registry order. */
export function useLanguageImages(list: readonly ImageDescription[]): void {
  descriptions = list;
}

export function describeLanguageImage(ref: ImageReference): BaseFacts | undefined {
  if (!descriptions) throw new Error('Slimfile: an image was described before the languages were registered; import analysis/languages/registry.ts first.');
  for (const describe of descriptions) {
    const facts = describe(ref);
    if (facts) return facts;
  }
  return undefined;
}
