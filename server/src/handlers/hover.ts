// Hovers: on go.mod's go line, the Go releases of the Dockerfiles that build the module; in a
// Dockerfile, UPX's trade-off on its RUN, and a base image's size and facts on its FROM.
import type { Hover, HoverParams, Position } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { parseGoMod } from '../analysis/languages/go/gomod';
import { goDirectiveHover } from '../analysis/languages/go/gomodHover';
import type { DockerfileModel } from '../analysis/model';
import { parseDockerfile } from '../analysis';
import { baseImageHover, stageAtBase, type HoverKnowledge } from '../analysis/estimate/present';
import { upxHover } from '../analysis/languages/go/upx';
import type { EstimatePair } from '../analysis/estimate/estimate';
import type { RuntimeChoice } from '../analysis/findings';
import type { ProjectFacts } from '../analysis/project';
import { findDockerfiles } from '../workspace/dockerfiles';
import { builderGo } from '../analysis/languages/go/builderGo';
import { goBinarySize } from '../analysis/languages/go/binarySize';
import { isDockerfile, manifestDocumentOf } from '../documents';
import { goModDocument } from '../analysis/languages/go';
import type { Sessions } from '../sessions';
import { packageAt, packageFactsKnown, packageHover } from '../analysis/packages/packageHover';

/** go.mod's `go` line: what each Dockerfile beside it builds with. `openText` gives unsaved editor text. */
export async function goModHover(text: string, fsPath: string | undefined, position: Position, openText: (file: string) => string | undefined): Promise<Hover | null> {
  const goMod = parseGoMod(text);
  if (goMod.goRange?.start.line !== position.line || fsPath === undefined) return null;
  const dir = path.dirname(fsPath);
  const dockerfiles = [];
  for (const file of await findDockerfiles(dir)) {
    const dockerfile = openText(file) ?? (await fs.readFile(file, 'utf8').catch(() => undefined));
    if (dockerfile !== undefined) dockerfiles.push({ path: path.relative(dir, file), model: parseDockerfile(dockerfile) });
  }
  return goDirectiveHover(goMod, position.line, dockerfiles) ?? null;
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
  const packing = upxHover(model, position);
  if (packing) return packing;
  const stage = stageAtBase(model, position);
  if (!stage) return null;
  const known = await facts();
  const estimate = stage.index === model.finalStage?.index ? await known.estimate() : undefined;
  if (!current()) return null;
  return baseImageHover(model, position, known.project, known.knowledge, estimate, known.runtime) ?? null;
}

/** textDocument/hover on go.mod or a Dockerfile. */
export async function hover(params: HoverParams, sessions: Sessions): Promise<Hover | null> {
  const document = sessions.store.get(params.textDocument.uri);
  if (!document) return null;
  if (manifestDocumentOf(document) === goModDocument) {
    const fsPath = document.uri.startsWith('file:') ? URI.parse(document.uri).fsPath : undefined;
    return goModHover(document.getText(), fsPath, params.position, (file) => sessions.openText(file));
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
        knowledge: { size: (ref) => sessions.images.size(ref), details: (ref) => sessions.images.details(ref), binary: (build, s, built) => goBinarySize(sizes, build, built, builderGo(model, s)) },
        estimate: () => sessions.estimate(session),
      };
    },
    () => document.version === version,
  );
}
