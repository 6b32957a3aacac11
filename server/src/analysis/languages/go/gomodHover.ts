// Hover on go.mod's `go` directive: the Dockerfiles that build this module and their Go versions.
// The server reads the Dockerfiles (ManifestDocument.hover); this only reads what it is given.
import type { Hover } from 'vscode-languageserver-types';
import type { GoMod } from './gomod';
import { compareGoVersions, goVersionParts, parseGoMod } from './gomod';
import type { ManifestHover, NearbyDockerfile } from '../types';
import { baseFactsOf } from '../../runtime';
import { goBuildsIn, hiddenBuildsIn } from './goBuilds';
import { golangVersion, isGolangImage } from './image';

/** go.mod's hover: on the go line only, so the Dockerfiles are read for that line alone. */
export const goModHover: ManifestHover = {
  hovers: (text, position) => parseGoMod(text).goRange?.start.line === position.line,
  hover: (text, position, dockerfiles) => goDirectiveHover(parseGoMod(text), position.line, dockerfiles),
};

export function goDirectiveHover(goMod: GoMod, line: number, dockerfiles: readonly NearbyDockerfile[]): Hover | undefined {
  if (!goMod.goRange || goMod.goRange.start.line !== line || !goMod.go) return undefined;
  const wanted = goVersionParts(goMod.go);
  const rows: string[] = [];
  for (const { path, model } of dockerfiles) {
    for (const stage of model.stages) {
      if (goBuildsIn(model, stage).length === 0 && hiddenBuildsIn(model, stage).length === 0) continue;
      const facts = baseFactsOf(model, stage);
      if (!isGolangImage(facts)) continue;
      const goVersion = golangVersion(facts);
      const have = goVersionParts(goVersion);
      const image = stage.base.resolved ?? `${stage.base.written} (unresolved)`;
      const verdict = !have || !wanted ? '' : goVersion!.split('.').length < 3 && have[0] === wanted[0] && have[1] === wanted[1] ? '' : compareGoVersions(have, wanted) < 0 ? ' — **older than go.mod**' : '';
      rows.push(`- \`${path}\`${stage.name ? ` (stage ${stage.name})` : ''}: \`${image}\`${verdict}`);
    }
  }
  const body = rows.length > 0 ? `Built by:\n${rows.join('\n')}` : 'No Dockerfile under this module builds it with a golang image.';
  return { contents: { kind: 'markdown', value: `**go ${goMod.go}**${goMod.toolchain ? ` (toolchain ${goMod.toolchain})` : ''}\n\n${body}` }, range: goMod.goRange };
}
