// Whether two runs behaved the same: each probe's status and body, exit codes and output, the
// first error line of each log and the files each container wrote (docker diff), compared after a
// normalisation the user sees (dates, ids and durations masked). Known failure signatures in what
// a side printed are named with their cause and the rule that explains them.
import { ruleDocsUrl } from '../analysis/findings';
import type { BehaviourRow, FailureSignature, RunComparison } from '../protocol';
import type { Exited, FileChange, ImageRun } from './run';

/** What is masked before comparing, in order, as shown to the user. */
const MASKS: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp; readonly replacement: string }> = [
  { name: 'dates and times (RFC 3339, Go log, HTTP dates)', pattern: /\b\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, replacement: '<date>' },
  { name: 'dates and times (RFC 3339, Go log, HTTP dates)', pattern: /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\b/g, replacement: '<date>' },
  { name: 'UUIDs', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, replacement: '<id>' },
  { name: 'hex ids of 12 or more digits (container names, hashes)', pattern: /\b[0-9a-f]{12,}\b/g, replacement: '<id>' },
  { name: 'the port of an address (127.0.0.1:38412)', pattern: /\b(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}\b/g, replacement: '$1:<port>' },
  { name: 'durations (1.2ms, 35µs)', pattern: /\b\d+(?:\.\d+)?(?:ns|µs|us|ms|s)\b/g, replacement: '<duration>' },
];

/** Paths the FHS makes one folder: Debian links /var/run to /run, distroless ships /var/run as a folder. */
const PATH_ALIASES: ReadonlyArray<readonly [RegExp, string]> = [[/^\/var\/run(?=\/|$)/, '/run']];

/** The normalisation as the result lists it. */
export const NORMALISATION: readonly string[] = [...new Set(MASKS.map((m) => m.name)), 'written paths under /var/run as under /run'];

export function normalise(text: string): string {
  return MASKS.reduce((t, m) => t.replace(m.pattern, m.replacement), text);
}

/** Known ways a converted image fails, found in what a container printed (log text, not source). */
const SIGNATURES: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp; readonly cause: (m: RegExpExecArray) => string; readonly rule: string }> = [
  {
    name: 'no such file or directory',
    pattern: /([^\s:"']+): no such file or directory/,
    cause: (m) => `${m[1]} is not in the image: a file the program reads at run time (template, config, .env, data) or the loader of a dynamically linked binary was left out of the final stage.`,
    rule: 'go-toolchain-in-final-image',
  },
  {
    name: 'permission denied',
    pattern: /([^\s:"']+): permission denied/,
    cause: (m) => `${m[1]} cannot be used by the image's user: a folder the program writes is owned by root, or a file is not readable by a non-root user.`,
    rule: 'runs-as-root',
  },
  {
    name: 'x509: certificate signed by unknown authority',
    pattern: /x509: certificate signed by unknown authority/,
    cause: () => 'the image has no CA bundle (or not the one that trusts this server): TLS connections fail.',
    rule: 'scratch-missing-ca-certificates',
  },
  {
    name: 'exec format error',
    pattern: /exec format error/,
    cause: () => 'the entrypoint is not a binary for this platform (another architecture, or a script without its interpreter).',
    rule: 'libc-mismatch',
  },
  {
    name: 'GLIBC not found',
    pattern: /(GLIBC_[\d.]+)'? not found/,
    cause: (m) => `the binary needs ${m[1]}, newer than the runtime image's C library.`,
    rule: 'runtime-glibc-older-than-builder',
  },
  {
    name: 'error while loading shared libraries',
    pattern: /error while loading shared libraries: ([^\s:]+)/,
    cause: (m) => `${m[1]} is not in the runtime image: the binary is dynamically linked against it.`,
    rule: 'cgo-dependency',
  },
];

/** Every signature in a text, each once. */
export function signaturesIn(text: string): Array<{ name: string; cause: string; rule: string; line: string }> {
  const found: Array<{ name: string; cause: string; rule: string; line: string }> = [];
  for (const signature of SIGNATURES) {
    for (const line of text.split('\n')) {
      const m = signature.pattern.exec(line);
      if (!m) continue;
      found.push({ name: signature.name, cause: signature.cause(m), rule: signature.rule, line: line.trim() });
      break;
    }
  }
  return found;
}

const ERROR_LINE = /\b(error|fatal|panic|denied|no such file|not found|unknown authority|cannot|failed|exception|traceback)\b/i;

/** The first line of a log that reports an error, normalised; undefined when none does. */
export function firstErrorLine(log: string): string | undefined {
  const line = log.split('\n').find((l) => ERROR_LINE.test(l));
  return line === undefined ? undefined : normalise(line.trim());
}

/**
 * Files a container wrote, deleted or changed: only the deepest paths (the engine lists every
 * parent folder of a new file as changed too).
 */
export function writtenPaths(changes: readonly FileChange[]): string[] {
  const paths = changes.map((c) => c.path);
  return changes
    .filter((c) => !paths.some((p) => p !== c.path && p.startsWith(`${c.path}/`)))
    .map((c) => `${c.kind === 'deleted' ? '-' : c.kind === 'added' ? '+' : '~'}${PATH_ALIASES.reduce((p, [from, to]) => p.replace(from, to), c.path)}`)
    .sort();
}

function short(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function exitText(exited: Exited | undefined, running: boolean): string {
  if (!exited) return running ? 'running' : '-';
  return exited.timedOut ? 'still running at the time limit' : `exit ${exited.code}`;
}

function row(check: string, asWritten: string, minimized: string, same: boolean, detail?: string): BehaviourRow {
  return { check, asWritten, minimized, same, ...(detail ? { detail } : {}) };
}

function outputRows(prefix: string, a: Exited | undefined, b: Exited | undefined): BehaviourRow[] {
  if (!a && !b) return [];
  const rows = [row(`${prefix}exit code`, exitText(a, true), exitText(b, true), a?.code === b?.code && a?.timedOut === b?.timedOut)];
  for (const stream of ['stdout', 'stderr'] as const) {
    const left = normalise(a?.[stream] ?? '');
    const right = normalise(b?.[stream] ?? '');
    if (left === '' && right === '') continue;
    rows.push(row(`${prefix}${stream}`, short(left) || '(empty)', short(right) || '(empty)', left === right));
  }
  return rows;
}

/**
 * Compares the image as written (a) with the other one (b). `sameFolders`: folders one side
 * created at run time that are folders in both containers after the run (the other image has it).
 */
export function compareRuns(a: ImageRun, b: ImageRun, sameFolders: readonly string[] = []): RunComparison {
  const rows: BehaviourRow[] = [];
  const unmet: string[] = [];
  if (a.config.ports.join(',') !== b.config.ports.join(',')) rows.push(row('EXPOSEd ports', a.config.ports.join(', ') || 'none', b.config.ports.join(', ') || 'none', false));
  if (a.answered !== undefined || b.answered !== undefined) {
    const says = (r: ImageRun): string => (r.answered ? 'answered' : r.answered === false ? 'never answered' : 'no port');
    rows.push(row('server started', says(a), says(b), a.answered === b.answered));
  }
  const keys = [...new Set([...a.answers.map((x) => x.key), ...b.answers.map((x) => x.key)])];
  for (const key of keys) {
    const left = a.answers.find((x) => x.key === key);
    const right = b.answers.find((x) => x.key === key);
    const text = (x: typeof left): string => (!x ? 'not asked' : x.status === null ? `no answer (${x.error ?? 'unknown'})` : `${x.status} ${short(normalise(x.body), 40)}`);
    const same = left?.status === right?.status && normalise(left?.body ?? '') === normalise(right?.body ?? '');
    const expected = left?.expected ?? right?.expected;
    rows.push(row(key, text(left), text(right), same, expected !== undefined ? `expected ${expected}` : undefined));
    for (const [side, x] of [['as written', left], ['minimized', right]] as const) {
      if (expected !== undefined && x?.status !== expected) unmet.push(`${key}: ${side} answered ${x?.status ?? 'nothing'}, not the declared ${expected}`);
    }
  }
  rows.push(...outputRows('', a.exited, b.exited));
  a.runs.forEach((left, i) => {
    const right = b.runs[i];
    rows.push(...outputRows(`run ${left.args.join(' ')}: `, left, right));
  });
  const errorA = firstErrorLine(a.log);
  const errorB = firstErrorLine(b.log);
  if (errorA !== undefined || errorB !== undefined) rows.push(row('first error line', errorA ?? '(none)', errorB ?? '(none)', errorA === errorB));
  const settled = new Set(sameFolders.map((p) => `+${p}`));
  const writtenA = writtenPaths(a.changes).filter((p) => !settled.has(p));
  const writtenB = writtenPaths(b.changes).filter((p) => !settled.has(p));
  const onlyA = writtenA.filter((p) => !writtenB.includes(p));
  const onlyB = writtenB.filter((p) => !writtenA.includes(p));
  const files = (all: string[], only: string[]): string => (all.length === 0 ? 'none' : only.length === 0 ? `${all.length} path(s), the same` : `${all.length} path(s); only here: ${short(only.join(' '), 80)}`);
  rows.push(row('files written (docker diff)', files(writtenA, onlyA), files(writtenB, onlyB), onlyA.length === 0 && onlyB.length === 0));

  const signatures: FailureSignature[] = [];
  const seenA = new Set<string>();
  const textOf = (r: ImageRun): string => [r.log, ...r.answers.map((x) => `${x.body}\n${x.error ?? ''}`), ...r.runs.map((x) => `${x.stdout}\n${x.stderr}`), r.exited ? `${r.exited.stdout}\n${r.exited.stderr}` : ''].join('\n');
  for (const s of signaturesIn(textOf(a))) seenA.add(s.name);
  for (const [side, r] of [['as written', a], ['minimized', b]] as const) {
    for (const s of signaturesIn(textOf(r))) {
      // A failure both sides share is not what the conversion changed; it is still shown.
      signatures.push({ side, name: s.name, line: s.line, cause: s.cause, rule: s.rule, url: ruleDocsUrl(s.rule), onBothSides: side === 'minimized' ? seenA.has(s.name) : signaturesIn(textOf(b)).some((x) => x.name === s.name) });
    }
  }
  const same = rows.every((r) => r.same);
  return { same, rows, signatures, unmet, normalisation: NORMALISATION };
}
