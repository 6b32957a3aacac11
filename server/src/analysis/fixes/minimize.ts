// "Minimize image": applies every safe fix, one at a time, re-analysing after each so fixes
// compose (the multi-stage conversion first, then what the new runtime stage still lacks).
import { analyze, type AnalysisSettings } from '../analyze';
import type { Finding } from '../findings';
import { parseDockerfile, type DockerfileModel } from '../model';
import type { ProjectFacts } from '../project';
import { applyEdits } from './apply';
import { RULES } from '../rules';
import { messages } from '../messages';
import { AnalysisContext } from '../context';

function ruleOrder(id: string): number {
  return RULES.findIndex((r) => r.id === id);
}

export interface MinimizeResult {
  readonly text: string;
  /** Titles of the fixes applied, in order. */
  readonly applied: readonly string[];
  /** Findings left that have no safe fix, with the reason in their message. */
  readonly remaining: ReadonlyArray<{ readonly rule: string; readonly message: string; readonly details?: readonly string[] }>;
  /** The parse of `text`, made by the last round anyway (the estimate of the result reads it). */
  readonly model: DockerfileModel;
}

/** The parse and findings of the input text when the caller has them already (the server has). */
export interface MinimizeStart {
  readonly model: DockerfileModel;
  /** analyze(model, project, settings) with the same project and settings. */
  readonly findings: readonly Finding[];
}

const MAX_ROUNDS = 20;

export interface MinimizeOptions {
  /**
   * Asked before each round after the first: true stops with the fixes applied so far (each
   * round leaves a whole, valid file). The server stops on a time budget or a cancelled request.
   */
  readonly shouldStop?: () => boolean;
}

export function minimize(text: string, project: ProjectFacts, settings?: AnalysisSettings, start?: MinimizeStart, options: MinimizeOptions = {}, context?: AnalysisContext): MinimizeResult {
  const steps = minimizeSteps(text, project, settings, start, context);
  let step = steps.next();
  while (!step.done) step = steps.next(options.shouldStop?.() === true);
  return step.value;
}

/** What a caller of minimizeSteps sees between two fixes. */
export interface MinimizeStep {
  /** Titles of the fixes applied so far, in order. */
  readonly applied: readonly string[];
}

/**
 * Minimize one fix at a time, for a caller that must stop or let other work run between fixes
 * (the server, which cancels a request only while it is not computing). It yields before each
 * round after the first; answering true stops with the fixes applied so far. A caller that drops
 * the generator instead has changed nothing.
 *
 * `context`: the analysis context of `text`'s version (context.ts), the start model's when absent,
 * else a new one. Each text a fix leaves is parsed in a context made from it, so the project's
 * derived facts and split scripts are reused and nothing of one text's model leaks into another's.
 */
export function* minimizeSteps(text: string, project: ProjectFacts, settings?: AnalysisSettings, start?: MinimizeStart, context: AnalysisContext = start?.model.context ?? new AnalysisContext()): Generator<MinimizeStep, MinimizeResult, boolean | undefined> {
  let current = text;
  const parse = (): DockerfileModel => parseDockerfile(current, new AnalysisContext(context));
  // Each text is parsed and analysed once: the first from the caller when it has them, the last
  // one's findings are the remaining ones.
  let model = start?.model ?? parseDockerfile(current, context);
  let findings: readonly Finding[] = start?.findings ?? analyze(model, project, settings);
  let stale = false;
  const applied: string[] = [];
  const tried = new Set<string>();
  let stopped = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (round > 0 && (yield { applied }) === true) {
      stopped = true;
      break;
    }
    if (stale) {
      model = parse();
      findings = analyze(model, project, settings);
      stale = false;
    }
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
    stale = true;
  }
  if (stale) {
    model = parse();
    findings = analyze(model, project, settings);
  }
  const remaining = findings.map((f) => ({ rule: f.rule, message: f.message, ...(f.related.length > 0 ? { details: f.related.map((r) => r.message) } : {}) }));
  if (stopped) remaining.push({ rule: 'slimfile', message: messages.minimizeStopped(applied.length) });
  return { text: current, applied, remaining, model };
}
