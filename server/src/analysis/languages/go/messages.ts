// Go's user-facing sentences, as functions the tests call too (the shared ones are in
// analysis/messages.ts).

/** What stripping saved on measured builds, in percent of the binary. */
export interface StripSaving {
  readonly average: number;
  readonly least: number;
  readonly most: number;
  /** The Go release the measurements were made with ("1.19"). */
  readonly go: string;
}

function olderGlibc(a: string, b: string): boolean {
  const [a1, a2] = a.split('.').map(Number) as [number, number];
  const [b1, b2] = b.split('.').map(Number) as [number, number];
  return a1 < b1 || (a1 === b1 && a2 < b2);
}

export const goMessages = {
  goToolchainInFinalImage: (image: string): string =>
    `The final image is ${image}, a Go toolchain image of several hundred MB that also keeps the sources and the build cache. ` +
    'Build in a named stage and copy only the binary into a small runtime image.',
  heavyRuntimeBase: (image: string, better: string): string =>
    `The Go binary runs on ${image}, which carries a shell, a package manager and libraries the binary does not use. ${better} would do.`,
  missingCaCertificates: (image: string): string =>
    `The program makes outgoing TLS calls, but ${image} has no CA certificates: it will fail with "x509: certificate signed by unknown authority". Copy /etc/ssl/certs/ca-certificates.crt into the image.`,
  embeddedRootsHint: (): string => 'Or link the roots into the binary: import _ "golang.org/x/crypto/x509roots/fallback".',
  missingZoneinfo: (image: string): string =>
    `The program loads time zones (time.LoadLocation), but ${image} has no /usr/share/zoneinfo: it will fail with "unknown time zone". Copy the zoneinfo or build with -tags timetzdata.`,
  cgoNotDisabled: (runtime: string): string =>
    `The binary goes to ${runtime}, but cgo is not disabled. Nothing in the program needs cgo: build with CGO_ENABLED=0 for a static binary that runs anywhere.`,
  libcMismatchGlibc: (runtime: string, why: string): string =>
    `This binary links glibc dynamically (cgo is on and ${why}), but ${runtime} has no glibc: the container will fail with "exec ...: no such file or directory".`,
  libcMismatchMusl: (runtime: string): string =>
    `This binary is built with cgo against musl (Alpine), but ${runtime} uses glibc: the container will fail with "exec ...: no such file or directory".`,
  /**
   * Every cgo binary linked against glibc 2.34 or newer needs GLIBC_2.34 (pthread moved into libc);
   * above that, only the symbols its C code uses decide. The quoted failure was seen on the engine
   * (docs/rules.md#runtime-glibc-older-than-builder).
   */
  glibcOlder: (builder: string, builderGlibc: string, runtime: string, runtimeGlibc: string, binary: string): string =>
    olderGlibc(runtimeGlibc, '2.34')
      ? `The cgo binary is built on ${builder} (glibc ${builderGlibc}) but runs on ${runtime} (glibc ${runtimeGlibc}): every cgo binary built against glibc 2.34 or newer needs GLIBC_2.34, so it stops at start with "${binary}: /lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.34' not found (required by ${binary})". Use the same release in both stages.`
      : `The cgo binary is built on ${builder} (glibc ${builderGlibc}) but runs on ${runtime} (glibc ${runtimeGlibc}): if its C code links any glibc symbol newer than ${runtimeGlibc}, it stops at start, as seen on a Docker Engine for a strtol call built on golang:1.24 and run on distroless base-debian12: "${binary}: /lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.38' not found (required by ${binary})". Use the same release in both stages.`,
  notStripped: (add: { readonly strip: readonly string[]; readonly trimpath: boolean }, measured: StripSaving | undefined): string =>
    `The go build keeps ${add.strip.includes('-w') ? 'its symbol table and DWARF debug information' : 'its symbol table'}, which the running binary does not need: ` +
    `add -ldflags "${add.strip.join(' ')}"${add.trimpath ? ' and -trimpath' : ''}.` +
    (measured ? ` On Slimfile's calibration programs (Go ${measured.go}, docs/calibration.md), -s -w cut the binary by ${measured.average}% on average (${measured.least}-${measured.most}%).` : '') +
    (add.trimpath ? ' -trimpath keeps the build paths out of the binary.' : ''),
  buildPathsInBinary: (): string =>
    "The go build records the builder's file paths in the binary: add -trimpath, so the binary does not depend on where the sources were built and does not show those paths.",
  builderOlderThanGoMod: (builder: string, needed: string, have: string, behaviour: 'stops' | 'downloads' | 'no-switching'): string =>
    `The builder ${builder} is older than go.mod's \`go ${needed}\`: ` +
    (behaviour === 'stops'
      ? `with GOTOOLCHAIN=local, which the golang images set, the build stops with "go: go.mod requires go >= ${needed} (running go ${have.split('.').length < 3 ? `${have}.x` : have}; GOTOOLCHAIN=local)".`
      : behaviour === 'downloads'
        ? `GOTOOLCHAIN allows a switch, so go downloads go${needed} from the module proxy during the build: the toolchain is no longer part of the pinned base image, and the build fails offline or with GOPROXY=off.`
        : `Go ${have} has no toolchain switching; it builds with its own toolchain and fails on any language feature or package newer than ${have}.`) +
    ` Build with golang:${needed} or newer.`,
  builderOlderThanToolchain: (builder: string, toolchain: string): string =>
    `go.mod's \`toolchain go${toolchain}\` is newer than ${builder}, and the stage sets GOTOOLCHAIN to switch: go downloads go${toolchain} from the module proxy during the build, so the toolchain is not the one the base image pins, and the build fails offline or with GOPROXY=off. Build with golang:${toolchain.split('.').slice(0, 2).join('.')} or newer, or set GOTOOLCHAIN=local.`,
  goGetGopathMode: (go: string, source: string): string =>
    `\`go get\` in GOPATH mode (GO111MODULE=off) was removed in Go 1.22, and this stage builds with Go ${go} (${source}): the build stops here with "go: modules disabled by GO111MODULE=off; see 'go help modules'" (seen on a golang:1.24 image). Move the project to modules (go mod init, go mod tidy), or build with golang:1.21.`,
  moduleDownloadNotCached: (): string =>
    'The sources are copied before the modules are downloaded, so every code change downloads every module again. Copy go.mod and go.sum first and run go mod download.',
  moduleReplacedByFolder: (module: string, folder: string): string =>
    `go.mod replaces ${module} with the folder ${folder}, which \`go mod download\` reads before the sources are copied ("reading ${folder.replace(/^\.\//, '')}/go.mod: no such file or directory"); copy that folder's go.mod too`,
  moduleDestinationUnknown: (goModPath: string): string =>
    `where this COPY puts ${goModPath} is not known (a pattern, a variable, or more than one source holding it)`,
  cgoDependency: (module: string, alternative: string | undefined): string =>
    `${module} needs cgo: the binary must link libc, which keeps the image off scratch and distroless static (use distroless base or cc).` +
    (alternative ? ` A pure-Go alternative: ${alternative}.` : ''),
};
