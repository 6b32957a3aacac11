// The Go rules. Unlike the other languages' lists they are not one block in Minimize's order: Go's
// entry (../index.ts) puts them in groups that rules/index.ts places (the conversion first, the
// scratch needs after every language's conversion, the build flags last). They set no `language`: they look for go builds and Go
// sources themselves, and ran on every file before detection existed, which keeps files whose
// Go build detection cannot see (a go build behind a script) under the same rules as before.
export { goToolchainInFinalImage } from './go-toolchain-in-final-image';
export { heavyRuntimeBase } from './heavy-runtime-base';
export { libcMismatch } from './libc-mismatch';
export { cgoNotDisabled } from './cgo-not-disabled';
export { runtimeGlibcOlderThanBuilder } from './runtime-glibc-older-than-builder';
export { builderOlderThanGoMod } from './builder-older-than-go-mod';
export { goGetGopathMode } from './go-get-gopath-mode';
export { scratchMissingCaCertificates } from './scratch-missing-ca-certificates';
export { scratchMissingZoneinfo } from './scratch-missing-zoneinfo';
export { debugInfoNotStripped } from './debug-info-not-stripped';
export { buildPathsInBinary } from './build-paths-in-binary';
export { moduleDownloadNotCached } from './module-download-not-cached';
