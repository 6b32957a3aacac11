// dockerfile-ast's parse with one step made linear: after parsing, the library hands each comment
// to the stage that holds it by testing every comment against every stage (comments x stages), a
// tenth of the parse at 50k lines and the reason its cost grows faster than the file. Comments
// and stages both come in document order and stages do not overlap, so one pass over both gives
// the same assignment. The library's own method is put back after each parse, so other users of
// dockerfile-ast in the process (the bench's peers) run it unchanged.
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
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

export function parseDockerfileAst(text: string): Dockerfile {
  prototype.organizeComments = organizeCommentsInOnePass;
  try {
    return DockerfileParser.parse(text);
  } finally {
    prototype.organizeComments = organizeComments;
  }
}
