// C and C++: the gcc images and the compiler calls in RUN steps (C has no manifest every project
// shares; CMakeLists.txt and meson.build mark the common build systems).
import type { DockerfileModel, RunStep } from '../../model';
import type { CompiledBuild, Linkage } from '../compiled';
import { baseFactsOf } from '../../runtime';
import { commandName } from '../../shell';
import { joinPath } from '../../paths';
import { query } from '../../context';


// ---------------------------------------------------------------- compiler calls

const C_COMPILERS = new Set(['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'musl-gcc']);
const CXX_COMPILERS = new Set(['g++', 'c++', 'clang++']);
const CXX_SOURCES = /\.(cc|cpp|cxx|c\+\+|C)$/;
/** Libraries every glibc (and musl) runtime has: libc itself and what glibc 2.34+ merged into it. */
const LIBC_PARTS = new Set(['c', 'm', 'pthread', 'dl', 'rt', 'util', 'resolv']);
/** gcc/clang flags that take a value as the next word. */
const C_VALUE_FLAGS = new Set(['-o', '-I', '-L', '-l', '-D', '-U', '-include', '-x', '-MF', '-MT', '-MQ', '-isystem', '-iquote', '-Xlinker', '-T']);

export interface CBuildExtra {
  /** -l libraries beyond libc's own parts: the runtime needs them too (unless static). */
  readonly libraries: readonly string[];
}

/** Every compiler call that links a program (not `-c`), with where the binary lands and how it links. */
export function cBuilds(model: DockerfileModel): readonly (CompiledBuild & CBuildExtra)[] {
  return model.context.memo(C_BUILDS, [model], () => findCBuilds(model));
}

const C_BUILDS = query<readonly (CompiledBuild & CBuildExtra)[]>('cBuilds');

function findCBuilds(model: DockerfileModel): readonly (CompiledBuild & CBuildExtra)[] {
  const builds: (CompiledBuild & CBuildExtra)[] = [];
  for (const stage of model.stages) {
    const builder = baseFactsOf(model, stage);
    for (const run of stage.runs) {
      let cwd = run.workdir;
      for (const command of run.commands) {
        const name = commandName(command);
        if (name === 'cd' && command.argv[1]) cwd = joinPath(cwd, command.argv[1]);
        if (!C_COMPILERS.has(name)) continue;
        const build = parseCompilerCall(stage.index, run, command.argv, name, cwd, builder.libc);
        if (build) builds.push(build);
      }
    }
  }
  return builds;
}

function parseCompilerCall(stage: number, run: RunStep, argv: readonly string[], compiler: string, cwd: string, builderLibc: string | undefined): (CompiledBuild & CBuildExtra) | undefined {
  let output: string | undefined;
  const libraries: string[] = [];
  const inputs: string[] = [];
  let compileOnly = false;
  let staticLink = false;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '-c' || word === '-S' || word === '-E' || word === '--version' || word === '-v' || word === '-dumpversion') compileOnly = true;
    else if (word === '-static' || word === '-static-pie') staticLink = true;
    else if (word === '-o') output = argv[++i];
    else if (word.startsWith('-o') && word.length > 2) output = word.slice(2);
    else if (word === '-l') libraries.push(argv[++i] ?? '');
    else if (word.startsWith('-l')) libraries.push(word.slice(2));
    else if (C_VALUE_FLAGS.has(word)) i++;
    else if (!word.startsWith('-')) inputs.push(word);
  }
  if (compileOnly || inputs.length === 0) return undefined;
  const path = joinPath(cwd, output ?? 'a.out');
  const cxx = CXX_COMPILERS.has(compiler) || inputs.some((f) => CXX_SOURCES.test(f)) || argv.includes('-fopenmp');
  const libc = compiler === 'musl-gcc' ? 'musl' : builderLibc === 'glibc' || builderLibc === 'musl' ? builderLibc : undefined;
  const linkage: Linkage | undefined = staticLink ? 'static' : libc;
  const linkageWhy = staticLink ? `${compiler} -static` : compiler === 'musl-gcc' ? 'musl-gcc links musl dynamically by default' : libc ? `${compiler} links the builder's ${libc} dynamically by default` : 'the builder\'s libc is not known';
  return {
    language: 'c',
    stage,
    run,
    command: argv.join(' '),
    binaries: path.includes('$') ? [] : [path],
    unknownOutput: path.includes('$') ? 'the output path holds a variable' : undefined,
    linkage,
    linkageWhy,
    needsGccRuntime: cxx,
    staticFlag: staticLink ? '-static' : undefined,
    libraries: libraries.filter((l) => !LIBC_PARTS.has(l)),
  };
}

const mb = (bytes: number): string => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.round(bytes / 1000)} kB`);

export const cMessages = {
  compilerInFinalImage: (image: string): string =>
    `The final image is ${image}, a C/C++ compiler image of several hundred MB that also keeps the sources. Build in a named stage and copy only the binary into a small runtime image.`,
  libcMismatch: (binary: string, links: string, why: string, runtime: string, runtimeLibc: string): string =>
    `${binary} is linked against ${links} (${why}), but ${runtime} ${runtimeLibc === 'none' ? 'has no libc' : `has ${runtimeLibc}`}: the container will not start. ` +
    `On the test engine (Docker 20.10, runc 1.1) it printed \`exec ${binary}: no such file or directory\`; older engines print \`exec user process caused "no such file or directory"\`.`,
  staticOnHeavyRuntime: (image: string): string => `The binary is linked statically (-static) and needs nothing from ${image}: scratch would do.`,
  alpineMissingBuildBase: (image: string, tool: string): string =>
    `${image} has no C compiler: \`${tool}\` fails with "/bin/sh: ${tool}: not found" (measured on the test engine's musl root; Alpine's busybox shell prints the same). Install build-base (gcc, musl-dev, make) first.`,
  sizes: mb,
};
