// Splits a RUN command into the simple commands a shell would run, so rules can see
// `CGO_ENABLED=0 go build …` or `apt-get install …` wherever they sit in an `&&` chain.
// Tokenising is shell-quote's job; this file only groups its tokens.
import { parse as parseShell } from 'shell-quote';

export interface SimpleCommand {
  /** Assignments written before the command word: `CGO_ENABLED=0 go build`. */
  readonly assignments: ReadonlyMap<string, string>;
  readonly argv: readonly string[];
  /** Variables exported earlier in the same RUN (`export CGO_ENABLED=0 && go build`). */
  readonly exported: ReadonlyMap<string, string>;
  /** Files the command's output is redirected into (`> out.log`, `>> .env`), as written. */
  readonly redirects: readonly string[];
}

/** Shell words that come before a command without being one. */
const LEADING_WORDS = new Set(['then', 'do', 'else', 'elif', '!', '{', 'time']);
/** Commands that run the rest of their words as a command. */
const PREFIX_COMMANDS = new Set(['exec', 'nohup', 'command', 'time']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** Redirections whose next word is the file written; `>&` takes a file too unless it names a descriptor. */
const OUTPUT_REDIRECTS = new Set(['>', '>>', '&>', '>|', '<>', '>&']);
/** Redirections whose next word is read (a file, a heredoc delimiter or a descriptor), never a command. */
const INPUT_REDIRECTS = new Set(['<', '<<', '<<<', '<&']);

/**
 * What a command without assignments, exports or redirections holds: one shared empty Map and
 * list instead of two new Maps and a list per command (most commands have none). A large file's
 * split scripts live as long as its analysis context, and each empty Map is a table of its own.
 */
const NONE: ReadonlyMap<string, string> = new Map();
const NO_REDIRECTS: readonly string[] = [];

/** Keeps `$VAR` references visible instead of expanding them to nothing. */
function keepVariable(name: string): string {
  return `\${${name}}`;
}

export function splitCommands(script: string, escapeChar = '\\'): SimpleCommand[] {
  let tokens: ReturnType<typeof parseShell>;
  try {
    // Continuations join lines; other newlines (heredoc scripts) end a command.
    let text = script.replace(/\\\r?\n/g, ' ').replace(/\r?\n/g, ' ;\n');
    // With `# escape=\`` the file is written for Windows: a backslash is a path separator
    // (C:\out\app.exe), not an escape, so it is kept literally.
    if (escapeChar === '`') text = text.replace(/\\/g, '\\\\');
    // A quote left open (a half-typed RUN) makes the shell fail; shell-quote would instead read
    // the rest as one word, and fixes would edit inside it.
    if (!quotesClosed(text)) return [];
    tokens = parseShell(text, keepVariable);
  } catch {
    return [];
  }
  const commands: SimpleCommand[] = [];
  // What commands from here on see as exported; replaced, never changed, so the commands between
  // two exports share one.
  let exported = NONE;
  const exportVariable = (name: string, value: string): void => {
    const next = new Map(exported);
    next.set(name, value);
    exported = next;
  };
  let words: string[] = [];
  let redirects: string[] = [];
  /** The redirection whose target the next word is. */
  let pending: string | undefined;
  const flush = (): void => {
    pending = undefined;
    if (words.length === 0) {
      if (redirects.length > 0) redirects = [];
      return;
    }
    let assignments = NONE as Map<string, string>;
    // `then go build`, `do go build`, `time go build`: the command is what follows.
    let i = 0;
    while (i < words.length - 1 && LEADING_WORDS.has(words[i] as string)) i++;
    for (; i < words.length; i++) {
      const m = ASSIGNMENT.exec(words[i] as string);
      if (!m) break;
      if (assignments === NONE) assignments = new Map();
      assignments.set(m[1] as string, m[2] as string);
    }
    let argv = words.slice(i);
    while (argv.length > 1 && PREFIX_COMMANDS.has(argv[0] as string)) argv = argv.slice(1);
    if (argv[0] === 'env') {
      // `env A=1 B=2 cmd …`
      argv = argv.slice(1);
      while (argv.length > 0 && ASSIGNMENT.test(argv[0] as string)) {
        const m = ASSIGNMENT.exec(argv[0] as string) as RegExpExecArray;
        if (assignments === NONE) assignments = new Map();
        assignments.set(m[1] as string, m[2] as string);
        argv = argv.slice(1);
      }
    }
    if (argv.length === 0) {
      // A bare assignment `A=1` sets a shell variable for the rest of the script.
      for (const [k, v] of assignments) exportVariable(k, v);
    } else if (argv[0] === 'export') {
      for (const word of argv.slice(1)) {
        const m = ASSIGNMENT.exec(word);
        if (m) exportVariable(m[1] as string, m[2] as string);
      }
    }
    commands.push({ assignments, argv, exported, redirects: redirects.length > 0 ? redirects : NO_REDIRECTS });
    words = [];
    if (redirects.length > 0) redirects = [];
  };
  for (const token of tokens) {
    if (typeof token === 'string' || ('op' in token && token.op === 'glob')) {
      const word = typeof token === 'string' ? token : (token as { pattern: string }).pattern;
      // The word after a redirection is its target, not an argument nor the next command.
      if (pending !== undefined) {
        if (OUTPUT_REDIRECTS.has(pending) && !(pending === '>&' && /^(\d+|-)$/.test(word))) redirects.push(word);
        pending = undefined;
      } else words.push(word);
    } else if ('op' in token) {
      if (OUTPUT_REDIRECTS.has(token.op) || INPUT_REDIRECTS.has(token.op)) pending = token.op;
      else flush();
    } else if ('comment' in token) {
      flush();
    }
  }
  flush();
  return commands;
}

/** Whether every quote in the script is closed, reading it as sh does (comments and escapes included). */
function quotesClosed(text: string): boolean {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    }
  }
  return quote === undefined;
}

/** The program name of a command, without its directory: `/usr/local/go/bin/go` -> `go`. */
export function commandName(cmd: SimpleCommand): string {
  const first = cmd.argv[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}
