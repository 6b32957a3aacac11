// Minimize and the estimate, as custom requests (protocol.ts): the version's Minimize edit with
// its sizes, and the version's estimate now and after Minimize.
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from '../lsp';
import { isDockerfile, isTooLarge, MAX_DOCUMENT_CHARS } from '../documents';
import { messages } from '../analysis/messages';
import { diffAsEdit } from '../analysis/fixes/apply';
import { savingText } from '../analysis/estimate/present';
import { MinimizeCancelled } from '../session';
import type { Sessions } from '../sessions';
import type { EstimateAnswer, EstimateParams, MinimizeAnswer, MinimizeParams } from '../protocol';

/**
 * Minimize's edit for the document's version. It lets the server read its messages between two
 * fixes, so the client can cancel it ($/cancelRequest, or the cancel button of its progress): a
 * cancelled Minimize answers RequestCancelled with no edit, and keeps nothing.
 */
export async function minimize(params: MinimizeParams, sessions: Sessions, token?: CancellationToken): Promise<MinimizeAnswer> {
  const document = sessions.store.get(params.uri);
  if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.uri} is not open.`);
  if (!isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, 'Slimfile: Minimize works on Dockerfiles.');
  if (isTooLarge(document)) throw new ResponseError(ErrorCodes.InvalidRequest, messages.documentTooLarge(document.getText().length, MAX_DOCUMENT_CHARS));
  const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, 'Slimfile: Minimize cancelled.');
  const session = await sessions.session(document);
  if (token?.isCancellationRequested) throw cancelled();
  const progress = params.workDoneToken !== undefined ? sessions.progress(params.workDoneToken) : undefined;
  progress?.begin('Slimfile: minimizing', undefined, undefined, true);
  const result = await session
    .minimizedCancellable(token ?? { isCancellationRequested: false }, (applied) => progress?.report(`applied: ${applied[applied.length - 1] ?? ''}`))
    .catch((error: unknown) => {
      throw error instanceof MinimizeCancelled ? cancelled() : error;
    })
    .finally(() => progress?.done());
  // The edit names the version whose text it was computed from.
  const version = session.version as number;
  const edits = diffAsEdit(session.text, result.text);
  const sizes = await sessions.estimate(session).catch((error: unknown) => {
    sessions.logError(`estimate ${document.uri}`, error);
    return undefined;
  });
  return {
    edit: edits.length > 0 ? { documentChanges: [{ textDocument: { uri: document.uri, version }, edits }] } : undefined,
    applied: result.applied,
    remaining: result.remaining,
    version,
    text: result.text,
    bytesBefore: sizes?.now.bytes,
    bytesAfter: sizes?.minimized?.bytes ?? sizes?.now.bytes,
    saving: savingText(sizes?.now.bytes, sizes?.minimized?.bytes ?? sizes?.now.bytes),
  };
}

export async function estimate(params: EstimateParams, sessions: Sessions): Promise<EstimateAnswer> {
  const document = sessions.store.get(params.uri);
  if (!document || !isDockerfile(document)) throw new ResponseError(ErrorCodes.InvalidParams, `Slimfile: ${params.uri} is not an open Dockerfile.`);
  const { now, minimized } = await sessions.estimate(await sessions.session(document));
  return { bytes: now.bytes, minimizedBytes: minimized?.bytes ?? now.bytes, confidence: now.confidence, sources: now.sources, unknowns: now.unknowns };
}
