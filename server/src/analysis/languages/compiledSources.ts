// What C, C++ and Rust sources show the program touching at run time, read from the syntax trees
// of tree-sitter's C, C++ and Rust grammars (not from lines of text): the calls that open files,
// start programs, look up names or load libraries, and every string literal, so that the paths the
// program names can be checked against what the runtime image holds. The grammars' bytes are
// handed in: the workspace loads COMPILED_GRAMMARS (workspace/grammars.ts).
import type { Parser, Node } from 'web-tree-sitter';
import { parserOf, type Grammars } from '../grammars';
import type { ProjectFacts } from '../project';
import { hasSources, type Linkage, type SourceUse } from './compiled';
import type { Stage } from '../model';
import type { KeptEntry } from './keptContext';
import { contextCopies } from '../runtimeFiles';
import { query, type AnalysisContext } from '../context';
import { baseName, joinPath, under } from '../paths';
import { mayCreateUnder, runCreations, type Creation } from '../runCreates';

let loading: Promise<void> | undefined;
let parsers: { c: Parser; cpp: Parser; rust: Parser } | undefined;

/** The C, C++ and Rust grammars, loaded together: the C and Rust entries both declare them. */
export const COMPILED_GRAMMARS: Grammars = {
  wasm: ['c', 'cpp', 'rust'].map((g) => ({ file: `tree-sitter-${g}.wasm`, module: `tree-sitter-${g}/tree-sitter-${g}.wasm` })),
  load([c, cpp, rust]) {
    loading ??= (async () => {
      parsers = { c: await parserOf(c as Uint8Array), cpp: await parserOf(cpp as Uint8Array), rust: await parserOf(rust as Uint8Array) };
    })();
    return loading;
  },
};

/** A string literal of the sources, as the program has it (escapes left out). */
export interface SourceLiteral {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

export interface SourceScan {
  readonly uses: readonly SourceUse[];
  readonly literals: readonly SourceLiteral[];
}

export const C_FAMILY_EXTENSIONS = ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx', '.inl', '.ipp'];
export const RUST_EXTENSIONS = ['.rs'];

const OPENS_FILES = 'opens files';
const STARTS_PROGRAMS = 'starts another program';
const NSS = 'looks up users or host names through NSS';
const LOADS_LIBRARIES = 'loads libraries at run time';

/** libc and POSIX calls by what they do at run time. */
const C_CALLS = new Map<string, string>([
  ...['fopen', 'freopen', 'open', 'openat', 'creat', 'opendir', 'mkdir', 'unlink', 'rename', 'remove', 'stat', 'lstat', 'access', 'chdir', 'readlink', 'realpath'].map((n) => [n, OPENS_FILES] as const),
  ...['system', 'popen', 'execl', 'execlp', 'execle', 'execv', 'execvp', 'execve', 'execvpe', 'posix_spawn', 'posix_spawnp'].map((n) => [n, STARTS_PROGRAMS] as const),
  ...['getpwnam', 'getpwuid', 'getgrnam', 'getgrgid', 'getaddrinfo', 'gethostbyname', 'getnameinfo', 'getservbyname'].map((n) => [n, NSS] as const),
  ['dlopen', LOADS_LIBRARIES],
]);
/** C++'s file streams and std::filesystem, as type or namespace names. */
const CXX_FILE_NAMES = new Set(['ifstream', 'ofstream', 'fstream', 'filesystem', 'basic_ifstream', 'basic_ofstream', 'basic_fstream']);

/**
 * Scans the program's sources once per project facts; undefined when the grammars are not loaded
 * (the caller then treats the sources as not read).
 */
export function scanCompiledSources(project: ProjectFacts, language: 'c' | 'rust', context: AnalysisContext): SourceScan | undefined {
  if (!parsers) return undefined;
  return context.memoProject(language === 'c' ? C_SCAN : RUST_SCAN, [project], () => {
    const uses: SourceUse[] = [];
    const literals: SourceLiteral[] = [];
    for (const [file, text] of project.sources) {
      const grammar = language === 'rust' ? (file.endsWith('.rs') ? 'rust' : undefined) : file.endsWith('.c') ? 'c' : C_FAMILY_EXTENSIONS.some((e) => file.endsWith(e)) ? 'cpp' : undefined;
      if (!grammar || !parsers) continue;
      const tree = parsers[grammar].parse(text);
      if (!tree) continue;
      try {
        walk(tree.rootNode, (node) => {
          const line = node.startPosition.row + 1;
          const what = grammar === 'rust' ? rustUse(node) : cUse(node);
          if (what) uses.push({ file, line, what });
          const literal = literalText(node);
          if (literal !== undefined) literals.push({ file, line, text: literal });
        });
      } finally {
        tree.delete();
      }
    }
    return { uses, literals };
  });
}

const C_SCAN = query<SourceScan>('scanCompiledSources:c');
const RUST_SCAN = query<SourceScan>('scanCompiledSources:rust');

function walk(root: Node, visit: (node: Node) => void): void {
  const cursor = root.walk();
  let done = false;
  while (!done) {
    visit(cursor.currentNode);
    if (cursor.gotoFirstChild() || cursor.gotoNextSibling()) continue;
    for (;;) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      if (cursor.gotoNextSibling()) break;
    }
  }
  cursor.delete();
}

function lastName(node: Node | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier' || node.type === 'field_identifier') return node.text;
  if (node.type === 'qualified_identifier' || node.type === 'field_expression') return lastName(node.childForFieldName('name') ?? node.childForFieldName('field'));
  return undefined;
}

function cUse(node: Node): string | undefined {
  if (node.type === 'call_expression') {
    const name = lastName(node.childForFieldName('function'));
    return name !== undefined ? C_CALLS.get(name) : undefined;
  }
  // std::ifstream in("x"), using namespace std; ofstream out; std::filesystem::exists(p)
  if (node.type === 'type_identifier' || node.type === 'namespace_identifier') return CXX_FILE_NAMES.has(node.text) ? OPENS_FILES : undefined;
  return undefined;
}

/** Paths (std::fs::read, File::open, use std::process::{Command, Stdio}) by their words. */
function rustUse(node: Node): string | undefined {
  if (node.type === 'field_identifier') return node.text === 'read_dir' ? 'lists a folder' : undefined;
  if (node.type !== 'scoped_identifier' && node.type !== 'scoped_use_list' && node.type !== 'scoped_type_identifier') return undefined;
  // The outermost path only: its inner parts are the same use.
  if (['scoped_identifier', 'scoped_use_list', 'scoped_type_identifier'].includes(node.parent?.type ?? '')) return undefined;
  const words = node.descendantsOfType(['identifier', 'type_identifier', 'crate', 'super', 'self']).flatMap((n) => (n ? [n.text] : []));
  if (words.includes('Command') && (words.includes('process') || words[0] === 'Command')) return STARTS_PROGRAMS;
  if (words.includes('read_dir')) return 'lists a folder';
  if (words.includes('fs') || words.includes('File') || words.includes('OpenOptions')) return OPENS_FILES;
  return undefined;
}

/** A string literal's text; escapes (\n, \x41) are left out, which keeps the path part intact. */
function literalText(node: Node): string | undefined {
  if (node.type !== 'string_literal' && node.type !== 'raw_string_literal') return undefined;
  // `#include "x.h"` is read by the compiler, not by the program.
  if (node.parent?.type === 'preproc_include') return undefined;
  const parts = node.namedChildren.filter((c): c is Node => c !== null && (c.type === 'string_content' || c.type === 'raw_string_content'));
  return parts.map((c) => c.text).join('');
}

// ---------------------------------------------------------------- what the conversion must keep

/** What the runtime stage holds besides the program: the paths a source may name and still find. */
export interface RuntimeView {
  /** The WORKDIR, the same in both stages. */
  readonly workdir: string;
  /** Image paths of what the runtime stage keeps from the context (languages/keptContext.ts). */
  readonly kept: readonly string[];
  /** Image paths of the binaries it copies. */
  readonly binaries: readonly string[];
  /** Image paths the context was copied to, with the context path each one holds: source "" is the whole context. */
  readonly contextCopies: ReadonlyArray<{ readonly source: string; readonly target: string }>;
  readonly listing: { readonly files: ReadonlyMap<string, number>; readonly directories: ReadonlySet<string> };
  /** A static binary runs on scratch or distroless static: no NSS modules, and on scratch no /etc files. */
  readonly linkage: Linkage;
  readonly runtimeImage: string;
  /** A RUN command other than the build that may make files in the WORKDIR, which stay in the build stage. */
  readonly madeInWorkdir: Creation | undefined;
}

/**
 * Paths every runtime the conversion picks has: what the engine mounts or makes (/proc, /sys, /dev,
 * /etc/hosts, /etc/hostname, /etc/resolv.conf), and for distroless the files its images ship
 * (/etc/passwd and group, /etc/nsswitch.conf, the CA bundle under /etc/ssl, tzdata, /tmp).
 */
const ENGINE_PATHS = /^\/(proc|sys|dev)(\/|$)|^\/etc\/(hosts|hostname|resolv\.conf)$/;
const DISTROLESS_PATHS = /^\/(tmp|run)(\/|$)|^\/etc\/(passwd|group|nsswitch\.conf|os-release|localtime)$|^\/etc\/ssl(\/|$)|^\/usr\/share\/zoneinfo(\/|$)/;
/**
 * Where an image keeps its system files: a literal under these names something of the toolchain
 * image. A bare top-level name ("/home", "/var") is left out: it names no file the toolchain image
 * adds, and servers use such literals as routes (cpp-httplib's `svr.Get("/home", …)`).
 */
const SYSTEM_PATH = /^\/(etc|usr|var|opt|lib|lib32|lib64|libx32|bin|sbin|home|root|srv|mnt|media|boot|run|tmp)\/[^/]/;

/**
 * Why the sources do not show the conversion keeping what the program uses: programs it starts,
 * libraries it loads, names it looks up without NSS, and paths it names that the runtime stage
 * lacks (a system file of the toolchain image, or a source or build input of the context). Files
 * the program opens under the WORKDIR are kept with the context, where the original image had them.
 */
export function sourceProblems(scan: SourceScan, view: RuntimeView, language: string): string[] {
  const reasons: string[] = [];
  const seen = new Set<string>();
  for (const use of scan.uses) {
    if (use.what === OPENS_FILES || use.what === 'lists a folder') continue;
    // glibc 2.34 and later (Debian 12 and 13) build the files and dns lookups into libc, and the
    // engine mounts /etc/hosts and /etc/resolv.conf: only a static binary lacks the modules.
    if (use.what === NSS && view.linkage !== 'static') continue;
    if (seen.has(`${use.file}\0${use.what}`)) continue;
    seen.add(`${use.file}\0${use.what}`);
    reasons.push(`${use.file}:${use.line} ${use.what}, which the small runtime may not support`);
  }
  const made = view.madeInWorkdir;
  if (made && opensFiles(scan)) reasons.push(`\`${made.command}\` at line ${made.line} may make files in ${view.workdir}, which the program may open; they stay in the build stage`);
  const scratch = view.runtimeImage === 'scratch';
  const runtimeHas = (path: string): boolean => ENGINE_PATHS.test(path) || (!scratch && DISTROLESS_PATHS.test(path));
  const keptPaths = [...view.kept, ...view.binaries];
  for (const literal of scan.literals) {
    // The fixed part of a path: a format verb or a placeholder ends it ("static/%s", "{}/x").
    const fixed = literal.text.split(/[%{}*?\s"'<>|]/)[0] ?? '';
    if (fixed === '' || fixed === '/' || /^[a-z][a-z0-9+.-]*:/i.test(fixed)) continue;
    const absolute = joinPath(view.workdir, fixed);
    if (keptPaths.some((k) => under(absolute, k) || under(k, absolute))) continue;
    let why: string | undefined;
    if (fixed.startsWith('/') && SYSTEM_PATH.test(fixed) && !runtimeHas(absolute) && !(view.workdir !== '/' && under(absolute, view.workdir))) why = `which ${view.runtimeImage} may not have`;
    else {
      for (const copy of view.contextCopies) {
        if (!under(absolute, copy.target)) continue;
        const rest = absolute.slice(copy.target.length).replace(/^\//, '');
        const inContext = copy.source === '' ? rest : rest === '' ? copy.source : `${copy.source}/${rest}`;
        if (inContext !== '' && (view.listing.files.has(inContext) || view.listing.directories.has(inContext))) why = `a ${language} source or build input that the runtime stage does not keep`;
      }
    }
    if (why === undefined || seen.has(fixed)) continue;
    seen.add(fixed);
    reasons.push(`${literal.file}:${literal.line} names ${fixed}, ${why}`);
  }
  return reasons;
}

/** The program opens files or lists folders: whether a non-root user may write them is not known. */
export function opensFiles(scan: SourceScan): boolean {
  return scan.uses.some((u) => u.what === OPENS_FILES || u.what === 'lists a folder');
}

/** The runtime stage a conversion of `stage` makes, as sourceProblems sees it. */
export function runtimeView(stage: Stage, project: ProjectFacts, kept: readonly KeptEntry[], binaries: readonly string[], linkage: Linkage, runtimeImage: string): RuntimeView {
  return {
    workdir: stage.workdir,
    kept: kept.map((k) => k.target),
    binaries,
    contextCopies: contextCopies(stage, project.contextListing).map((c) => ({ source: c.source, target: c.target })),
    listing: project.contextListing,
    linkage,
    runtimeImage,
    // The compilers' own output is the binary, which the runtime stage copies.
    madeInWorkdir: mayCreateUnder(runCreations(stage).filter((c) => !BUILD_COMMANDS.has(baseName(c.command.split(' ')[0] ?? ''))), stage.workdir),
  };
}

const BUILD_COMMANDS = new Set(['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'musl-gcc', 'cargo', 'rustc']);

const NAMES = { c: 'C/C++', rust: 'Rust' } as const;
const EXTENSIONS = { c: C_FAMILY_EXTENSIONS, rust: RUST_EXTENSIONS } as const;

/**
 * Why what the program needs at run time is not proven from its sources. With the runtime stage
 * of a conversion (`view`), files it opens under the kept context are not a reason; without one (a
 * runtime swapped under a binary already copied alone), anything it touches is.
 */
export function unprovenSourceNeeds(project: ProjectFacts, language: 'c' | 'rust', context: AnalysisContext, view?: RuntimeView): string[] {
  const name = NAMES[language];
  if (!hasSources(project, EXTENSIONS[language])) return [`the ${name} sources were not read, so what the program opens at run time is not known`];
  const reasons = project.sourcesTruncated ? [`not every ${name} source was read`] : [];
  const scan = scanCompiledSources(project, language, context);
  if (!scan) return [...reasons, `the ${name} parser was not loaded, so the sources were not read`];
  if (view) return [...reasons, ...sourceProblems(scan, view, name)];
  // One place per file and kind is enough to say why; more would only repeat it.
  const uses = scan.uses.filter((u, i, all) => all.findIndex((o) => o.file === u.file && o.what === u.what) === i);
  return [...reasons, ...uses.slice(0, 3).map((u) => `${u.file}:${u.line} ${u.what}; Slimfile does not follow which paths a ${name} program uses`)];
}

/** Root stays when the program opens files: whether a non-root user may write them is not known. */
export function fileRootReasons(project: ProjectFacts, language: 'c' | 'rust', context: AnalysisContext): string[] {
  const scan = hasSources(project, EXTENSIONS[language]) ? scanCompiledSources(project, language, context) : undefined;
  return scan && opensFiles(scan) ? ['the program opens files, and whether a non-root user may write them is not known'] : [];
}
