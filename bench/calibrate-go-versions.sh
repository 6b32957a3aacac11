#!/usr/bin/env bash
# Runs bench/calibrate-go-binary.sh inside each golang stand-in image (test/e2e/docker-setup.sh),
# so every Go release is calibrated with its own toolchain, its own Debian release's golang-*-dev
# modules and gcc, and writes server/src/analysis/languages/go/calibration/go-binary-calibration-<1.N>.json.
#
# Usage: bench/calibrate-go-versions.sh [1.22 1.24 1.27 ...]   (default: 1.22 1.24 1.27)
#   Go 1.19's figures are go-binary-calibration.json, made on the host's bookworm Go 1.19
#   (run bench/calibrate-go-binary.sh directly for it).
#
# The containers reach Debian's mirror for `file` and the module sources. Node comes from the
# host (mounted read-only) to assemble the JSON. From Go 1.20 a naive build compiles the standard
# library into its cache, so the naive build cache is measured only for the programs the estimate
# reads it from (NAIVE_PROGRAMS below); a run takes 10-20 minutes per release on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSIONS=("$@")
[ "${#VERSIONS[@]}" -gt 0 ] || VERSIONS=(1.22 1.24 1.27)
OUT_DIR=server/src/analysis/languages/go/calibration
NODE=$(command -v node)
# The modules of the calibration's third-party programs (see calibrate-go-binary.sh).
DEV_PACKAGES="golang-google-grpc-dev golang-github-gorilla-mux-dev golang-github-spf13-cobra-dev
  golang-github-sirupsen-logrus-dev golang-gopkg-yaml.v3-dev golang-github-mattn-go-sqlite3-dev
  golang-github-joho-godotenv-dev golang-github-gin-gonic-gin-dev golang-github-spf13-viper-dev
  golang-github-coreos-bbolt-dev"
NAIVE_PROGRAMS="minimal hello http-server gorilla-mux godotenv gin-server sqlite3-cgo"

for v in "${VERSIONS[@]}"; do
  image="golang:$v"
  docker image inspect "$image" >/dev/null 2>&1 || { echo "no $image: run test/e2e/docker-setup.sh" >&2; exit 1; }
  out="go-binary-calibration-$v.json"
  echo "[calibrate-go-versions] $image -> $OUT_DIR/$out ($(date -u +%T))" >&2
  docker run --rm --network "${SLIMFILE_BUILD_NETWORK:-default}" \
    -v "$PWD/bench:/bench:ro" -v "$NODE:/usr/local/bin/node:ro" -v "$PWD/$OUT_DIR:/out" \
    -e NAIVE_PROGRAMS="$NAIVE_PROGRAMS" -e FULL_REBUILD_PROGRAMS= -e CALIBRATE_TRACE="${CALIBRATE_TRACE:-}" \
    "$image" bash -euo pipefail -c "
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends file libsqlite3-dev $(echo $DEV_PACKAGES) >/dev/null
      bash ${CALIBRATE_TRACE:+-x} /bench/calibrate-go-binary.sh /out/$out.tmp
      mv /out/$out.tmp /out/$out"
done
