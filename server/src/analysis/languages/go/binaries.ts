// Go's binaries in the image: the path each go build writes, where cp/mv/install after it take it,
// which builds reach the final stage, whether cgo is on, and which distroless release matches the
// builder. Go's own: the rules, the conversion, the estimate's hooks and the hover ask here.
import type { DockerfileModel, Stage, CopyStep } from '../../model';
import type { ProjectFacts } from '../../project';
import type { ImageReference } from '../../imageRef';
import { describeBase, type BaseFacts } from '../../baseImage';
import { baseName, joinPath } from '../../paths';
import { commandName } from '../../shell';
import { compareGoVersions, goVersionParts } from './gomod';
import { goBuildsIn } from './goBuilds';
import { golangVersion, isGolangImage } from './image';
import type { FileCopy, GoBuild } from './gobuild';
import { goFacts } from './source/facts';

export interface BinaryDelivery {
  readonly build: GoBuild;
  /** The COPY that brings the binary into the final stage; undefined when built in the final stage. */
  readonly copy: CopyStep | undefined;
  /** Absolute path of the binary in the build stage (where the COPY takes it from), when known. */
  readonly path: string | undefined;
}

/** The path a build writes its binary to, from -o, go install's rules, or the package's name. */
export function binaryPath(build: GoBuild, project: ProjectFacts): string | undefined {
  const n = binaryName(build, project);
  if (build.command === 'install') {
    // go install puts it in $GOBIN, else the first GOPATH entry's bin (/go in the golang images).
    const gobin = build.env.get('GOBIN');
    const gopath = build.env.get('GOPATH')?.split(':')[0];
    return n ? joinPath(gobin ?? `${gopath || '/go'}/bin`, n) : undefined;
  }
  if (build.output && !build.output.endsWith('/')) return build.output;
  // `go build ./cmd/a ./cmd/b` without -o compiles both and writes neither.
  if (build.command === 'build' && !build.output && build.packages.filter((p) => !p.endsWith('.go')).length > 1) return undefined;
  if (!n) return undefined;
  return build.output ? `${build.output}${n}` : joinPath(build.cwd, n);
}

/**
 * Every path holding the build's binary when its stage ends: where the build leaves it, then
 * where each cp, mv or install after the build takes it (a copy adds a path, a move replaces one),
 * with the steps that did. Undefined when the build's path is not known, or a step after it moves
 * files from a path holding a variable, which may be the binary.
 */
export function binaryLocations(build: GoBuild, project: ProjectFacts): { readonly paths: readonly string[]; readonly steps: readonly FileCopy[] } | undefined {
  const built = binaryPath(build, project);
  if (built === undefined || built.includes('$')) return undefined;
  let paths = [built];
  const steps: FileCopy[] = [];
  for (const copy of build.copiesAfter) {
    const next: string[] = [];
    let took = false;
    for (const path of paths) {
      const targets = copy.sources.flatMap((source) => {
        // `dir/.` copies what the folder holds, not the folder.
        const contents = source.endsWith('/.');
        const under = pathUnder(path, contents ? source.slice(0, -2) || '/' : source);
        if (under === undefined || (contents && under.rest === '')) return [];
        // Into a folder, the source keeps its name; else (and for a folder's contents) the destination is its new path.
        const name = under.rest === '' ? baseName(under.matched) : `${baseName(under.matched)}/${under.rest}`;
        return [copy.intoFolder && !contents ? joinPath(copy.destination, name) : joinPath(copy.destination, under.rest)];
      });
      if (targets.length > 0) took = true;
      if (targets.length === 0 || copy.command !== 'mv') next.push(path);
      next.push(...targets);
    }
    if (!took && copy.command === 'mv' && copy.sources.some((s) => s.includes('$'))) return undefined;
    if (took) steps.push(copy);
    paths = [...new Set(next)];
  }
  return { paths, steps };
}

/**
 * The source path that holds `path` (itself, or a folder above it; a glob as the shell expands it)
 * and what `path` is below it ("" for the path itself); undefined when the source does not hold it.
 */
function pathUnder(path: string, source: string): { readonly matched: string; readonly rest: string } | undefined {
  const trimmed = source.replace(/\/+$/, '');
  if (source.includes('$') || trimmed === '') return undefined;
  const segments = trimmed.split('/');
  const parts = path.split('/');
  if (parts.length < segments.length) return undefined;
  const glob = /[*?[]/.test(trimmed);
  const matches = segments.every((segment, i) => (glob ? globSegment(segment).test(parts[i] as string) : segment === parts[i]));
  if (!matches) return undefined;
  return { matched: parts.slice(0, segments.length).join('/'), rest: parts.slice(segments.length).join('/') };
}

function globSegment(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The name go gives a binary: the first file's for `go build main.go`, else the package path's last element. */
function binaryName(build: GoBuild, project: ProjectFacts): string | undefined {
  const go = goFacts(project);
  const pkg = (build.packages[0] ?? '.').replace(/@[^/]*$/, '');
  const gopathMode = inGopathMode(build, project);
  const moduleName = (): string | undefined => (gopathMode ? baseName(build.cwd) || undefined : go.goMod?.module ? lastElement(go.goMod.module) : undefined);
  if (pkg.endsWith('.go')) return baseName(pkg).slice(0, -3);
  if (pkg === '.' || pkg === './') return moduleName();
  if (pkg.includes('...')) {
    // `./...` names one binary when the context holds one main package; go build writes it only
    // when that is the only package it builds (with several it discards what it compiles).
    if (!pkg.startsWith('.') || go.mainPackages.length !== 1) return undefined;
    if (build.command === 'build' && goPackageFolders(project) !== 1) return undefined;
    const folder = go.mainPackages[0] as string;
    const moduleFolder = go.goModPath?.includes('/') ? go.goModPath.slice(0, go.goModPath.lastIndexOf('/')) : '';
    return folder === moduleFolder ? moduleName() : baseName(folder);
  }
  return lastElement(pkg);
}

/**
 * Whether the go command runs in GOPATH mode: GO111MODULE=off; or, with no go.mod in a context that
 * was read, GO111MODULE=auto, or unset on a Go before 1.16 (whose default was auto).
 */
function inGopathMode(build: GoBuild, project: ProjectFacts): boolean {
  const setting = build.env.get('GO111MODULE');
  if (setting === 'off') return true;
  const go = goFacts(project);
  if (setting === 'on' || go.goMod !== undefined || go.goModPath !== undefined || !go.hasGoSources) return false;
  if (setting === 'auto') return true;
  const parts = goVersionParts(build.goVersion);
  return setting === undefined && parts !== undefined && compareGoVersions(parts, [1, 16, 0]) < 0;
}

/** How many folders of the context hold Go sources (tests, testdata, vendor and hidden folders aside); undefined when the listing is not complete. */
function goPackageFolders(project: ProjectFacts): number | undefined {
  const listing = project.contextListing;
  if (listing.truncated || listing.files.size === 0) return undefined;
  const folders = new Set<string>();
  for (const file of listing.files.keys()) {
    if (!file.endsWith('.go') || file.endsWith('_test.go')) continue;
    const parts = file.split('/').slice(0, -1);
    if (parts.some((p) => p === 'testdata' || p === 'vendor' || p.startsWith('.') || p.startsWith('_'))) continue;
    folders.add(parts.join('/'));
  }
  return folders.size;
}

/** A package path's last element, skipping a major-version suffix (example.com/tool/v2 -> tool). */
function lastElement(importPath: string): string {
  const parts = importPath.replace(/\/+$/, '').split('/');
  const last = parts[parts.length - 1] ?? '';
  return /^v\d+$/.test(last) && parts.length > 1 ? (parts[parts.length - 2] as string) : last;
}

/** The Go builds whose binaries end up in the final image. */
export function deliveredBinaries(model: DockerfileModel, project: ProjectFacts): BinaryDelivery[] {
  const final = model.finalStage;
  if (!final) return [];
  const out: BinaryDelivery[] = [];
  for (const build of goBuildsIn(model, final)) out.push({ build, copy: undefined, path: binaryPath(build, project) });
  for (const copy of final.copies) {
    if (copy.fromStage === undefined) continue;
    const source = model.stages[copy.fromStage];
    for (const build of (source ? goBuildsIn(model, source) : [])) {
      // The COPY may take the binary from where the build left it or from where a cp/mv put it.
      const paths = binaryLocations(build, project)?.paths ?? [];
      const path = paths.find((p) =>
        copy.sources.some((s) => {
          const src = joinPath(source?.workdir ?? '/', s);
          return p === src || p.startsWith(`${src.replace(/\/$/, '')}/`) || s.includes('*');
        }),
      );
      if (path !== undefined) out.push({ build, copy, path });
    }
  }
  return out;
}

/** Whether the build's cgo is effectively on, given its builder image. */
export function cgoEffectivelyOn(build: GoBuild, builder: BaseFacts, stage: Stage): boolean | undefined {
  if (build.cgo === 'off') return false;
  if (build.cgo === 'on') return true;
  const goos = build.env.get('GOOS');
  const goarch = build.env.get('GOARCH');
  // A literal cross build disables cgo by default; a variable one ($TARGETARCH) may or may not.
  if ((goos && goos !== 'linux' && !goos.includes('$')) || (goarch && !goarch.includes('$') && !['amd64', 'arm64'].includes(goarch))) return false;
  if (builder.os === 'alpine') {
    // golang:*-alpine has no C compiler; Go 1.20 and later then turn cgo off by default.
    const installsCompiler = stage.packageInstalls.some((p) => p.packages.some((x) => ['gcc', 'build-base', 'musl-dev', 'clang'].includes(x)));
    const parts = goVersionParts(golangVersion(builder));
    if (!installsCompiler && parts && compareGoVersions(parts, [1, 20, 0]) >= 0) return false;
    return installsCompiler ? true : undefined;
  }
  if (isGolangImage(builder)) return true;
  return undefined;
}

/** The stage a build runs in. */
export function stageOf(model: DockerfileModel, build: GoBuild): Stage {
  return model.stages[build.stage] as Stage;
}

/**
 * The distroless Debian release that matches the stage a binary is built in: 13 for a trixie
 * builder (golang:1.24 and later since 2025-08, and any Go 1.25+ golang image without a suffix),
 * 12 otherwise. One home for the choice: the conversion, heavy-runtime-base and the hover use it.
 */
export function distrolessRelease(builderStage: { readonly base: { readonly reference?: ImageReference; readonly isScratch: boolean } }): '12' | '13' {
  const builder = describeBase(builderStage.base.reference, builderStage.base.isScratch);
  const parts = goVersionParts(golangVersion(builder));
  return builder.release === '13' || (isGolangImage(builder) && builder.os === 'debian' && !builder.release && parts !== undefined && parts[1] >= 25) ? '13' : '12';
}
