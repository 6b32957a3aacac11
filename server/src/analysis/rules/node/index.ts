// The Node rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'node'`, so it runs only on files that build Node.
import type { Rule } from '../../findings';

export const NODE_RULES: readonly Rule[] = [];
