# build_debian_stand_in GROUP BASE PACKAGES EXTRA-SCRIPT COMMIT-CHANGES...: BASE (a bookworm rootfs:
# $IMG_ROOTFS, or $IMG_ROOTFS_SLIM for the images the official ones build on debian:bookworm-slim)
# plus Debian packages (no recommends, no apt lists), tagged with every tag of the array named
# GROUP. Sourced by the Java, Node and Python stand-in files; a stand_in of docker-setup.sh.
# shellcheck shell=bash disable=SC2034
BUILDPACK_PACKAGES='gcc g++ make libc6-dev git curl ca-certificates'
build_debian_stand_in() {
  local group=$1 base=$2 packages=$3 extra=$4; shift 4
  stand_in "$group" "$base" "
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $packages >/dev/null
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
    $extra
  " "$@"
}
