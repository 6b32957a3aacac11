// An alpine stage runs a C compiler without installing one: alpine has no gcc, make or libc headers.
import type { Rule } from '../../../findings';
import { baseFactsOf } from '../../../runtime';
import { insertLinesAfter, keyword } from '../../../fixes/edits';
import { commandName } from '../../../shell';
import { cMessages } from '../c';

const TOOLS = new Set(['gcc', 'g++', 'cc', 'c++', 'make', 'ld', 'as']);
/** Packages that bring the tool (build-base pulls gcc, g++, make and musl-dev). */
const PROVIDERS = /^(build-base|gcc|g\+\+|clang\d*|make|musl-dev|alpine-sdk|binutils)$/;

export const cAlpineMissingBuildBase: Rule = {
  id: 'c-alpine-missing-build-base',
  language: 'c',
  defaultSeverity: 'error',
  summary: 'An alpine stage runs gcc or make without installing build-base.',
  check({ model }) {
    const out = [];
    for (const stage of model.stages) {
      if (stage.base.stage !== undefined) continue;
      const facts = baseFactsOf(model, stage);
      // Plain alpine and language images built on it, but not one whose own language judges its
      // stages alone (golang:*-alpine has no gcc either, but Go's rules own Go builds).
      if (facts.os !== 'alpine' || facts.judgedByItsLanguage) continue;
      const installed = stage.packageInstalls.some((p) => p.manager === 'apk' && p.packages.some((x) => PROVIDERS.test(x)));
      if (installed) continue;
      const run = stage.runs.find((r) => r.commands.some((c) => TOOLS.has(commandName(c))));
      if (!run) continue;
      // A tool installed by other means (a download, a COPY of a toolchain) is beyond what Slimfile reads: only plain stages.
      if (stage.copies.some((c) => c.from !== undefined)) continue;
      const tool = commandName(run.commands.find((c) => TOOLS.has(commandName(c)))!);
      const image = stage.base.resolved ?? stage.base.written;
      const isFinal = stage === model.finalStage;
      out.push({
        message: cMessages.alpineMissingBuildBase(image, tool),
        range: run.range,
        related: [],
        fixes: [
          {
            title: 'Install build-base',
            edits: [insertLinesAfter(model, stage.fromRange, [`${keyword(model, 'RUN')} apk add --no-cache build-base`])],
            isPreferred: true,
            // In a build stage the packages never reach the image; in the final one they add ~200 MB: reviewed.
            safe: !isFinal,
          },
        ],
      });
    }
    return out;
  },
};
