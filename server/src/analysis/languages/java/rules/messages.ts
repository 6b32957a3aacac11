// Every sentence the Java rules show, as functions the tests call too.
export const javaMessages = {
  jdkInFinalImage: (image: string, jre: string): string =>
    `The final image is ${image}, a JDK${/maven|gradle/.test(image) ? ' with its build tool' : ''}: the compiler, jlink, jshell and the build's sources and caches ship with the program, which only needs a Java runtime. ` +
    `Build in a named stage and run on ${jre}.`,
  jreSafeBecause: (sources: number): string =>
    `Safe: the container starts \`java\`, and none of the ${sources} Java source file${sources === 1 ? '' : 's'} read uses the compiler API, JShell, the debugger interface or a JDK command, so a JRE runs it; the working folder is copied whole, so every file it read is still there.`,
  leftBehind: (folder: string, workdir: string): string =>
    `Left in the build stage: what COPY put in ${folder} outside ${workdir}. No Java source, resource, start word or ENV names ${folder}, a parent folder (..) or getParent, so the program started in ${workdir} does not read it.`,
  jlinkSafeBecause: (image: string, os: string): string =>
    `Safe: the tag of ${image} names no Java release, so the runtime is made by jlink from its own JDK, the same release and vendor by construction, with every module but the JDK's tools, which the build proves the program does not use. ` +
    `The build fails unless java on ${os} sees what it saw on ${image}: encodings, locale, user, time zone, version and every native library linkable.`,
  jlinkOption: (): string =>
    'Smaller still: a runtime made with jlink holds only the modules the program uses (jdeps finds them). Offered for review: jdeps cannot see modules loaded by reflection or ServiceLoader.',
  classVersionNewer: (release: number, where: string, runtime: string, runtimeRelease: number, failure: string): string =>
    `The classes are compiled for Java ${release} (${where}) but ${runtime} runs Java ${runtimeRelease}: the container fails at start with ${failure}. Run on Java ${release} or later, or compile with --release ${runtimeRelease}.`,
  builderOlderThanRelease: (builder: string, builderRelease: number, release: number, where: string): string =>
    `${builder} has JDK ${builderRelease}, older than the release the build asks for (Java ${release}, ${where}): javac fails with "error: release version ${release} not supported". Build with JDK ${release} or later.`,
  deprecatedImage: (image: string, replacement: string): string =>
    `${image} comes from a deprecated repository that no longer gets updates or security fixes. Use ${replacement}, or another maintained OpenJDK build.`,
};
