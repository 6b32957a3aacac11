// What the Rust and C rules for "the toolchain image is the final image" share: the final stage on
// the language's toolchain image, the conversion once they know the program's builds and how they
// link (the runtime, the context entries kept, the link proof, the packages), and the finding it
// becomes (a fix, or the reason there is none). Each language hands in only its own specifics.
import type { Range } from 'vscode-languageserver-types';
import type { Finding } from '../findings';
import type { BaseFacts } from '../baseFacts';
import type { DockerfileModel, Stage } from '../model';
import type { ProjectFacts } from '../project';
import type { LanguageId } from '../languages/id';
import type { PackageIndexes } from '../packages/indexes';
import { alpineIndexFor } from '../packages/indexes';
import { decideCompiledPackages } from '../packages/compiledPackages';
import { baseFactsOf } from '../runtime';
import { toCompiledMultiStage, type CompiledConversion } from '../fixes/compiledMultiStage';
import { keptContextEntries, type SourceKinds } from '../languages/keptContext';
import { linkProof, smallestRuntime, type CompiledBuild, type Linkage } from '../languages/compiled';
import { runtimeView, type RuntimeView } from '../languages/compiledSources';

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

/** The final stage when it builds on the language's own toolchain image, with its facts, its image as written and where to say so. */
export interface ToolchainFinalStage {
  readonly stage: Stage;
  readonly facts: BaseFacts;
  readonly image: string;
  readonly at: Range;
}

export function toolchainFinalStage(model: DockerfileModel, language: LanguageId): ToolchainFinalStage | undefined {
  const stage = model.finalStage;
  if (!stage) return undefined;
  const facts = baseFactsOf(model, stage);
  if (facts.kind !== 'toolchain' || facts.language !== language) return undefined;
  return { stage, facts, image: stage.base.resolved ?? stage.base.written, at: stage.base.range };
}

/** What a language decides for its conversion once its builds link one known way. */
export interface CompiledRuleConversion {
  readonly builds: readonly CompiledBuild[];
  readonly linkage: Linkage;
  readonly needsGccRuntime: boolean;
  /** Where a static binary goes: scratch (C) or distroless static (Rust). */
  readonly staticTarget: 'scratch' | 'distroless';
  /** What the build reads and the program does not. */
  readonly sources: SourceKinds;
  /** ENV names only the build reads. */
  readonly buildOnlyEnv: RegExp;
  /** The program may write files or needs root: keep root. */
  readonly rootReasons: readonly string[];
  /** What the program touches that the runtime is not proven to give (undefined view: the context's entries are not known). */
  unproven(view: RuntimeView | undefined): string[];
  /** A start command that runs the program through the toolchain (`cargo run`), as the binary's argv. */
  readonly startThroughToolchain?: (argv: readonly string[]) => string[] | undefined;
}

/** The conversion of a final stage on a compiled language's toolchain image, through the one converter shape. */
export function compiledConversion(model: DockerfileModel, project: ProjectFacts, toolchain: ToolchainFinalStage, packages: PackageIndexes | undefined, input: CompiledRuleConversion): CompiledConversion {
  const { stage, facts } = toolchain;
  const runtime = smallestRuntime(input.linkage, facts, input.needsGccRuntime, input.staticTarget);
  const binaries = input.builds.flatMap((b) => b.binaries);
  const kept = keptContextEntries(stage, project, input.sources);
  const problems = input.unproven(kept && runtimeView(stage, project, kept, binaries, input.linkage, runtime.image));
  const proof = input.linkage === 'glibc' ? linkProof(binaries, runtime.image, model.eol) : undefined;
  return toCompiledMultiStage(model, stage, {
    binaries,
    lastBuildLine: Math.max(...input.builds.map((b) => b.run.range.end.line)),
    runtimeImage: runtime.image,
    runtimeHasNonrootTag: runtime.hasNonrootTag,
    rootReasons: input.rootReasons,
    problems,
    buildOnlyEnv: input.buildOnlyEnv,
    keptFromContext: kept,
    buildProof: proof,
    packages: decideCompiledPackages(stage, { linkage: input.linkage, runtimeImage: runtime.image, linkProof: proof !== undefined, alpine: alpineIndexFor(facts, packages)?.index }),
    startThroughToolchain: input.startThroughToolchain,
  });
}
