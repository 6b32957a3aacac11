// The C/C++ rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'c'`, so it runs only on files that build C/C++.
import type { Rule } from '../../findings';

export const C_RULES: readonly Rule[] = [];
