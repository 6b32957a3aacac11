// The C/C++ rules, in the order Minimize tries their fixes (structure first, then polish). Each
// rule sets `language: 'c'`, so it runs only on files that build C or C++.
import type { Rule } from '../../../findings';
import { cCompilerInFinalImage } from './c-compiler-in-final-image';
import { cAlpineMissingBuildBase } from './c-alpine-missing-build-base';
import { cLibcMismatch } from './c-libc-mismatch';
import { cStaticBinaryOnHeavyRuntime } from './c-static-binary-on-heavy-runtime';

export const C_RULES: readonly Rule[] = [cCompilerInFinalImage, cAlpineMissingBuildBase, cLibcMismatch, cStaticBinaryOnHeavyRuntime];
