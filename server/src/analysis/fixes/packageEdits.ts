// Inserting an option after a package manager's verb (`apt-get install`, `apk add`) in a RUN.
import type { TextEdit } from 'vscode-languageserver-types';
import type { RunStep } from '../model';

export function insertOptionAfterVerb(run: RunStep, programs: readonly string[], verb: string, option: string): TextEdit | undefined {
  return insertOptionAfterEveryVerb(run, programs, verb, option)[0];
}

/** The same for every such command of the RUN (`pip install a && python -m pip install b`). */
export function insertOptionAfterEveryVerb(run: RunStep, programs: readonly string[], verb: string, option: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const args = run.instruction.getArguments();
  for (let i = 0; i < args.length; i++) {
    const word = args[i]?.getValue() ?? '';
    if (!programs.includes(word.slice(word.lastIndexOf('/') + 1))) continue;
    for (let j = i + 1; j < args.length; j++) {
      const w = args[j]?.getValue() ?? '';
      if (w === verb) {
        // An install that has the option already is not the one to fix; a later one in the RUN may be.
        let k = j + 1;
        while (k < args.length && !/^(&&|\|\||;|\|)$/.test(args[k]?.getValue() ?? '') && !/[;&|]$/.test(args[k - 1]?.getValue() ?? '')) k++;
        if (args.slice(j + 1, k).some((a) => a.getValue() === option)) break;
        const at = (args[j] as NonNullable<(typeof args)[number]>).getRange().end;
        edits.push({ range: { start: at, end: at }, newText: ` ${option}` });
        break;
      }
      if (!w.startsWith('-')) break;
    }
  }
  return edits;
}
