// The Rust rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'rust'`, so it runs only on files that build Rust.
import type { Rule } from '../../findings';

export const RUST_RULES: readonly Rule[] = [];
