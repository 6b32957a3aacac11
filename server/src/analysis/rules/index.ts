// Every rule, in the order Minimize tries their fixes: structure first, then what the new
// structure still lacks, then polish.
import type { Rule } from '../findings';
import { goToolchainInFinalImage } from './go-toolchain-in-final-image';
import { heavyRuntimeBase } from './heavy-runtime-base';
import { libcMismatch } from './libc-mismatch';
import { cgoNotDisabled } from './cgo-not-disabled';
import { runtimeGlibcOlderThanBuilder } from './runtime-glibc-older-than-builder';
import { builderOlderThanGoMod } from './builder-older-than-go-mod';
import { scratchMissingCaCertificates } from './scratch-missing-ca-certificates';
import { scratchMissingZoneinfo } from './scratch-missing-zoneinfo';
import { scratchUnknownUser } from './scratch-unknown-user';
import { debugInfoNotStripped } from './debug-info-not-stripped';
import { buildPathsInBinary } from './build-paths-in-binary';
import { runsAsRoot } from './runs-as-root';
import { packageCacheInFinalImage } from './package-cache-in-final-image';
import { moduleDownloadNotCached } from './module-download-not-cached';
import { missingDockerignore } from './missing-dockerignore';
import { jdkInFinalImage } from './java/jdk-in-final-image';
import { javaReleaseNewerThanRuntime } from './java/java-release-newer-than-runtime';
import { deprecatedJavaImage } from './java/deprecated-java-image';
import { nodeFrontendBuildInRuntime } from './node/node-frontend-build-in-runtime';
import { nodeFullImage } from './node/node-full-image';
import { nodeDevDependenciesInImage } from './node/node-dev-dependencies-in-image';
import { npmCacheInImage } from './node/npm-cache-in-image';
import { pythonFullImage } from './python/python-full-image';
import { pythonAlpineSourceBuilds } from './python/python-alpine-source-builds';
import { pipCacheInImage } from './python/pip-cache-in-image';

export const RULES: readonly Rule[] = [
  goToolchainInFinalImage,
  heavyRuntimeBase,
  libcMismatch,
  cgoNotDisabled,
  runtimeGlibcOlderThanBuilder,
  builderOlderThanGoMod,
  scratchMissingCaCertificates,
  scratchMissingZoneinfo,
  scratchUnknownUser,
  debugInfoNotStripped,
  buildPathsInBinary,
  runsAsRoot,
  packageCacheInFinalImage,
  moduleDownloadNotCached,
  missingDockerignore,
  // Java, Node, Python: the stage split first, then the base swaps, then the installs' options.
  jdkInFinalImage,
  javaReleaseNewerThanRuntime,
  deprecatedJavaImage,
  nodeFrontendBuildInRuntime,
  nodeFullImage,
  nodeDevDependenciesInImage,
  npmCacheInImage,
  pythonFullImage,
  pythonAlpineSourceBuilds,
  pipCacheInImage,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
