// Python on Alpine with packages that publish glibc (manylinux) wheels: musl forces source builds.
import type { Rule } from '../../../findings';
import { languageImageOf } from '../../stage';
import { MANYLINUX_WHEEL_PACKAGES } from '../python';
import { installedDistributions } from '../python';
import { pythonMessages } from './messages';

export const pythonAlpineSourceBuilds: Rule = {
  id: 'python-alpine-source-builds',
  language: 'python',
  defaultSeverity: 'warning',
  summary: 'Python on Alpine installs packages that ship glibc wheels only; musl makes pip build them from source.',
  check({ model, project }) {
    const out = [];
    for (const index of [...model.reachable].sort((a, b) => a - b)) {
      const stage = model.stages[index];
      if (!stage) continue;
      const image = languageImageOf(model, stage);
      if (!image || image.language !== 'python' || image.kind !== 'alpine') continue;
      const wheels = installedDistributions(model, stage, project).names.filter((n) => MANYLINUX_WHEEL_PACKAGES.has(n));
      if (wheels.length === 0) continue;
      const slim = `python:${image.version ? `${image.version}-slim` : 'slim'}`;
      // apk commands, busybox adduser and paths differ on Debian: offered, never applied unasked.
      const fixes = stage.base.stage === undefined && !stage.base.written.includes('$')
        ? [{ title: `Use ${slim} (review: Debian instead of Alpine)`, edits: [{ range: stage.base.range, newText: slim }], isPreferred: true, safe: false }]
        : [];
      out.push({ message: pythonMessages.alpineWheels(stage.base.resolved ?? stage.base.written, wheels, slim), range: stage.base.range, related: [], fixes });
    }
    return out;
  },
};
