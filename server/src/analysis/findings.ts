// The shapes rules produce: findings with their fixes, in LSP's own data types so the server
// passes them through and the CLI prints them without translation.
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from './model';
import type { ProjectFacts } from './project';
import type { LanguageId } from './languages/id';
import type { PackageIndexes } from './packages/indexes';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The clearly best choice among a finding's fixes. */
  readonly isPreferred?: boolean;
  /** Safe to apply without asking (Minimize and fix-all apply only these). */
  readonly safe: boolean;
  /** New files, relative to the build context (a .dockerignore); the CLI and server create them. */
  readonly files?: ReadonlyArray<{ readonly path: string; readonly text: string }>;
}

export interface RelatedNote {
  readonly message: string;
  /** In the Dockerfile; omitted when the note is about another file. */
  readonly range?: Range;
  /** Another file, relative to the build context (a Go source, go.mod). */
  readonly file?: string;
  readonly line?: number;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly related: readonly RelatedNote[];
  readonly fixes: readonly Fix[];
}

/**
 * The runtime image a static Go binary moves to: distroless static (the default: it has a user
 * database, /tmp, certificates and zoneinfo), or scratch with exactly what the program needs.
 */
export type RuntimeChoice = 'distroless' | 'scratch';

export interface RuleInput {
  readonly model: DockerfileModel;
  readonly project: ProjectFacts;
  /** Distroless when unset. */
  readonly runtime?: RuntimeChoice;
  /** The distributions' package indexes at hand (see packages/indexes.ts). */
  readonly packages?: PackageIndexes;
}

export interface Rule {
  readonly id: string;
  readonly defaultSeverity: Severity;
  /** One line for docs and settings. */
  readonly summary: string;
  /**
   * The language the rule is about: analyze() runs it only when languages/detect.ts finds that
   * language in the file or context. Unset: the rule runs on every file (the shared rules, and
   * Go's, which find go builds themselves; see languages/go/index.ts).
   */
  readonly language?: LanguageId;
  check(input: RuleInput): Omit<Finding, 'rule' | 'severity'>[];
}

/** Where docs/rules.md is published; callers that ship the file pass its own address instead. */
export const DOCS_URL = 'https://github.com/slimfile/slimfile/blob/main/docs/rules.md';

export function ruleDocsUrl(id: string, base: string = DOCS_URL): string {
  return `${base}#${id}`;
}
