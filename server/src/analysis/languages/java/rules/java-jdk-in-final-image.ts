// A JDK (or Maven/Gradle on one) as the final image: the program needs only a Java runtime.
import type { Fix, Rule } from '../../../findings';
import type { DockerfileModel, Stage } from '../../../model';
import type { ProjectFacts } from '../../../project';
import { languageImageOf, startWords, program, foreignRuns, healthcheckTool, HARMLESS } from '../../stage';
import { temurinJre, type LanguageImage } from '../../runtimeImages';
import { splitStage, outsideWorkdir } from '../../../fixes/splitStage';
import { javaMessages } from './messages';
import { messages } from '../../../messages';
import { commandName } from '../../../shell';
import { javaClassPath, javaProjectOf, javaSourcesOf, jdepsProof, jlinkBuildLines, jlinkRuntimeLines, jlinkRuntimeOs, pathsAbove, type JlinkRuntimeOs } from '../java';
import { joinPath, under } from '../../../paths';
import type { AnalysisContext } from '../../../context';

const JAVA_BUILD_COMMANDS = new Set(['javac', 'jar', 'mvn', 'mvnw', 'gradle', 'gradlew', 'jlink', 'jdeps', ...HARMLESS]);
const BUILD_ONLY_ENV = /^(MAVEN_\w+|GRADLE_\w+|M2_HOME)$/;

export interface JreConversion {
  readonly fix: Fix;
  readonly problems: readonly string[];
  /** Set when the runtime is made by jlink from the image's own JDK (its tag names no release). */
  readonly jlinkOs?: JlinkRuntimeOs;
}

/** The image's Java release, or the reason a JRE cannot be named. */
function jreFor(image: LanguageImage): string | undefined {
  return image.version ? temurinJre(image.version, image) : undefined;
}

/**
 * Why moving this stage to a JRE is not proven safe; empty when it is. `proved`: the build stage
 * checks the built classes with jdeps (jdepsProof), so the libraries' classes, which Slimfile does
 * not read, need no reading: the JRE lacks only the JDK's tool modules, and the build fails on those.
 */
function jreProblems(stage: Stage, image: LanguageImage, project: ProjectFacts, context: AnalysisContext, proved: boolean, leftBehind: ReadonlySet<string>, jlinked: boolean): string[] {
  const problems = [...outsideWorkdir(stage, (_copy, destination) => leftBehind.has(destination))];
  const sources = javaSourcesOf(project, context);
  if (sources.read === 0) problems.push('the Java sources were not read, so Slimfile cannot tell whether the program needs the JDK at run time');
  else if (sources.truncated) problems.push('not every Java source was read');
  for (const use of sources.jdkOnly) problems.push(`${use.file}:${use.line + 1} uses ${use.what}, which a JRE does not have`);
  // The classes that run must be the sources read: a library's classes, or a jar copied in as
  // built, are not read, and a library may use the compiler API as well as the program.
  const commands = stage.runs.flatMap((r) => r.commands);
  const builds = commands.filter((c) => ['javac', 'mvn', 'mvnw', 'gradle', 'gradlew'].includes(commandName(c)));
  if (builds.length === 0) problems.push('the program comes into the image already built, and Slimfile does not read its classes');
  if (!proved && builds.some((c) => commandName(c) === 'javac' && c.argv.some((a) => /^(-cp|-classpath|--class-path|-p|--module-path)$/.test(a)))) {
    problems.push("javac compiles against libraries whose classes Slimfile does not read");
  }
  const manifest = javaProjectOf(project, context);
  if (!proved && builds.some((c) => commandName(c) !== 'javac') && (manifest === undefined || manifest.dependencies > 0)) {
    problems.push(manifest ? `${manifest.manifest} declares ${manifest.dependencies} librar${manifest.dependencies === 1 ? 'y' : 'ies'} whose classes Slimfile does not read` : 'the build file was not read');
  }
  for (const run of foreignRuns(stage, JAVA_BUILD_COMMANDS)) {
    problems.push(`line ${run.range.start.line + 1}: a RUN step that is not the Java build may prepare something the runtime image lacks`);
  }
  const tool = healthcheckTool(stage);
  if (tool) problems.push(`the HEALTHCHECK runs ${tool}, which the JRE image may not have`);
  // The official gradle images and maven's *-eclipse-temurin-* tags are built FROM eclipse-temurin.
  const temurinFamily = image.repository === 'eclipse-temurin' || image.repository === 'gradle' || (image.repository === 'maven' && /temurin/.test(stage.base.reference?.tag ?? ''));
  // A jlink runtime is the image's own JDK on the image's own system, and the build compares the two.
  if (!temurinFamily && !jlinked) {
    problems.push(`${image.repository} and eclipse-temurin are built on different systems, so files from the JDK image's OS may be missing`);
  }
  return problems;
}

/**
 * Folders a COPY from the context filled that hold the working folder (gradle's COPY . . into
 * /home/gradle, then WORKDIR build/libs), which the runtime stage may leave behind: the program,
 * started inside them, reaches the rest only by naming the folder, a parent step or getParent, and
 * neither its sources nor its resources (all read) nor its start command and ENV do (pathsAbove).
 */
function unreadAbove(stage: Stage, project: ProjectFacts, context: AnalysisContext): Set<string> {
  const sources = javaSourcesOf(project, context);
  const words = startWords(stage);
  const out = new Set<string>();
  if (sources.read === 0 || sources.truncated || !words) return out;
  // Resources ship inside the jar, where Spring Boot's configuration may name a path: each must
  // have been read (application.properties/.yml/.yaml, ProjectFacts.manifests) to be searched.
  const resources = [...project.contextListing.files.keys()].filter((f) => /(^|\/)src\/main\/resources\//.test(f));
  if (project.contextListing.truncated || resources.some((f) => !project.manifests.has(f))) return out;
  const read = resources.map((f) => ({ path: f, text: project.manifests.get(f) as string }));
  const started = { path: 'the start command', text: [...words, ...stage.env.values()].join('\n') };
  for (const copy of stage.copies) {
    const destination = joinPath(copy.workdir, copy.destination);
    if (copy.from !== undefined || copy.heredoc || destination === '/' || destination === stage.workdir || !under(stage.workdir, destination)) continue;
    if (pathsAbove([...sources.files, ...read, started], destination).length === 0) out.add(destination);
  }
  return out;
}

export function convertToJre(model: DockerfileModel, project: ProjectFacts): JreConversion | { readonly reason: string } {
  const stage = model.finalStage;
  const image = stage ? languageImageOf(model, stage) : undefined;
  if (!stage || !image) return { reason: 'the file has no Java image' };
  const jre = jreFor(image);
  // No release in the tag (maven, openjdk): the runtime is made from the image's own JDK instead.
  const jlinkOs = jre ? undefined : jlinkRuntimeOs(image.repository, stage.base.reference?.tag);
  if (!jre && !jlinkOs) return { reason: `the tag of ${image.repository} names no Java release` };
  const runtime = jre ?? `a jlink runtime on ${(jlinkOs as JlinkRuntimeOs).image}`;
  const words = startWords(stage);
  if (program(words) !== 'java') return { reason: words ? `the container starts ${program(words)}, not java` : 'the start command is not known (shell syntax, or no CMD)' };
  const classPath = javaClassPath(words ?? [], stage.workdir);
  const built = stage.runs.length > 0 || stage.base.stage !== undefined;
  const leftBehind = unreadAbove(stage, project, model.context);
  const problems = jreProblems(stage, image, project, model.context, built && classPath !== undefined, leftBehind, jlinkOs !== undefined);
  if (jre && stage.runs.length === 0 && stage.base.stage === undefined && !stage.base.written.includes('$')) {
    // Nothing is built here (a jar copied in): the JRE of the same release takes the JDK's place.
    const safe = problems.length === 0;
    return { fix: { title: safe ? `Use ${jre}` : `Use ${jre} (review: not proven safe)`, edits: [{ range: stage.base.range, newText: jre }], isPreferred: true, safe }, problems };
  }
  const split = splitStage(model, stage, {
    runtimeImage: jre ?? (jlinkOs as JlinkRuntimeOs).image,
    buildOnlyEnv: BUILD_ONLY_ENV,
    buildLines: [...(classPath ? jdepsProof(classPath, jre ?? 'the jlink runtime', model.eol) : []), ...(jlinkOs ? jlinkBuildLines(model.eol) : [])],
    ...(jlinkOs ? { runtimeLines: jlinkRuntimeLines(stage.name ?? 'build', jlinkOs, model.eol) } : {}),
    notes: [...[...leftBehind].map((folder) => javaMessages.leftBehind(folder, stage.workdir)), ...problems.map((p) => `Check before use: ${p}.`)],
  });
  if (!split.ok) return { reason: split.reason };
  const safe = problems.length === 0;
  return { fix: { title: safe ? `Build in a stage, run on ${runtime}` : `Build in a stage, run on ${runtime} (review: not proven safe)`, edits: split.edits, isPreferred: true, safe }, problems, ...(jlinkOs ? { jlinkOs } : {}) };
}

/** jlink: a runtime of only the modules jdeps finds, on a plain OS image. Never applied without review. */
function jlinkFix(model: DockerfileModel, stage: Stage, image: LanguageImage): Fix | undefined {
  const words = startWords(stage) ?? [];
  const cp = words.findIndex((w) => ['-cp', '-classpath', '--class-path', '-jar'].includes(w));
  const target = cp >= 0 ? words[cp + 1] : undefined;
  if (!target || /[$*:]/.test(target)) return undefined;
  const os = image.os && !image.os.startsWith('alpine') ? image.os : undefined;
  const runtimeImage = os && ['noble', 'jammy', 'focal'].includes(os) ? `ubuntu:${os}` : 'debian:bookworm-slim';
  const split = splitStage(model, stage, {
    runtimeImage,
    buildOnlyEnv: BUILD_ONLY_ENV,
    buildLines: [
      `RUN jlink --add-modules "$(jdeps --print-module-deps --ignore-missing-deps ${target})" --strip-java-debug-attributes --no-man-pages --no-header-files --output /opt/java-runtime`,
    ],
    runtimeLines: [`COPY --from=${stage.name ?? 'build'} /opt/java-runtime /opt/java`, 'ENV PATH=/opt/java/bin:$PATH'],
    notes: [
      'A jlink runtime: only the modules jdeps finds in the classes. Check that nothing is loaded by reflection or ServiceLoader from a module it left out,',
      `and that ${runtimeImage} has a glibc at least as new as the JDK image's.`,
    ],
  });
  return split.ok ? { title: `Build in a stage, run on a jlink runtime on ${runtimeImage} (review)`, edits: split.edits, safe: false } : undefined;
}

export const jdkInFinalImage: Rule = {
  id: 'java-jdk-in-final-image',
  language: 'java',
  defaultSeverity: 'warning',
  summary: 'The final stage runs on a JDK or Maven/Gradle image; build in one stage and run on a JRE.',
  check({ model, project }) {
    const final = model.finalStage;
    if (!final) return [];
    const image = languageImageOf(model, final);
    if (!image || image.language !== 'java' || image.kind !== 'jdk') return [];
    const at = final.base.range;
    const conversion = convertToJre(model, project);
    const jlinkOs = 'reason' in conversion ? undefined : conversion.jlinkOs;
    const jre = jreFor(image) ?? (jlinkOs ? `a jlink runtime on ${jlinkOs.image}` : 'eclipse-temurin:<release>-jre');
    const related =
      'reason' in conversion
        ? [{ message: messages.noAutomaticFix(conversion.reason), range: at }]
        : conversion.problems.length > 0
          ? conversion.problems.map((p) => ({ message: messages.conversionUnproven(p), range: at }))
          : [{ message: jlinkOs ? javaMessages.jlinkSafeBecause(final.base.written, jlinkOs.image) : javaMessages.jreSafeBecause(javaSourcesOf(project, model.context).read), range: at }];
    const jlink = 'reason' in conversion || jlinkOs ? undefined : jlinkFix(model, final, image);
    if (jlink) related.push({ message: javaMessages.jlinkOption(), range: at });
    return [
      {
        message: javaMessages.jdkInFinalImage(final.base.resolved ?? final.base.written, jre),
        range: at,
        related,
        fixes: [...('reason' in conversion ? [] : [conversion.fix]), ...(jlink ? [jlink] : [])],
      },
    ];
  },
};
