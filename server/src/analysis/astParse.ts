// dockerfile-ast's parse with two costs taken out; the results are the library's own.
// 1. After parsing, the library hands each comment to the stage that holds it by testing every
//    comment against every stage (comments x stages): a tenth of the parse at 50k lines and the
//    reason its cost grew faster than the file. Comments and stages both come in document order
//    and stages do not overlap, so one pass over both gives the same assignment.
// 2. An instruction scans its text for arguments each time anything asks (the constructors ask
//    four or five times, then every rule again): a quarter of the time per keystroke. An
//    instruction's text and range never change after it is made, so the scan is kept per
//    instruction and each caller gets its own copy of the list (some callers splice it).
//    The scan is also handed on from one version to the next (ArgumentScans, kept in the
//    analysis context): an instruction whose text, start and escape character are the same as in
//    the last version scans to the same arguments, so only the edited instruction is scanned. The
//    scan built each argument a character at a time: a third of what a keystroke allocated.
// The library's methods are put back after each parse, so other users of dockerfile-ast in the
// process (the bench's peers) run them unchanged. This module is the only one that knows of the
// two private methods: everything else calls parseDockerfileAst and gets a plain Dockerfile.
// Why here and not a patch at install, and the change to propose upstream:
// docs/dockerfile-ast-fixes.md; test/unit/astParse.test.ts fails when the library changes them.
import { DockerfileParser, Instruction, type Argument, type Dockerfile } from 'dockerfile-ast';
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
}
const instructionPrototype = Instruction.prototype as unknown as Scannable;
const scanArguments = instructionPrototype.getRawArguments;
/**
 * Each instruction's scan, kept on the instruction itself: a module-level WeakMap held an entry
 * for every instruction of every live parse (25,000 for 50k lines), which the garbage collector
 * walks as ephemerons on every collection.
 */
const SCANNED = Symbol('slimfile.scannedArguments');
type Scanned = Scannable & { [SCANNED]?: Argument[] };

/** One instruction's scan and what it depends on. */
interface Scan {
  readonly character: number;
  readonly escapeChar: string;
  readonly text: string;
  readonly args: Argument[];
}

/**
 * The argument scans of one version's parses, for the next version's to reuse. A scan depends on
 * the instruction's text, where it starts and the escape character only, and neither the library
 * nor Slimfile changes an Argument after making it, so the same objects serve both versions.
 * Only the last version's scans are kept: memory stays at two versions' worth.
 */
export class ArgumentScans {
  private readonly previous: ReadonlyMap<number, Scan> | undefined;
  /**
   * By the line the instruction starts on (one instruction per line: 20,000 identical lines are
   * 20,000 entries, never one long list to search). A key made of line, column and the whole text
   * cost a copy of the text and a hash over it per instruction, and grew faster than the file.
   */
  private readonly current = new Map<number, Scan>();

  /** `previous`: the scans of the version this one follows (its analysis context's). */
  constructor(previous?: ArgumentScans) {
    // The map, not the object: a chain of versions must not hold every older version.
    this.previous = previous?.current;
  }

  scan(instruction: Scannable): Argument[] {
    const { start } = instruction.getRange();
    const text = instruction.getTextContent();
    const escapeChar = instruction.escapeChar;
    // Another text on the same line (a parse of another text in the same context) is not a hit.
    const same = (found: Scan | undefined): Scan | undefined =>
      found && found.character === start.character && found.escapeChar === escapeChar && found.text === text ? found : undefined;
    const kept = same(this.current.get(start.line)) ?? same(this.previous?.get(start.line));
    const scan = kept ?? { character: start.character, escapeChar, text, args: scanArguments.call(instruction) };
    this.current.set(start.line, scan);
    return scan.args;
  }
}

/** The scans of the parse under way, when its caller keeps them (set only during parseDockerfileAst). */
let parsing: ArgumentScans | undefined;

function scannedArguments(this: Scanned): Argument[] {
  let scanned = this[SCANNED];
  if (!scanned) {
    scanned = parsing ? parsing.scan(this) : scanArguments.call(this);
    this[SCANNED] = scanned;
  }
  return scanned.slice();
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
      if (argumentScans) scannedArguments.call(instruction as unknown as Scannable);
    }
    return ast;
  } finally {
    parsing = undefined;
    prototype.organizeComments = organizeComments;
    instructionPrototype.getRawArguments = scanArguments;
  }
}
