// The final image is the gcc image that compiles there: compiler, headers, make and the sources
// ship with a binary of a few kB.
import type { Rule } from '../../../findings';
import type { SourceKinds } from '../../keptContext';
import { cBuilds, cMessages } from '../c';
import { unprovenCNeeds } from './shared';
import { compiledConversion, conversionFinding, toolchainFinalStage, withoutFix } from '../../../rules/compiledToolchain';
import { fileRootReasons } from '../../compiledSources';

/** What a C/C++ build reads and the program does not: make, CMake, Meson, autotools and package-manager files. */
const C_SOURCES: SourceKinds = {
  language: 'C/C++',
  sourceExtensions: ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx', '.inl', '.ipp', '.o', '.a'],
  buildInputs: /^(makefile|gnumakefile|.*\.mk|cmakelists\.txt|.*\.cmake|cmakepresets\.json|meson\.build|meson_options\.txt|configure(\.ac|\.in)?|makefile\.(am|in)|conanfile\.(txt|py)|vcpkg\.json|compile_commands\.json|\.clang-(format|tidy))$/i,
};
const C_BUILD_ENV = /^(CC|CXX|CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS|MAKEFLAGS|PATH|HOME|PKG_CONFIG\w*)$/;

export const cCompilerInFinalImage: Rule = {
  id: 'c-compiler-in-final-image',
  language: 'c',
  defaultSeverity: 'warning',
  summary: 'The final stage compiles on the gcc image; build in one stage and run the binary in a small one.',
  check({ model, project, packages }) {
    const toolchain = toolchainFinalStage(model, 'c');
    if (!toolchain) return [];
    const { stage: final, image, at } = toolchain;
    const builds = cBuilds(model).filter((b) => b.stage === final.index);
    const message = cMessages.compilerInFinalImage(image);
    const none = (reason: string) => withoutFix(message, at, reason);
    const hidden = final.runs.find((r) => r.commands.some((c) => ['make', 'cmake', 'meson', 'ninja'].includes((c.argv[0] ?? '').replace(/.*\//, ''))));
    if (builds.length === 0) return hidden ? none('the build runs through make or cmake, so Slimfile cannot see where the binary goes; convert by hand') : [];
    // The program is the last linked binary of the stage; earlier calls may build helpers or tests.
    const linkages = new Set(builds.map((b) => b.linkage));
    const linkage = builds[0]?.linkage;
    if (linkages.size !== 1 || linkage === undefined) return none('how the binaries link is not known or differs between them');
    const libraries = [...new Set(builds.flatMap((b) => b.libraries))];
    if (libraries.length > 0 && linkage !== 'static') return none(`the program links ${libraries.map((l) => `lib${l}`).join(', ')}, which the small runtime lacks`);
    const conversion = compiledConversion(model, project, toolchain, packages, {
      builds,
      linkage,
      needsGccRuntime: builds.some((b) => b.needsGccRuntime),
      staticTarget: 'scratch',
      sources: C_SOURCES,
      buildOnlyEnv: C_BUILD_ENV,
      rootReasons: fileRootReasons(project, 'c', model.context),
      unproven: (view) => unprovenCNeeds(project, model.context, view),
    });
    return conversionFinding(message, at, conversion);
  },
};
