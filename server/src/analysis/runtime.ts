// Facts about the final image that several rules share: what its base provides, what it needs a
// shell or tools for (which rules out scratch and distroless), and which copies put a path in
// place. Which builds feed it is each language's own (Go's in languages/go/binaries.ts).
import type { Range } from 'vscode-languageserver-types';
import { describeBase, type BaseFacts } from './baseImage';
import type { CommandLine, DockerfileModel, Stage, CopyStep } from './model';
import { baseName, joinPath } from './paths';
import { commandName, splitCommands } from './shell';
import { buildsTheProgram, toolchainRunBy } from './languages/answers';
import { query } from './context';

export interface ShellNeed {
  readonly reason: string;
  readonly range: Range;
}

/** Runtime packages that only stand in for files (certs, zoneinfo) that distroless already has. */
const FILE_ONLY_PACKAGES = new Set(['ca-certificates', 'tzdata']);
const SHELL_TOOLS = /\b(curl|wget|sh|bash|nc|grep|cat|test|\[)\b/;

/**
 * Each stage's base facts, by stage index, for one model. Most rules ask about most stages, and a
 * description is made anew on every ask (a golang image's runs four regular expressions, searches
 * the tag mappings and copies twenty fields): growth2's profile put 9% of the corpus's time per
 * version in making the same golang facts again.
 */
const BASE_FACTS = query<Array<BaseFacts | undefined>>('baseFacts');

/** Facts about a stage's base image; a stage built FROM another stage reports that stage's base. */
export function baseFactsOf(model: DockerfileModel, stage: Stage): BaseFacts {
  // A stage of another model (none is passed today) is described without the memo.
  if (model.stages[stage.index] !== stage) return describeStageBase(model, stage);
  const known = model.context.memo(BASE_FACTS, [model], () => new Array<BaseFacts | undefined>(model.stages.length));
  return (known[stage.index] ??= describeStageBase(model, stage));
}

function describeStageBase(model: DockerfileModel, stage: Stage): BaseFacts {
  let current: Stage | undefined = stage;
  const seen = new Set<number>();
  while (current && current.base.stage !== undefined && !seen.has(current.index)) {
    seen.add(current.index);
    current = model.stages[current.base.stage];
  }
  return current ? describeBase(current.base.reference, current.base.isScratch) : describeBase(undefined);
}

/** Reasons the final stage needs a shell or tools; empty when a shell-less image would do. */
export function shellNeeds(model: DockerfileModel): ShellNeed[] {
  const final = model.finalStage;
  if (!final) return [];
  const needs: ShellNeed[] = [];
  const hc = final.healthcheck;
  if (hc && !hc.none && hc.command) {
    if (hc.command.form === 'shell') needs.push({ reason: 'the HEALTHCHECK runs through a shell', range: hc.range });
    else if (SHELL_TOOLS.test(hc.command.args[0] ?? '')) needs.push({ reason: `the HEALTHCHECK calls ${baseName(hc.command.args[0] ?? '')}`, range: hc.range });
  }
  for (const line of [final.entrypoint, final.cmd]) {
    if (!line) continue;
    if (line.form === 'shell' && !isSimpleCommand(line.args[0] ?? '')) {
      needs.push({ reason: 'the start command uses shell syntax', range: line.range });
    }
    const first = line.form === 'exec' ? line.args[0] ?? '' : (line.args[0] ?? '').split(/\s+/)[0] ?? '';
    if (/\.(sh|bash)$/.test(first) || ['sh', 'bash', '/bin/sh', '/bin/bash'].includes(first)) {
      needs.push({ reason: `the start command runs a shell script (${first})`, range: line.range });
    }
    const toolchain = toolchainRunBy(first);
    if (toolchain) needs.push({ reason: `the start command runs the ${toolchain} toolchain`, range: line.range });
  }
  for (const run of final.runs) {
    // A build in the final stage is the program being made, not a step that needs a shell at run time.
    if (buildsTheProgram(model, final, run)) continue;
    const installs = final.packageInstalls.filter((p) => p.run === run);
    const onlyFiles = installs.length > 0 && installs.every((p) => p.packages.every((pkg) => FILE_ONLY_PACKAGES.has(pkg)));
    const onlyPackageCommands = run.commands.every((c) => ['apt-get', 'apt', 'apk', 'rm', 'update-ca-certificates'].includes(commandName(c)));
    if (onlyFiles && onlyPackageCommands) continue;
    if (installs.length > 0) {
      needs.push({ reason: `the image installs run-time packages (${installs.flatMap((p) => p.packages).join(', ')})`, range: run.range });
    } else {
      needs.push({ reason: 'a RUN step needs a shell in the final image', range: run.range });
    }
  }
  return needs;
}

/** A shell-form command without shell features, that can be written in exec form as is. */
export function isSimpleCommand(text: string): boolean {
  return text.trim() !== '' && !/[$`|&;<>(){}*?~"'\\]/.test(text);
}

/** Copies into the final stage that put `target` (or part of it) in place. */
export function finalCopiesTo(model: DockerfileModel, target: string): CopyStep[] {
  const final = model.finalStage;
  if (!final) return [];
  return final.copies.filter((c) => {
    const dest = joinPath(c.workdir, c.destination).replace(/\/$/, '') || '/';
    if (dest === target || dest.startsWith(`${target}/`)) return true;
    if (!target.startsWith(`${dest === '/' ? '' : dest}/`)) return false;
    const rest = target.slice(dest === '/' ? 1 : dest.length + 1);
    // Into a parent folder: the source must be the file itself or a folder holding it.
    return c.sources.some((s) => {
      const src = s.replace(/\/$/, '');
      return baseName(src) === rest || `${src}/${rest}` === target || src.endsWith(`/${rest}`);
    });
  });
}

/** Programs the start command and the HEALTHCHECK run, with the instruction that runs each. */
export function startCommandPrograms(stage: Stage): Map<string, string> {
  const out = new Map<string, string>();
  const add = (line: CommandLine | undefined, where: string): void => {
    if (!line) return;
    const argv = line.form === 'exec' ? line.args : [];
    const scripts = line.form === 'shell' ? [line.args[0] ?? ''] : [];
    if (argv[0] !== undefined) {
      const first = baseName(argv[0]);
      if (!out.has(first)) out.set(first, where);
      // ["sh", "-c", "curl -f … || exit 1"]: the script's commands run too.
      if (['sh', 'bash', 'ash', 'dash'].includes(first) && argv[1] === '-c' && argv[2] !== undefined) scripts.push(argv[2]);
    }
    for (const script of scripts) {
      for (const command of splitCommands(script)) {
        const name = commandName(command);
        if (name !== '' && !out.has(name)) out.set(name, where);
      }
    }
  };
  add(stage.entrypoint, 'the ENTRYPOINT');
  add(stage.cmd, 'the CMD');
  if (stage.healthcheck && !stage.healthcheck.none) add(stage.healthcheck.command, 'the HEALTHCHECK');
  return out;
}
