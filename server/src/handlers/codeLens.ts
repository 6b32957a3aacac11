// The size lenses: listed at once from the parse (the top of the file and each FROM), their
// titles filled in on codeLens/resolve from the version's estimate.
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { isDockerfile } from '../documents';
import type { Sessions } from '../sessions';
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

/** textDocument/codeLens: nothing when lenses or Slimfile are turned off. */
export async function codeLens(params: CodeLensParams, sessions: Sessions): Promise<CodeLens[]> {
  const document = sessions.store.get(params.textDocument.uri);
  if (!document || !isDockerfile(document)) return [];
  const settings = await sessions.settingsFor(document.uri);
  if (!settings.enable || !settings.codeLens) return [];
  return codeLenses(document.uri, document.version, sessions.store.model(document));
}

/** codeLens/resolve: the title from the estimate of the version the lens was listed for. */
export async function resolveCodeLens(lens: CodeLens, sessions: Sessions): Promise<CodeLens> {
  const data = lens.data as LensData;
  const document = sessions.store.get(data.uri);
  if (!document || document.version !== data.version) return staleLens(lens);
  const session = await sessions.session(document);
  return resolvedLens(lens, session.model, await sessions.estimate(session));
}
