// What the small runtime of a converted Rust or C/C++ stage must still give the program, package by
// package, from the package classes (classes.ts): build-only tools and headers stay behind; a
// shared library stays behind only when the binary is static, or when the build stage's link check
// (languages/compiled.ts linkProof) proves at build time that the runtime has every library the
// binary links; files every distroless image has stay behind; anything else (a program, a package
// no class covers) refuses the conversion, as before. Pure: the stage and its facts in, decisions out.
import type { Stage } from '../model';
import type { AlpineIndex } from './alpineIndex';
import { classifyPackage } from './classes';

export interface CompiledPackageDecisions {
  /** Why the small runtime cannot give the program what it had: the conversion is refused. */
  readonly refusals: readonly string[];
  /** Why leaving a package behind is not proven harmless: the conversion is offered to review. */
  readonly problems: readonly string[];
  /** What is left in the build stage and why. */
  readonly notes: readonly string[];
}

export interface CompiledRuntimeFacts {
  /** How the built binaries link. */
  readonly linkage: 'static' | 'glibc' | 'musl';
  readonly runtimeImage: string;
  /** The build stage ends with the link check, which fails the build when the runtime lacks a library the binaries link. */
  readonly linkProof: boolean;
  /** The Alpine branch's index, when at hand: its cmd:/so: provides classify packages the names do not. */
  readonly alpine?: AlpineIndex;
}

/** Headers of the C library itself: every build of a C, C++ or Rust program on the image uses them, and every runtime has its libc. */
const LIBC_STEMS = new Set(['libc', 'libc6', 'musl']);

export function decideCompiledPackages(stage: Stage, runtime: CompiledRuntimeFacts): CompiledPackageDecisions {
  const names = [...new Set(stage.packageInstalls.flatMap((p) => p.packages))];
  const distroless = runtime.runtimeImage.startsWith('gcr.io/distroless/');
  const alpine = runtime.runtimeImage.startsWith('alpine');
  const unknown: string[] = [];
  const refusals: string[] = [];
  const problems: string[] = [];
  const buildOnly: string[] = [];
  const libraries: string[] = [];
  for (const written of names) {
    const known = classifyPackage(written, runtime.alpine);
    if (!known) {
      unknown.push(written);
      continue;
    }
    // A library, or headers of one other than libc's: does the binary link it, and does the runtime have it?
    const library = known.class === 'library' || (known.class === 'build' && known.library !== undefined && !LIBC_STEMS.has(known.library));
    if (known.class === 'program') unknown.push(written);
    else if (known.class === 'files') {
      // ca-certificates: the CA bundle every runtime the conversions pick carries, or that the
      // scratch rules copy in (both conversions always accepted it). Other files only on distroless.
      if (!(known.name === 'ca-certificates' || distroless || (alpine && known.name === 'musl'))) refusals.push(`the image installs ${known.name}, whose files ${runtime.runtimeImage} lacks`);
    } else if (!library) buildOnly.push(known.name);
    else if (runtime.linkage === 'static') libraries.push(known.name);
    else if (runtime.linkProof) libraries.push(known.name);
    else problems.push(`whether the binary links the library of ${known.name} is not known, and nothing checks that ${runtime.runtimeImage} has it`);
  }
  if (unknown.length > 0) refusals.unshift(`the image installs packages the program may use at run time (${unknown.join(', ')}), which the small runtime lacks`);
  const notes: string[] = [];
  if (buildOnly.length > 0) notes.push(`Not in the runtime: ${buildOnly.join(', ')}, used only to build.`);
  if (libraries.length > 0) {
    notes.push(
      runtime.linkage === 'static'
        ? `Not in the runtime: ${libraries.join(', ')}: the binary is static and links no shared library.`
        : `Not in the runtime: ${libraries.join(', ')}: the build stage's link check fails the build if the binary links a library ${runtime.runtimeImage} does not have.`,
    );
  }
  return { refusals, problems, notes };
}
