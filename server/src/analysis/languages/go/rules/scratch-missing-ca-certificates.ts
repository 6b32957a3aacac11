// A program that makes outgoing TLS calls, in an image with no CA certificates.
import type { Fix, Rule } from '../../../findings';
import { goMessages } from '../messages';
import { baseFactsOf, finalCopiesTo } from '../../../runtime';
import { deliveredBinaries, stageOf } from '../binaries';
import { stageRef } from '../scratch';
import { CA_BUNDLE } from '../../../estimate/files';
import { insertLinesAfter, keyword } from '../../../fixes/edits';
import { goFacts } from '../source/facts';

export const scratchMissingCaCertificates: Rule = {
  id: 'scratch-missing-ca-certificates',
  defaultSeverity: 'error',
  summary: 'The program calls TLS services but the image has no CA certificates.',
  check({ model, project }) {
    const final = model.finalStage;
    const needs = goFacts(project).needs;
    if (!final || !needs.tls.needed || needs.embeddedRoots.needed) return [];
    const facts = baseFactsOf(model, final);
    if (facts.caCertificates !== false) return [];
    if (finalCopiesTo(model, CA_BUNDLE).length > 0 || finalCopiesTo(model, '/etc/ssl/certs').length > 0) return [];
    if (final.packageInstalls.some((p) => p.packages.includes('ca-certificates'))) return [];
    if (final.env.has('SSL_CERT_FILE') || final.env.has('SSL_CERT_DIR')) return [];
    const binaries = deliveredBinaries(model, project).filter((b) => b.copy !== undefined);
    const related = needs.tls.evidence.map((e) => ({ message: `TLS call: ${e.what}`, file: e.file, line: e.line }));
    const fixes: Fix[] = [];
    const source = binaries[0] ? stageOf(model, binaries[0].build) : undefined;
    if (source) {
      const sourceFacts = baseFactsOf(model, source);
      const k = (w: string): string => keyword(model, w);
      const copy = insertLinesAfter(model, final.fromRange, [`${k('COPY')} --from=${stageRef(model, source.index)} ${CA_BUNDLE} ${CA_BUNDLE}`]);
      if (sourceFacts.caCertificates) {
        fixes.push({ title: 'Copy CA certificates from the build stage', edits: [copy], isPreferred: true, safe: true });
      } else if (sourceFacts.packageManager) {
        const install = sourceFacts.packageManager === 'apk'
          ? `${k('RUN')} apk add --no-cache ca-certificates`
          : `${k('RUN')} apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*`;
        fixes.push({ title: 'Install CA certificates in the build stage and copy them', edits: [insertLinesAfter(model, source.fromRange, [install]), copy], isPreferred: true, safe: true });
      }
    }
    return [
      {
        message: goMessages.missingCaCertificates(final.base.resolved ?? final.base.written),
        range: final.base.range,
        related: [...related, { message: goMessages.embeddedRootsHint(), range: final.base.range }],
        fixes,
      },
    ];
  },
};
