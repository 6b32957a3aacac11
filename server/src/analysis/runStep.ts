// A RUN instruction as the model reads it. Its own module so that what parses RUN scripts
// (gobuild.ts) and the model that collects them do not import each other.
import type { Run } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { SimpleCommand } from './shell';

export interface Mount {
  readonly type: string;
  readonly target: string | undefined;
  readonly from: string | undefined;
}

export interface RunStep {
  readonly range: Range;
  /** The script the shell runs (continuations joined; heredoc bodies included). */
  readonly script: string;
  readonly commands: readonly SimpleCommand[];
  readonly mounts: readonly Mount[];
  readonly heredoc: boolean;
  readonly instruction: Run;
  /** WORKDIR when the RUN starts. */
  readonly workdir: string;
  /** Variables the RUN sees (stage ARGs, ENV so far), as the model resolved them. */
  readonly env: ReadonlyMap<string, string | undefined>;
  /** Folders the stage is known to have when the RUN starts (its WORKDIRs and COPY destinations). */
  readonly folders: ReadonlySet<string>;
}
