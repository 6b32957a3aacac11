// Hovers: on a language's manifest (go.mod's go line: the Go releases of the Dockerfiles that build
// the module), the Dockerfiles beside it read here and handed to the language's hover; in a
// Dockerfile, a language's own hover on its line (UPX's trade-off on its RUN), a package's, and a
// base image's size and facts on its FROM.
import type { Hover, HoverParams, Position } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { DockerfileModel } from '../analysis/model';
import { languageLineHover, parseDockerfile } from '../analysis';
import { baseImageHover, stageAtBase, type HoverKnowledge } from '../analysis/estimate/present';
import type { EstimatePair } from '../analysis/estimate/estimate';
import type { RuntimeChoice } from '../analysis/findings';
import type { ProjectFacts } from '../analysis/project';
import type { ManifestHover, NearbyDockerfile } from '../analysis/languages/types';
import { findDockerfiles } from '../workspace/dockerfiles';
import { isDockerfile, manifestDocumentOf } from '../documents';
import type { Sessions } from '../sessions';
import { packageAt, packageFactsKnown, packageHover } from '../analysis/packages/packageHover';

/**
 * A manifest's hover at `position`, given the Dockerfiles in its folder and below, read only where
 * the manifest has a hover. `openText` gives unsaved editor text.
 */
export async function manifestHover(manifest: ManifestHover, text: string, fsPath: string | undefined, position: Position, openText: (file: string) => string | undefined): Promise<Hover | null> {
  if (!manifest.hovers(text, position) || fsPath === undefined) return null;
  const dir = path.dirname(fsPath);
  const dockerfiles: NearbyDockerfile[] = [];
  for (const file of await findDockerfiles(dir)) {
    const dockerfile = openText(file) ?? (await fs.readFile(file, 'utf8').catch(() => undefined));
    if (dockerfile !== undefined) dockerfiles.push({ path: path.relative(dir, file), model: parseDockerfile(dockerfile) });
  }
  return manifest.hover(text, position, dockerfiles) ?? null;
}

/** What a base image's hover reads of the version, asked only when the cursor is on a FROM. */
export interface BaseHoverFacts {
  readonly project: ProjectFacts;
  readonly runtime: RuntimeChoice;
  readonly knowledge: HoverKnowledge;
  /** The version's estimate (the final stage's hover shows the whole image, as the lens does). */
  readonly estimate: () => Promise<EstimatePair>;
}

/** `current` false: the text moved on while the facts were gathered; the hover would describe a text that is gone. */
export async function dockerfileHover(model: DockerfileModel, position: Position, facts: () => Promise<BaseHoverFacts>, current: () => boolean): Promise<Hover | null> {
  const own = languageLineHover(model, position);
  if (own) return own;
  const stage = stageAtBase(model, position);
  if (!stage) return null;
  const known = await facts();
  const estimate = stage.index === model.finalStage?.index ? await known.estimate() : undefined;
  if (!current()) return null;
  return baseImageHover(model, position, known.project, known.knowledge, estimate, known.runtime) ?? null;
}

/** textDocument/hover on a language's manifest document (go.mod) or a Dockerfile. */
export async function hover(params: HoverParams, sessions: Sessions): Promise<Hover | null> {
  const document = sessions.store.get(params.textDocument.uri);
  if (!document) return null;
  const manifest = manifestDocumentOf(document);
  if (manifest) {
    if (!manifest.hover) return null;
    const fsPath = document.uri.startsWith('file:') ? URI.parse(document.uri).fsPath : undefined;
    return manifestHover(manifest.hover, document.getText(), fsPath, params.position, (file) => sessions.openText(file));
  }
  if (!isDockerfile(document)) return null;
  const version = document.version;
  const model = sessions.store.model(document);
  const onPackage = packageAt(model, params.position);
  if (onPackage) {
    const knowledge = sessions.sizeKnowledge();
    // The first question starts the loads; the hover waits for them a little.
    if (!packageFactsKnown(model, onPackage, knowledge)) await sessions.packagesLoaded();
    if (document.version !== version) return null;
    return packageHover(model, onPackage, knowledge, sessions.packageProblem(model, onPackage.stage));
  }
  return dockerfileHover(
    model,
    params.position,
    async () => {
      const session = await sessions.session(document);
      const sizes = sessions.sizeKnowledge();
      const { project } = session;
      return {
        project,
        runtime: session.settings.runtime,
        knowledge: { size: (ref) => sessions.images.size(ref), details: (ref) => sessions.images.details(ref), sizes },
        estimate: () => sessions.estimate(session),
      };
    },
    () => document.version === version,
  );
}
