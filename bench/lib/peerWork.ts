// What the Dockerfile language server computes for one version of a document, in process:
// dockerfile-utils' validate (its diagnostics) and the language service's validate plus its
// code actions for those diagnostics. The service has no code lenses.
import { validate } from 'dockerfile-utils';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { wholeRange } from './slimfileWork';

const service = DockerfileLanguageServiceFactory.createLanguageService();

export interface PeerStages {
  validate(): unknown;
  service(): unknown;
}

export function peerWork(text: string, uri = 'file:///bench/Dockerfile'): PeerStages {
  const range = wholeRange(text);
  return {
    validate: () => validate(text),
    service: () => {
      const diagnostics = service.validate(text);
      return [diagnostics, service.computeCodeActions({ uri }, range, { diagnostics })];
    },
  };
}
