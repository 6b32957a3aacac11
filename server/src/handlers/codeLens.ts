// The size lenses: listed at once from the parse (the top of the file and each FROM), their
// titles filled in on codeLens/resolve from the version's estimate.
import type { CodeLens } from 'vscode-languageserver/node';
import type { DockerfileModel } from '../analysis/model';
import type { EstimatePair } from '../analysis/estimate/estimate';
import { sizeLenses } from '../analysis/estimate/present';

/** What a listed lens carries to its resolve: the version its title is for. */
export interface LensData {
  readonly uri: string;
  readonly version: number;
  readonly index: number;
}

/** Ranges only, so listing lenses never waits on the estimate. */
export function codeLenses(uri: string, version: number, model: DockerfileModel): CodeLens[] {
  if (model.stages.length === 0) return [];
  const ranges = [{ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ...model.stages.map((s) => s.fromRange)];
  return ranges.map((range, index): CodeLens => ({ range, data: { uri, version, index } satisfies LensData }));
}

/** A lens listed for a version that is gone: a placeholder until the editor lists them again. */
export function staleLens(lens: CodeLens): CodeLens {
  return { ...lens, command: { title: 'Image size: …', command: '' } };
}

/** The lens's title from the estimate; the top lens runs Minimize when Minimize changes something. */
export function resolvedLens(lens: CodeLens, model: DockerfileModel, pair: EstimatePair): CodeLens {
  const data = lens.data as LensData;
  const resolved = sizeLenses(model, pair.now, pair.minimized)[data.index];
  if (!resolved) return { ...lens, command: { title: '', command: '' } };
  return {
    ...lens,
    command: resolved.minimize && pair.minimized ? { title: resolved.title, command: 'slimfile.minimize', arguments: [data.uri] } : { title: resolved.title, command: '' },
  };
}
