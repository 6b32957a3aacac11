// The size budget's warning in the editor: the file's `# slimfile: max-size=` comment, else
// `slimfile.sizeBudget`, against the version's estimate. Nothing while a base size is unknown.
import type { Range } from 'vscode-languageserver-types';
import type { Finding } from '../analysis/findings';
import type { EstimatePair } from '../analysis/estimate/estimate';
import { BUDGET_RULE, budgetDirective, budgetFinding } from '../analysis/estimate/budget';

export interface BudgetCheck {
  readonly findings: Finding[];
  /** A budget applies: its warning must be checked again when a size is learned. */
  readonly hasBudget: boolean;
}

export async function budgetFindings(text: string, configured: number | undefined, estimate: () => Promise<EstimatePair>): Promise<BudgetCheck> {
  const directive = budgetDirective(text);
  const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: text.split(/\r?\n/)[line]?.length ?? 0 } });
  if (directive?.problem) {
    return { findings: [{ rule: BUDGET_RULE, severity: 'warning', message: `The size budget is not read: ${directive.problem}.`, range: lineRange(directive.line), related: [], fixes: [] }], hasBudget: false };
  }
  const bytes = directive?.bytes ?? configured;
  if (bytes === undefined) return { findings: [], hasBudget: false };
  const pair = await estimate();
  const finding = budgetFinding(pair.now, pair.minimized, bytes, lineRange(directive?.line ?? 0));
  return { findings: finding ? [finding] : [], hasBudget: true };
}
