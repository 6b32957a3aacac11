// Slimfile's own messages between an editor and the language server; every other message is
// plain LSP. This is the only server file the VS Code client imports, so it holds types and
// names only (no code that would pull server internals into the client).
import type { WorkspaceEdit } from 'vscode-languageserver-types';

/**
 * How an editor starts the server: this script (relative to the extension's or the repository's
 * root) in node, with no node flags (the server sets the V8 flags it needs itself, v8Flags.ts, so
 * that every editor runs the same server), and this environment on top of the editor's. The VS
 * Code client starts it so (client/src/serverStart.ts), and so does the bench
 * (bench/sections/lsp.ts), so the bench measures what VS Code runs; the README's "Other editors"
 * gives the same environment.
 */
export const SERVER_SCRIPT = 'dist/server.js';
export const SERVER_EXEC_ARGV: readonly string[] = [];
/**
 * `MALLOC_ARENA_MAX=1`: glibc's malloc keeps one arena, shared by every thread, instead of one per
 * thread that allocates. V8's compiler threads otherwise each keep an arena whose freed blocks stay
 * resident: with one arena the server held about 1 MiB less with the bench's 15 files open, and
 * keystrokes and cold start were no slower (bench/findings.md, "mem6" and "mem8"). glibc reads it
 * only when the process starts, before any of the server's code runs, so only whoever starts the
 * process can set it. Other C libraries (musl) ignore it.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

/** What the client may send as `initializationOptions`; every field may be left out. */
export interface InitializationOptions {
  /** The workspace is trusted: builds may run, go builds may measure binaries, docker credentials may be read. Absent: untrusted. */
  readonly trusted?: boolean;
  /** Never contact a registry (the catalog and the local engine only). */
  readonly offline?: boolean;
  /** The `slimfile` settings section, for clients that do not answer workspace/configuration. */
  readonly settings?: unknown;
  /** The client shows build logs sent as BUILD_LOG_NOTIFICATION; without it they go to window/logMessage. */
  readonly buildLogNotification?: boolean;
  /** The client contributes slimfile.build and slimfile.compare itself, with their UI, and calls them through workspace/executeCommand: the server neither advertises them (VS Code's language client would register them a second time) nor shows their outcome with window/showMessage. */
  readonly commandsInClient?: boolean;
}

export interface MinimizeParams {
  readonly uri: string;
  /** Work done progress: each fix is reported as Minimize applies it; cancelling the request stops it. */
  readonly workDoneToken?: string | number;
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

/** workspace/executeCommand: builds an open Dockerfile (its text as the editor has it) on the Docker Engine; trusted workspaces only. Arguments: [BuildArguments], [uri], or none for the one open Dockerfile. Answer: BuildResult (its message also as window/showMessage). */
export const BUILD_COMMAND = 'slimfile.build';

/** workspace/executeCommand: builds an open Dockerfile as written and as Minimize would make it (the file is not changed); with `run: true` also runs and probes both images (CompareResult.behaviour), then removes their containers and images; trusted workspaces only. Arguments: as BUILD_COMMAND. Answer: CompareResult (its message also as window/showMessage). */
export const COMPARE_COMMAND = 'slimfile.compare';

/** Server -> client, during a build: one line of the build log (when the client asked with buildLogNotification). */
export const BUILD_LOG_NOTIFICATION = 'slimfile/buildLog';

export interface BuildLogParams {
  readonly line: string;
}

export interface BuildArguments {
  /** The Dockerfile; it must be open in the editor. */
  readonly uri: string;
  /** Build: the image tag (default slimfile/<context folder>:latest). Compare: the repository of both tags (default slimfile/<context folder>). */
  readonly tag?: string;
  /** Build every step again (honest build times). */
  readonly noCache?: boolean;
  /** Compare: also run both images, probe them the same way and compare how they behave (the images are removed afterwards). */
  readonly run?: boolean;
}

export interface ShownLayer {
  /** The instruction that made the layer, as the image history records it. */
  readonly createdBy: string;
  readonly bytes: number;
  /** The size as written everywhere in Slimfile ("6.0 MB"). */
  readonly size: string;
  /** When the layer was made, in seconds since 1970. */
  readonly created: number;
}

/** A built image: its real size from the engine beside the estimate, and its layers (newest first). */
export interface ShownImage {
  /** "as written", "minimized", or the Dockerfile's name. */
  readonly label: string;
  readonly tag: string;
  /** Image id (sha256:...). */
  readonly image: string;
  /** Uncompressed size on the engine, as `docker image ls` shows it. */
  readonly bytes: number;
  /** The estimate of the text that was built, in bytes, when there is one. */
  readonly estimate: number | null;
  readonly size: string;
  /** "estimate ≈ 6.1 MB (+1.2%)", or "no estimate". */
  readonly estimateNote: string;
  readonly seconds: number;
  /** engine-buildkit, engine-classic or docker-cli. */
  readonly builder: string;
  readonly layers: readonly ShownLayer[];
}

export interface BuildResult {
  readonly image: ShownImage;
  /** One line for a notification: tag, real size, estimate, build time. */
  readonly message: string;
}

export interface CompareResult {
  readonly original: ShownImage;
  readonly minimized: ShownImage;
  /** original bytes / minimized bytes */
  readonly ratio: number;
  /** Titles of the fixes the minimized side has. */
  readonly applied: readonly string[];
  /** One line for a notification: both real sizes and the ratio. */
  readonly message: string;
  /** With run: how the two images behaved. */
  readonly behaviour?: RunComparison;
}

/** One line of the behaviour table: a check and what each side did. */
export interface BehaviourRow {
  /** "GET :8080/health", "exit code", "first error line", "files written (docker diff)", ... */
  readonly check: string;
  readonly asWritten: string;
  readonly minimized: string;
  readonly same: boolean;
  /** The declared status, when there is one. */
  readonly detail?: string;
}

/** A known failure found in what a side printed, with its cause and the rule that explains it. */
export interface FailureSignature {
  readonly side: 'as written' | 'minimized';
  /** "no such file or directory", "permission denied", "x509: certificate signed by unknown authority", ... */
  readonly name: string;
  /** The line it was found in. */
  readonly line: string;
  readonly cause: string;
  readonly rule: string;
  readonly url: string;
  /** The other side printed it too: not something the conversion changed. */
  readonly onBothSides: boolean;
}

export interface RunComparison {
  /** Every row is the same after normalisation. */
  readonly same: boolean;
  readonly rows: readonly BehaviourRow[];
  readonly signatures: readonly FailureSignature[];
  /** Declared statuses a side did not answer. */
  readonly unmet: readonly string[];
  /** What is masked before comparing. */
  readonly normalisation: readonly string[];
}

/** Error codes of slimfile.build and slimfile.compare (a cancelled build answers LSP's RequestCancelled, -32800). */
export const BuildErrorCodes = {
  /** The client did not say the workspace is trusted; the message says how to allow builds. */
  untrusted: 1001,
  /** The engine could not be used or the build failed; data.kind names the problem (engine-not-running, step-failed, base-image, ...). */
  failed: 1002,
} as const;
