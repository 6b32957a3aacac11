// Findings on go.mod itself: requirements that force cgo (and so keep the image off scratch).
import type { Finding, SeveritySetting } from '../../findings';
import type { GoMod } from './gomod';
import { CGO_MODULES } from './source/needs';
import { goMessages } from './messages';

export const CGO_DEPENDENCY = 'cgo-dependency';

export function analyzeGoMod(goMod: GoMod, rules: Readonly<Record<string, SeveritySetting>> = {}): Finding[] {
  const severity = rules[CGO_DEPENDENCY] ?? 'info';
  if (severity === 'off') return [];
  const findings: Finding[] = [];
  for (const req of goMod.requires) {
    const known = CGO_MODULES.find((m) => req.path === m.path || req.path.startsWith(`${m.path}/`));
    if (!known) continue;
    findings.push({
      rule: CGO_DEPENDENCY,
      severity,
      message: goMessages.cgoDependency(req.path, known.alternative),
      range: req.range,
      related: [],
      fixes: [],
    });
  }
  return findings;
}
