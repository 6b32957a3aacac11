# build_debian_stand_in GROUP PACKAGES EXTRA-SCRIPT COMMIT-CHANGES...: the bookworm rootfs plus
# Debian packages (no recommends, no apt lists), tagged with every tag of the array named GROUP.
# Sourced by the Java, Node and Python stand-in files; a stand_in of docker-setup.sh.
# shellcheck shell=bash disable=SC2034
BUILDPACK_PACKAGES='gcc g++ make libc6-dev git curl ca-certificates'
build_debian_stand_in() {
  local group=$1 packages=$2 extra=$3; shift 3
  stand_in "$group" "$IMG_ROOTFS" "
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $packages >/dev/null
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
    $extra
  " "$@"
}
