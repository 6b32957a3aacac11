// Bad input, one test each: half-typed and malformed Dockerfiles, odd line endings and bytes.
// Each goes through the analysis (no throw, no rule failure, every fix sound and idempotent,
// Minimize stable) and through the real server over stdio (diagnostics for the version, every
// request answered, ranges inside the document).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeLens, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-types';
import { ResponseError } from 'vscode-jsonrpc/node';
import { parseDockerfile } from '../../server/src/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { emptyProject, type ProjectFacts } from '../../server/src/analysis/project';
import { loadProject } from '../../server/src/workspace/project';
import { messages } from '../../server/src/analysis/messages';
import { checkAnalysisAndFixes, checkMinimize } from './properties';
import { startSession, type ServerSession } from './serverFuzz';

const EXAMPLE = readFileSync(path.join(__dirname, '..', '..', 'examples', 'http-server', 'Dockerfile'), 'utf8');

const CASES: ReadonlyArray<{ readonly name: string; readonly text: string }> = [
  { name: 'an unterminated continuation at the end', text: 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server . \\' },
  { name: 'a continuation onto blank lines and a comment', text: 'FROM golang:1.22\nRUN go build \\\n\n# a comment\n  -o /app/server .\nCMD ["/app/server"]\n' },
  { name: 'an empty FROM', text: 'FROM\nRUN go build -o /app .\nCMD ["/app"]\n' },
  { name: 'FROM with only spaces and a dangling AS', text: 'FROM    \nFROM golang:1.22 AS\nRUN go build -o /app .\n' },
  { name: 'no FROM at all', text: 'RUN go build -o /app .\nCMD ["/app"]\n' },
  { name: 'unknown instructions', text: 'FROM golang:1.22\nFORM alpine\nRUNN go build\nBOGUS x y z\nRUN go build -o /app .\nCMD ["/app"]\n' },
  { name: 'an unterminated heredoc', text: 'FROM golang:1.22\nWORKDIR /src\nRUN <<EOF\ngo build -o /app .\n' },
  { name: 'a stray heredoc end marker and a COPY heredoc without a body', text: 'FROM golang:1.22\nEOF\nCOPY <<EOF /etc/config\nRUN go build -o /app .\nCMD ["/app"]\n' },
  { name: 'a quote left open in RUN', text: 'FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -ldflags="-X main.v=1 -o /app .\nFROM scratch\nCOPY --from=build /app /app\nCMD ["/app"]\n' },
  { name: '# escape= changed mid-way (a comment after the first instruction)', text: '# escape=\\\nFROM golang:1.22\n# escape=`\nRUN go build `\n  -o /app .\nCMD ["/app"]\n' },
  { name: '# escape=` for a Windows file', text: '# escape=`\nFROM golang:1.22\nRUN go build -o C:\\out\\app.exe `\n  .\nCMD ["C:\\\\out\\\\app.exe"]\n' },
  { name: 'CRLF line endings', text: EXAMPLE.replace(/\n/g, '\r\n') },
  { name: 'mixed line endings, with a lone CR', text: EXAMPLE.split('\n').map((l, i) => l + (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\n' : '\r')).join('') },
  { name: 'a byte order mark', text: `\uFEFF${EXAMPLE}` },
  { name: 'tabs for spaces', text: EXAMPLE.replace(/ /g, '\t') },
  { name: 'a very long line (100,000 characters)', text: `FROM golang:1.22\nRUN echo ${'x'.repeat(100_000)} && go build -o /app .\nCMD ["/app"]\n` },
  { name: 'many short lines (20,000)', text: `FROM golang:1.22\n${'RUN true\n'.repeat(20_000)}RUN go build -o /app .\n` },
  { name: 'NUL bytes', text: 'FROM golang:1.22\u0000\nRUN go\u0000build -o /app .\n\u0000\u0000\u0000\nCMD ["/app"]\n' },
  { name: 'a binary file opened as a Dockerfile', text: readFileSync(process.execPath).subarray(0, 64 * 1024).toString('utf8') },
  { name: 'non-UTF-8 bytes, decoded as an editor would', text: Buffer.concat([Buffer.from('FROM golang:1.22\nLABEL author=J'), Buffer.from([0xf6, 0x72, 0x67, 0xff, 0xfe, 0xc3, 0x28]), Buffer.from('\nRUN go build -o /app .\n')]).toString('utf8') },
  { name: 'lone surrogates and line separators', text: 'FROM golang:1.22\u2028RUN go build -o /app .\u2029\nLABEL x=\uD800\uDC00\uDC00\nCMD ["/app"]\n' },
  { name: 'an empty file', text: '' },
  { name: 'only comments and blank lines', text: '# syntax=docker/dockerfile:1\n\n# nothing here\n\n' },
];

let projects: ProjectFacts[] = [];
let session: ServerSession;

before(async () => {
  projects = [emptyProject(), await loadProject(path.join(__dirname, '..', '..', 'examples', 'http-server'), { maxGoFiles: 100 })];
  session = await startSession();
});

after(async () => {
  await session?.dispose();
});

let version = 1000;

for (const { name, text } of CASES) {
  test(`bad input: ${name}`, { timeout: 60_000 }, async () => {
    // The analysis, against no context and against a real one.
    for (const project of projects) {
      checkAnalysisAndFixes(text, project);
      checkMinimize(text, project);
    }
    // The server: diagnostics for this version, every request answered, every range inside the text.
    const { client, uri } = session;
    version++;
    const mark = client.published.length;
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
    const published = await client.diagnosticsForVersion(uri, version, mark);
    const document = TextDocument.create(uri, 'dockerfile', version, text);
    const end = document.positionAt(text.length);
    const inside = (p: { line: number; character: number }): boolean => document.offsetAt(p) === document.offsetAt(document.positionAt(document.offsetAt(p))) && p.line <= end.line;
    for (const d of published.diagnostics as Diagnostic[]) assert.ok(inside(d.range.start) && inside(d.range.end), `diagnostic range outside the text: ${JSON.stringify(d.range)}`);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics: published.diagnostics } });
    for (const action of actions) {
      for (const change of (action.edit?.documentChanges ?? []) as TextDocumentEdit[]) {
        if (change.textDocument.uri !== uri) continue;
        assert.equal(change.textDocument.version, version);
        parseDockerfile(TextDocument.applyEdits(document, change.edits));
      }
    }
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    for (const lens of lenses) await client.request('codeLens/resolve', lens);
    await client.request('slimfile/minimize', { uri }).catch((error: unknown) => assert.ok(error instanceof ResponseError, String(error)));
    await client.notify('textDocument/didClose', { textDocument: { uri } });
  });
}

test('a half-typed end of file keeps its findings but offers no fix, and says why', () => {
  const text = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server . \\';
  const findings = analyze(parseDockerfile(text), projects[1] as ProjectFacts);
  const toolchain = findings.find((f) => f.rule === 'go-toolchain-in-final-image');
  assert.ok(toolchain, JSON.stringify(findings, null, 2));
  assert.deepStrictEqual(toolchain.fixes, []);
  assert.deepStrictEqual(
    toolchain.related.map((r) => r.message),
    [messages.noAutomaticFix('the last line ends with \\, which continues it onto the next')],
  );
  const heredoc = analyze(parseDockerfile('FROM alpine:3.19\nCOPY --from=golang:1.22 /usr/local/go/bin/go /go\nRUN <<EOF\necho hi\n'), emptyProject());
  for (const f of heredoc) assert.deepStrictEqual(f.fixes, [], `${f.rule} offers a fix inside an open heredoc`);
});

test('a Dockerfile whose last RUN ends in a comment gets no "&& rm" appended into the comment', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl # tools\n';
  const findings = analyze(parseDockerfile(text), emptyProject()).filter((f) => f.rule === 'package-cache-in-final-image');
  assert.deepStrictEqual(
    findings.map((f) => ({ message: f.message, fixes: f.fixes.map((x) => x.title) })),
    [
      { message: messages.aptListsKept(), fixes: [] },
      { message: messages.aptRecommends(), fixes: ['Add --no-install-recommends (review: not proven safe)'] },
    ],
  );
});
