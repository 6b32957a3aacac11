// Every rule, in the order Minimize tries their fixes: structure first, then what the new
// structure still lacks, then polish.
import type { Rule } from '../findings';
import { goToolchainInFinalImage } from './go-toolchain-in-final-image';
import { heavyRuntimeBase } from './heavy-runtime-base';
import { libcMismatch } from './libc-mismatch';
import { cgoNotDisabled } from './cgo-not-disabled';
import { runtimeGlibcOlderThanBuilder } from './runtime-glibc-older-than-builder';
import { builderOlderThanGoMod } from './builder-older-than-go-mod';
import { goGetGopathMode } from './go-get-gopath-mode';
import { scratchMissingCaCertificates } from './scratch-missing-ca-certificates';
import { scratchMissingZoneinfo } from './scratch-missing-zoneinfo';
import { scratchUnknownUser } from './scratch-unknown-user';
import { debugInfoNotStripped } from './debug-info-not-stripped';
import { buildPathsInBinary } from './build-paths-in-binary';
import { runsAsRoot } from './runs-as-root';
import { packageCacheInFinalImage } from './package-cache-in-final-image';
import { moduleDownloadNotCached } from './module-download-not-cached';
import { missingDockerignore } from './missing-dockerignore';
import { RUST_RULES } from './rust';
import { C_RULES } from './c';
import { JAVA_RULES } from './java';
import { NODE_RULES } from './node';
import { PYTHON_RULES } from './python';

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
