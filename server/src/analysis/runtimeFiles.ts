// The build context a stage copies in, as every language's analysis reads it: which context paths
// each COPY/ADD puts where in the image, the bytes a path of the image holds, and the entries no
// program needs (clutter). What the running Go program needs of those files, and what it may drop,
// is Go's own (languages/go/runtimeFiles.ts). Pure: it reads the model and the project facts.
import type { CopyStep, Stage } from './model';
import type { ContextListing } from './project';
import ignore from '@balena/dockerignore';
import { baseName, joinPath } from './paths';
import { commandName } from './shell';
import { runCreations } from './runCreates';
import { describeLanguageImage } from './languages/images';

export const CLUTTER = /^(readme|licen[cs]e|copying|notice|authors|contributors|changelog|changes|history|contributing|code_of_conduct|security|maintainers|codeowners)(\..*)?$|\.(md|markdown|rst|adoc)$|^(docs?|documentation|examples?|k8s|kubernetes|helm|charts?|deploy|deployments?|manifests|kustomize|terraform|ansible|\.github|\.gitlab|\.circleci|\.devcontainer|\.vscode|\.idea|\.husky|\.buildkite)$|^(docker-)?compose(\.[\w-]+)?\.ya?ml$|^\.git(ignore|attributes|modules|keep)?$|^\.(editorconfig|golangci\.ya?ml|gitlab-ci\.yml|travis\.yml|pre-commit-config\.yaml|goreleaser\.ya?ml|codecov\.ya?ml|air\.toml|env\.(example|sample|template|dist))$|^(jenkinsfile|procfile|azure-pipelines\.ya?ml|renovate\.json|codecov\.ya?ml|skaffold\.ya?ml|tiltfile|\.env\.example)$|^((k8s|kubernetes|deployment|cloudbuild)[\w.-]*\.ya?ml|buildspec\.ya?ml|appspec\.ya?ml|\.drone\.ya?ml|\.terraformignore|fly\.toml|render\.ya?ml|heroku\.ya?ml|railway\.json|action\.ya?ml|\.env[._-](example|sample|template|dist|local\.example)|[\w.-]+\.postman_collection\.json|[\w.-]+\.(pdf|log)|to-?do(\.\w+)?|screenshots?)$/i;
/** Folders of API definitions (OpenAPI, protobuf) and init-system files, and what they may hold. */
export interface ContextCopy {
  readonly copy: CopyStep;
  /** Context path of the source ("" for the whole context); a pattern source is skipped. */
  readonly source: string;
  readonly directory: boolean;
  /** Absolute image path the source lands at (a folder's contents go into it). */
  readonly target: string;
}

/** Folders every image but scratch has: a COPY to one of them puts a file inside. */
const BASE_FOLDERS = ['/etc', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/bin', '/tmp', '/root', '/home', '/var', '/opt', '/srv'];

/**
 * Folders that exist in the stage before `line`: the base image's, every WORKDIR so far, the folders
 * RUN steps make and the ones earlier copies fill. Docker puts a file copied to one of them inside it.
 */
function foldersBefore(stage: Stage, line: number, listing: ContextListing): Set<string> {
  const folders = new Set<string>(['/']);
  const addWithParents = (folder: string): void => {
    for (let f = folder; f !== '/' && !folders.has(f); f = parentOf(f)) folders.add(f);
  };
  if (!stage.base.isScratch) for (const f of BASE_FOLDERS) folders.add(f);
  // A language's image makes its own (golang: GOPATH's), as its description says (as for its WORKDIR, model.ts).
  const described = stage.base.reference ? describeLanguageImage(stage.base.reference) : undefined;
  for (const f of described?.folders ?? []) folders.add(f);
  const earlierRuns = stage.runs.filter((r) => r.range.start.line < line);
  for (const run of earlierRuns) addWithParents(run.workdir);
  for (const made of runCreations(stage, earlierRuns)) {
    if (made.kind === 'anything') continue;
    if (made.folder) addWithParents(made.path);
    else addWithParents(parentOf(made.path));
  }
  for (const copy of stage.copies) {
    if (copy.range.start.line >= line) break;
    addWithParents(copy.workdir);
    const dest = joinPath(copy.workdir, copy.destination);
    const folder = copy.destination.endsWith('/') || copy.sources.length > 1 || copy.sources.some((s) => s === '.' || s.endsWith('/') || listing.directories.has(contextRelative(s) ?? ''));
    addWithParents(folder ? dest : parentOf(dest));
  }
  return folders;
}

/** The stage's copies from the build context, one per source, in file order (later ones win). */
export function contextCopies(stage: Stage, listing: ContextListing): ContextCopy[] {
  const out: ContextCopy[] = [];
  for (const copy of stage.copies) {
    if (copy.fromStage !== undefined || copy.from !== undefined || copy.heredoc) continue;
    const dest = joinPath(copy.workdir, copy.destination);
    // A single file copied to a folder that is already there goes inside it, as with a trailing slash.
    const intoFolder = copy.destination.endsWith('/') || copy.sources.length > 1 || under(copy.workdir, dest) || foldersBefore(stage, copy.range.start.line, listing).has(dest);
    for (const written of copy.sources) {
      if (/^[a-z]+:\/\//i.test(written)) continue; // ADD of a URL
      const source = contextRelative(written);
      if (source === undefined) continue;
      if (/[*?[]/.test(source)) {
        for (const file of matching(listing, source)) {
          const directory = listing.directories.has(file);
          out.push({ copy, source: file, directory, target: directory ? dest : joinPath(dest, baseName(file)) });
        }
        continue;
      }
      const directory = source === '' || written.endsWith('/') || listing.directories.has(source);
      out.push({ copy, source, directory, target: directory || !intoFolder ? dest : joinPath(dest, baseName(source)) });
    }
  }
  return out;
}

/** A COPY source as a context path ("" for the context itself); undefined when it names a variable. */
export function contextRelative(written: string): string | undefined {
  if (written.includes('$')) return undefined;
  const normal = joinPath('/', written).slice(1);
  return normal;
}

/**
 * Context paths matching a Go or COPY glob. @balena/dockerignore implements Go's filepath.Match
 * rules (the ones both COPY and filepath.Glob use), so it is the matcher here too.
 */
export function matching(listing: ContextListing, pattern: string): string[] {
  const matcher = ignore().add([pattern]);
  const depth = pattern.split('/').length;
  try {
    return [...listing.files.keys(), ...listing.directories].filter((p) => p.split('/').length === depth && matcher.ignores(p)).sort();
  } catch {
    // A malformed glob (`[.` without its `]`) compiles to an invalid regular expression. Go's
    // filepath.Match calls it a bad pattern and the build fails on that COPY: it copies nothing.
    return [];
  }
}

/** Where `c` puts the context path `file` in the image; undefined when its source does not take in that path. */
export function landsAt(c: ContextCopy, file: string): string | undefined {
  if (!c.directory) return file === c.source ? c.target : undefined;
  if (c.source === '') return joinPath(c.target, file);
  return file.startsWith(`${c.source}/`) ? joinPath(c.target, file.slice(c.source.length + 1)) : undefined;
}

/** The context path `c` would put at `imagePath` (landsAt read backwards); undefined when the path is not its. */
function sourceAt(c: ContextCopy, imagePath: string): string | undefined {
  if (imagePath === c.target) return c.source;
  if (!c.directory || !under(imagePath, c.target)) return undefined;
  const rest = imagePath.slice(c.target === '/' ? 1 : c.target.length + 1);
  return c.source === '' ? rest : `${c.source}/${rest}`;
}

/**
 * The context path an image path comes from: that of the last copy whose source holds it, since a
 * later copy into the same folder replaces only the files it brings. A path no source holds (a
 * file the program makes under a copied folder), or any path when the listing was cut short and
 * cannot say, maps through the last copy that takes it in.
 */
export function toContext(copies: readonly ContextCopy[], imagePath: string, listing: ContextListing): string | undefined {
  let last: string | undefined;
  for (let i = copies.length - 1; i >= 0; i--) {
    const source = sourceAt(copies[i] as ContextCopy, imagePath);
    if (source === undefined) continue;
    if (listing.truncated) return source;
    if (exists(listing, source) !== undefined) return source;
    last ??= source;
  }
  return last;
}

/**
 * Bytes at an absolute path of a stage that came from the build context (a folder's files summed),
 * 0 for a folder a RUN step makes with mkdir, undefined when neither is known.
 */
export function stageBytesAt(stage: Stage, listing: ContextListing, imagePath: string): number | undefined {
  // A folder mkdir makes, or the parent of one (mkdir -p /scratch-root/tmp makes /scratch-root too): empty.
  const made = stage.runs.some((r) => r.commands.some((c) => commandName(c) === 'mkdir' && c.argv.slice(1).some((a) => !a.startsWith('-') && (joinPath(stage.workdir, a) === imagePath || joinPath(stage.workdir, a).startsWith(`${imagePath}/`)))));
  const contextPath = toContext(contextCopies(stage, listing), imagePath, listing);
  if (made && contextPath === undefined) return 0;
  if (contextPath === undefined || listing.truncated) return undefined;
  const file = listing.files.get(contextPath);
  if (file !== undefined) return file;
  if (exists(listing, contextPath) !== 'directory') return undefined;
  let bytes = 0;
  for (const [p, size] of listing.files) if (contextPath === '' || p.startsWith(`${contextPath}/`)) bytes += size;
  return bytes;
}

export function exists(listing: ContextListing, contextPath: string): 'file' | 'directory' | undefined {
  if (contextPath === '' || listing.directories.has(contextPath)) return 'directory';
  return listing.files.has(contextPath) ? 'file' : undefined;
}

export function parentOf(imagePath: string): string {
  const i = imagePath.lastIndexOf('/');
  return i <= 0 ? '/' : imagePath.slice(0, i);
}

export function under(child: string, parent: string): boolean {
  return child === parent || child.startsWith(`${parent === '/' ? '' : parent}/`);
}
