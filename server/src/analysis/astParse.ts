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
//    asked, each argument's range only when that is asked: kept as Arguments, it was most of what a
//    large file's model held. The model reads words from the scan itself (argumentValues).
//    The scan is also handed on from one version to the next (ArgumentScans, kept in the
//    analysis context): an instruction whose text, start and escape character are the same as in
//    the last version scans to the same arguments, so only the edited instruction is scanned. The
//    scan built each argument a character at a time: a third of what a keystroke allocated.
// The library's methods are put back after each parse, so other users of dockerfile-ast in the
// process (the bench's peers) run them unchanged. This module is the only one that knows of the
// two private methods and the four fields it reads or stands in for (an instruction's
// `dockerfile`, the Dockerfile's `document`, an ENV's `properties`, an Argument's `range`):
// everything else calls parseDockerfileAst and gets a plain Dockerfile.
// Why here and not a patch at install, and the change to propose upstream:
// docs/dockerfile-ast-fixes.md; test/unit/astParse.test.ts fails when the library changes them.
import { Argument as ArgumentOfLibrary, DockerfileParser, Instruction, type Argument, type Dockerfile } from 'dockerfile-ast';
import type { Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';

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
  /** Where the instruction starts. */
  readonly line: number;
  readonly character: number;
  readonly escapeChar: string;
  readonly text: string;
  readonly values: readonly string[];
  /**
   * Each argument's start line, start character, end line and end character, in turn, the lines
   * counted from the instruction's. Kept as the char codes of a string when every number fits in
   * one: a list of numbers costs 8 bytes a number and a RUN's scan has a hundred of them; the
   * string costs one byte a number when all are under 256 (lines are relative for that) and two
   * otherwise. A list when some number does not fit in a char code (a line over 65,535 characters).
   */
  readonly places: string | readonly number[];
}

/** Past this many numbers a scan keeps its places as a list: String.fromCharCode takes them as arguments, on the stack. */
const MAX_PLACES_IN_A_STRING = 4096;

function compactPlaces(places: number[]): string | readonly number[] {
  if (places.length > MAX_PLACES_IN_A_STRING) return places;
  for (const n of places) if (n > 0xffff) return places;
  return String.fromCharCode.apply(null, places);
}

function scanOf(instruction: Scannable, line: number, character: number, escapeChar: string, text: string): { scan: Scan; args: Argument[] } {
  const args = scanArguments.call(instruction);
  const { document } = instruction;
  const whole = document.getText();
  // Sized once: a list grown by push keeps up to half again as much room as it holds.
  const values = new Array<string>(args.length);
  const places = new Array<number>(4 * args.length);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Argument;
    const { start, end } = arg.getRange();
    places[4 * i] = start.line - line;
    places[4 * i + 1] = start.character;
    places[4 * i + 2] = end.line - line;
    places[4 * i + 3] = end.character;
    const value = arg.getValue();
    // The library builds a value a character at a time (a chain of string pieces, one per
    // character past the twelfth). A value as long as its source is that source (the scan only
    // drops characters), so a slice of the text, one small object, stands for it.
    const from = value.length > 12 ? document.offsetAt(start) : 0;
    values[i] = value.length > 12 && document.offsetAt(end) - from === value.length ? whole.slice(from, from + value.length) : value;
  }
  return { scan: { line, character, escapeChar, text, values, places: compactPlaces(places) }, args };
}

function placeAt(places: Scan['places'], i: number): number {
  return typeof places === 'string' ? places.charCodeAt(i) : (places[i] as number);
}

/** The range of the scan's `i`th argument. */
function rangeAt(scan: Scan, i: number): Range {
  const { line, places } = scan;
  const p = 4 * i;
  return {
    start: { line: line + placeAt(places, p), character: placeAt(places, p + 1) },
    end: { line: line + placeAt(places, p + 2), character: placeAt(places, p + 3) },
  };
}

/**
 * The library's Argument made from a scan, its range (three more objects) made when first asked.
 * The parse's constructors read every argument's value but the range of a few (the first, the
 * last, the flags): a long RUN's hundred ranges were made on every keystroke and never read.
 */
class ScannedArgument extends ArgumentOfLibrary {
  private made: Range | undefined = undefined;

  constructor(
    value: string,
    private readonly scan: Scan,
    private readonly index: number,
  ) {
    // The library's constructor stores the range through the accessor below, which keeps it only when given.
    super(value, undefined as unknown as Range);
  }

  static {
    // The library's methods read `this.range` (isAfter, isBefore) as well as getRange(), so the field is an accessor here.
    Object.defineProperty(ScannedArgument.prototype, 'range', {
      get(this: ScannedArgument): Range {
        return (this.made ??= rangeAt(this.scan, this.index));
      },
      set(this: ScannedArgument, range: Range | undefined) {
        if (range) this.made = range;
      },
    });
  }
}

function argumentsOf(scan: Scan): Argument[] {
  const { values } = scan;
  // Sized once: a list grown by push keeps up to half again as much room as it holds.
  const args = new Array<Argument>(values.length);
  for (let i = 0; i < values.length; i++) args[i] = new ScannedArgument(values[i] as string, scan, i);
  return args;
}

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

  /** The instruction's scan: this version's or the last version's when it still holds, or `made` when neither does. */
  scan(instruction: Scannable, made: ScanMaker): Scan {
    const { start } = instruction.getRange();
    const text = instruction.getTextContent();
    const escapeChar = instruction.escapeChar;
    const kept = same(this.current.get(start.line), start.character, escapeChar, text) ?? same(this.previous?.get(start.line), start.character, escapeChar, text);
    let scan = kept;
    if (!scan) {
      scan = made(instruction, start.line, start.character, escapeChar, text);
      this.scanned++;
    }
    this.current.set(start.line, scan);
    return scan;
  }
}

type ScanMaker = (instruction: Scannable, line: number, character: number, escapeChar: string, text: string) => Scan;

/** `found`, when it is the scan of this text at this column (another text on the same line, as in a parse of another text in the same context, is not). */
function same(found: Scan | undefined, character: number, escapeChar: string, text: string): Scan | undefined {
  return found && found.character === character && found.escapeChar === escapeChar && found.text === text ? found : undefined;
}

/**
 * One parse's argument reading: the scans it hands on (while the parse runs) and the arguments it
 * made last. Whoever asks for an instruction's arguments (the library's constructors, then the
 * model's builders and the rules) asks several times in a row about the same one, so the list
 * last made is kept for the next call. It lives as long as the parse's instructions, which read
 * through it: no module state outlives a parse or is shared by two.
 */
class ParseArguments {
  private lastScan: Scan | undefined;
  private lastArguments: Argument[] = [];
  /** The library's getRawArguments for this parse's instructions. */
  readonly read: (this: Scanned) => Argument[];

  /** `scans`: the scans to reuse and to add to, while the parse runs (undefined after, or when its caller keeps none). */
  constructor(private scans: ArgumentScans | undefined) {
    const parse = this;
    this.read = function getRawArguments(this: Scanned): Argument[] {
      return parse.argumentsOf(this);
    };
  }

  /** The parse is over: scans asked for from now on are not handed to the next version. */
  finish(): void {
    this.scans = undefined;
  }

  scanFor(instruction: Scanned): Scan {
    let scan = instruction[SCANNED];
    if (!scan) {
      if (this.scans) scan = this.scans.scan(instruction, this.made);
      else {
        const { start } = instruction.getRange();
        scan = this.made(instruction, start.line, start.character, instruction.escapeChar, instruction.getTextContent());
      }
      instruction[SCANNED] = scan;
    }
    return scan;
  }

  /** A new scan, whose arguments (the library's, just made) are the ones handed out next. */
  private readonly made: ScanMaker = (instruction, line, character, escapeChar, text) => {
    const made = scanOf(instruction, line, character, escapeChar, text);
    this.lastScan = made.scan;
    this.lastArguments = made.args;
    return made.scan;
  };

  argumentsOf(instruction: Scanned): Argument[] {
    const scan = this.scanFor(instruction);
    if (scan !== this.lastScan) {
      this.lastScan = scan;
      this.lastArguments = argumentsOf(scan);
    }
    // Each caller gets its own list: some splice it.
    return this.lastArguments.slice();
  }
}

/**
 * The text document the library parsed (its Dockerfile's `document`, lib/dockerfile.js), for the
 * model to share: a second document of the same text computed every line's offset again (a list
 * of numbers per line, kept as long as the model).
 */
export function documentOf(ast: Dockerfile): TextDocument {
  return (ast as unknown as { readonly document: TextDocument }).document;
}

/** What the model reads of a property of ENV (dockerfile-ast's Property). */
export interface PropertyText {
  getName(): string;
  getValue(): string | null;
}

/**
 * An ENV's properties, the library's own, without the instruction keeping them. getProperties()
 * keeps the list it makes in the instruction's `properties` field (lib/propertyInstruction.js)
 * for as long as the parse lives, and a property is thirteen objects with its four ranges: 830 of
 * them for 10k lines, kept only because the model asked once for two strings. The field is put
 * back as it was, so a later caller (a fix) gets the same properties made anew.
 */
export function envProperties(instruction: Instruction): readonly PropertyText[] {
  const env = instruction as unknown as { properties?: PropertyText[]; getProperties(): PropertyText[] };
  const before = env.properties;
  const properties = env.getProperties();
  if (before === undefined && env.properties === properties) env.properties = undefined;
  return properties;
}

/** The parse a Dockerfile came from, on the library's Dockerfile object. */
const PARSE = Symbol('slimfile.parseArguments');

/**
 * An instruction's getRawArguments once its parse is over (the library's method is back on the
 * prototype). One function for every instruction, which finds its parse through the Dockerfile
 * the library gave it (`dockerfile`, lib/instruction.js).
 */
function readThroughParse(this: Scanned & { readonly dockerfile: { [PARSE]: ParseArguments } }): Argument[] {
  return this.dockerfile[PARSE].argumentsOf(this);
}

/**
 * The values of an instruction's arguments as its getArguments() gives them (its flags left out),
 * read from its scan without making the library's Arguments. The parse's constructors (RUN, COPY,
 * CMD…) have made and dropped their Arguments by the time the model reads the instruction, and
 * making them again for the model was half of the Arguments a keystroke's parse made. The list is
 * the scan's own: not to be changed.
 */
export function argumentValues(instruction: Instruction): readonly string[] {
  const parse = (instruction as unknown as { readonly dockerfile?: { readonly [PARSE]?: ParseArguments } }).dockerfile?.[PARSE];
  if (!parse) return instruction.getArguments().map((a) => a.getValue());
  const { values } = parse.scanFor(instruction as unknown as Scanned);
  // ModifiableInstruction.getArguments drops one argument per flag from the front (its flags are
  // kept on the instruction: RUN's and COPY's were read by their constructors).
  const flags = flagCount(instruction);
  return flags === 0 ? values : values.slice(flags);
}

/** How many of the scan's first arguments are the instruction's flags (getFlags), which getArguments leaves out. */
function flagCount(instruction: Instruction): number {
  return (instruction as unknown as { getFlags?(): readonly unknown[] }).getFlags?.().length ?? 0;
}

/**
 * An instruction's arguments (its flags left out) as written, for BuildKit's shell lexer
 * (buildkitWords.ts processWord): its quotes and escape characters kept, which the library's
 * values have already read (`\\"` is `"` there, and a quote cannot be told from a quoted one),
 * and a word continued on the next line (escape character, line break) joined as the library
 * joins it, comment lines between left out.
 */
export function argumentTexts(instruction: Instruction): readonly string[] {
  const scanned = instruction as unknown as Scanned & { readonly dockerfile?: { readonly [PARSE]?: ParseArguments } };
  const parse = scanned.dockerfile?.[PARSE];
  const text = instruction.getTextContent();
  const { line, character } = instruction.getRange().start;
  let ranges: Range[];
  if (parse) {
    const scan = parse.scanFor(scanned);
    // The scan has the flags in front, as argumentValues says.
    const flags = flagCount(instruction);
    ranges = [];
    for (let i = flags; i < scan.values.length; i++) ranges.push(rangeAt(scan, i));
  } else {
    ranges = instruction.getArguments().map((a) => a.getRange());
  }
  const lineStarts = [0];
  const offsetOf = (position: Position): number => {
    const relative = position.line - line;
    while (lineStarts.length <= relative) lineStarts.push(text.indexOf('\n', lineStarts[lineStarts.length - 1]) + 1);
    return (lineStarts[relative] as number) + position.character - (relative === 0 ? character : 0);
  };
  return ranges.map((range) => {
    const word = text.slice(offsetOf(range.start), offsetOf(range.end));
    return word.includes('\n') ? word.replace(continuation(scanned.escapeChar), '') : word;
  });
}

/** An escape character ending a line, the comment and blank lines after it, and the next line's indent. */
function continuation(escapeChar: string): RegExp {
  const escape = escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return new RegExp(`${escape}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*[ \\t]*`, 'g');
}

/** A later dockerfile-ast without the two methods is parsed as it comes (slower, same results). */
const fixable = typeof organizeComments === 'function' && typeof scanArguments === 'function';

/** `argumentScans`: the scans to reuse and to add this parse's to (the analysis context's). */
export function parseDockerfileAst(text: string, argumentScans?: ArgumentScans): Dockerfile {
  if (!fixable) return DockerfileParser.parse(text);
  const parse = new ParseArguments(argumentScans);
  prototype.organizeComments = organizeCommentsInOnePass;
  instructionPrototype.getRawArguments = parse.read;
  try {
    const ast = DockerfileParser.parse(text);
    // The instructions keep their scans after the parse, for the model and the rules. Those no
    // constructor asked about (FROM, WORKDIR…) are scanned now, while the last version's scans are at hand.
    for (const instruction of ast.getInstructions()) {
      (instruction as unknown as Scannable).getRawArguments = readThroughParse;
      if (argumentScans) parse.scanFor(instruction as unknown as Scanned);
    }
    // Not enumerable: the library's own fields are all a parse shows, so two parses of one text compare equal.
    Object.defineProperty(ast, PARSE, { value: parse, enumerable: false });
    return ast;
  } finally {
    parse.finish();
    prototype.organizeComments = organizeComments;
    instructionPrototype.getRawArguments = scanArguments;
  }
}
