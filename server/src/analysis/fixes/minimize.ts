// "Minimize image": applies every safe fix, one at a time, re-analysing after each so fixes
// compose (the multi-stage conversion first, then what the new runtime stage still lacks).
import { analyze, type AnalysisSettings } from '../analyze';
import { parseDockerfile } from '../model';
import type { ProjectFacts } from '../project';
import { applyEdits } from './apply';
import { RULES } from '../rules';

function ruleOrder(id: string): number {
  return RULES.findIndex((r) => r.id === id);
}

export interface MinimizeResult {
  readonly text: string;
  /** Titles of the fixes applied, in order. */
  readonly applied: readonly string[];
  /** Findings left that have no safe fix, with the reason in their message. */
  readonly remaining: ReadonlyArray<{ readonly rule: string; readonly message: string }>;
}

const MAX_ROUNDS = 20;

export function minimize(text: string, project: ProjectFacts, settings?: AnalysisSettings): MinimizeResult {
  let current = text;
  const applied: string[] = [];
  const tried = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const findings = analyze(parseDockerfile(current), project, settings);
    // Rules are listed in the order their fixes compose; a finding's own order is its line.
    const byRule = [...findings].sort((a, b) => ruleOrder(a.rule) - ruleOrder(b.rule));
    const next = byRule.flatMap((f) => f.fixes.filter((x) => x.safe && x.edits.length > 0 && !x.files).map((fix) => ({ f, fix })))[0];
    if (!next) break;
    const after = applyEdits(current, next.fix.edits);
    const key = `${next.f.rule}\0${after}`;
    // A fix that changes nothing, or that brings back an earlier text, ends the loop.
    if (after === current || tried.has(key)) break;
    tried.add(key);
    applied.push(next.fix.title);
    current = after;
  }
  const remaining = analyze(parseDockerfile(current), project, settings).map((f) => ({ rule: f.rule, message: f.message }));
  return { text: current, applied, remaining };
}
