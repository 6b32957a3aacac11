// Which languages a Dockerfile builds, and why: the base images of its stages (rust, gcc,
// eclipse-temurin, node…), the manifests in its build context (Cargo.toml, pom.xml, package.json…)
// and the build commands its RUN steps call (cargo, gcc, mvn, npm, pip…). Language rules run only
// for a language found here, so a file with no recognizable language gets none of them.
import type { DockerfileModel } from '../model';
import type { ProjectFacts } from '../project';
import type { LanguageEvidence, LanguageId } from './types';
import { languages } from './registry';
import { baseFactsOf } from '../runtime';
import { commandName } from '../shell';
import { query } from '../context';

const EVIDENCE = query<readonly LanguageEvidence[]>('languageEvidence');

/** Every piece of evidence, in file order per kind: images first, then manifests, then commands. */
export function languageEvidence(model: DockerfileModel, project: ProjectFacts): readonly LanguageEvidence[] {
  return model.context.memo(EVIDENCE, [model, project], () => findEvidence(model, project));
}

function findEvidence(model: DockerfileModel, project: ProjectFacts): readonly LanguageEvidence[] {
  const found: LanguageEvidence[] = [];
  for (const stage of model.stages) {
    if (stage.base.stage !== undefined) continue;
    const image = stage.base.resolved ?? stage.base.written;
    const facts = baseFactsOf(model, stage);
    if (facts.language) found.push({ language: facts.language, why: `FROM ${image}` });
  }
  for (const language of languages()) {
    for (const why of language.evidence?.inContext?.(project) ?? []) found.push({ language: language.id, why });
    for (const file of language.manifests) if (project.manifests.has(file)) found.push({ language: language.id, why: `${file} in the build context` });
  }
  for (const stage of model.stages) {
    for (const language of languages()) for (const why of language.evidence?.inStage?.(model, stage) ?? []) found.push({ language: language.id, why });
    for (const run of stage.runs) {
      for (const command of run.commands) {
        const name = commandName(command);
        const language = languages().find((l) => l.buildCommands.includes(name));
        if (language) found.push({ language: language.id, why: `RUN ${name}` });
      }
    }
  }
  return found.filter((e, i) => found.findIndex((o) => o.language === e.language && o.why === e.why) === i);
}

/** The languages the file builds; empty for a file with no recognizable language. */
export function detectLanguages(model: DockerfileModel, project: ProjectFacts): ReadonlySet<LanguageId> {
  return new Set(languageEvidence(model, project).map((e) => e.language));
}

export function buildsLanguage(model: DockerfileModel, project: ProjectFacts, language: LanguageId): boolean {
  return languageEvidence(model, project).some((e) => e.language === language);
}
