// Every rule, in the order Minimize tries their fixes: structure first, then what the new
// structure still lacks, then polish. Each language's rules live in its folder
// (languages/<id>/rules/) and come from the registry in groups (languages/types.ts: LanguageRules),
// every language's structure first in registry order; the rules here apply to any image and
// stand between the later groups.
import type { Rule } from '../findings';
import type { LanguageRules } from '../languages/types';
import { languages } from '../languages/registry';
import { scratchUnknownUser } from './scratch-unknown-user';
import { runsAsRoot } from './runs-as-root';
import { packageCacheInFinalImage } from './package-cache-in-final-image';
import { missingDockerignore } from './missing-dockerignore';

function ofEveryLanguage(group: keyof LanguageRules): readonly Rule[] {
  return languages().flatMap((language) => language.rules[group] ?? []);
}

export const RULES: readonly Rule[] = [
  // Structure, each language's list in its own order. Rules with a language run only on files
  // that build it, and all sit before the shared rules below so those see the converted file.
  ...ofEveryLanguage('structure'),
  ...ofEveryLanguage('runtimeFiles'),
  scratchUnknownUser,
  ...ofEveryLanguage('binary'),
  runsAsRoot,
  packageCacheInFinalImage,
  ...ofEveryLanguage('caches'),
  missingDockerignore,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
