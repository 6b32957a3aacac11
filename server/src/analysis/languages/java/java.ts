// Java build manifests -> the release level the classes are compiled for (pom.xml, build.gradle,
// build.gradle.kts) and the jar a build writes. Pure: text in, facts out.
//
// Only a handful of elements and assignments are read, so this is a scan for them rather than a
// full XML or Groovy/Kotlin parse (no Gradle script can be evaluated without Gradle anyway); a
// value it cannot resolve is reported as unknown, never guessed.
import { joinPath } from '../../paths';
import type { ProjectFacts } from '../../project';
import type { RunStep } from '../../model';
import { commandName } from '../../shell';
import { query, type AnalysisContext } from '../../context';

export interface JavaRelease {
  /** The Java feature release the classes target (8, 11, 17, 21…). */
  readonly release: number;
  /** Where it was read, for messages: "pom.xml <maven.compiler.release>". */
  readonly source: string;
}

export interface JavaProject {
  readonly manifest: 'pom.xml' | 'build.gradle' | 'build.gradle.kts';
  readonly release: JavaRelease | undefined;
  /** The jar `mvn package` writes (target/<artifactId>-<version>.jar), when pom.xml names both. */
  readonly jar: string | undefined;
  /** How many libraries the build declares (their classes ship with the program, unread). */
  readonly dependencies: number;
}

/** The class-file major version of a release (Java 8 = 52, 17 = 61, 21 = 65). */
export function classFileVersion(release: number): number {
  return release + 44;
}

/** "1.8" -> 8, "17" -> 17, "VERSION_17" -> 17, "VERSION_1_8" -> 8; undefined for anything else. */
export function parseJavaRelease(raw: string): number | undefined {
  const value = raw.trim().replace(/^["']|["']$/g, '').replace(/^(JavaVersion\.)?VERSION_/, '').replace(/_/g, '.');
  const m = /^(?:1\.)?(\d{1,2})$/.exec(value);
  if (!m) return undefined;
  const release = Number(m[1]);
  return release >= 1 && release <= 99 ? release : undefined;
}

function withoutXmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '');
}

function element(text: string, name: string): string | undefined {
  const m = new RegExp(`<${name.replace(/\./g, '\\.')}>\\s*([^<]*?)\\s*</${name.replace(/\./g, '\\.')}>`).exec(text);
  return m?.[1];
}

/** The pom's own coordinates: the first artifactId/version outside <parent>, <dependencies>, <build>. */
function projectElement(text: string, name: string): string | undefined {
  const top = text.replace(/<(parent|dependencies|dependencyManagement|build|profiles|properties|reporting)>[\s\S]*?<\/\1>/g, '');
  return element(top, name);
}

export function readPom(text: string): JavaProject {
  const pom = withoutXmlComments(text);
  const properties = /<properties>([\s\S]*?)<\/properties>/.exec(pom)?.[1] ?? '';
  const property = (name: string): string | undefined => element(properties, name);
  const resolve = (raw: string | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    const ref = /^\$\{([\w.-]+)\}$/.exec(raw);
    return ref ? property(ref[1] as string) : raw;
  };
  // The compiler plugin's <release>/<target> win over the properties it defaults from.
  const plugin = /<artifactId>\s*maven-compiler-plugin\s*<\/artifactId>([\s\S]*?)<\/plugin>/.exec(pom)?.[1] ?? '';
  const candidates: Array<[string | undefined, string]> = [
    [resolve(element(plugin, 'release')), 'pom.xml maven-compiler-plugin <release>'],
    [resolve(element(plugin, 'target')), 'pom.xml maven-compiler-plugin <target>'],
    [resolve(property('maven.compiler.release')), 'pom.xml <maven.compiler.release>'],
    [resolve(property('maven.compiler.target')), 'pom.xml <maven.compiler.target>'],
    // Spring Boot's parent sets the compiler release from java.version.
    [resolve(property('java.version')), 'pom.xml <java.version>'],
  ];
  let release: JavaRelease | undefined;
  for (const [raw, source] of candidates) {
    const n = raw === undefined ? undefined : parseJavaRelease(raw);
    if (n !== undefined) {
      release = { release: n, source };
      break;
    }
  }
  const artifactId = resolve(projectElement(pom, 'artifactId'));
  const version = resolve(projectElement(pom, 'version'));
  const packaging = projectElement(pom, 'packaging') ?? 'jar';
  const finalName = resolve(element(/<build>([\s\S]*?)<\/build>/.exec(pom)?.[1] ?? '', 'finalName'));
  const jarBase = finalName ?? (artifactId && version ? `${artifactId}-${version}` : undefined);
  const jar = packaging === 'jar' && jarBase && !jarBase.includes('$') ? `target/${jarBase}.jar` : undefined;
  const declared = pom.replace(/<(dependencyManagement|plugins|pluginManagement)>[\s\S]*?<\/\1>/g, '').match(/<dependency>[\s\S]*?<\/dependency>/g) ?? [];
  const dependencies = declared.filter((d) => !/<scope>\s*(test|provided)\s*<\/scope>/.test(d)).length;
  return { manifest: 'pom.xml', release, jar, dependencies };
}

export function readGradle(text: string, kotlin: boolean): JavaProject {
  const script = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const manifest = kotlin ? 'build.gradle.kts' : 'build.gradle';
  const dependencies = (script.match(/^\s*(implementation|api|compile|runtimeOnly|compileOnly)\s*[("']/gm) ?? []).length;
  const patterns: Array<[RegExp, string]> = [
    [/options\.release(?:\.set\(|\s*=\s*)\s*(\d+)/, 'options.release'],
    [/languageVersion(?:\.set\(|\s*=\s*)\s*JavaLanguageVersion\.of\(\s*(\d+)\s*\)/, 'toolchain languageVersion'],
    [/targetCompatibility\s*=\s*([\w."']+)/, 'targetCompatibility'],
    [/sourceCompatibility\s*=\s*([\w."']+)/, 'sourceCompatibility'],
  ];
  for (const [pattern, what] of patterns) {
    const m = pattern.exec(script);
    const n = m ? parseJavaRelease(m[1] as string) : undefined;
    if (n !== undefined) return { manifest, release: { release: n, source: `${manifest} ${what}` }, jar: undefined, dependencies };
  }
  return { manifest, release: undefined, jar: undefined, dependencies };
}

/** `javac --release 21`, `-target 17`, `--target=11`: the release a javac command line targets. */
export function javacRelease(argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    const eq = /^--?(release|target)=(.+)$/.exec(word);
    if (eq) return parseJavaRelease(eq[2] as string);
    if (['--release', '-release', '-target', '--target'].includes(word)) return parseJavaRelease(argv[i + 1] ?? '');
  }
  return undefined;
}

/**
 * The failure a JVM gives for classes newer than it, as measured with the OpenJDK 17 runtime
 * (test/docker/languages.test.ts runs it): `Error: LinkageError occurred while loading main class`
 * followed by this line.
 */
export function unsupportedClassVersionText(mainClass: string, classRelease: number, runtimeRelease: number): string {
  return (
    `java.lang.UnsupportedClassVersionError: ${mainClass} has been compiled by a more recent version of the Java Runtime ` +
    `(class file version ${classFileVersion(classRelease)}.0), this version of the Java Runtime only recognizes class file versions up to ${classFileVersion(runtimeRelease)}.0`
  );
}

export interface JdkOnlyUse {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

/**
 * APIs and tools a JRE does not have: the compiler API, JShell, the debugger interface, and the
 * JDK's command-line tools started as processes. A program that uses any of them needs the JDK at
 * run time, so it cannot move to a JRE.
 */
const JDK_ONLY: ReadonlyArray<[RegExp, string]> = [
  [/\bjavax\.tools\b/, 'the compiler API (javax.tools)'],
  [/\bToolProvider\s*\.\s*getSystem(JavaCompiler|DocumentationTool)\b/, 'ToolProvider.getSystemJavaCompiler'],
  [/\bcom\.sun\.tools\b/, 'the JDK tools (com.sun.tools)'],
  [/\bcom\.sun\.source\b/, 'the compiler tree API (com.sun.source)'],
  [/\bjdk\.jshell\b/, 'JShell (jdk.jshell)'],
  [/\b(com\.sun\.jdi|jdk\.jdi)\b/, 'the debugger interface (com.sun.jdi)'],
  [/\brequires\s+(transitive\s+)?jdk\.(compiler|jshell|jdi|jlink|jartool|javadoc|jdeps)\b/, 'a JDK-only module in module-info'],
  [/"(javac|jar|jlink|jcmd|jstack|jmap|jshell|jdeps|jpackage|javadoc)"/, 'a JDK command started as a process'],
];

/** Where Java sources use what only a JDK has. */
export function jdkOnlyUses(files: ReadonlyArray<{ readonly path: string; readonly text: string }>): JdkOnlyUse[] {
  const out: JdkOnlyUse[] = [];
  for (const file of files) {
    const lines = file.text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] as string).replace(/\/\/.*$/, '');
      for (const [pattern, what] of JDK_ONLY) if (pattern.test(line)) out.push({ file: file.path, line: i, what });
    }
  }
  return out;
}

export interface PathAbove {
  readonly file: string;
  /** 0-based. */
  readonly line: number;
  readonly text: string;
}

/**
 * Where Java or Kotlin sources, or the resources beside them (Spring Boot's application.yaml), may
 * reach a file above the working folder: a line naming `folder`
 * (a COPY's destination that holds the working folder), a parent step (`..` before a separator or
 * a quote), or getParent/getParentFile. Without those, a program run from inside `folder` reaches
 * nothing else of it (Spring Boot's ./application.* and ./config/ are read from the working
 * folder). A text search: anything that looks like one counts, so it can only over-report.
 */
export function pathsAbove(files: ReadonlyArray<{ readonly path: string; readonly text: string }>, folder: string): PathAbove[] {
  const out: PathAbove[] = [];
  const named = folder.replace(/\/$/, '');
  for (const file of files) {
    const lines = file.text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if ((named !== '' && line.includes(named)) || /\.\.(?:[/\\"'`]|$)/.test(line) || /\bgetParent(File)?\s*\(/.test(line)) out.push({ file: file.path, line: i, text: line.trim() });
    }
  }
  return out;
}

export interface JavaSources {
  /** How many .java/.kt files the workspace read, and whether it stopped before all. */
  readonly read: number;
  readonly truncated: boolean;
  readonly jdkOnly: readonly JdkOnlyUse[];
  /** The sources themselves, by path relative to the context. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly text: string }>;
}

const JAVA_SOURCES = query<JavaSources>('javaSources');

/** The context's Java and Kotlin sources (from ProjectFacts.sources), scanned once per facts. */
export function javaSourcesOf(project: ProjectFacts, context: AnalysisContext): JavaSources {
  return context.memoProject(JAVA_SOURCES, [project], () => {
    const files = [...project.sources].filter(([file]) => /\.(java|kt)$/.test(file)).map(([file, text]) => ({ path: file, text }));
    return { read: files.length, truncated: project.sourcesTruncated, jdkOnly: jdkOnlyUses(files), files };
  });
}

const JAVA_PROJECT = query<JavaProject | undefined>('javaProject');

/** The context's Java manifest, read once per project facts: pom.xml, else build.gradle(.kts). */
export function javaProjectOf(project: ProjectFacts, context: AnalysisContext): JavaProject | undefined {
  return context.memoProject(JAVA_PROJECT, [project], () => readJavaProject(project));
}

function readJavaProject(project: ProjectFacts): JavaProject | undefined {
  const pom = project.manifests.get('pom.xml');
  const groovy = project.manifests.get('build.gradle');
  const kotlin = project.manifests.get('build.gradle.kts');
  const result = pom !== undefined ? readPom(pom) : groovy !== undefined ? readGradle(groovy, false) : kotlin !== undefined ? readGradle(kotlin, true) : undefined;
  return result;
}


/** Maven or Gradle in a RUN step, which download dependencies and write jars of unknown size. */
export function javaBuildTool(run: RunStep): string | undefined {
  for (const c of run.commands) {
    const name = commandName(c);
    if (name === 'mvn' || name === 'mvnw') return 'Maven';
    if (name === 'gradle' || name === 'gradlew') return 'Gradle';
  }
  return undefined;
}

/**
 * Modules a JRE lacks that a program may need at run time: the JDK's tools. java.compiler is in
 * the JRE, but through it javax.tools.ToolProvider finds no compiler there: measured on the
 * eclipse-temurin:17 stand-in, jdeps names java.compiler (not jdk.compiler) for a class calling
 * ToolProvider.getSystemJavaCompiler(), so it is checked too.
 */
export const JDK_TOOL_MODULES = ['java.compiler', 'jdk.compiler', 'jdk.javadoc', 'jdk.jshell', 'jdk.jlink', 'jdk.jartool', 'jdk.jdeps', 'jdk.jpackage', 'jdk.jdi', 'jdk.jconsole', 'jdk.hotspot.agent', 'jdk.jstatd', 'jdk.editpad'];

/**
 * The class path `java` runs from its start words, as absolute paths: the -jar file, the -cp
 * entries, or the WORKDIR for `java Main`. Undefined when it holds a variable.
 */
export function javaClassPath(words: readonly string[], workdir: string): string[] | undefined {
  const at = words.findIndex((w) => ['-jar', '-cp', '-classpath', '--class-path'].includes(w));
  const entries = at < 0 ? ['.'] : (words[at + 1] ?? '').split(':').filter(Boolean);
  if (entries.length === 0 || entries.some((e) => e.includes('$'))) return undefined;
  return entries.map((e) => joinPath(workdir, e));
}

/**
 * A RUN for the build stage that proves the JRE runs the program: jdeps lists the modules of the
 * class path, with the jars packed inside a jar (Spring Boot's BOOT-INF/lib, WEB-INF/lib), which
 * jdeps does not open by itself; the build fails naming any JDK tool module among them.
 */
export function jdepsProof(classPath: readonly string[], runtimeImage: string, eol: string): string[] {
  const paths = classPath.join(' ');
  const fail = (what: string): string => `echo "Slimfile: ${what}" >&2; exit 1`;
  const body = [
    'cd "$(mktemp -d)"',
    `for jar in ${paths}; do case "$jar" in *.jar) jar xf "$jar";; esac; done`,
    `mods="$(jdeps --multi-release base --print-module-deps --ignore-missing-deps ${paths} $(find . -name '*.jar'))" || { ${fail(`jdeps could not read ${paths}`)}; }`,
    `for m in $(echo "$mods" | tr , ' '); do case "$m" in ${JDK_TOOL_MODULES.join('|')}) ${fail(`the program needs $m, a JDK tool module that ${runtimeImage} does not have: keep the JDK image`)};; esac; done`,
  ];
  return [`# Proves on the built classes that ${runtimeImage} runs them: no JDK tool module among the modules jdeps finds.`, `RUN ${body.join(` && \\${eol}    `)}`];
}

/**
 * The OS a jlink runtime made from a JDK image runs on, for a JDK image whose tag names no Java
 * release (maven, openjdk): the system the image itself is built on, with the packages that image
 * adds for Java (fonts, time zones, its locale), so the runtime finds what it found there. The
 * build checks the match (jlinkCheckLines). Undefined for a family Slimfile does not know.
 */
export interface JlinkRuntimeOs {
  readonly image: string;
  /** A RUN installing what the JDK image adds to its OS for Java. */
  readonly install: string;
  /** The locale ENV the JDK image sets. */
  readonly env: string;
}

export function jlinkRuntimeOs(repository: string, tag: string | undefined): JlinkRuntimeOs | undefined {
  const bare = tag === undefined || tag === 'latest';
  // maven's and gradle's default tags (latest, or a tool version alone: maven:3.9) are built on
  // eclipse-temurin, which is Ubuntu with tzdata, fontconfig and the en_US.UTF-8 locale (ENV LANG,
  // LANGUAGE, LC_ALL). A tag naming another vendor or system (maven:3-amazoncorretto) is not.
  if (((repository === 'maven' || repository === 'gradle') && (bare || /^\d+(\.\d+)*$/.test(tag))) || (repository === 'eclipse-temurin' && bare)) {
    return {
      image: 'ubuntu:noble',
      install:
        "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tzdata locales fontconfig && echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen && locale-gen en_US.UTF-8 && rm -rf /var/lib/apt/lists/*",
      env: "ENV LANG='en_US.UTF-8' LANGUAGE='en_US:en' LC_ALL='en_US.UTF-8'",
    };
  }
  // openjdk's last tags are Oracle Linux slim with freetype and fontconfig, and LANG=C.UTF-8.
  if (repository === 'openjdk' && bare) {
    return { image: 'oraclelinux:9-slim', install: 'RUN microdnf install -y tzdata freetype fontconfig && microdnf clean all', env: 'ENV LANG=C.UTF-8' };
  }
  return undefined;
}

/** Where the jlink runtime lives in the runtime image: eclipse-temurin's JAVA_HOME. */
export const JLINK_HOME = '/opt/java/openjdk';
const JLINK_CHECK = '/opt/java-check';
/** Where jlink writes the runtime in the build stage. */
const JLINK_OUTPUT = '/opt/java-runtime';

/** Without ldd no library would be listed as unlinkable, and the comparison would pass blind. */
const NEEDS_LDD = 'command -v ldd >/dev/null || { echo "Slimfile: ldd is needed to compare the jlink runtime with the JDK image" >&2; exit 1; }';

/**
 * What the JVM sees of its system, written by both stages and compared: its encodings, locale,
 * user and temporary folder, version and vendor (java -XshowSettings), TZ and /etc/localtime
 * (the default time zone), and each system library a native library of the runtime cannot find.
 */
function jvmView(java: string, home: string): string {
  const properties = ['file.encoding', 'native.encoding', 'sun.jnu.encoding', 'user.language', 'user.country', 'user.variant', 'user.home', 'user.name', 'java.io.tmpdir', 'java.version', 'java.vendor', 'java.vm.version']
    .map((p) => p.replace(/\./g, '\\.'))
    .join('|');
  return [
    `{ ${java} -XshowSettings:properties -version 2>&1 | grep -E '^ +(${properties}) = '`,
    'echo "TZ=${TZ-}"',
    'echo "localtime=$(readlink -f /etc/localtime)"',
    // The runtime's own folders on the library path: libjvm.so, which libjava.so and the rest need, is found through them.
    `for lib in ${home}/lib/*.so ${home}/lib/*/*.so; do [ -e "$lib" ] && LD_LIBRARY_PATH="${home}/lib:${home}/lib/server" ldd "$lib" | sed -n "s|^[[:space:]]*\\([^[:space:]]*\\) => not found.*|unlinked \${lib#${home}/}: \\1|p"; done | LC_ALL=C sort; }`,
  ].join('; ');
}

/**
 * Build-stage lines that make the runtime from the stage's own JDK: jlink with every module but
 * the JDK's tools (jdepsProof fails the build if the program needs one), the JDK's conf and its
 * CA certificates as the image has them (the openjdk images link cacerts to the OS's bundle), and
 * what that JVM sees of its system for the runtime stage to compare.
 */
export function jlinkBuildLines(eol: string): string[] {
  const tools = JDK_TOOL_MODULES.map((m) => `-e ${m}`).join(' ');
  const body = [
    NEEDS_LDD,
    `mods="$(java --list-modules | sed 's/@.*//' | grep -vxF ${tools} | paste -sd, -)"`,
    `jlink --add-modules "$mods" --no-man-pages --no-header-files --output ${JLINK_OUTPUT}`,
    'java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"',
    `cp -RL "$java_home/conf/." ${JLINK_OUTPUT}/conf/`,
    `cp -L "$java_home/lib/security/cacerts" ${JLINK_OUTPUT}/lib/security/cacerts`,
    `mkdir -p ${JLINK_CHECK}`,
    `${jvmView('java', JLINK_OUTPUT)} > ${JLINK_CHECK}/jdk`,
  ];
  return [
    "# A Java runtime made by jlink from this image's own JDK: the same release and vendor by construction, with every module but the JDK's tools.",
    `RUN ${body.join(` && \\${eol}    `)}`,
  ];
}

/**
 * Runtime-stage lines: the runtime at JLINK_HOME, and a check that fails the build unless the JVM
 * there sees what it saw on the JDK image (jvmView), so nothing about the system is taken on trust.
 */
export function jlinkRuntimeLines(buildStage: string, os: JlinkRuntimeOs, eol: string): string[] {
  const check = [
    NEEDS_LDD,
    `${jvmView('java', JLINK_HOME)} > /tmp/java-view`,
    `if [ "$(cat ${JLINK_CHECK}/jdk)" != "$(cat /tmp/java-view)" ]; then echo "Slimfile: on the JDK image:" >&2; cat ${JLINK_CHECK}/jdk >&2; echo "Slimfile: on ${os.image}:" >&2; cat /tmp/java-view >&2; echo "Slimfile: the jlink runtime sees a different system on ${os.image}: keep the JDK image" >&2; exit 1; fi`,
    'rm /tmp/java-view',
  ];
  return [
    os.install,
    `COPY --from=${buildStage} ${JLINK_OUTPUT} ${JLINK_HOME}`,
    `ENV JAVA_HOME=${JLINK_HOME} PATH=${JLINK_HOME}/bin:$PATH`,
    os.env,
    '# Fails the build unless the JVM here sees what it saw on the JDK image: encodings, locale, user, time zone, version, and every native library linkable.',
    `RUN --mount=type=bind,from=${buildStage},source=${JLINK_CHECK},target=${JLINK_CHECK} ${check.join(` && \\${eol}    `)}`,
  ];
}
