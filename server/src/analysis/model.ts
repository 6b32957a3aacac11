// The Dockerfile model every rule reads: stages, resolved base images, copies, runs, the Go build.
// Built once per document version from dockerfile-ast's parse; pure (text in, data out).
import {
  type Dockerfile,
  type Instruction,
  type From,
  type Copy,
  type Run,
  type Healthcheck,
  type Flag,
} from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseImageReference, type ImageReference } from './imageRef';
import { describeLanguageImage } from './languages/images';
import { expandVariables, type Scope } from './variables';
import { processWord } from './buildkitWords';
import { commandName } from './shell';
import type { Mount, RunStep } from './runStep';
import { joinPath } from './paths';
import { argumentTexts, argumentValues, documentOf, envProperties, parseDockerfileAst } from './astParse';
import { AnalysisContext } from './context';

export type { Mount, RunStep } from './runStep';

export interface BaseImage {
  /** The image as written in FROM. */
  readonly written: string;
  readonly range: Range;
  /** After ARG expansion; undefined when a variable has no known value. */
  readonly resolved: string | undefined;
  readonly unresolvedVariables: readonly string[];
  /** The earlier stage this FROM builds on (`FROM build AS test`). */
  readonly stage: number | undefined;
  readonly isScratch: boolean;
  /** Parsed registry reference; undefined for stages, scratch, unresolved or invalid names. */
  readonly reference: ImageReference | undefined;
}

export interface CopyStep {
  readonly keyword: 'COPY' | 'ADD';
  readonly range: Range;
  readonly sources: readonly string[];
  readonly destination: string;
  /** --from as written, and the stage it names (undefined when it names an image). */
  readonly from: string | undefined;
  readonly fromStage: number | undefined;
  readonly chown: string | undefined;
  readonly chmod: string | undefined;
  readonly heredoc: boolean;
  readonly workdir: string;
}

export interface PackageInstall {
  readonly manager: 'apt' | 'apk';
  readonly packages: readonly string[];
  readonly run: RunStep;
  /** apt: --no-install-recommends; apk: --no-cache. */
  readonly lean: boolean;
  /** The same RUN removes what the package manager downloads: apt's /var/lib/apt/lists, apk's /var/cache/apk. */
  readonly cleansLists: boolean;
  /** The RUN mounts a cache over the package cache, so nothing stays in the layer. */
  readonly cacheMounted: boolean;
}

export interface CommandLine {
  readonly form: 'exec' | 'shell';
  readonly args: readonly string[];
  readonly range: Range;
}

export interface HealthcheckStep {
  readonly none: boolean;
  readonly command: CommandLine | undefined;
  readonly range: Range;
}

export interface Located {
  readonly value: string;
  readonly range: Range;
}

export interface Stage {
  readonly index: number;
  readonly name: string | undefined;
  readonly from: From;
  readonly fromRange: Range;
  readonly base: BaseImage;
  readonly platform: string | undefined;
  readonly instructions: readonly Instruction[];
  readonly range: Range;
  /** ENV at the end of the stage, including what the base stage set. */
  readonly env: ReadonlyMap<string, string>;
  readonly args: ReadonlyMap<string, string | undefined>;
  readonly workdir: string;
  readonly user: Located | undefined;
  readonly copies: readonly CopyStep[];
  readonly runs: readonly RunStep[];
  readonly packageInstalls: readonly PackageInstall[];
  readonly entrypoint: CommandLine | undefined;
  readonly cmd: CommandLine | undefined;
  readonly healthcheck: HealthcheckStep | undefined;
  readonly expose: readonly Located[];
  /** Stages this one reads: its base stage and every COPY --from / RUN --mount from=. */
  readonly dependsOn: readonly number[];
}

export interface DockerfileModel {
  readonly text: string;
  readonly eol: '\n' | '\r\n';
  readonly escapeChar: string;
  readonly directives: ReadonlyMap<string, string>;
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly Stage[];
  readonly finalStage: Stage | undefined;
  /** Stages that the final stage needs, directly or through others (the final stage included). */
  readonly reachable: ReadonlySet<number>;
  readonly ast: Dockerfile;
  /** Offsets and text of ranges; shared by the fixes. */
  readonly document: TextDocument;
  /** Instructions before the first FROM other than ARG (BuildKit rejects them). */
  readonly strayInstructions: readonly Instruction[];
  /**
   * Why the file's end is still open (a heredoc without its closing marker, a line continued onto
   * nothing): any line a fix added at the end would be swallowed by it. Undefined when closed.
   */
  readonly unfinished: string | undefined;
  /** Where facts derived from this model are kept (context.ts): the one parseDockerfile was given or made. */
  readonly context: AnalysisContext;
}

/** Values the model keeps (ENV, WORKDIR, USER, COPY paths) show an unknown `$VAR` as written, never as "". */
const KEEP_UNKNOWN = { keepUnknown: true } as const;

/**
 * The model of a Dockerfile's text. `context`: where the facts derived from this model are kept
 * (see context.ts), a new one when absent; the model carries it as `model.context`.
 */
export function parseDockerfile(text: string, context: AnalysisContext = new AnalysisContext()): DockerfileModel {
  const ast = parseDockerfileAst(text, context.argumentScans);
  const document = documentOf(ast);
  const escapeChar = ast.getEscapeCharacter();
  const directives = new Map<string, string>();
  for (const d of ast.getDirectives()) directives.set(d.getName().toLowerCase(), d.getValue());

  const globalArgs = new Map<string, string | undefined>();
  const strayInstructions: Instruction[] = [];
  const groups: Instruction[][] = [];
  for (const instruction of ast.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      groups.push([instruction]);
    } else if (groups.length > 0) {
      (groups[groups.length - 1] as Instruction[]).push(instruction);
    } else if (keyword === 'ARG') {
      for (const [name, value] of argDefinitions(instruction, globalArgs, escapeChar)) globalArgs.set(name, value);
    } else {
      strayInstructions.push(instruction);
    }
  }

  const stages: Stage[] = [];
  const parse: Parse = { names: new StageNames(stages), context, escapeChar, document };
  for (const group of groups) stages.push(buildStage(stages, group, globalArgs, parse));
  const finalStage = stages[stages.length - 1];
  return {
    text,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    escapeChar,
    directives,
    globalArgs,
    stages,
    finalStage,
    reachable: finalStage ? reachableFrom(stages, finalStage.index) : new Set(),
    ast,
    document,
    context,
    strayInstructions,
    unfinished: unfinishedEnd(ast.getInstructions(), text, escapeChar),
  };
}

function unfinishedEnd(instructions: readonly Instruction[], text: string, escapeChar: string): string | undefined {
  const last = instructions[instructions.length - 1];
  if (!last) return undefined;
  const heredocs = heredocsOf(last, argumentValues(last));
  const open = heredocs.find((h) => h.getDelimiterRange() === null);
  if (open) return `the heredoc <<${open.getName()} has no closing ${open.getName()} line`;
  // An escape at the end of the last non-comment line continues the instruction onto whatever comes next.
  const tail = lastContentLine(text).trimEnd();
  if (tail.endsWith(escapeChar)) return `the last line ends with ${escapeChar}, which continues it onto the next`;
  return undefined;
}

/**
 * The last line that is neither blank nor a comment ("" when there is none), read from the end:
 * splitting the whole text made a string per line (50,000 for 50k lines) to keep one. Lines end
 * at \r\n, \r or \n, as the split of the whole text had them.
 */
function lastContentLine(text: string): string {
  let end = text.length;
  for (let i = text.length - 1; i >= -1; i--) {
    const c = i >= 0 ? text.charCodeAt(i) : -1;
    if (c !== -1 && c !== 10 && c !== 13) continue;
    const line = text.slice(i + 1, end);
    if (line.trim() !== '' && !/^\s*#/.test(line)) return line;
    // \r\n is one line end.
    if (c === 10 && i > 0 && text.charCodeAt(i - 1) === 13) i--;
    end = i;
  }
  return '';
}

function reachableFrom(stages: readonly Stage[], start: number): Set<number> {
  const seen = new Set<number>();
  const todo = [start];
  while (todo.length > 0) {
    const i = todo.pop() as number;
    if (seen.has(i)) continue;
    seen.add(i);
    for (const d of stages[i]?.dependsOn ?? []) todo.push(d);
  }
  return seen;
}

function argDefinitions(
  instruction: Instruction,
  scope: Scope,
  escapeChar: string,
): Array<[string, string | undefined]> {
  const words = argumentValues(instruction);
  if (words.length > 1 && !(words[0] as string).includes('=')) {
    // dockerfile-ast reads `ARG TARGETOS TARGETARCH` like the legacy `ENV KEY value` (TARGETOS =
    // "TARGETARCH"); ARG has no such form: every word declares a name.
    return words.map((word) => {
      const eq = word.indexOf('=');
      return eq < 0 ? argDefinition(word, null, scope, escapeChar) : argDefinition(word.slice(0, eq), word.slice(eq + 1), scope, escapeChar);
    });
  }
  // `ARG A=1 B` declares several; dockerfile-ast exposes them as properties. It makes the one of
  // `ARG A=1` with the instruction (getProperty); getProperties would make a second, which the
  // instruction then keeps as long as the model (a Property is thirteen objects with its ranges).
  const arg = instruction as unknown as { getProperty?(): ArgProperty | null; getProperties?(): ArgProperty[] };
  const one = arg.getProperty?.();
  const properties = one ? [one] : (arg.getProperties?.() ?? []);
  return properties.map((p) => argDefinition(p.getName(), p.getValue(), scope, escapeChar));
}

/**
 * One ARG declaration's name and value (undefined without a default, or when it names a variable
 * with no known value). A function of its own, not a closure made per ARG: the bench runs the
 * analysis through tsx, which names every closure as it is made.
 */
function argDefinition(name: string, raw: string | null, scope: Scope, escapeChar: string): [string, string | undefined] {
  if (raw === null) return [name, undefined];
  const expanded = expandVariables(unquote(raw), scope, escapeChar);
  return [name, expanded.unresolved.length > 0 ? undefined : expanded.value];
}

interface ArgProperty {
  getName(): string;
  getValue(): string | null;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

/**
 * Stage names (lower case) to the last stage so named, for one parse: the stages only grow while
 * a file is parsed, so the index catches up with new stages instead of searching every earlier
 * stage on every FROM, COPY --from and mount (quadratic in the number of stages).
 */
class StageNames {
  private indexed = 0;
  private readonly byName = new Map<string, number>();

  constructor(private readonly stages: readonly Stage[]) {}

  find(name: string): number | undefined {
    if (/^\d+$/.test(name)) {
      const i = Number(name);
      return i < this.stages.length ? i : undefined;
    }
    for (; this.indexed < this.stages.length; this.indexed++) {
      const stageName = this.stages[this.indexed]?.name?.toLowerCase();
      if (stageName !== undefined) this.byName.set(stageName, this.indexed);
    }
    return this.byName.get(name.toLowerCase());
  }
}

/** What every stage of one parse shares. */
interface Parse {
  readonly names: StageNames;
  readonly context: AnalysisContext;
  readonly escapeChar: string;
  readonly document: TextDocument;
}

/** A flag's value as BuildKit's lexer reads it (`--chown="$U":"$G"`), unknown variables kept as written. */
function flagWord(flags: readonly Flag[], name: string, scope: Scope, escapeChar: string): string | undefined {
  const value = flags.find((f) => f.getName().toLowerCase() === name)?.getValue() ?? undefined;
  return value === undefined ? undefined : processWord(value, scope, escapeChar, KEEP_UNKNOWN).value;
}

function flagsOf(instruction: Instruction): Flag[] {
  const withFlags = instruction as unknown as { getFlags?: () => Flag[] };
  return withFlags.getFlags?.() ?? [];
}

function buildStage(earlier: readonly Stage[], group: readonly Instruction[], globalArgs: ReadonlyMap<string, string | undefined>, parse: Parse): Stage {
  const { escapeChar } = parse;
  const from = group[0] as From;
  const index = earlier.length;
  const nameText = from.getBuildStage() ?? undefined;
  const base = resolveBase(parse.names, from, globalArgs, escapeChar);
  const baseStage = base.stage !== undefined ? earlier[base.stage] : undefined;
  const platformRaw = from.getPlatformFlag()?.getValue() ?? undefined;

  const env = new Map<string, string>(baseStage?.env ?? []);
  const args = new Map<string, string | undefined>();
  let workdir = baseStage?.workdir ?? imageWorkdir(base);
  let user: Located | undefined = baseStage?.user;
  const copies: CopyStep[] = [];
  const runs: RunStep[] = [];
  const packageInstalls: PackageInstall[] = [];
  const expose: Located[] = [];
  // Folders the stage is known to have from WORKDIR and COPY, so `cp app /dist` can tell a folder
  // from a new file name; each RUN keeps the set as it starts (shared until the next change).
  const folders = new Set<string>([workdir]);
  let foldersAtRun: ReadonlySet<string> | undefined;
  const dependsOn = new Set<number>();
  if (base.stage !== undefined) dependsOn.add(base.stage);
  let entrypoint = baseStage?.entrypoint;
  let cmd = baseStage?.cmd;
  let healthcheck = baseStage?.healthcheck;

  // What a RUN sees: global ARGs redeclared in this stage, stage ARGs, ENV. Made again only after
  // an ARG or ENV changes it (each instruction made its own copy: 50k lines made 20,000 maps);
  // instructions in between share one, which nobody changes once made.
  let scope: ReadonlyMap<string, string | undefined> | undefined;
  const runScope = (): ReadonlyMap<string, string | undefined> => {
    if (scope) return scope;
    const made = new Map<string, string | undefined>();
    for (const [k, v] of args) made.set(k, v);
    for (const [k, v] of env) made.set(k, v);
    return (scope = made);
  };

  for (const instruction of group.slice(1)) {
    const keyword = instruction.getKeyword();
    switch (keyword) {
      case 'ARG': {
        const defs = argDefinitions(instruction, runScope(), escapeChar);
        for (const [name, value] of defs) {
          // `ARG GO_VERSION` inside a stage re-imports the global value.
          args.set(name, value ?? globalArgs.get(name));
          scope = undefined;
        }
        break;
      }
      case 'ENV': {
        for (const p of envProperties(instruction)) {
          const expanded = expandVariables(unquote(p.getValue() ?? ''), runScope(), escapeChar, KEEP_UNKNOWN);
          env.set(p.getName(), expanded.value);
          scope = undefined;
        }
        break;
      }
      case 'WORKDIR': {
        // The whole argument is one word to BuildKit's lexer (`WORKDIR /srv/"my app"`, `'/opt/$APP'`).
        const raw = instruction.getArgumentsContent() ?? '';
        const dir = processWord(raw.trim(), runScope(), escapeChar, KEEP_UNKNOWN).value;
        workdir = joinPath(workdir, dir);
        folders.add(workdir);
        foldersAtRun = undefined;
        break;
      }
      case 'USER': {
        const raw = (instruction.getArgumentsContent() ?? '').trim();
        const value = expandVariables(raw, runScope(), escapeChar, KEEP_UNKNOWN).value;
        user = { value, range: instruction.getArgumentsRange() ?? instruction.getRange() };
        break;
      }
      case 'EXPOSE':
        for (const a of instruction.getArguments()) expose.push({ value: a.getValue(), range: a.getRange() });
        break;
      case 'COPY':
      case 'ADD': {
        const copy = copyStep(instruction as Copy, keyword, parse.names, workdir, runScope(), globalArgs, escapeChar);
        if (copy.fromStage !== undefined) dependsOn.add(copy.fromStage);
        // `COPY . /app`, `COPY a b /app/`: the destination is a folder from here on.
        if (copy.destination.endsWith('/') || copy.sources.length > 1 || copy.sources.some((s) => s === '.' || s === './')) {
          folders.add(joinPath(workdir, copy.destination));
          foldersAtRun = undefined;
        }
        copies.push(copy);
        break;
      }
      case 'RUN': {
        const run = runStep(instruction as Run, parse, workdir, runScope(), (foldersAtRun ??= new Set(folders)));
        for (const m of run.mounts) {
          const s = m.from !== undefined ? parse.names.find(m.from) : undefined;
          if (s !== undefined) dependsOn.add(s);
        }
        runs.push(run);
        packageInstalls.push(...findPackageInstalls(run));
        break;
      }
      case 'ENTRYPOINT':
        entrypoint = commandLine(instruction);
        // Docker resets an inherited CMD when ENTRYPOINT is set.
        if (cmd && cmd === baseStage?.cmd) cmd = undefined;
        break;
      case 'CMD':
        cmd = commandLine(instruction);
        break;
      case 'HEALTHCHECK':
        healthcheck = healthcheckStep(instruction as Healthcheck);
        break;
      default:
        break;
    }
  }

  const last = group[group.length - 1] as Instruction;
  return {
    index,
    name: nameText,
    from,
    fromRange: from.getRange(),
    base,
    platform: platformRaw,
    instructions: group,
    range: { start: from.getRange().start, end: last.getRange().end },
    env,
    args,
    workdir,
    user,
    copies,
    runs,
    packageInstalls,
    entrypoint,
    cmd,
    healthcheck,
    expose,
    dependsOn: [...dependsOn],
  };
}


/**
 * The WORKDIR an image sets for the stages built FROM it, from the image facts of its language
 * (golang: /go, gradle: /home/gradle). Other images are taken to start in /, as Docker does when an
 * image sets none.
 */
function imageWorkdir(base: BaseImage): string {
  return base.stage === undefined && base.reference ? (describeLanguageImage(base.reference)?.workdir ?? '/') : '/';
}

function resolveBase(
  names: StageNames,
  from: From,
  globalArgs: Scope,
  escapeChar: string,
): BaseImage {
  const written = from.getImage() ?? '';
  const range = from.getImageRange() ?? from.getRange();
  const expansion = expandVariables(written, globalArgs, escapeChar);
  const resolved = expansion.unresolved.length === 0 && expansion.value !== '' ? expansion.value : undefined;
  const stage = resolved !== undefined ? names.find(resolved) : undefined;
  const isScratch = resolved?.toLowerCase() === 'scratch';
  const reference = resolved !== undefined && stage === undefined && !isScratch ? parseImageReference(resolved) : undefined;
  return {
    written,
    range,
    resolved,
    // Names only: an image that expands to "" (`FROM` alone, `FROM $EMPTY`) is unresolved without any.
    unresolvedVariables: [...new Set(expansion.unresolved)],
    stage,
    isScratch,
    reference,
  };
}

function copyStep(
  instruction: Copy,
  keyword: 'COPY' | 'ADD',
  names: StageNames,
  workdir: string,
  scope: Scope,
  globalArgs: Scope,
  escapeChar: string,
): CopyStep {
  const flags = flagsOf(instruction);
  const values = argumentValues(instruction);
  const heredocs = heredocsOf(instruction, values);
  // BuildKit reads each string of the JSON form, and each whitespace-separated word of the shell
  // form as written, with its shell lexer: variables, quotes and escapes.
  const json = execForm(instruction, values);
  const written = json && json.length >= 2 ? json : argumentTexts(instruction);
  const words = written.map((w) => processWord(w, scope, escapeChar, KEEP_UNKNOWN).value);
  let sources: string[];
  let destination: string;
  if (heredocs.length > 0 && written !== json) {
    // `COPY <<EOT /dest` … the destination is the word after the markers on the first line.
    const firstLine = words.filter((w) => !w.startsWith('<<'));
    sources = heredocs.map((h) => `<<${h.getName()}`);
    destination = firstLine[0] ?? '';
  } else {
    sources = words.slice(0, -1);
    destination = words[words.length - 1] ?? '';
  }
  // Flag values are words of the same lexer; --from sees only the ARGs before the first FROM
  // (moby/buildkit#2374: a stage's own would hide which stage it depends on).
  const from = flagWord(flags, 'from', globalArgs, escapeChar);
  return {
    keyword,
    range: instruction.getRange(),
    sources,
    destination,
    from,
    fromStage: from !== undefined ? names.find(from) : undefined,
    chown: flagWord(flags, 'chown', scope, escapeChar),
    chmod: flagWord(flags, 'chmod', scope, escapeChar),
    heredoc: heredocs.length > 0,
    workdir,
  };
}

function runStep(instruction: Run, parse: Parse, workdir: string, env: RunStep['env'], folders: RunStep['folders']): RunStep {
  const { document, escapeChar } = parse;
  const flags = flagsOf(instruction);
  const mounts: Mount[] = flags
    .filter((f) => f.getName().toLowerCase() === 'mount')
    .map((f) => {
      const options = new Map<string, string>();
      for (const part of (f.getValue() ?? '').split(',')) {
        const eq = part.indexOf('=');
        if (eq > 0) options.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
        else options.set(part.toLowerCase(), 'true');
      }
      return {
        type: options.get('type') ?? 'bind',
        target: options.get('target') ?? options.get('dst') ?? options.get('destination'),
        from: options.get('from'),
      };
    });
  const words = argumentValues(instruction);
  const heredocs = heredocsOf(instruction, words);
  let script: string;
  if (heredocs.length > 0) {
    // The heredoc body is the script; anything after the marker on the first line runs it.
    script = heredocs
      .map((h) => {
        const content = h.getContentRange();
        return content ? document.getText(content) : '';
      })
      .join('\n');
  } else {
    const json = execForm(instruction, words);
    script = json ? json.join(' ') : words.join(' ');
  }
  // One literal, not the step spread into another: each spread copy got a hidden class of its own
  // (1,088 of 1,108 RUNs at 10k lines, a map and its descriptors kept with every one).
  return { range: instruction.getRange(), script, commands: parse.context.splitScript(script, escapeChar), mounts, heredoc: heredocs.length > 0, instruction, workdir, env, folders };
}

/** Options that take the next word as their value (`-o Dpkg::Options::=…`, `--virtual .build-deps`). */
const APT_VALUE_FLAGS = new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file']);
const APK_VALUE_FLAGS = new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file']);

/** The words that are not options or option values: the subcommand, then the packages. */
function operands(words: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith('-')) out.push(word);
    else if (valueFlags.has(word)) i++;
  }
  return out;
}

/** Whether the RUN removes something under `folder` (`rm -rf /var/lib/apt/lists/*`). */
function removesFolder(run: RunStep, folder: string): boolean {
  return run.commands.some((c) => commandName(c) === 'rm' && c.argv.some((a) => a.startsWith(folder)));
}

function findPackageInstalls(run: RunStep): PackageInstall[] {
  const installs: PackageInstall[] = [];
  const cleansLists = removesFolder(run, '/var/lib/apt/lists');
  const mountTargets = run.mounts.filter((m) => m.type === 'cache').map((m) => m.target ?? '');
  for (const c of run.commands) {
    const name = commandName(c);
    // Only package managers' words are read (a copy of every command's words was made before).
    if (name !== 'apt-get' && name !== 'apt' && name !== 'apk') continue;
    const [sub, ...rest] = operands(c.argv.slice(1), name === 'apk' ? APK_VALUE_FLAGS : APT_VALUE_FLAGS);
    if ((name === 'apt-get' || name === 'apt') && sub === 'install') {
      installs.push({
        manager: 'apt',
        packages: rest,
        run,
        lean: c.argv.includes('--no-install-recommends'),
        cleansLists,
        cacheMounted: mountTargets.some((t) => t.startsWith('/var/lib/apt') || t.startsWith('/var/cache/apt')),
      });
    } else if (name === 'apk' && sub === 'add') {
      installs.push({
        manager: 'apk',
        packages: rest,
        run,
        lean: c.argv.includes('--no-cache'),
        cleansLists: removesFolder(run, '/var/cache/apk'),
        cacheMounted: mountTargets.some((t) => t.startsWith('/var/cache/apk') || t.startsWith('/etc/apk/cache')),
      });
    }
  }
  return installs;
}

function commandLine(instruction: Instruction): CommandLine {
  const content = instruction.getArgumentsContent() ?? '';
  const json = jsonArray(content);
  const range = instruction.getArgumentsRange() ?? instruction.getRange();
  if (json) return { form: 'exec', args: json, range };
  return { form: 'shell', args: [content.replace(/\\\r?\n/g, ' ').trim()], range };
}

function healthcheckStep(instruction: Healthcheck): HealthcheckStep {
  const sub = instruction.getSubcommand();
  const none = sub?.getValue().toUpperCase() === 'NONE';
  let command: CommandLine | undefined;
  if (sub && !none) {
    const content = instruction.getArgumentsContent() ?? '';
    const after = content.slice(content.toUpperCase().indexOf('CMD') + 3).trim();
    const json = jsonArray(after);
    command = json
      ? { form: 'exec', args: json, range: instruction.getRange() }
      : { form: 'shell', args: [after], range: instruction.getRange() };
  }
  return { none, command, range: instruction.getRange() };
}

/**
 * The instruction's exec form (`["a", "b"]`), or undefined. `words`: its arguments' values
 * (argumentValues). Its arguments' text starts with its first argument's first character, so
 * without a `[` there the text is not put together (for a RUN continued over many lines that was
 * a second pass over it, and a range per line).
 */
function execForm(instruction: Instruction, words: readonly string[]): string[] | undefined {
  return words[0]?.startsWith('[') ? jsonArray(instruction.getArgumentsContent()) : undefined;
}

/**
 * The instruction's heredocs (`RUN <<EOF`), `words` its arguments' values (argumentValues). The
 * library finds heredocs only among arguments that start with `<<`, so without one it is not
 * asked: asking makes every argument again (a long RUN's hundred). ADD takes heredocs too;
 * dockerfile-ast's Add does not declare getHeredocs, but every instruction has it.
 */
function heredocsOf(instruction: Instruction, words: readonly string[]): ReturnType<Run['getHeredocs']> {
  if (!words.some((w) => w.startsWith('<<'))) return [];
  return (instruction as unknown as { getHeredocs(): ReturnType<Run['getHeredocs']> }).getHeredocs();
}

function jsonArray(content: string | null): string[] | undefined {
  if (!content) return undefined;
  const trimmed = content.replace(/\\\r?\n/g, ' ').trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The stage and the stages it is built FROM (`FROM base`), the one on an image first: the image
 * holds what each of their RUN steps wrote and installed. Stops at a missing or repeated stage.
 */
export function stageChain(model: DockerfileModel, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && !chain.includes(s); s = s.base.stage !== undefined ? model.stages[s.base.stage] : undefined) chain.unshift(s);
  return chain;
}
