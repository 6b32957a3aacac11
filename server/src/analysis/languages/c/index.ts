// C and C++ as one of the languages: the gcc images, CMake and Meson projects, compiler calls, and
// their rules (rules/). The compiler calls are read in c.ts.
import type { LanguageSupport } from '../types';
import { COMPILED_GRAMMARS } from '../compiledSources';
import { describeGccImage } from './image';
import { C_RULES } from './rules';
import { catalogEntriesOf } from '../../imageCatalog';
import catalog from './catalog.json';

declare module '../id' {
  interface LanguageIds {
    c: true;
  }
}

export const c: LanguageSupport = {
  id: 'c',
  name: 'C/C++',
  manifests: ['CMakeLists.txt', 'meson.build'],
  // Not make: Go and other projects drive their builds with make too.
  sourceExtensions: ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp'],
  grammars: COMPILED_GRAMMARS,
  buildCommands: ['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'musl-gcc', 'cmake', 'meson'],
  rules: { structure: C_RULES },
  describeImage: describeGccImage,
  catalog: { entries: catalogEntriesOf(catalog) },
};
