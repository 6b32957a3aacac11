// Slimfile's settings as the server uses them, normalised from whatever the client sent.
// Read per resource on every use, never kept in a global.
import type { AnalysisSettings } from './analysis/analyze';
import type { RuntimeChoice, SeveritySetting } from './analysis/findings';
import { parseSize } from './analysis/estimate/budget';
import type { LanguageLoadLimits } from './analysis/project';
import { loadLimits } from './workspace/project';

export interface Settings extends AnalysisSettings {
  readonly enable: boolean;
  readonly buildContext: string;
  /** What the languages' context readers take at most, from their settings (Go's `slimfile.goScan.maxFiles`). */
  readonly loadLimits: LanguageLoadLimits;
  readonly codeLens: boolean;
  readonly offline: boolean;
  /** `slimfile.sizeBudget` in bytes; undefined when unset or not a size with a unit. */
  readonly sizeBudget: number | undefined;
  readonly runtime: RuntimeChoice;
  /** slimfile.docker.host: the engine for builds; empty: DOCKER_HOST, the docker context, the default socket. */
  readonly dockerHost: string;
  /** slimfile.probes: Compare with run's probes, each as after `# slimfile: probe` ("GET /health 200", "run --version"). */
  readonly probes: readonly string[];
}

export const DEFAULTS: Settings = {
  enable: true,
  buildContext: '',
  loadLimits: loadLimits({}, 'editor'),
  codeLens: true,
  offline: false,
  sizeBudget: undefined,
  runtime: 'distroless',
  dockerHost: '',
  probes: [],
  rules: {},
};

const SEVERITIES = new Set<SeveritySetting>(['off', 'hint', 'info', 'warning', 'error']);

export const Settings = {
  from(raw: unknown): Settings {
    const value = (raw ?? {}) as Record<string, unknown>;
    const rules: Record<string, SeveritySetting> = {};
    const rawRules = value['rules'];
    if (rawRules && typeof rawRules === 'object') {
      for (const [id, severity] of Object.entries(rawRules as Record<string, unknown>)) {
        if (typeof severity === 'string' && SEVERITIES.has(severity.toLowerCase() as SeveritySetting)) {
          rules[id] = severity.toLowerCase() as SeveritySetting;
        }
      }
    }
    const codeLens = (value['codeLens'] ?? {}) as Record<string, unknown>;
    const docker = (value['docker'] ?? {}) as Record<string, unknown>;
    return {
      enable: value['enable'] !== false,
      buildContext: typeof value['buildContext'] === 'string' ? value['buildContext'] : '',
      loadLimits: loadLimits(value, 'editor'),
      codeLens: codeLens['enable'] !== false,
      offline: value['offline'] === true,
      sizeBudget: typeof value['sizeBudget'] === 'string' ? parseSize(value['sizeBudget']) : undefined,
      runtime: value['runtime'] === 'scratch' ? 'scratch' : 'distroless',
      dockerHost: typeof docker['host'] === 'string' ? docker['host'].trim() : '',
      probes: Array.isArray(value['probes']) ? value['probes'].filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [],
      rules,
    };
  },
};
