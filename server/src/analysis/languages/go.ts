// Go as one of the languages: the golang images, go.mod, and the go command. Go's analysis goes
// deeper than a manifest and a command: go.mod is read by gomod.ts wherever it sits in the context,
// the sources by go/ through tree-sitter (ProjectFacts.needs), the builds by gobuild.ts, and the
// estimate sizes Go binaries from its calibration (estimate/goBinary.ts).
import type { LanguageSupport } from './types';
import { describeGolangImage } from './goImage';

export const go: LanguageSupport = {
  id: 'go',
  name: 'Go',
  // The root go.mod; the workspace finds one in a subfolder too (ProjectFacts.goModPath). go.sum
  // is not listed: nothing reads it, and it runs to megabytes in large modules.
  manifests: ['go.mod'],
  // The Go sources are read by the workspace's Go loader into ProjectFacts.needs, not as text.
  buildCommands: ['go'],
  describeImage: describeGolangImage,
};
