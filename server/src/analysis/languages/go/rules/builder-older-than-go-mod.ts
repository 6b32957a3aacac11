// The golang builder is older than go.mod's go directive (or toolchain line).
import type { Rule } from '../../../findings';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { goMessages } from '../messages';
import { compareGoVersions, goVersionParts } from '../gomod';
import { baseFactsOf } from '../../../runtime';
import type { DockerfileModel, Stage } from '../../../model';
import { goBuildsIn, hiddenBuildsIn } from '../goBuilds';
import { golangVariant, golangVersion, isGolangImage } from '../image';
import { goFacts } from '../source/facts';

/** Replaces `current` at `range`; nothing when the text there is not `current` (a name continued onto the next line). */
function versionEdit(model: DockerfileModel, range: Range, current: string, wanted: string): TextEdit[] | undefined {
  return model.document.getText(range) === current ? [{ range, newText: wanted }] : undefined;
}

/** Edits that set the Go version of a golang FROM: in the tag, or in the global ARG that feeds it. */
function setGoVersion(model: DockerfileModel, stage: Stage, current: string, wanted: string): TextEdit[] | undefined {
  const written = stage.base.written;
  const tagStart = written.lastIndexOf(':');
  const tag = written.slice(tagStart + 1);
  const range = stage.base.range;
  if (tag.startsWith(current)) {
    const start = { line: range.start.line, character: range.start.character + tagStart + 1 };
    return versionEdit(model, { start, end: { line: start.line, character: start.character + current.length } }, current, wanted);
  }
  const variable = /^\$\{?(\w+)/.exec(tag)?.[1];
  if (!variable) return undefined;
  for (const arg of model.ast.getInitialARGs()) {
    const property = arg.getProperty();
    if (property?.getName() !== variable) continue;
    const valueRange = property.getValueRange();
    const value = property.getValue();
    if (!valueRange || value === null || !value.startsWith(current)) return undefined;
    return versionEdit(model, { start: valueRange.start, end: { line: valueRange.start.line, character: valueRange.start.character + current.length } }, current, wanted);
  }
  return undefined;
}

/**
 * What an older go does with a newer go.mod (Go 1.21+ toolchain switching, go.dev/doc/toolchain):
 * with GOTOOLCHAIN=local, which the golang images set, it stops; with auto (Go's own default, or
 * set in the Dockerfile) it downloads the wanted toolchain during the build. Go 1.20 and older
 * have no switching and try to build.
 */
export type ToolchainSwitch = 'stops' | 'downloads' | 'no-switching';

export function toolchainSwitch(model: DockerfileModel, stage: Stage, have: [number, number, number]): ToolchainSwitch {
  if (have[0] === 1 && have[1] < 21) return 'no-switching';
  const setting = goBuildsIn(model, stage).map((b) => b.env.get('GOTOOLCHAIN')).find((v) => v !== undefined) ?? stage.env.get('GOTOOLCHAIN') ?? 'local';
  return /(^|\+)auto$/.test(setting) || /^go\d/.test(setting) ? 'downloads' : 'stops';
}

export const builderOlderThanGoMod: Rule = {
  id: 'builder-older-than-go-mod',
  defaultSeverity: 'error',
  summary: "The golang builder image is older than go.mod's go directive.",
  check({ model, project }) {
    const goMod = goFacts(project).goMod;
    // Only the go line is a minimum. The toolchain line is a preference, and the golang images set
    // GOTOOLCHAIN=local, so an older builder builds such a module with its own toolchain; only a
    // stage that sets GOTOOLCHAIN=auto downloads it (reported below).
    const needed = goMod?.go;
    const neededParts = goVersionParts(needed);
    if (!needed || !neededParts) return [];
    const out = [];
    for (const stage of model.stages) {
      if (stage.base.stage !== undefined || (goBuildsIn(model, stage).length === 0 && hiddenBuildsIn(model, stage).length === 0)) continue;
      const facts = baseFactsOf(model, stage);
      const goVersion = golangVersion(facts);
      const have = goVersionParts(goVersion);
      if (!isGolangImage(facts) || !have || !goVersion) continue;
      // A tag "1.22" is the newest 1.22.x: compare patch levels only when the tag names one.
      const haveFull: [number, number, number] = goVersion.split('.').length >= 3 ? have : [have[0], have[1], Number.MAX_SAFE_INTEGER];
      if (compareGoVersions(haveFull, neededParts) >= 0) {
        // The toolchain line is only a preference, but under GOTOOLCHAIN=auto go fetches it.
        const preferred = goVersionParts(goMod?.toolchain);
        if (!goMod?.toolchain || !preferred || compareGoVersions(haveFull, preferred) >= 0 || toolchainSwitch(model, stage, have) !== 'downloads') continue;
        const wanted = goMod.toolchain.replace(/^go/, '');
        const edits = setGoVersion(model, stage, goVersion, `${preferred[0]}.${preferred[1]}`);
        out.push({
          message: goMessages.builderOlderThanToolchain(stage.base.resolved ?? stage.base.written, wanted),
          range: stage.base.range,
          related: [],
          fixes: edits ? [{ title: `Build with Go ${preferred[0]}.${preferred[1]}`, edits, isPreferred: true, safe: !/alpine\d|buster|stretch|bullseye/.test(golangVariant(facts) ?? '') }] : [],
        });
        continue;
      }
      // golang:1.22 is the newest 1.22.x, so the fix names the minor release, not a pinned patch.
      const edits = setGoVersion(model, stage, goVersion, `${neededParts[0]}.${neededParts[1]}`);
      out.push({
        message: goMessages.builderOlderThanGoMod(stage.base.resolved ?? stage.base.written, needed, goVersion, toolchainSwitch(model, stage, have)),
        range: stage.base.range,
        related: goMod?.goRange ? [{ message: `go.mod: go ${goMod.go}`, file: goFacts(project).goModPath ?? 'go.mod', line: goMod.goRange.start.line }] : [],
        // A variant pinned to an OS release (-alpine3.18, -bullseye) may not exist for the newer Go.
        fixes: edits ? [{ title: `Build with Go ${neededParts[0]}.${neededParts[1]}`, edits, isPreferred: true, safe: !/alpine\d|buster|stretch|bullseye/.test(golangVariant(facts) ?? '') }] : [],
      });
    }
    return out;
  },
};
