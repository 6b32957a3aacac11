// Go as one of the languages: the golang images, go.mod, the go builds, and its rules. Go's analysis goes
// deeper than a manifest and a command: go.mod is read by gomod.ts wherever it sits in the context,
// the sources by source/ through tree-sitter (ProjectFacts.own.go.needs), the builds by gobuild.ts. The
// estimate asks it, like every language, for what its RUN steps leave and what a COPY --from
// takes: the binary's size comes from what the caller measured of the go build it asked to measure
// (measuredBuilds.ts) or from the calibrated model in binarySize.ts, and the build cache from the model.
import type { ArtifactSize, LanguageHover, LanguageRules, LanguageSupport, ManifestDocument } from '../types';
import type { Rule } from '../../findings';
import type { DockerfileModel, RunStep, Stage } from '../../model';
import type { ProjectFacts } from '../../project';
import type { SizeKnowledge } from '../../estimate/sizes';
import { describeGolangImage, isGolangImage } from './image';
import { goBuildsIn } from './goBuilds';
import { binaryLocations, binaryPath } from './binaries';
import { builderGo } from './builderGo';
import { estimateBuildCache, goBinarySize } from './binarySize';
import { commandName } from '../../shell';
import { baseFactsOf } from '../../runtime';
import * as rules from './rules';
import { goHover } from './hover';
import { nonrootRisks } from './runtimeFiles';
import { goCreations } from './runCreations';
import { goFacts } from './source/facts';
import { goContext } from './context';
import { GO_GRAMMARS } from './source/parser';
import { builtProject } from './compiled';
import { goRoutes } from './source/routes';
import { goMeasuredBuilds } from './measuredBuilds';
import { parseGoMod } from './gomod';
import { analyzeGoMod } from './gomodFindings';
import { addUpx, upxActions, upxHover, UPX_TITLE } from './upx';
import { goModHover } from './gomodHover';
import { goCatalog } from './catalog';

declare module '../id' {
  interface LanguageIds {
    go: true;
  }
}

/** go.mod open in the editor: its requirements that force cgo (gomodFindings.ts), and the hover on its go line (gomodHover.ts). */
export const goModDocument: ManifestDocument = { fileName: 'go.mod', editorLanguage: 'go.mod', findings: (text, rules) => analyzeGoMod(parseGoMod(text), rules), hover: goModHover };

export const go: LanguageSupport = {
  id: 'go',
  name: 'Go',
  // The root go.mod; the workspace finds one in a subfolder too (ProjectFacts.own.go.goModPath). go.sum
  // is not listed: nothing reads it, and it runs to megabytes in large modules.
  manifests: ['go.mod'],
  // The Go sources are read by Go's own context reader (context.ts) into ProjectFacts.own.go.needs,
  // not as text, and go.sum by nothing: the server watches them all the same, since they change what the loader finds.
  watched: { names: ['go.sum'], extensions: ['.go'] },
  // The sources are parsed through tree-sitter's Go grammar, by the reader below (and for routes).
  grammars: GO_GRAMMARS,
  contextReader: goContext,
  routes: { grammars: GO_GRAMMARS, reads: goContext.reads, routes: goRoutes },
  // The go command alone does not mark Go (`go version`, `go mod download`): a go build does, as
  // gobuild.ts finds it, and a go.mod wherever it sits in the context (evidence below).
  buildCommands: [],
  evidence: {
    inContext: (project) => {
      const { goMod, goModPath } = goFacts(project);
      return goMod ? [`${goModPath ?? 'go.mod'} in the build context`] : [];
    },
    inStage: (model, stage) => (goBuildsIn(model, stage).length > 0 ? ['RUN go build'] : []),
  },
  describeImage: describeGolangImage,
  toolchainCommand: 'go',
  runCreations: goCreations,
  programBuilds: (model, stage) => goBuildsIn(model, stage).map((b) => b.run),
  // go-toolchain-in-final-image converts a go build on the golang image, and its conversion sets the user.
  convertsFinalStage: (model, final) => isGolangImage(baseFactsOf(model, final)) && goBuildsIn(model, final).length > 0,
  // Go's rules set no `language`: they look for go builds and Go sources themselves (rules/index.ts).
  // What a converted Go image still lacks, and its build flags, come after the other languages' conversions.
  rules: readingBuiltProject({
    structure: [rules.goToolchainInFinalImage, rules.heavyRuntimeBase, rules.libcMismatch, rules.cgoNotDisabled, rules.runtimeGlibcOlderThanBuilder, rules.builderOlderThanGoMod, rules.goGetGopathMode],
    runtimeFiles: [rules.scratchMissingCaCertificates, rules.scratchMissingZoneinfo],
    binary: [rules.debugInfoNotStripped, rules.buildPathsInBinary],
    caches: [rules.moduleDownloadNotCached],
  }),
  nonrootRisks: (model, project, final) => nonrootRisks(builtProject(model, project), final),
  hover: {
    smallerBase: (model, final, project, facts, runtime) => goHover.smallerBase?.(model, final, builtProject(model, project), facts, runtime),
    stageLines: (model, stage, project, knowledge) => goHover.stageLines?.(model, stage, builtProject(model, project), knowledge) ?? [],
    // The costs of packing with UPX, on the RUN that packs (upx.ts).
    onLine: upxHover,
  } satisfies LanguageHover,
  estimateRun: (model, stage, run, project, sizes) => estimateGoRun(model, stage, run, builtProject(model, project), sizes),
  artifactSize(model, stage, path, whole, sizes) {
    const project = builtProject(model, whole);
    // The binary where the build left it, or where a cp/mv after the build put it.
    const build = goBuildsIn(model, stage).find((b) => binaryLocations(b, project)?.paths.includes(path));
    if (!build) return undefined;
    const binary = goBinarySize(sizes, build, project, builderGo(model, stage));
    return { what: `Go binary ${path}`, bytes: binary.bytes, provenance: binary.provenance };
  },
  // A trusted workspace measures each delivered binary with a real go build (measuredBuilds.ts).
  measuredBuilds: goMeasuredBuilds,
  manifestDocument: goModDocument,
  // `slimfile minimize --upx`: packs every binary the final image receives (upx.ts).
  // In the editor, a refactor on each go build that can be packed.
  onRequest: [
    {
      flag: 'upx',
      title: UPX_TITLE,
      usage: 'packs the binary with UPX (smaller, but see docs/rules.md#upx for what it costs)',
      notMade: 'not packed with UPX',
      make: (text, project) => addUpx(text, project),
      inRange: upxActions,
    },
  ],
  catalog: goCatalog,
};

/**
 * Go's rules, each reading the project as the Dockerfile's builds compile it (compiled.ts): a
 * `go build main.go` is judged by main.go and its imports, not by its folder's other files.
 */
function readingBuiltProject(groups: { [G in keyof LanguageRules]-?: readonly Rule[] }): LanguageRules {
  const read = (rule: Rule): Rule => ({ ...rule, check: (input) => rule.check({ ...input, project: builtProject(input.model, input.project) }) });
  return { structure: groups.structure.map(read), runtimeFiles: groups.runtimeFiles.map(read), binary: groups.binary.map(read), caches: groups.caches.map(read) };
}

/** The binary each go build of the step writes, the build cache it leaves, and the module cache it downloads. */
function estimateGoRun(model: DockerfileModel, stage: Stage, run: RunStep, project: ProjectFacts, sizes: SizeKnowledge): ArtifactSize[] {
  const layers: ArtifactSize[] = [];
  const builds = goBuildsIn(model, stage).filter((b) => b.run === run);
  for (const build of builds) {
    const go = builderGo(model, stage);
    const binary = goBinarySize(sizes, build, project, go);
    layers.push({ what: `Go binary ${binaryPath(build, project) ?? ''}`.trim(), bytes: binary.bytes, provenance: binary.provenance });
    if (!run.mounts.some((m) => m.type === 'cache' && (m.target ?? '').includes('go-build'))) {
      const cache = estimateBuildCache(build, project, go);
      layers.push({ what: 'Go build cache left in the layer', bytes: cache.bytes, provenance: cache.provenance });
    }
  }
  const downloadsModules = run.commands.some((c) => commandName(c) === 'go' && c.argv[1] === 'mod' && c.argv[2] === 'download');
  const requires = goFacts(project).goMod?.requires.length ?? 0;
  if ((downloadsModules || builds.length > 0) && requires > 0 && !run.mounts.some((m) => m.type === 'cache' && (m.target ?? '').includes('/pkg/mod'))) {
    // A build after an earlier `go mod …` step finds the modules in that step's layer.
    if (downloadsModules || !stage.runs.some((r) => r.range.start.line < run.range.start.line && r.commands.some((c) => c.argv[1] === 'mod'))) {
      layers.push({ what: `Go module cache (${requires} requirements)`, bytes: undefined, provenance: undefined });
    }
  }
  return layers;
}
