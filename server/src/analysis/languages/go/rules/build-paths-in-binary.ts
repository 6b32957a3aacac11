// A stripped go build without -trimpath: the builder's file paths stay in the binary. A hint, not
// a size matter: -trimpath saves a few KB (docs/calibration.md); it makes the build reproducible
// wherever the sources sit and keeps those paths out of the image.
import type { Rule } from '../../../findings';
import { goMessages } from '../messages';
import { addBuildFlags } from '../buildEdits';
import { shippedBuilds, stripsDebugInfo, trimpathAvailable } from './debug-info-not-stripped';

export const buildPathsInBinary: Rule = {
  id: 'build-paths-in-binary',
  defaultSeverity: 'hint',
  summary: 'The stripped go build keeps the build paths in the binary (-trimpath).',
  check({ model, project }) {
    const out = [];
    for (const build of shippedBuilds(model, project)) {
      // An unstripped build is debug-info-not-stripped's, whose fix adds -trimpath as well.
      if (build.trimpath || !stripsDebugInfo(build) || !trimpathAvailable(model, build)) continue;
      const edits = addBuildFlags(model, build, { trimpath: true });
      out.push({
        message: goMessages.buildPathsInBinary(),
        range: build.run.range,
        related: [],
        fixes: edits ? [{ title: 'Add -trimpath', edits, isPreferred: true, safe: true }] : [],
      });
    }
    return out;
  },
};
