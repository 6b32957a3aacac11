// The Python rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'python'`, so it runs only on files that build Python.
import type { Rule } from '../../findings';

export const PYTHON_RULES: readonly Rule[] = [];
