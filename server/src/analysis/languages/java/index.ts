// Java as one of the languages: the JDK and JRE images, Maven and Gradle, and its rules (rules/).
// What the build files say is read in java.ts.
import type { LanguageSupport } from '../types';
import { describeJavaImage } from './image';
import { javaBuildTool } from './java';
import { JAVA_RULES } from './rules';
import { catalogEntriesOf } from '../../imageCatalog';
import catalog from './catalog.json';

declare module '../id' {
  interface LanguageIds {
    java: true;
  }
}

export const java: LanguageSupport = {
  id: 'java',
  name: 'Java',
  manifests: ['pom.xml', 'build.gradle', 'build.gradle.kts'],
  // Spring Boot's configuration, read where it sits (src/main/resources): it may name files the program reads.
  companionFiles: ['settings.gradle', 'settings.gradle.kts', 'application.properties', 'application.yml', 'application.yaml'],
  sourceExtensions: ['.java', '.kt'],
  buildCommands: ['javac', 'mvn', 'mvnw', 'gradle', 'gradlew', 'jlink', 'jar'],
  rules: { structure: JAVA_RULES },
  describeImage: describeJavaImage,
  estimateRun: (_model, _stage, run) => {
    const tool = javaBuildTool(run);
    return tool ? [{ what: `${tool} build output and dependency cache`, bytes: undefined, provenance: undefined }] : [];
  },
  artifactSize: (_model, stage, path) => {
    // A folder that holds what Maven or Gradle wrote (target/, build/libs/, jars) has no size known before the build.
    const tool = stage.runs.map(javaBuildTool).find((t) => t !== undefined);
    if (!tool || !(path === stage.workdir || path.startsWith(`${stage.workdir.replace(/\/$/, '')}/`) || stage.workdir.startsWith(`${path}/`))) return undefined;
    return { what: `${path} (with the ${tool} build output)`, bytes: undefined, provenance: undefined };
  },
  catalog: { entries: catalogEntriesOf(catalog) },
};
