// dockerfile-ast's parse with two costs taken out; the results are the library's own.
// 1. After parsing, the library hands each comment to the stage that holds it by testing every
//    comment against every stage (comments x stages): a tenth of the parse at 50k lines and the
//    reason its cost grew faster than the file. Comments and stages both come in document order
//    and stages do not overlap, so one pass over both gives the same assignment.
// 2. An instruction scans its text for arguments each time anything asks (the constructors ask
//    four or five times, then every rule again): a quarter of the time per keystroke. An
//    instruction's text and range never change after it is made, so the scan is kept per
//    instruction and each caller gets its own copy of the list (some callers splice it). The
//    scan is kept as plain data (values and positions) and made into the library's Arguments when
//    asked: kept as Arguments, it was most of what a large file's model held.
//    The scan is also handed on from one version to the next (ArgumentScans, kept in the
//    analysis context): an instruction whose text, start and escape character are the same as in
//    the last version scans to the same arguments, so only the edited instruction is scanned. The
//    scan built each argument a character at a time: a third of what a keystroke allocated.
// The library's methods are put back after each parse, so other users of dockerfile-ast in the
// process (the bench's peers) run them unchanged. This module is the only one that knows of the
// two private methods: everything else calls parseDockerfileAst and gets a plain Dockerfile.
// Why here and not a patch at install, and the change to propose upstream:
// docs/dockerfile-ast-fixes.md; test/unit/astParse.test.ts fails when the library changes them.
import { Argument as ArgumentOfLibrary, DockerfileParser, Instruction, type Argument, type Dockerfile } from 'dockerfile-ast';
import type { Position, Range } from 'vscode-languageserver-types';

interface Located {
  getRange(): Range;
}

interface Template extends Located {
  addComment(comment: Located): void;
}

/** The fields of dockerfile-ast's Dockerfile that organizeComments reads (lib/dockerfile.js). */
interface DockerfileInternals {
  getComments(): Located[];
  readonly initialInstructions: Template;
  readonly buildStages: Template[];
  organizeComments(): void;
}

/** dockerfile-ast's Util.isInsideRange (not exported by the package), inclusive at both ends. */
function isInsideRange(position: Position, range: Range): boolean {
  if (range.start.line === range.end.line) {
    return range.start.line === position.line && range.start.character <= position.character && position.character <= range.end.character;
  }
  if (range.start.line === position.line) return range.start.character <= position.character;
  if (range.end.line === position.line) return position.character <= range.end.character;
  return range.start.line < position.line && position.line < range.end.line;
}

function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function organizeCommentsInOnePass(this: DockerfileInternals): void {
  const initial = this.initialInstructions.getRange();
  const stages = this.buildStages.map((stage) => ({ stage, range: stage.getRange() }));
  let next = 0;
  for (const comment of this.getComments()) {
    const range = comment.getRange();
    if (isInsideRange(range.end, initial)) {
      this.initialInstructions.addComment(comment);
      continue;
    }
    while (next < stages.length && isBefore((stages[next] as (typeof stages)[number]).range.end, range.start)) next++;
    const holder = stages[next];
    if (holder && isInsideRange(range.start, holder.range)) holder.stage.addComment(comment);
  }
}

const prototype = Object.getPrototypeOf(DockerfileParser.parse('')) as DockerfileInternals;
const organizeComments = prototype.organizeComments;

interface Scannable {
  getRawArguments(): Argument[];
  getRange(): Range;
  getTextContent(): string;
  readonly escapeChar: string;
  /** The library's own document of the whole text (lib/line.js). */
  readonly document: { getText(): string; offsetAt(position: Position): number };
}
const instructionPrototype = Instruction.prototype as unknown as Scannable;
const scanArguments = instructionPrototype.getRawArguments;
/** Each instruction's scan, kept on the instruction itself (a module WeakMap made the collector walk every entry as an ephemeron). */
const SCANNED = Symbol('slimfile.scannedArguments');
type Scanned = Scannable & { [SCANNED]?: Scan };

/**
 * One instruction's scan and what it depends on. The arguments are kept as plain data, not as
 * the library's objects: an Argument is four objects (itself, its range and two positions), and
 * a large file's arguments were most of what its model held (18,000 for 10k lines), every one
 * copied and promoted by the collector. They are made again from this when asked.
 */
interface Scan {
  readonly character: number;
  readonly escapeChar: string;
  readonly text: string;
  readonly values: readonly string[];
  /** Each argument's start line, start character, end line and end character, in turn. */
  readonly places: readonly number[];
}

function scanOf(instruction: Scannable, character: number, escapeChar: string, text: string): { scan: Scan; args: Argument[] } {
  const args = scanArguments.call(instruction);
  const { document } = instruction;
  const whole = document.getText();
  // Sized once: a list grown by push keeps up to half again as much room as it holds.
  const values = new Array<string>(args.length);
  const places = new Array<number>(4 * args.length);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Argument;
    const { start, end } = arg.getRange();
    places[4 * i] = start.line;
    places[4 * i + 1] = start.character;
    places[4 * i + 2] = end.line;
    places[4 * i + 3] = end.character;
    const value = arg.getValue();
    // The library builds a value a character at a time (a chain of string pieces, one per
    // character past the twelfth). A value as long as its source is that source (the scan only
    // drops characters), so a slice of the text, one small object, stands for it.
    const from = value.length > 12 ? document.offsetAt(start) : 0;
    values[i] = value.length > 12 && document.offsetAt(end) - from === value.length ? whole.slice(from, from + value.length) : value;
  }
  return { scan: { character, escapeChar, text, values, places }, args };
}

function argumentsOf(scan: Scan): Argument[] {
  const { values, places } = scan;
  const args: Argument[] = [];
  for (let i = 0; i < values.length; i++) {
    const p = 4 * i;
    const range = { start: { line: places[p] as number, character: places[p + 1] as number }, end: { line: places[p + 2] as number, character: places[p + 3] as number } };
    args.push(new ArgumentOfLibrary(values[i] as string, range));
  }
  return args;
}

/**
 * The arguments last made from a scan. Whoever asks for an instruction's arguments (the library's
 * constructors, then the model's builders) asks several times in a row about the same one.
 */
let lastScan: Scan | undefined;
let lastArguments: Argument[] = [];

/**
 * The argument scans of one version's parses, for the next version's to reuse. A scan depends on
 * the instruction's text, where it starts and the escape character only, so the same scan serves
 * both versions. Only the last version's scans are kept: memory stays at two versions' worth.
 */
export class ArgumentScans {
  private readonly previous: ReadonlyMap<number, Scan> | undefined;
  /**
   * By the line the instruction starts on (one instruction per line: 20,000 identical lines are
   * 20,000 entries, never one long list to search). A key made of line, column and the whole text
   * cost a copy of the text and a hash over it per instruction, and grew faster than the file.
   */
  private readonly current = new Map<number, Scan>();
  /** How many instructions this version's parses scanned (the others had the last version's scan). */
  scanned = 0;

  /** `previous`: the scans of the version this one follows (its analysis context's). */
  constructor(previous?: ArgumentScans) {
    // The map, not the object: a chain of versions must not hold every older version.
    this.previous = previous?.current;
  }

  scan(instruction: Scannable): Scan {
    const { start } = instruction.getRange();
    const text = instruction.getTextContent();
    const escapeChar = instruction.escapeChar;
    const kept = same(this.current.get(start.line), start.character, escapeChar, text) ?? same(this.previous?.get(start.line), start.character, escapeChar, text);
    let scan = kept;
    if (!scan) {
      scan = scanned(instruction, start.character, escapeChar, text);
      this.scanned++;
    }
    this.current.set(start.line, scan);
    return scan;
  }
}

/** `found`, when it is the scan of this text at this column (another text on the same line, as in a parse of another text in the same context, is not). */
function same(found: Scan | undefined, character: number, escapeChar: string, text: string): Scan | undefined {
  return found && found.character === character && found.escapeChar === escapeChar && found.text === text ? found : undefined;
}

/** A new scan, whose arguments are the ones handed out next. */
function scanned(instruction: Scannable, character: number, escapeChar: string, text: string): Scan {
  const made = scanOf(instruction, character, escapeChar, text);
  lastScan = made.scan;
  lastArguments = made.args;
  return made.scan;
}

/** The scans of the parse under way, when its caller keeps them (set only during parseDockerfileAst). */
let parsing: ArgumentScans | undefined;

function scanFor(instruction: Scanned): Scan {
  let scan = instruction[SCANNED];
  if (!scan) {
    if (parsing) scan = parsing.scan(instruction);
    else {
      const { start } = instruction.getRange();
      scan = scanned(instruction, start.character, instruction.escapeChar, instruction.getTextContent());
    }
    instruction[SCANNED] = scan;
  }
  return scan;
}

function scannedArguments(this: Scanned): Argument[] {
  const scan = scanFor(this);
  if (scan !== lastScan) {
    lastScan = scan;
    lastArguments = argumentsOf(scan);
  }
  // Each caller gets its own list: some splice it.
  return lastArguments.slice();
}

/** A later dockerfile-ast without the two methods is parsed as it comes (slower, same results). */
const fixable = typeof organizeComments === 'function' && typeof scanArguments === 'function';

/** `argumentScans`: the scans to reuse and to add this parse's to (the analysis context's). */
export function parseDockerfileAst(text: string, argumentScans?: ArgumentScans): Dockerfile {
  if (!fixable) return DockerfileParser.parse(text);
  prototype.organizeComments = organizeCommentsInOnePass;
  instructionPrototype.getRawArguments = scannedArguments;
  parsing = argumentScans;
  try {
    const ast = DockerfileParser.parse(text);
    // The instructions keep their scans after the parse, for the model and the rules. Those no
    // constructor asked about (FROM, WORKDIR…) are scanned now, while the last version's scans are at hand.
    for (const instruction of ast.getInstructions()) {
      (instruction as unknown as Scannable).getRawArguments = scannedArguments;
      if (argumentScans) scanFor(instruction as unknown as Scanned);
    }
    return ast;
  } finally {
    parsing = undefined;
    prototype.organizeComments = organizeComments;
    instructionPrototype.getRawArguments = scanArguments;
  }
}
