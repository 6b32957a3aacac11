// Classes compiled for a newer Java than the runtime image: the JVM refuses to load them.
import type { Rule } from '../../../findings';
import type { DockerfileModel, Stage } from '../../../model';
import type { ProjectFacts } from '../../../project';
import { languageImageOf, startWords } from '../../stage';
import { javaRelease } from '../../runtimeImages';
import { javacRelease, javaProjectOf, unsupportedClassVersionText } from '../java';
import { commandName } from '../../../shell';
import { javaMessages } from './messages';

/** The release the build targets: a javac flag in a stage the final image needs, else the manifest. */
export function targetRelease(model: DockerfileModel, project: ProjectFacts): { release: number; source: string } | undefined {
  for (const index of [...model.reachable].sort((a, b) => a - b)) {
    const stage = model.stages[index] as Stage;
    for (const run of stage.runs) {
      for (const c of run.commands) {
        if (commandName(c) !== 'javac') continue;
        const release = javacRelease(c.argv);
        if (release !== undefined) return { release, source: `javac ${c.argv.slice(1).join(' ')}` };
      }
    }
  }
  return javaProjectOf(project, model.context)?.release;
}

/** The class `java` is told to start, for the failure text. */
function mainClass(stage: Stage): string {
  const words = startWords(stage) ?? [];
  if (words.includes('-jar')) return 'the main class';
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    if (['-cp', '-classpath', '--class-path', '-p', '--module-path'].includes(word)) i++;
    else if (!word.startsWith('-')) return word;
  }
  return 'the main class';
}

export const javaReleaseNewerThanRuntime: Rule = {
  id: 'java-release-newer-than-runtime',
  language: 'java',
  defaultSeverity: 'error',
  summary: 'The classes are compiled for a newer Java release than the runtime image has.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    const image = languageImageOf(model, final);
    const runtimeRelease = image ? javaRelease(image) : undefined;
    if (!image || runtimeRelease === undefined) return [];
    const target = targetRelease(model, project);
    if (!target || target.release <= runtimeRelease) return [];
    const failure = `"${unsupportedClassVersionText(mainClass(final), target.release, runtimeRelease)}"`;
    const written = final.base.resolved ?? final.base.written;
    const fixes = [];
    if (final.base.stage === undefined && image.repository === 'eclipse-temurin' && final.base.reference?.tag) {
      const tag = final.base.reference.tag.replace(/^\d+(\.[\d._+]+)?/, String(target.release));
      const text = final.base.written.replace(final.base.reference.tag, tag);
      if (text !== final.base.written) fixes.push({ title: `Run on eclipse-temurin:${tag}`, edits: [{ range: final.base.range, newText: text }], isPreferred: true, safe: false });
    }
    return [{ message: javaMessages.classVersionNewer(target.release, target.source, written, runtimeRelease, failure), range: final.base.range, related: [], fixes }];
  },
};
