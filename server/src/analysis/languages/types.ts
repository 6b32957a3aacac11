// The interface every language plugs into (registry.ts lists them): which images and manifests
// mark it, what its images provide, its rules, and how the estimate sizes what its builds leave.
// Each language's folder, languages/<id>/, exports one from its index.ts. A language may go
// deeper behind it, as Go does (languages/go/: go.mod, the sources in source/, the builds).
import type { BaseFacts } from '../baseFacts';
import type { LanguageId } from './id';
import type { ImageReference } from '../imageRef';
import type { DockerfileModel, RunStep, Stage } from '../model';
import type { LanguageLoadLimits, ProjectFacts } from '../project';
import type { Grammars } from '../grammars';
import type { Route } from '../webRoutes';
import type { HoverKnowledge, Provenance, SizeKnowledge } from '../estimate/sizes';
import type { Finding, Rule, RuntimeChoice, SeveritySetting } from '../findings';
import type { SimpleCommand } from '../shell';
import type { CreationSink } from './answers';
import type { Hover, Position, Range, TextEdit } from 'vscode-languageserver-types';

export type { LanguageId } from './id';

/** One piece of evidence that a Dockerfile builds a language, said to the user as is. */
export interface LanguageEvidence {
  readonly language: LanguageId;
  /** "FROM rust:1.79", "Cargo.toml in the build context", "RUN cargo build". */
  readonly why: string;
}

/** A size the estimate can use, with where it comes from. */
export interface ArtifactSize {
  readonly what: string;
  readonly bytes: number | undefined;
  readonly provenance: Provenance | undefined;
}

export interface LanguageSupport {
  readonly id: LanguageId;
  /** For messages and docs: "Rust", "C/C++". */
  readonly name: string;
  /**
   * Files at the root of the build context that mark a project of this language. The workspace
   * reads their text into ProjectFacts.manifests (bounded); the language's reader parses it.
   */
  readonly manifests: readonly string[];
  /** Files read alongside (lock files) that alone do not mark the language. */
  readonly companionFiles?: readonly string[];
  /**
   * The files a manifest of this language includes (requirements.txt's `-r base.txt`), as context
   * paths: the workspace reads them too, and those they include, a bounded number, into
   * ProjectFacts.manifests.
   */
  manifestIncludes?(file: string, text: string): readonly string[];
  /**
   * Source files the analysis reads (".rs", ".c"), anywhere in the context the engine receives,
   * bounded; their text lands in ProjectFacts.sources.
   */
  readonly sourceExtensions?: readonly string[];
  /**
   * Files the server watches besides the manifests, companion files and sources above, for a
   * language that reads them its own way (Go: go.sum and the .go sources, which its
   * `contextReader` parses rather than the workspace reading them as text).
   */
  readonly watched?: { readonly names?: readonly string[]; readonly extensions?: readonly string[] };
  /**
   * The tree-sitter grammars the language reads its sources with. The workspace loads them once per
   * process, for a context holding the language's sources (its `sourceExtensions`, or a file its
   * `contextReader` read), and never otherwise.
   */
  readonly grammars?: Grammars;
  /**
   * What the language reads of the build context its own way, beside the manifests and sources the
   * workspace reads as text (Go: go.mod wherever it sits, and its sources parsed into what the
   * program needs). The workspace walks the context once for every language; the facts land in
   * the language's record of ProjectFacts.own.
   */
  readonly contextReader?: ContextReader;
  /** The HTTP routes the language's programs register, which Compare with run asks (docker/probePlan.ts). */
  readonly routes?: RouteReader;
  /** Commands in RUN steps that build or install this language's programs (`cargo`, `gcc`). */
  readonly buildCommands: readonly string[];
  /**
   * Evidence of the language beyond its images, manifests and build commands, for a language whose
   * builds the analysis reads more closely (Go: a go.mod anywhere in the context, a `go build` the
   * build parser finds). Each is a reason said to the user ("RUN go build"). Detection lists the
   * context's before the language's manifests, and a stage's before the stage's commands.
   */
  readonly evidence?: {
    readonly inContext?: (project: ProjectFacts) => readonly string[];
    readonly inStage?: (model: DockerfileModel, stage: Stage) => readonly string[];
  };
  /**
   * Whether one of the language's rules converts this final stage off the language's toolchain
   * image and sets a non-root user as it does, so the shared runs-as-root rule leaves the stage to
   * it (Go: a go build on a golang image, go-toolchain-in-final-image's to fix). A language
   * without it has every final stage on its toolchain image (kind `toolchain`) converted by its
   * rules, and runs-as-root leaves them all.
   */
  convertsFinalStage?(model: DockerfileModel, final: Stage): boolean;
  /**
   * What one of the language's own commands in a RUN writes (Go: `go build -o`, the module cache),
   * said through `add`; false for a command that is not the language's (runCreates.ts).
   */
  runCreations?(command: SimpleCommand, stage: Stage, add: CreationSink): boolean;
  /** The toolchain's own command (`go`): a start command that runs it needs the toolchain, and a shell, at run time (runtime.ts). */
  readonly toolchainCommand?: string;
  /**
   * The RUN steps of a stage that build the program itself (Go: its go builds); in the final stage
   * they make the program, so they are no reason to keep a shell at run time (runtime.ts).
   */
  programBuilds?(model: DockerfileModel, stage: Stage): readonly RunStep[];
  /**
   * Why the program may fail when the final stage runs as a non-root user (Go: files it writes
   * where only root may); runs-as-root offers the switch without applying it when there is one.
   */
  nonrootRisks?(model: DockerfileModel, project: ProjectFacts, final: Stage): readonly string[];
  /** What the hover on a stage's base image says about the language's program (estimate/present.ts). */
  readonly hover?: LanguageHover;
  /** The language's rules, each group placed by rules/index.ts among the shared rules. */
  readonly rules: LanguageRules;
  /**
   * What an image of this language provides, by its name (rust:1.79-alpine, gcc:14); undefined
   * for names that are not this language's. Never guesses: unknown tags give unknown fields.
   */
  describeImage(ref: ImageReference): BaseFacts | undefined;
  /**
   * Layers a RUN step of this language adds to a stage (binaries, compiler output, caches); [] when
   * none. `sizes` is what the caller measured or knows (a measured Go build), for a language that uses it.
   */
  estimateRun?(model: DockerfileModel, stage: Stage, run: RunStep, project: ProjectFacts, sizes: SizeKnowledge): readonly ArtifactSize[];
  /** The size of a file a stage built (a binary copied out by COPY --from), when the language knows it. */
  artifactSize?(model: DockerfileModel, stage: Stage, path: string, project: ProjectFacts, sizes: SizeKnowledge): ArtifactSize | undefined;
  /**
   * The builds of the program the final image receives that a trusted workspace may run on this
   * machine to measure what they make (Go: a go build with the Dockerfile's flags), as plain data.
   * The workspace's one measurer runs them (workspace/measuredBuilds.ts); the sizing above gets
   * what it measured from SizeKnowledge.measuredBuild, by the build's key.
   */
  measuredBuilds?(model: DockerfileModel, project: ProjectFacts): readonly MeasuredBuild[];
  /** A manifest the editor opens as a document of its own, with findings of its own (Go: go.mod). */
  readonly manifestDocument?: ManifestDocument;
  /**
   * Changes made on request only, never by Minimize (Go: packing the binary with UPX): the CLI's
   * `minimize --<flag>` makes them after every safe fix.
   */
  readonly onRequest?: readonly RequestedChange[];
  /** The language's images in the shipped base-image catalog (its catalog.json), which images/catalog.ts sizes them with. */
  readonly catalog?: import('../imageCatalog').LanguageCatalog;
}

/** A build a trusted workspace runs to measure its output (LanguageSupport.measuredBuilds). */
export interface MeasuredBuild {
  /**
   * Which build it is within a build context (Go: its packages, cgo, size flags and the builder's
   * release): what was measured is kept under it, and the language's sizing asks by the same key.
   */
  readonly key: string;
  readonly toolchain: MeasuringToolchain;
  /** The arguments to the toolchain's command, run in the build context's root; the build writes its output to `out`. */
  args(out: string): readonly string[];
  /** Variables the build adds to the process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** The context's files the build reads: when one changes, the old figure is dropped and the build runs again. */
  readonly inputs: { readonly names: readonly string[]; readonly extensions: readonly string[]; readonly skipFolders: readonly string[] };
  /** Where the measured figure comes from, for the hover, given the version the toolchain reported. */
  provenance(version: string): Provenance;
}

/** The toolchain a measured build runs with: a command on PATH that reports its version. */
export interface MeasuringToolchain {
  /** The command when no preferred one answers (`go`). */
  readonly command: string;
  /**
   * Commands to try before it, best first, picked from every command on PATH (in PATH's order):
   * Go's builder release installed as go1.N.P. Absent: `command` alone, and PATH is not read.
   */
  preferred?(onPath: ReadonlyArray<{ readonly name: string; readonly path: string }>): readonly string[];
  /** Arguments that make the command print its version; a command that fails them is not installed. */
  readonly versionArgs: readonly string[];
  /** Variables every run of the toolchain adds to the environment (GOTOOLCHAIN=local: no download of another release). */
  readonly env: Readonly<Record<string, string>>;
}

/** A manifest as an open document (LanguageSupport.manifestDocument). */
export interface ManifestDocument {
  /** Its file name, anywhere in the workspace (go.mod). */
  readonly fileName: string;
  /** The editor's language id for it, when the editor has one (go.mod). */
  readonly editorLanguage?: string;
  /** The document's own findings, from its text and the user's rule severities. */
  findings(text: string, rules: Readonly<Record<string, SeveritySetting>>): readonly Finding[];
  /** Its hover, where it has one (Go: go.mod's `go` line, with the Go release of each Dockerfile that builds the module). */
  readonly hover?: ManifestHover;
}

/**
 * A manifest document's hover (ManifestDocument.hover), from the text and the Dockerfiles in the
 * manifest's folder and below, which the caller reads (unsaved editor text first) only where
 * `hovers` says the position has a hover.
 */
export interface ManifestHover {
  hovers(text: string, position: Position): boolean;
  hover(text: string, position: Position, dockerfiles: readonly NearbyDockerfile[]): Hover | undefined;
}

/** A Dockerfile in a manifest's folder or below it. */
export interface NearbyDockerfile {
  /** Path relative to the manifest's folder. */
  readonly path: string;
  readonly model: DockerfileModel;
}

/** A change made on request only (LanguageSupport.onRequest). */
export interface RequestedChange {
  /** The CLI flag that asks for it, without the dashes (`upx`). */
  readonly flag: string;
  /** Listed with Minimize's applied fixes when it changed the text. */
  readonly title: string;
  /** What the flag does, for the CLI's usage, after "--<flag> also" ("packs the binary with UPX (smaller, ...)"). */
  readonly usage: string;
  /** What the CLI says before each reason it could not be made ("not packed with UPX"). */
  readonly notMade: string;
  /** The Dockerfile's text with the change made, and why it could not be made where it could not. */
  make(text: string, project: ProjectFacts): { readonly text: string; readonly problems: readonly string[] };
  /** The change offered in the editor as a refactor of the lines in `range` (Go: each go build there that can be packed), each a titled set of edits. */
  inRange?(model: DockerfileModel, project: ProjectFacts, range: Range): ReadonlyArray<{ readonly title: string; readonly edits: readonly TextEdit[] }>;
}

/**
 * A language's rules by where Minimize tries their fixes (rules/index.ts): every language's
 * `structure` first, in registry order, then each later group at its place among the shared rules.
 * A rule that sets `language` runs only on files that build that language (languages/detect.ts).
 */
export interface LanguageRules {
  /** The conversions and base choices, and then the language's own polish: before every shared rule. */
  readonly structure: readonly Rule[];
  /** What a converted image still lacks (a scratch runtime's certificates and zone data): before the shared user rule. */
  readonly runtimeFiles?: readonly Rule[];
  /** The binary's own polish (debug info, build paths): after the shared user rule, before the root rule. */
  readonly binary?: readonly Rule[];
  /** Download caches left in a layer: after the shared package-cache rule, before the .dockerignore rule. */
  readonly caches?: readonly Rule[];
}

/** A base smaller than the final stage's that would serve the program, and why. */
export interface SmallerBase {
  readonly image: string;
  readonly why: string;
  /** Bytes the runtime adds to an empty base (scratch): the files Minimize copies in. */
  readonly extra?: number;
}

/** A language's part of the hover on a base image; the hover asks each language in registry order. */
export interface LanguageHover {
  /** A smaller base for the program the final stage runs, when there is one (the first language's answer is shown). */
  smallerBase?(model: DockerfileModel, final: Stage, project: ProjectFacts, facts: BaseFacts, runtime: RuntimeChoice): SmallerBase | undefined;
  /**
   * Lines about what the stage builds (each binary's size and where it comes from, sized from
   * `knowledge.sizes` as the estimate sizes it), markdown.
   */
  stageLines?(model: DockerfileModel, stage: Stage, project: ProjectFacts, knowledge: HoverKnowledge): readonly string[];
  /**
   * The language's own hover on a Dockerfile line (Go: a RUN that packs with UPX, and what that
   * costs), asked before the base image's; the first language's answer is shown.
   */
  onLine?(model: DockerfileModel, position: Position): Hover | undefined;
}

/** How a language reads the build context its own way (LanguageSupport.contextReader). */
export interface ContextReader {
  /**
   * File names that mark the root of a build context (Go: go.mod). A Dockerfile's context is the
   * nearest folder up from it holding one; the walk lists each the engine receives, anywhere.
   */
  readonly roots: readonly string[];
  /**
   * Whether the language's build sees a path at all (Go: not under vendor or testdata, nor a name
   * starting with . or _). The walk goes into such folders even when .dockerignore leaves them out.
   */
  sees(rel: string): boolean;
  /** Whether a file it sees is read (Go: the .go files but tests), whether the engine receives it or not. */
  reads(rel: string): boolean;
  /** Bytes read of each file, at most. */
  readonly maxFileBytes: number;
  /** How many files are read at most, from the caller's limits (Go: maxGoFiles). */
  maxFiles(limits: LanguageLoadLimits): number;
  /** Where the caller's limit comes from (Go: `slimfile.goScan.maxFiles`); workspace/project.ts's loadLimits reads it. */
  readonly limit?: ReaderLimit;
  /** What derives the language's facts, kept for the life of a context so that a save is cheap (Go: its parse trees). */
  open(): ContextFactsState;
}

/**
 * A reader's limit as the user sets it: the setting `slimfile.<section>.<key>` (a positive
 * number), the field of LanguageLoadLimits it fills, and its value when unset in the editor and
 * in the CLI, which reads a whole repository once and can afford more.
 */
export interface ReaderLimit {
  readonly section: string;
  readonly key: string;
  readonly field: keyof LanguageLoadLimits;
  readonly editorDefault: number;
  readonly cliDefault: number;
}

/** What the workspace's walk found for one language's reader. */
export interface ContextFiles {
  /** The files read, by path relative to the context, in walk order. */
  readonly files: ReadonlyMap<string, string>;
  /** The root files (ContextReader.roots) the engine receives, anywhere in the context, in walk order. */
  readonly roots: readonly string[];
  /** Not every file was read: the walk or the file cap stopped short. */
  readonly truncated: boolean;
  /** A file of the context as text (an editor's unsaved text wins), up to the manifests' cap. */
  read(rel: string): Promise<string | undefined>;
  /**
   * `last` when it is deep-equal to `value`, else `value`: the analysis keeps work per object (per
   * listing and file access), so a save that changed nothing keeps that work done.
   */
  sameIfEqual<T>(value: T, last: T | undefined): T;
}

export interface ContextFactsState {
  /** The language's record of ProjectFacts.own, and notes for the user; `last` is the project handed out before. */
  facts(found: ContextFiles, last: ProjectFacts | undefined): Promise<{ readonly own: ProjectFacts['own']; readonly notes: readonly string[] }>;
  /** Frees what the state holds (parse trees in wasm memory). */
  dispose(): void;
}

/** How a language finds the routes its programs register (LanguageSupport.routes). */
export interface RouteReader {
  /** Loaded before `routes` is asked, for a context holding a file it reads. */
  readonly grammars: Grammars;
  /** Whether a file of the context is one it reads (Go: the .go files but tests). */
  reads(rel: string): boolean;
  /** The routes the files register, in file order, each path once. */
  routes(files: ReadonlyArray<{ readonly path: string; readonly text: string }>): Route[];
}
