// Every sentence the Node rules show, as functions the tests call too.
const list = (items: readonly string[]): string => items.join(', ');

export const nodeMessages = {
  fullImage: (image: string, slim: string): string =>
    `The final image is ${image}, the full Node image: compilers, headers, git and hundreds of Debian packages the program does not use. ${slim} has the same Node on the same Debian without them.`,
  slimSafeBecause: (): string =>
    'Safe: no dependency builds a native addon (package.json and the lock file were read), and no step in the stage uses a tool the slim image lacks.',
  buildStage: (install: readonly string[], slim: string): string =>
    `Only the install needs the full image (${list(install)}): the stage as written becomes a build stage, and ${slim} gets its working folder, node_modules included. The build stage runs ldd over every .node addon and fails the build, naming the Debian package, if one links a library ${slim} lacks.`,
  alpineCaveat: (native: readonly string[]): string =>
    native.length > 0
      ? `Alpine is smaller still, but it uses musl: ${list(native)} build${native.length === 1 ? 's' : ''} a native addon, which needs python3, make and g++ there (or a musl build of the addon).`
      : 'Alpine is smaller still, but it uses musl instead of glibc; check anything the program runs besides Node.',
  devDependencies: (command: string, dev: readonly string[]): string =>
    `\`${command}\` in the final image installs the dev dependencies too (${list(dev.slice(0, 5))}${dev.length > 5 ? `, and ${dev.length - 5} more` : ''}), which the running program does not load. Install with \`npm ci --omit=dev\`.`,
  devDependenciesUsedLater: (what: string): string => `${what} runs after the install and may need a dev dependency`,
  frontendBuild: (tool: string, output: string): string =>
    `The final image builds the front end (${tool}) and keeps its toolchain: the dev dependencies, the sources and the npm cache. Build in a stage and keep only ${output}/ and the production dependencies in the runtime.`,
  npmCache: (manager: string, clean: string): string =>
    `${manager} in the final image leaves its download cache in the layer. Add \`${clean}\` in the same RUN, or mount a cache.`,
};
