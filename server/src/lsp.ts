// The language server library (vscode-languageserver), imported by the server's modules through
// this one file. esbuild gives every bundled module that imports a CommonJS package its own copy
// of the package's exports, a getter per name: seven modules importing vscode-languageserver/node
// held seven copies of its several hundred exports, 0.3 MB of heap for the server's life (heap
// snapshot of the bench's 15 open files). Imported here once, they are one.
export {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ErrorCodes,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
export type {
  CancellationToken,
  CodeAction,
  CodeActionParams,
  Connection,
  Diagnostic,
  DiagnosticRelatedInformation,
  DidChangeWatchedFilesParams,
  DocumentSelector,
  ExecuteCommandParams,
  InitializeParams,
  InitializeResult,
  WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
