// The java and openjdk repositories on Docker Hub are deprecated: no updates, no security fixes.
import type { Rule } from '../../../findings';
import { languageImage, temurinJre } from '../../runtimeImages';
import { javaMessages } from './messages';

export const deprecatedJavaImage: Rule = {
  id: 'java-deprecated-image',
  language: 'java',
  defaultSeverity: 'info',
  summary: 'A stage builds on the deprecated java or openjdk image.',
  check({ model }) {
    const out = [];
    for (const stage of model.stages) {
      if (stage.base.stage !== undefined) continue;
      const image = languageImage(stage.base.reference);
      if (!image?.deprecated) continue;
      const written = stage.base.resolved ?? stage.base.written;
      const replacement = image.version
        ? image.kind === 'jre'
          ? temurinJre(image.version, image)
          : `eclipse-temurin:${image.version}-jdk${image.os?.startsWith('alpine') ? '-alpine' : ''}`
        : undefined;
      // openjdk:*-slim is Debian and eclipse-temurin is Ubuntu: packages and paths may differ, so never applied unasked.
      const fixes = replacement && !stage.base.written.includes('$')
        ? [{ title: `Use ${replacement}`, edits: [{ range: stage.base.range, newText: replacement }], isPreferred: true, safe: false }]
        : [];
      out.push({ message: javaMessages.deprecatedImage(written, replacement ?? 'eclipse-temurin'), range: stage.base.range, related: [], fixes });
    }
    return out;
  },
};
