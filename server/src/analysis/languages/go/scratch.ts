// What a scratch runtime needs copied in from the build stage: CA certificates, zoneinfo, and
// /etc/passwd when a named user is set.
import { builderGo, type BuilderGo } from './builderGo';
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../../model';
import type { ProjectFacts } from '../../project';
import { keyword, insertLinesAfter } from '../../fixes/edits';
import { addBuildFlags } from './buildEdits';
import { baseFactsOf } from '../../runtime';
import { stageOf } from './binaries';
import { embeddedTzdataBytes } from './binarySize';
import { CA_BUNDLE, ZONEINFO, ZONEINFO_BYTES } from '../../estimate/files';
import { unreadImports } from './source/libraryFiles';
import type { GoBuild } from './gobuild';
import { goFacts } from './source/facts';
import { plainValue } from './source/values';

export interface ZoneDataChoice {
  /** `tags`: -tags timetzdata links the zone database into the binary; `tree`: /usr/share/zoneinfo is copied. */
  readonly choice: 'tags' | 'tree';
  readonly tagsBytes: number;
  readonly treeBytes: number;
  /** One sentence with both measured sizes, for the preview and the Dockerfile comment. */
  readonly why: string;
}

/** The smaller way to give an image without zoneinfo its zone data, by the measured sizes of both. */
export function zoneDataChoice(build: GoBuild, project: ProjectFacts, go?: BuilderGo): ZoneDataChoice {
  // The embedded database's size is the builder's Go release's (it differs by release).
  const embedded = embeddedTzdataBytes(build, project, go);
  const tags = embedded.bytes > 0 && embedded.bytes < ZONEINFO_BYTES;
  const kb = (n: number): string => `${Math.round(n / 1000)} kB`;
  const tagsText = `-tags timetzdata (${kb(embedded.bytes)} in the binary, ${embedded.source})`;
  const treeText = `copying ${ZONEINFO} (${kb(ZONEINFO_BYTES)}, measured on Debian bookworm)`;
  return {
    choice: tags ? 'tags' : 'tree',
    tagsBytes: embedded.bytes,
    treeBytes: ZONEINFO_BYTES,
    why: tags ? `Zone data: ${tagsText}, smaller than ${treeText}` : `Zone data: ${treeText}, smaller than ${tagsText}`,
  };
}

/**
 * Modules known to make no TLS connection and load no time zone in any package, so a scratch image
 * needs neither the CA bundle nor zone data for them: command-line parsing, YAML/TOML, errors,
 * UUIDs, terminal detection, system calls, text tables, HTTP routers (they serve, never dial), a
 * logger writing to an io.Writer, and the test libraries go.mod lists for them. The modules their
 * packages import are on the list too; one only their own tests need (kr/pretty's go-internal) is
 * not, and go.mod listing it makes the program not proven. Major-version suffixes (/v5) are left
 * off. Any other module may do either inside code the scan of the program's own sources never sees.
 */
const FREE_OF_TLS_AND_ZONES: ReadonlySet<string> = new Set([
  'github.com/spf13/cobra', 'github.com/spf13/pflag', 'github.com/inconshreveable/mousetrap', 'github.com/cpuguy83/go-md2man',
  'github.com/russross/blackfriday', 'gopkg.in/yaml.v2', 'gopkg.in/yaml.v3', 'github.com/BurntSushi/toml',
  'github.com/pkg/errors', 'github.com/google/uuid', 'github.com/mattn/go-isatty', 'github.com/mattn/go-colorable',
  'golang.org/x/sys', 'golang.org/x/text', 'github.com/gorilla/mux', 'github.com/go-chi/chi', 'github.com/julienschmidt/httprouter',
  'github.com/sirupsen/logrus', 'github.com/stretchr/testify', 'github.com/stretchr/objx', 'github.com/davecgh/go-spew',
  'github.com/pmezard/go-difflib', 'gopkg.in/check.v1', 'github.com/kr/pretty', 'github.com/kr/text',
  // Reads .env files and sets variables; it imports only the standard library's text and file packages.
  'github.com/joho/godotenv',
]);

/** Whether a module or package path lies in a module known to be free of TLS calls and zone lookups. */
function provenFree(path: string): boolean {
  const parts = path.split('/');
  for (let i = parts.length; i > 0; i--) if (FREE_OF_TLS_AND_ZONES.has(parts.slice(0, i).join('/'))) return true;
  return false;
}

/**
 * Modules go.mod requires (directly or not), and third-party packages the sources import that no
 * requirement covers (GOPATH mode, an untidy go.mod), that are not known to be free of TLS calls
 * and zone lookups. The imports are those whose code the scan did not read (`unreadImports`): in
 * GOPATH mode the project's own packages (github.com/acme/app/greet is the context's greet/) are
 * read like main's, so they need nothing on their behalf.
 */
export function modulesNotProvenFree(project: ProjectFacts): { readonly required: readonly string[]; readonly imported: readonly string[] } {
  const requires = (goFacts(project).goMod?.requires ?? []).map((r) => r.path);
  const within = (path: string, module: string): boolean => path === module || path.startsWith(`${module}/`);
  const imported = unreadImports(project).filter((i) => !requires.some((r) => within(i, r)));
  return { required: requires.filter((r) => !provenFree(r)), imported: imported.filter((i) => !provenFree(i)) };
}

/** What a scratch runtime must be given for this program, and why when the program's own code does not say. */
export interface ScratchNeeds {
  readonly caBundle: boolean;
  readonly zones: boolean;
  /** Set when go.mod's modules, not the program's own calls, are why the bundle or zone data is added. */
  readonly why: string | undefined;
}

export function scratchNeeds(project: ProjectFacts, builds: readonly GoBuild[] = []): ScratchNeeds {
  const needs = goFacts(project).needs;
  const { required, imported } = modulesNotProvenFree(project);
  const unproven = [...required, ...imported];
  const caByModules = unproven.length > 0 && !needs.tls.needed && !needs.embeddedRoots.needed;
  const zonesLinked = needs.embeddedTzdata.needed || (builds.length > 0 && builds.every((b) => b.tags.includes('timetzdata')));
  const zonesByModules = unproven.length > 0 && !needs.zoneinfo.needed && !zonesLinked;
  const what = caByModules && zonesByModules ? 'The CA bundle and zone data' : caByModules ? 'The CA bundle' : zonesByModules ? 'Zone data' : undefined;
  const named = (paths: readonly string[]): string => (paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', '));
  const sources = [required.length > 0 ? `go.mod requires ${named(required)}` : '', imported.length > 0 ? `the sources import ${named(imported)}` : ''].filter(Boolean).join(' and ');
  return {
    caBundle: (needs.tls.needed || unproven.length > 0) && !needs.embeddedRoots.needed,
    zones: (needs.zoneinfo.needed || unproven.length > 0) && !zonesLinked,
    why: what ? `${what}: ${sources}, not known to be free of TLS calls and time-zone lookups` : undefined,
  };
}

/** Reads of system files that scratch lacks; the engine mounts /etc/hosts, /etc/resolv.conf and /etc/hostname itself. */
const SCRATCH_LACKS = /^\/etc\/(nsswitch\.conf|localtime|os-release|mime\.types|ssl|ca-certificates)(\/|$)|^\/usr\//;

/**
 * Why scratch would break this program whatever the Dockerfile does: libc for cgo, system files
 * it reads or folders it writes that scratch lacks, or sources not all read. Empty when none.
 */
export function scratchBlockers(project: ProjectFacts): string[] {
  const reasons: string[] = [];
  const needs = goFacts(project).needs;
  const where = (e: { file: string; line: number } | undefined): string => (e ? ` (${e.file}:${e.line + 1})` : '');
  if (!goFacts(project).hasGoSources || needs.truncated) reasons.push('the Go sources were not all read, so what the program needs from the image is not known');
  if (needs.cgo.needed) reasons.push(`the program needs cgo${where(needs.cgo.evidence[0])}, so a C library, which scratch does not have`);
  const caBundle = scratchNeeds(project).caBundle;
  for (const read of needs.files.reads) {
    if (SCRATCH_LACKS.test(read.path) && !(caBundle && read.path === CA_BUNDLE)) reasons.push(`${read.evidence.what}${where(read.evidence)} reads ${plainValue(read.path)}, which scratch does not have`);
  }
  for (const read of needs.files.unknownReads) {
    if (read.prefix?.startsWith('/') && SCRATCH_LACKS.test(read.prefix)) reasons.push(`${read.what}${where(read)} reads a path under ${plainValue(read.prefix)} the scan cannot see, and scratch does not have that folder`);
  }
  for (const write of needs.files.writes) {
    if (/^\/(etc|usr|home|root)\/[^/]+$/.test(write.path)) reasons.push(`${write.evidence.what}${where(write.evidence)} writes in ${plainValue(write.path.slice(0, write.path.lastIndexOf('/')))}, which scratch does not have`);
  }
  return reasons;
}

/** A reference to the stage that can serve files: its name, or its index. */
export function stageRef(model: DockerfileModel, index: number): string {
  return model.stages[index]?.name ?? String(index);
}

/**
 * COPY lines (and -tags timetzdata on the builds, when that is the smaller zone data) that give a
 * scratch final stage what the program needs; undefined when the build stage lacks them.
 */
export function scratchAdditions(model: DockerfileModel, project: ProjectFacts, builds: readonly GoBuild[]): TextEdit[] | undefined {
  const build = builds[0];
  if (!build) return undefined;
  const final = model.finalStage;
  if (!final) return undefined;
  // scratch has no /etc/passwd: a user named in USER or COPY --chown would not resolve.
  const names = [final.user?.value, ...final.copies.map((c) => c.chown)].flatMap((v) => (v ? v.split(':') : []));
  if (names.some((n) => n !== '' && !/^\d+$/.test(n))) return undefined;
  const source = stageOf(model, build);
  const facts = baseFactsOf(model, source);
  const from = stageRef(model, source.index);
  const k = (w: string): string => keyword(model, w);
  const lines: string[] = [];
  const needs = scratchNeeds(project, builds);
  if (needs.why) lines.push(`# ${needs.why}.`);
  if (needs.caBundle) {
    if (!facts.caCertificates) return undefined;
    lines.push(`${k('COPY')} --from=${from} ${CA_BUNDLE} ${CA_BUNDLE}`);
  }
  const tagEdits: TextEdit[] = [];
  if (needs.zones) {
    const tags = builds.map((b) => (b.tags.includes('timetzdata') ? [] : addBuildFlags(model, b, { tags: ['timetzdata'] })));
    if (zoneDataChoice(build, project, builderGo(model, model.stages[build.stage]!)).choice === 'tags' && tags.every((t) => t !== undefined)) tagEdits.push(...tags.flatMap((t) => t ?? []));
    else if (facts.zoneinfo) lines.push(`${k('COPY')} --from=${from} ${ZONEINFO} ${ZONEINFO}`);
    else return undefined;
  }
  if (!final.user) lines.push(`${k('USER')} 65532:65532`);
  return [...tagEdits, ...(lines.length > 0 ? [insertLinesAfter(model, final.fromRange, lines)] : [])];
}
