// Every user-facing sentence of the analysis, as functions the tests call too.

export const messages = {
  goToolchainInFinalImage: (image: string, buildsHere: boolean): string =>
    `The final image is ${image}, a Go toolchain image of several hundred MB${buildsHere ? ' that also keeps the build cache' : ''}. ` +
    'Build in a named stage and copy only the binary into a small runtime image.',
  runsAsRoot: (): string => 'The container runs as root. Set a non-root USER (65532:65532 works on every base, even scratch).',
};
