// Slimfile's own requests between client and server; every other message is plain LSP.
import type { WorkspaceEdit } from 'vscode-languageserver-types';

export interface MinimizeParams {
  readonly uri: string;
}

export interface MinimizeAnswer {
  /** Undefined when nothing is safe to change. */
  readonly edit: WorkspaceEdit | undefined;
  /** Titles of the fixes the edit applies. */
  readonly applied: readonly string[];
  /** Findings that stay, each with why it is not changed automatically. */
  readonly remaining: ReadonlyArray<{ readonly rule: string; readonly message: string; readonly details?: readonly string[] }>;
  /** Version of the document the edit was computed for. */
  readonly version: number;
  /** The whole minimized text, for a before/after preview. */
  readonly text: string;
  /** Estimated bytes before and after, when known. */
  readonly bytesBefore: number | undefined;
  readonly bytesAfter: number | undefined;
  /** The saving as the server writes it ("Image ≈ 983 MB → ≈ 6.0 MB (164x smaller)"), when the estimate knows both sizes and the image gets smaller. */
  readonly saving: string | undefined;
}

/** Computes every safe fix for a Dockerfile as one edit, without applying it. */
export const MINIMIZE_REQUEST = 'slimfile/minimize';

export interface EstimateParams {
  readonly uri: string;
}

export interface EstimateAnswer {
  readonly bytes: number | undefined;
  readonly minimizedBytes: number | undefined;
  readonly confidence: string;
  readonly sources: readonly string[];
  readonly unknowns: readonly string[];
}

/** The size estimate of a Dockerfile now and after Minimize. */
export const ESTIMATE_REQUEST = 'slimfile/estimate';

/** Client -> server: workspace trust (and the offline setting) changed; trust gates credentials and builds. */
export const TRUST_NOTIFICATION = 'slimfile/trust';
