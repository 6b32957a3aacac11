// The ground truth of go-real.tsv and langs-real.tsv: one row per (repository, Dockerfile), written
// from the code before Slimfile ran on it. See README.md for what each column means.
import { promises as fs } from 'node:fs';

export type Verdict = 'convertible' | 'must-refuse';

/** A path the program reads or writes, as the program names it, and where the code shows it. */
export interface ProgramPath {
  readonly path: string;
  readonly evidence: string | undefined;
}

/** The languages of langs-real.tsv; go-real.tsv rows are all Go. */
export const LANGUAGES = ['go', 'rust', 'c', 'cpp', 'java', 'node', 'python'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface TruthRow {
  readonly repo: string;
  readonly commit: string;
  readonly dockerfile: string;
  readonly context: string;
  readonly language: Language;
  readonly verdict: Verdict;
  readonly reads: readonly ProgramPath[];
  readonly writes: readonly ProgramPath[];
  readonly execs: readonly string[];
  /** Shared libraries the program loads at run time (sonames), from -sys crates, addons, wheels, the JVM. */
  readonly links: readonly string[];
  readonly tls: boolean;
  readonly zoneinfo: boolean;
  readonly cgo: boolean;
  readonly notes: string;
}

export const COLUMNS = ['repo', 'commit', 'dockerfile', 'context', 'verdict', 'reads', 'writes', 'execs', 'tls', 'zoneinfo', 'cgo', 'notes'] as const;
/** langs-real.tsv: the Go columns plus the language and the shared libraries the program links. */
export const LANG_COLUMNS = ['repo', 'commit', 'dockerfile', 'context', 'language', 'verdict', 'reads', 'writes', 'execs', 'links', 'tls', 'zoneinfo', 'cgo', 'notes'] as const;

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

function yesNo(cell: string, column: string, where: string): boolean {
  if (cell === 'yes') return true;
  if (cell === 'no') return false;
  throw new Error(`${where}: ${column} is yes or no, not ${JSON.stringify(cell)}`);
}

function list(cell: string): string[] {
  return cell.split(';').map((x) => x.trim()).filter((x) => x !== '');
}

/** Parses either file: the header says which columns it has. `name` only labels the errors. */
export function parseTruth(text: string, name = 'go-real.tsv'): TruthRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split('\t').join('\t');
  const columns: readonly string[] | undefined = header === COLUMNS.join('\t') ? COLUMNS : header === LANG_COLUMNS.join('\t') ? LANG_COLUMNS : undefined;
  if (!columns) throw new Error(`${name}: the header is neither ${COLUMNS.join(' ')} nor ${LANG_COLUMNS.join(' ')}`);
  return lines.slice(1).map((line, i) => {
    const where = `${name} line ${i + 2}`;
    const cells = line.split('\t');
    if (cells.length !== columns.length) throw new Error(`${where}: ${cells.length} columns, not ${columns.length}`);
    const cell = (column: string): string => cells[columns.indexOf(column)] ?? '';
    const repo = cell('repo');
    const verdict = cell('verdict');
    const language = columns.includes('language') ? cell('language') : 'go';
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`${where}: repo ${JSON.stringify(repo)} is not owner/name`);
    if (!/^[0-9a-f]{40}$/.test(cell('commit'))) throw new Error(`${where}: commit is not 40 hex digits`);
    if (verdict !== 'convertible' && verdict !== 'must-refuse') throw new Error(`${where}: verdict ${JSON.stringify(verdict)}`);
    if (!(LANGUAGES as readonly string[]).includes(language)) throw new Error(`${where}: language ${JSON.stringify(language)} is not one of ${LANGUAGES.join(' ')}`);
    return {
      repo,
      commit: cell('commit'),
      dockerfile: cell('dockerfile'),
      context: cell('context'),
      language: language as Language,
      verdict,
      reads: paths(cell('reads')),
      writes: paths(cell('writes')),
      execs: list(cell('execs')),
      links: list(cell('links')),
      tls: yesNo(cell('tls'), 'tls', where),
      zoneinfo: yesNo(cell('zoneinfo'), 'zoneinfo', where),
      cgo: yesNo(cell('cgo'), 'cgo', where),
      notes: cell('notes'),
    };
  });
}

export async function readTruth(file: string): Promise<TruthRow[]> {
  return parseTruth(await fs.readFile(file, 'utf8'), file.split(/[\\/]/).pop());
}

/** The checkout's folder name: `owner+name`. */
export function checkoutName(repo: string): string {
  return repo.replace('/', '+');
}
