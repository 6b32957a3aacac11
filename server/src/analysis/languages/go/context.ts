// How Go reads the build context, which the workspace walks for it (LanguageSupport.context): a
// go.mod wherever it sits, and the .go sources, parsed through tree-sitter into what the program
// needs at run time (ProjectFacts.own.go). The parse trees are kept between saves, so a saved
// file is parsed again alone.
import type { ContextFactsState, ContextFiles, ContextReader } from '../types';
import type { ProjectFacts } from '../../project';
import { parseGoMod } from './gomod';
import { analyzeParsedGoSources, mainPackagesOf, ParsedSourceCache, type SourceFile } from './source/needs';

/** Folders that hold no package of the build (and node_modules, whose .go files are a package's own). */
const NOT_BUILT = new Set(['vendor', 'testdata', 'node_modules']);

export const goContext: ContextReader = {
  roots: ['go.mod'],
  // Go's own rule: vendor, testdata, and names starting with . or _ hold no package of the build.
  sees: (rel) => rel.split('/').every((part) => !NOT_BUILT.has(part) && !part.startsWith('.') && !part.startsWith('_')),
  // A Go file `go build` may compile (tests are not).
  reads: (rel) => rel.endsWith('.go') && !rel.endsWith('_test.go'),
  maxFileBytes: 512 * 1024,
  maxFiles: (limits) => limits.maxGoFiles,
  limit: { section: 'goScan', key: 'maxFiles', field: 'maxGoFiles', editorDefault: 2000, cliDefault: 5000 },
  open: () => new GoContextState(),
};

class GoContextState implements ContextFactsState {
  private readonly parsed = new ParsedSourceCache();

  async facts(found: ContextFiles, last: ProjectFacts | undefined): Promise<{ own: ProjectFacts['own']; notes: string[] }> {
    const notes: string[] = [];
    // go.mod at the root; else the only one the context holds (a repository whose module is in a subfolder).
    const goModRel = found.roots.includes('go.mod') ? 'go.mod' : found.roots.length === 1 ? found.roots[0] : undefined;
    const goModText = await found.read(goModRel ?? 'go.mod');
    const goMod = goModText !== undefined ? parseGoMod(goModText) : undefined;
    if (goMod && goMod.problems.length > 0) {
      notes.push(`go.mod: ${goMod.problems.length} line(s) could not be read (line ${goMod.problems[0]!.line + 1}: ${goMod.problems[0]!.message})`);
    }
    const goFiles: SourceFile[] = [...found.files].map(([rel, text]) => ({ path: rel, text }));
    const parsed = this.parsed.parse(goFiles);
    const needs = analyzeParsedGoSources(parsed.files, goFiles.length, goMod, { truncated: found.truncated });
    return {
      own: {
        go: {
          goMod,
          goModPath: goMod ? (goModRel ?? 'go.mod') : undefined,
          // All or nothing: a cache keyed on one part may read others beside it.
          needs: found.sameIfEqual(needs, last?.own.go?.needs),
          hasGoSources: goFiles.length > 0,
          mainPackages: mainPackagesOf(parsed.files),
          sources: this.parsed.snapshot(goFiles),
        },
      },
      notes,
    };
  }

  dispose(): void {
    this.parsed.dispose();
  }
}
