// What the Rust and C rules for "the toolchain image is the final image" share once they know
// the program's binaries and runtime: the conversion's options that do not depend on the
// language, and the finding it becomes (a fix, or the reason there is none).
import type { Range } from 'vscode-languageserver-types';
import type { Finding } from '../findings';
import type { CompiledConversion } from '../fixes/compiledMultiStage';

type RuleFinding = Omit<Finding, 'rule' | 'severity'>;

/** The finding with no automatic fix, and why. */
export function withoutFix(message: string, at: Range, reason: string): RuleFinding[] {
  return [{ message, range: at, related: [{ message: `No automatic fix: ${reason}.`, range: at }], fixes: [] }];
}

/** The conversion as a finding: a fix (to review when not proven safe) with its notes, or the reason for none. */
export function conversionFinding(message: string, at: Range, conversion: CompiledConversion): RuleFinding[] {
  if (!conversion.ok) return withoutFix(message, at, conversion.reason);
  return [
    {
      message,
      range: at,
      related: [...conversion.problems.map((p) => ({ message: `Not converted automatically: ${p}.`, range: at })), ...conversion.notes.map((n) => ({ message: n, range: at }))],
      fixes: [{ title: conversion.safe ? 'Convert to multi-stage build' : 'Convert to multi-stage build (review the notes: not proven safe)', edits: conversion.edits, isPreferred: true, safe: conversion.safe }],
    },
  ];
}
