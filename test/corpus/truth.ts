// The ground truth of go-real.tsv: one row per (repository, Dockerfile), written from the code
// before Slimfile ran on it. See README.md for what each column means.
import { promises as fs } from 'node:fs';

export type Verdict = 'convertible' | 'must-refuse';

/** A path the program reads or writes, as the program names it, and where the code shows it. */
export interface ProgramPath {
  readonly path: string;
  readonly evidence: string | undefined;
}

export interface TruthRow {
  readonly repo: string;
  readonly commit: string;
  readonly dockerfile: string;
  readonly context: string;
  readonly verdict: Verdict;
  readonly reads: readonly ProgramPath[];
  readonly writes: readonly ProgramPath[];
  readonly execs: readonly string[];
  readonly tls: boolean;
  readonly zoneinfo: boolean;
  readonly cgo: boolean;
  readonly notes: string;
}

export const COLUMNS = ['repo', 'commit', 'dockerfile', 'context', 'verdict', 'reads', 'writes', 'execs', 'tls', 'zoneinfo', 'cgo', 'notes'] as const;

function paths(cell: string): ProgramPath[] {
  return cell
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      // `path@file:line`: the first @ ends the path (no path in the corpus holds one).
      const at = part.indexOf('@');
      return at < 0 ? { path: part, evidence: undefined } : { path: part.slice(0, at).trim(), evidence: part.slice(at + 1).trim() };
    });
}

function yesNo(cell: string, column: string, line: number): boolean {
  if (cell === 'yes') return true;
  if (cell === 'no') return false;
  throw new Error(`go-real.tsv line ${line}: ${column} is yes or no, not ${JSON.stringify(cell)}`);
}

export function parseTruth(text: string): TruthRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split('\t');
  if (header.join('\t') !== COLUMNS.join('\t')) throw new Error(`go-real.tsv: the header is not ${COLUMNS.join(' ')}`);
  return lines.slice(1).map((line, i) => {
    const cells = line.split('\t');
    const lineNo = i + 2;
    if (cells.length !== COLUMNS.length) throw new Error(`go-real.tsv line ${lineNo}: ${cells.length} columns, not ${COLUMNS.length}`);
    const [repo, commit, dockerfile, context, verdict, reads, writes, execs, tls, zoneinfo, cgo, notes] = cells as [string, string, string, string, string, string, string, string, string, string, string, string];
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`go-real.tsv line ${lineNo}: repo ${JSON.stringify(repo)} is not owner/name`);
    if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`go-real.tsv line ${lineNo}: commit is not 40 hex digits`);
    if (verdict !== 'convertible' && verdict !== 'must-refuse') throw new Error(`go-real.tsv line ${lineNo}: verdict ${JSON.stringify(verdict)}`);
    return {
      repo,
      commit,
      dockerfile,
      context,
      verdict,
      reads: paths(reads),
      writes: paths(writes),
      execs: execs.split(';').map((x) => x.trim()).filter((x) => x !== ''),
      tls: yesNo(tls, 'tls', lineNo),
      zoneinfo: yesNo(zoneinfo, 'zoneinfo', lineNo),
      cgo: yesNo(cgo, 'cgo', lineNo),
      notes,
    };
  });
}

export async function readTruth(file: string): Promise<TruthRow[]> {
  return parseTruth(await fs.readFile(file, 'utf8'));
}

/** The checkout's folder name: `owner+name`. */
export function checkoutName(repo: string): string {
  return repo.replace('/', '+');
}
