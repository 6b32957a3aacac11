// Every rule, in the order Minimize tries their fixes: structure first, then what the new
// structure still lacks, then polish. Each language's rules live in rules/<language>/; the rules
// here at the top apply to any image. Go's rules are placed one by one, since what a converted Go
// image still lacks (certificates, zone data) comes between the shared rules; the other
// languages' lists run as blocks.
import type { Rule } from '../findings';
import {
  goToolchainInFinalImage,
  heavyRuntimeBase,
  libcMismatch,
  cgoNotDisabled,
  runtimeGlibcOlderThanBuilder,
  builderOlderThanGoMod,
  goGetGopathMode,
  scratchMissingCaCertificates,
  scratchMissingZoneinfo,
  debugInfoNotStripped,
  buildPathsInBinary,
  moduleDownloadNotCached,
} from '../languages/go/rules';
import { scratchUnknownUser } from './scratch-unknown-user';
import { runsAsRoot } from './runs-as-root';
import { packageCacheInFinalImage } from './package-cache-in-final-image';
import { missingDockerignore } from './missing-dockerignore';
import { RUST_RULES } from '../languages/rust/rules';
import { C_RULES } from '../languages/c/rules';
import { JAVA_RULES } from '../languages/java/rules';
import { NODE_RULES } from '../languages/node/rules';
import { PYTHON_RULES } from '../languages/python/rules';

export const RULES: readonly Rule[] = [
  goToolchainInFinalImage,
  heavyRuntimeBase,
  libcMismatch,
  cgoNotDisabled,
  runtimeGlibcOlderThanBuilder,
  builderOlderThanGoMod,
  goGetGopathMode,
  // Other languages, each list in its own order (structure first). They run only on files that
  // build their language, and sit before the shared rules below so those see the converted file.
  ...RUST_RULES,
  ...C_RULES,
  ...JAVA_RULES,
  ...NODE_RULES,
  ...PYTHON_RULES,
  scratchMissingCaCertificates,
  scratchMissingZoneinfo,
  scratchUnknownUser,
  debugInfoNotStripped,
  buildPathsInBinary,
  runsAsRoot,
  packageCacheInFinalImage,
  moduleDownloadNotCached,
  missingDockerignore,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
