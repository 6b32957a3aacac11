// One entry point for every caller (server, CLI, tests): model + project facts + settings -> findings.
import type { Finding, Rule, RuleInput, RuntimeChoice, SeveritySetting } from './findings';
import type { DockerfileModel } from './model';
import type { ProjectFacts } from './project';
import { RULES } from './rules';
import { messages } from './messages';
import { detectLanguages } from './languages/detect';
import type { PackageIndexes } from './packages/indexes';

export interface AnalysisSettings {
  /** Severity per rule id; a missing id keeps the rule's default. */
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  /** The runtime image fixes move a static Go binary to (`slimfile.runtime`, `--runtime`); distroless when unset. */
  readonly runtime?: RuntimeChoice;
  /** The distributions' package indexes the caller has at hand; without them package fixes stay for review. */
  readonly packageIndexes?: PackageIndexes;
}

export const DEFAULT_SETTINGS: AnalysisSettings = { rules: {} };

export function analyze(model: DockerfileModel, project: ProjectFacts, settings: AnalysisSettings = DEFAULT_SETTINGS): Finding[] {
  const findings: Finding[] = [];
  const languages = detectLanguages(model, project);
  for (const rule of RULES) {
    const setting = settings.rules[rule.id] ?? rule.defaultSeverity;
    if (setting === 'off') continue;
    if (rule.language && !languages.has(rule.language)) continue;
    for (const found of runRule(rule, { model, project, runtime: settings.runtime ?? 'distroless', packages: settings.packageIndexes })) {
      if (model.unfinished && found.fixes.length > 0) {
        // Half-typed end of file: a fix's new lines would land inside the open heredoc or continuation.
        findings.push({ ...found, rule: rule.id, severity: setting, fixes: [], related: [...found.related, { message: messages.noAutomaticFix(model.unfinished), range: found.range }] });
      } else findings.push({ ...found, rule: rule.id, severity: setting });
    }
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function runRule(rule: Rule, input: RuleInput): ReturnType<Rule['check']> {
  // One rule's bug must not hide every other finding; the caller logs nothing here (pure),
  // so the failure becomes a finding the user and the tests can see.
  try {
    return rule.check(input);
  } catch (error) {
    return [
      {
        message: `Slimfile's rule ${rule.id} failed on this file: ${(error as Error).message}. Please report it.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        related: [],
        fixes: [],
      },
    ];
  }
}
