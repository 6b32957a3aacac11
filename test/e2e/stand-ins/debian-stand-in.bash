# build_debian_stand_in GROUP PACKAGES EXTRA-SCRIPT COMMIT-CHANGES...: the bookworm rootfs plus
# Debian packages (no recommends, no apt lists), tagged with every tag of the array named GROUP.
# Sourced by the Java, Node and Python stand-in files; uses docker-setup.sh's helpers.
# shellcheck shell=bash disable=SC2034
BUILDPACK_PACKAGES='gcc g++ make libc6-dev git curl ca-certificates'
if ! declare -F build_debian_stand_in >/dev/null; then
  build_debian_stand_in() {
    declare -n stand_in_tags=$1
    local packages=$2 extra=$3; shift 3
    if image_ok "${stand_in_tags[0]}" "$rootfs_id"; then
      log "reusing ${stand_in_tags[0]}"
    else
      log "building ${stand_in_tags[0]} (Debian: $packages) - needs the Debian mirror"
      run_and_commit "slimfile-$(echo "${stand_in_tags[0]}" | tr ':.' '--')-build" "$IMG_ROOTFS" "
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends $packages >/dev/null
        rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
        $extra
      " "${stand_in_tags[0]}" "LABEL $LABEL_RECIPE=$RECIPE" "LABEL $LABEL_BASE=$rootfs_id" "$@"
    fi
    tags_ok "$(image_id "${stand_in_tags[0]}")" "${stand_in_tags[@]}" || tag_all "${stand_in_tags[0]}" "${stand_in_tags[@]}"
    ALL_TAGS+=("${stand_in_tags[@]}")
  }
fi
