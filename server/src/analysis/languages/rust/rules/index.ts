// The Rust rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'rust'`, so it runs only on files that build Rust.
import type { Rule } from '../../../findings';
import { rustToolchainInFinalImage } from './rust-toolchain-in-final-image';
import { rustLibcMismatch } from './rust-libc-mismatch';
import { rustBuilderOlderThanRustVersion } from './rust-builder-older-than-rust-version';
import { rustHeavyRuntimeBase } from './rust-heavy-runtime-base';
import { rustReleaseProfile } from './rust-release-profile';

export const RUST_RULES: readonly Rule[] = [rustToolchainInFinalImage, rustLibcMismatch, rustBuilderOlderThanRustVersion, rustHeavyRuntimeBase, rustReleaseProfile];
