// Every sentence the Python rules show, as functions the tests call too.
const list = (items: readonly string[]): string => items.join(', ');

/**
 * Sizes from the write-up behind issue 14 (its "size figures" table) (its "size figures" table); not measured by Slimfile.
 * numpy/pandas on python:slim 407 MB, on python:alpine 523 MB and built from source.
 */
export const WRITE_UP_FIGURES = { slim: '407 MB', alpine: '523 MB' } as const;

export const pythonMessages = {
  fullImage: (image: string, slim: string): string =>
    `The final image is ${image}, the full Python image: compilers, headers and hundreds of Debian packages the program does not use. ${slim} has the same Python without them.`,
  slimSafeBecause: (requirements: number): string =>
    requirements === 0
      ? 'Safe: the project installs no third-party packages, and no step in the stage uses a tool the slim image lacks.'
      : `Safe: each of the ${requirements} requirements is pure Python or ships manylinux wheels, so pip needs no compiler, and no step in the stage uses a tool the slim image lacks.`,
  wheelsBecause: (compiled: readonly string[], packages: readonly string[], slim: string): string =>
    `${list(compiled.slice(0, 5))}${compiled.length > 5 ? ` and ${compiled.length - 5} more` : ''} may need a compiler: a stage on the full image builds every requirement into a wheel, and ${slim} installs from those wheels only` +
    (packages.length > 0 ? `, with ${list(packages)} for the libraries they link` : '') +
    '. That stage runs ldd over the installed extensions and fails the build, naming the Debian package, if one links a library the runtime image lacks. The wheels are mounted into the install step (BuildKit), so they are not kept in the image.',
  startsProgram: (name: string, program: string): string => `${name} starts ${program} at run time, which no wheel carries and no build step can check on the slim image`,
  pipCache: (): string =>
    "pip install keeps every downloaded wheel in ~/.cache/pip, which the container never reads. Add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1).",
  alpineWheels: (image: string, packages: readonly string[], slim: string): string =>
    `${image} uses musl, and ${list(packages)} publish${packages.length === 1 ? 'es' : ''} compiled wheels for glibc (manylinux): on Alpine pip often finds no wheel and builds from source, which needs a compiler and headers, takes minutes, and gives a bigger image. ` +
    `For numpy and pandas, the write-up Slimfile's language rules are built from gives ${WRITE_UP_FIGURES.alpine} on python:alpine (built from source) against ${WRITE_UP_FIGURES.slim} on python:slim (its figures, not measured by Slimfile). Use ${slim}.`,
  unknownRequirements: (names: readonly string[]): string =>
    `${list(names.slice(0, 5))}${names.length > 5 ? ` and ${names.length - 5} more` : ''} may need a compiler or a system library that the slim image lacks`,
};
