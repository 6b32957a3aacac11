// The Java rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'java'`, so it runs only on files that build Java.
import type { Rule } from '../../findings';

export const JAVA_RULES: readonly Rule[] = [];
