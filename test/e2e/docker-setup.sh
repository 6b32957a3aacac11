#!/usr/bin/env bash
# Slimfile e2e: bring up a local Docker Engine and build the offline stand-in
# base images that the Dockerfiles under test use (no registry is reachable).
#
#   test/e2e/docker-setup.sh            # install/start/build what is missing
#   test/e2e/docker-setup.sh --check    # only report; exit 0 if all ready
#   test/e2e/docker-setup.sh --force    # rebuild every image (reuses rootfs cache)
#   test/e2e/docker-setup.sh --rootfs   # only debootstrap the missing rootfs tarballs (no engine)
#   test/e2e/docker-setup.sh --fresh    # everything from nothing in a throw-away dockerd, timed, then removed
#
# See test/e2e/README.md for what is built and why the flags are what they are.
set -euo pipefail

CACHE_DIR=${SLIMFILE_CACHE:-${HOME:-/root}/.cache/slimfile}
DOCKERD_LOG=${SLIMFILE_DOCKERD_LOG:-/var/log/slimfile-dockerd.log}
# Extra dockerd flags, word-split on purpose (e.g. "--iptables=false").
DOCKERD_FLAGS=${SLIMFILE_DOCKERD_FLAGS:-}
DOCKERD_WAIT=${SLIMFILE_DOCKERD_WAIT:-60}
DOCKER_SOCK=/var/run/docker.sock
MIRROR=${SLIMFILE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SETUP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

LABEL_RECIPE=org.slimfile.test.recipe
LABEL_BASE=org.slimfile.test.base

# Two rootfs images per Debian suite (debootstrap minbase with the official images' apt and dpkg
# settings, and its -slim variant), tagged like the official debian images.
SUITES=(bookworm trixie sid)
declare -A DEBIAN_TAGS_OF=(
  [bookworm]="debian:bookworm debian:12"
  [trixie]="debian:trixie debian:13"
  [sid]="debian:sid debian:unstable"
)
declare -A DEBIAN_SLIM_TAGS_OF=(
  [bookworm]="debian:bookworm-slim debian:12-slim"
  [trixie]="debian:trixie-slim debian:13-slim"
  [sid]="debian:sid-slim debian:unstable-slim"
)
# The stand-in golang images: "first-tag|suite|apt packages|more tags|GOTOOLCHAIN".
# golang:1.19 is bookworm's own golang-go; 1.22 and 1.23 come from bookworm-backports, 1.24 from
# trixie, 1.26 and 1.27 from sid (the Go versions Debian's mirror carries). Since Go 1.21 the
# official images set GOTOOLCHAIN=local; Go 1.19 does not know the variable.
GOLANG_IMAGES=(
  "golang:1.19|bookworm|golang-go|golang:1.19-bookworm|"
  "golang:1.22|bookworm-backports|golang-1.22-go|golang:1.22-bookworm|local"
  "golang:1.23|bookworm-backports|golang-1.23-go|golang:1.23-bookworm|local"
  "golang:1.24|trixie|golang-1.24-go|golang:1.24-trixie|local"
  "golang:1.26|sid|golang-1.26-go||local"
  "golang:1.27|sid|golang-1.27-go||local"
)
# Distroless stand-ins per Debian release, assembled from that release's golang image.
# "release|golang image|kind|with libc|with the C++ runtime (libgcc-s1, libstdc++6, libgomp1)".
DISTROLESS=(
  "12|golang:1.19|static|0|0"
  "12|golang:1.19|base|1|0"
  "12|golang:1.19|cc|1|1"
  "13|golang:1.24|static|0|0"
  "13|golang:1.24|base|1|0"
  "13|golang:1.24|cc|1|1"
)

rootfs_image() { echo "slimfile-test/$1-rootfs"; }   # SUITE, or SUITE-slim
field() { local IFS='|'; local a; read -r -a a <<<"$1"; echo "${a[$2]:-}"; }
golang_tags() { echo "$(field "$1" 0) $(field "$1" 3)"; }
golang_suite() { local s; s=$(field "$1" 1); echo "${s%-backports}"; }
distroless_root_tags() { local r k; r=$(field "$1" 0); k=$(field "$1" 2)
  echo "gcr.io/distroless/$k-debian$r gcr.io/distroless/$k-debian$r:latest"; }
distroless_nonroot_tags() { echo "gcr.io/distroless/$(field "$1" 2)-debian$(field "$1" 0):nonroot"; }

MODE=setup
FORCE=0
FRESH=0
for arg in "$@"; do
  case "$arg" in
    --check) MODE=check ;;
    --force) FORCE=1 ;;
    --rootfs) MODE=rootfs ;;
    --fresh) FRESH=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "docker-setup: unknown argument: $arg" >&2; exit 2 ;;
  esac
done
[ "$FRESH" = 0 ] || [ "$MODE" = setup ] || { echo "docker-setup: --fresh builds everything; it does not go with --check or --rootfs" >&2; exit 2; }

START=$(date +%s)
log() { printf '[docker-setup +%ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }
die() { printf '[docker-setup] ERROR: %s\n' "$*" >&2; exit 1; }

# The recipe label of an image: a hash of the exact text that builds it (its script, package list
# and commit changes). Any change to that text rebuilds the image on the next run, so a broken
# recipe fails on the machine of whoever changed it, not on a new contributor's.
recipe_hash() { printf '%s\0' "$@" | sha256sum | cut -c1-16; }

# Seconds each image took to build, for the summary ("tag|seconds").
BUILD_TIMES=()
timed() { # TAG COMMAND...: runs COMMAND and records how long it took under TAG
  local tag=$1 t0; shift
  t0=$(date +%s)
  "$@"
  BUILD_TIMES+=("$tag|$(( $(date +%s) - t0 ))")
}

daemon_up() {
  command -v docker >/dev/null 2>&1 || return 1
  [ -S "$DOCKER_SOCK" ] || return 1
  timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
image_label() {
  docker image inspect --format "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true
}

# image_ok TAG RECIPE [BASE_ID]: exists, built by the recipe whose hash is RECIPE, and (if given) on BASE_ID.
image_ok() {
  local tag=$1 recipe=$2 base=${3:-}
  [ "$FORCE" = 0 ] || return 1
  [ -n "$(image_id "$tag")" ] || return 1
  [ "$(image_label "$tag" "$LABEL_RECIPE")" = "$recipe" ] || return 1
  [ -z "$base" ] || [ "$(image_label "$tag" "$LABEL_BASE")" = "$base" ]
}

# tags_ok ID TAG...: every TAG points at image ID.
tags_ok() {
  local id=$1; shift
  [ -n "$id" ] || return 1
  local t
  for t in "$@"; do [ "$(image_id "$t")" = "$id" ] || return 1; done
}

tag_all() {
  local src=$1; shift
  local t
  for t in "$@"; do docker tag "$src" "$t"; done
}

# ================================================================ recipes
# Everything an image is built from is defined here, before any mode runs, so that --check
# computes the same recipe hashes as a build.

# The apt sources of the official image of each suite (deb822): sid has no -updates or -security.
apt_sources() { # SUITE
  if [ "$1" = sid ]; then
    # Check-Valid-Until: no - sid's Release file is valid for a week only, and the mirror
    # reachable here served one past that (apt-get update: "Release file ... is expired").
    printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\nCheck-Valid-Until: no\n' "$MIRROR"
    return
  fi
  cat <<SOURCES
Types: deb
URIs: $MIRROR
Suites: $1 $1-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $1-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
}

# Set while a debootstrap folder exists, so the exit trap can remove it.
ROOTFS_DIR=
cleanup_rootfs() {
  [ -n "$ROOTFS_DIR" ] || return 0
  # never rm -rf through a mount debootstrap may have left behind
  local m
  awk -v d="$ROOTFS_DIR" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r \
    | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$ROOTFS_DIR"
  ROOTFS_DIR=
}

# The settings the official Debian images carry, as debuerreotype writes them
# (github.com/debuerreotype/debuerreotype; the facts only, the wording here is ours).
# scripts/debuerreotype-minimizing-config, in every variant:
#   /usr/sbin/policy-rc.d                          exit 101: package scripts start no service
#   /etc/dpkg/dpkg.cfg.d/docker-apt-speedup        force-unsafe-io: dpkg does not sync after unpacking
#   /etc/apt/apt.conf.d/docker-autoremove-suggests a package only Suggested stays auto-removable
#   /etc/apt/apt.conf.d/docker-clean               downloaded .debs and the *.bin caches deleted after
#                                                  every dpkg run and every update; no pkgcache files
#   /etc/apt/apt.conf.d/docker-gzip-indexes        the lists stay compressed on disk
#   /etc/apt/apt.conf.d/docker-no-languages        no Translation files are fetched
minimizing_config() { # ROOT
  local root=$1 clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
  printf '#!/bin/sh\n# slimfile stand-in: no service starts during a build (debuerreotype-minimizing-config)\nexit 101\n' \
    >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  printf 'force-unsafe-io\n' >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  printf 'DPkg::Post-Invoke { %s };\nAPT::Update::Post-Invoke { %s };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' \
    "$clean" "$clean" >"$root/etc/apt/apt.conf.d/docker-clean"
  printf 'Acquire::GzipIndexes "true";\n' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  chmod 0644 "$root"/etc/dpkg/dpkg.cfg.d/docker-apt-speedup "$root"/etc/apt/apt.conf.d/docker-*
  # What the official tarball leaves out (scripts/debuerreotype-fixup, scripts/.tar-exclude and
  # examples/debian.sh): build logs, the ldconfig aux cache, apt's binary caches and logs, machine-id.
  rm -f "$root"/var/log/dpkg.log "$root"/var/log/bootstrap.log "$root"/var/log/alternatives.log \
    "$root"/var/cache/ldconfig/aux-cache "$root"/var/cache/apt/*.bin "$root"/var/log/apt/history.log \
    "$root"/var/log/apt/term.log "$root"/etc/machine-id
}

# The -slim variant (scripts/debuerreotype-slimify with the path lists in scripts/.slimify-excludes
# and scripts/.slimify-includes): /etc/dpkg/dpkg.cfg.d/docker makes dpkg skip docs, info pages,
# lintian overrides, locales and man pages of every later install, keeping the copyright files and
# the C locale's help, and what the rootfs already has there is deleted the same way.
SLIM_EXCLUDES=(/usr/share/doc/'*' /usr/share/doc/kde/HTML/'*'/'*' /usr/share/gnome/help/'*'/'*'
  /usr/share/info/'*' /usr/share/linda/'*' /usr/share/lintian/overrides/'*' /usr/share/locale/'*'
  /usr/share/man/'*' /usr/share/omf/'*'/'*-*.emf')
SLIM_INCLUDES=(/usr/share/doc/'*'/copyright /usr/share/doc/kde/HTML/C/'*' /usr/share/gnome/help/'*'/C/'*'
  /usr/share/locale/all_languages /usr/share/locale/currency/'*' /usr/share/locale/l10n/'*'
  /usr/share/locale/languages /usr/share/locale/locale.alias /usr/share/omf/'*'/'*-C.emf')
slimify() { # ROOT
  local root=$1 pattern dir keep=() mandirs=() d
  printf '# slimfile stand-in of the official -slim variant (debuerreotype-slimify):\n# dpkg leaves these paths out of every package it unpacks.\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/docker"
  for pattern in "${SLIM_EXCLUDES[@]}"; do echo "path-exclude $pattern"; done >>"$root/etc/dpkg/dpkg.cfg.d/docker"
  for pattern in "${SLIM_INCLUDES[@]}"; do echo "path-include $pattern"; done >>"$root/etc/dpkg/dpkg.cfg.d/docker"
  chmod 0644 "$root/etc/dpkg/dpkg.cfg.d/docker"
  for pattern in "${SLIM_INCLUDES[@]}"; do keep+=(${keep[0]:+-o} -path "$pattern"); done
  # Some packages' scripts fail without their man section folder, so those folders come back empty.
  for d in "$root"/usr/share/man/man[0-9]/; do [ -d "$d" ] && mandirs+=("$d"); done
  # find runs chrooted, so that the rootfs's absolute links resolve inside it
  for pattern in "${SLIM_EXCLUDES[@]}"; do
    dir=${pattern%/*}
    [ -d "$root$dir" ] || continue   # also skips the patterns whose folder part is itself a pattern
    chroot "$root" find "$dir" -depth -mindepth 1 -not \( -type d -o -type l \) -not \( "${keep[@]}" \) -delete
    # then empty folders and dangling links, until none is left (one may uncover the other)
    while [ -n "$(chroot "$root" find "$dir" -depth -mindepth 1 \( -empty -o -xtype l \) -print -delete | head -c 1)" ]; do :; done
  done
  [ "${#mandirs[@]}" = 0 ] || mkdir -p "${mandirs[@]}"
}

mirror_unreachable() { # LOG: the log says the mirror could not be reached
  grep -qiE "Failed getting release file|Could not resolve|Temporary failure resolving|Failed to fetch|Connection (refused|timed out)|Unable to connect|No route to host" "$1"
}

make_rootfs_tarball() { # SUITE TARBALL
  local suite=$1 tarball=$2 dir
  dir=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  chmod 755 "$dir"   # becomes the image's "/": mktemp's 0700 would lock out non-root users
  ROOTFS_DIR=$dir
  log "debootstrap --variant=minbase $suite ($MIRROR) -> $dir"
  if ! debootstrap --variant=minbase "$suite" "$dir" "$MIRROR" >"$CACHE_DIR/debootstrap-$suite.log" 2>&1; then
    tail -n 20 "$CACHE_DIR/debootstrap-$suite.log" >&2
    ! mirror_unreachable "$CACHE_DIR/debootstrap-$suite.log" \
      || die "cannot reach the Debian mirror $MIRROR; set SLIMFILE_DEBIAN_MIRROR to one this machine reaches"
    die "debootstrap $suite failed; see $CACHE_DIR/debootstrap-$suite.log"
  fi
  # Like the official image: no package cache, no apt lists, no host names, its apt and dpkg
  # settings; apt sources for the release, its updates and security.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  rm -f "$dir"/etc/apt/sources.list
  apt_sources "$suite" >"$dir/etc/apt/sources.list.d/debian.sources"
  : >"$dir/etc/hostname"
  : >"$dir/etc/resolv.conf"
  minimizing_config "$dir"
  tar --numeric-owner -C "$dir" -cf - . | gzip -1 >"$tarball.tmp"
  # the -slim variant is the same tree, slimmed (as the official build copies it and slims the copy)
  slimify "$dir"
  tar --numeric-owner -C "$dir" -cf - . | gzip -1 >"$(rootfs_tarball "$suite-slim").tmp"
  mv "$(rootfs_tarball "$suite-slim").tmp" "$(rootfs_tarball "$suite-slim")"
  mv "$tarball.tmp" "$tarball"
  cleanup_rootfs
}

# The cached debootstrap tarball of SUITE or SUITE-slim, named by the hash of the steps that make it.
ROOTFS_FUNCTIONS=(apt_sources minimizing_config slimify make_rootfs_tarball)
rootfs_tarball() { # SUITE[-slim]
  local suite=${1%-slim} variant=minbase
  [ "$suite" = "$1" ] || variant=slim
  echo "$CACHE_DIR/$suite-$variant-$(dpkg --print-architecture)-$(recipe_hash "$(declare -f "${ROOTFS_FUNCTIONS[@]}") ${SLIM_EXCLUDES[*]} ${SLIM_INCLUDES[*]}" "$suite" "$MIRROR").tar.gz"
}
rootfs_recipe_text() { echo "$(declare -f "${ROOTFS_FUNCTIONS[@]}") ${SLIM_EXCLUDES[*]} ${SLIM_INCLUDES[*]} $1 $MIRROR"; }
ROOTFS_CHANGES=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["bash"]')
produce_rootfs() { # SUITE[-slim] OUT
  local suite=${1%-slim} tarball
  tarball=$(rootfs_tarball "$1")
  if [ -s "$tarball" ]; then
    log "reusing cached rootfs $tarball"
  else
    make_rootfs_tarball "$suite" "$(rootfs_tarball "$suite")"
    find "$CACHE_DIR" -maxdepth 1 \( -name "$suite-minbase-*.tar.gz" -o -name "$suite-slim-*.tar.gz" \) \
      ! -path "$(rootfs_tarball "$suite")" ! -path "$(rootfs_tarball "$suite-slim")" -delete
  fi
  ln -f "$tarball" "$2"
}

# Like the official golang image: gcc/libc6-dev/make/pkg-config for cgo, git, ca-certificates,
# GOPATH=/go with 1777 src/bin, WORKDIR /go. /usr/local/go -> Debian's GOROOT so
# /usr/local/go/bin/go works too, and comes first on PATH (a golang-*-dev package that pulls in
# bookworm's golang-go cannot shadow the image's Go). A backports suite is added for the install
# and removed after it, so the image's apt sees what the official image's does.
# shellcheck disable=SC2016 # expanded inside the container
# Run with packages=... suite=... set in front of it (golang_script).
GOLANG_SCRIPT='
  export DEBIAN_FRONTEND=noninteractive
  target=()
  if [ "${suite%-backports}" != "$suite" ]; then
    printf "Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n" \
      "$(sed -n "s/^URIs: //p" /etc/apt/sources.list.d/debian.sources | head -n 1)" "$suite" \
      >/etc/apt/sources.list.d/backports.sources
    target=(-t "$suite")
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${target[@]}" $packages ca-certificates git \
    gcc libc6-dev make pkg-config >/dev/null
  rm -f /etc/apt/sources.list.d/backports.sources
  rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
  goroot=$(ls -d /usr/lib/go-1.* | sort -V | tail -n 1)
  ln -sfn "$goroot" /usr/local/go
  mkdir -p /go/src /go/bin && chmod -R 1777 /go
  /usr/local/go/bin/go version | tee /etc/slimfile-go-version
'
golang_script() { echo "packages='$(field "$1" 2)' suite='$(field "$1" 1)'; $GOLANG_SCRIPT"; }
golang_changes() { # SPEC: one commit change per line
  printf '%s\n' 'ENV GOPATH=/go' \
    'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV GOPROXY=off' 'ENV GOSUMDB=off' 'ENV GOFLAGS='
  [ -z "$(field "$1" 4)" ] || echo "ENV GOTOOLCHAIN=$(field "$1" 4)"
  printf '%s\n' 'WORKDIR /go' 'CMD ["bash"]'
}

# Assembled in a throw-away container of the release's golang image (it has ca-certificates and
# tzdata), streamed out as a tar, and imported FROM-scratch style: the result has no shell and no
# package manager. The C++ runtime is what the real cc image adds to base: libgcc-s1, libstdc++6
# and libgomp1.
# shellcheck disable=SC2016 # expanded inside the container
DISTROLESS_SCRIPT='
  with_libc=$1 with_cc=$2
  o=/out; mkdir -p $o/etc/ssl/certs $o/usr/share $o/tmp $o/home/nonroot $o/root
  printf "%s\n" "root:x:0:0:root:/root:/sbin/nologin" \
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin" \
    "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" >$o/etc/passwd
  printf "%s\n" "root:x:0:" "nobody:x:65534:" "nonroot:x:65532:" >$o/etc/group
  printf "%s\n" "hosts: files dns" "networks: files" >$o/etc/nsswitch.conf
  sed "s/^PRETTY_NAME=.*/PRETTY_NAME=\"Distroless stand-in (slimfile-test)\"/" \
    /etc/os-release >$o/etc/os-release
  cp /etc/ssl/certs/ca-certificates.crt $o/etc/ssl/certs/
  cp -a /usr/share/zoneinfo $o/usr/share/
  chmod 1777 $o/tmp; chmod 700 $o/root $o/home/nonroot
  chown 65532:65532 $o/home/nonroot
  packages=()
  [ "$with_libc" = 0 ] || packages+=(libc6)
  [ "$with_cc" = 0 ] || packages+=(libgcc-s1 libstdc++6 libgomp1)
  if [ "${#packages[@]}" -gt 0 ]; then
    # merged-/usr layout like bookworm and trixie, then the files of the packages
    # (without the iconv gconv modules, 8 MB that a Go binary never loads)
    mkdir -p $o/usr/lib $o/usr/lib64 $o/usr/bin $o/usr/sbin
    for d in bin sbin lib lib64; do ln -s usr/$d $o/$d; done
    for p in "${packages[@]}"; do dpkg -L "$p"; done \
      | while read -r f; do [ -d "$f" ] || echo "${f#/}"; done \
      | grep -v -e "^usr/share/doc/" -e "^usr/share/lintian/" -e "^usr/share/gcc/" -e "/gconv/" \
      | sort -u | tar -C / -cf - -T - | tar -C $o --keep-directory-symlink -xf -
  fi
  tar --numeric-owner -C $o -cf - .
'
produce_distroless() { # SPEC OUT
  docker run --rm --network none "$(field "$1" 1)" \
    bash -euo pipefail -c "$DISTROLESS_SCRIPT" distroless "$(field "$1" 3)" "$(field "$1" 4)" >"$2"
}
DISTROLESS_CHANGES=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')

# ================================================================ how images are made
# Images come from two kinds of recipe, both labelled with their recipe's hash and their base's id:
#   stand_in  a script run in a container of a base image, committed (docker run + docker commit
#             instead of docker build: works the same with any client; the Docker 28 CLI has no
#             buildx here and its legacy builder is deprecated; no Dockerfile frontend needed);
#   imported  a tar made by a producer function, imported FROM-scratch style.
# In --check mode both only report each tag with check_one.

# check_one TAG RECIPE BASE_ID SAME_AS_ID: prints TAG's state; clears READY when it is not ok.
READY=0
check_one() {
  local tag=$1 recipe=$2 base=$3 same=$4 state=ok
  if [ -z "$(image_id "$tag")" ]; then state=missing
  elif ! image_ok "$tag" "$recipe" "$base"; then state=stale
  elif [ -n "$same" ] && [ "$(image_id "$tag")" != "$same" ]; then state=stale
  fi
  printf '%-45s %s\n' "$tag" "$state"
  [ "$state" = ok ] || READY=1
}

# run_and_commit NAME IMAGE SCRIPT TAG CHANGES...: SCRIPT in a container of IMAGE, committed as TAG
# with CHANGES and the recipe and base labels.
run_and_commit() {
  local name=$1 image=$2 script=$3 tag=$4; shift 4
  local labels=("LABEL $LABEL_RECIPE=$(recipe_hash "$script" "$@")" "LABEL $LABEL_BASE=$(image_id "$image")")
  docker rm -f "$name" >/dev/null 2>&1 || true
  local net
  for net in default host; do
    if [ "$net" = default ] && [ "${#BUILD_NET[@]}" -gt 0 ]; then continue; fi
    if docker run --name "$name" --network "$net" "$image" bash -euo pipefail -c "$script" \
        >"$CACHE_DIR/$name.log" 2>&1; then
      local changes=() c
      for c in "${labels[@]}" "$@"; do changes+=(--change "$c"); done
      docker commit "${changes[@]}" "$name" "$tag" >/dev/null
      docker rm "$name" >/dev/null
      return 0
    fi
    docker rm -f "$name" >/dev/null 2>&1 || true
    log "$name failed with --network $net (log: $CACHE_DIR/$name.log)"
    tail -n 5 "$CACHE_DIR/$name.log" >&2 || true
  done
  ! mirror_unreachable "$CACHE_DIR/$name.log" \
    || die "could not build $tag: its container cannot reach the Debian mirror $MIRROR (set SLIMFILE_DEBIAN_MIRROR, or SLIMFILE_DOCKERD_FLAGS=--iptables=false if containers have no NAT)"
  die "could not build $tag (log: $CACHE_DIR/$name.log)"
}

# stand_in GROUP IMAGE SCRIPT CHANGES...: the image whose tags are the array named GROUP (the
# first is built, the others point at it): SCRIPT run in IMAGE, committed with CHANGES.
stand_in() {
  local -n group_tags=$1
  local image=$2 script=$3; shift 3
  local recipe base
  recipe=$(recipe_hash "$script" "$@"); base=$(image_id "$image")
  if [ "$MODE" = check ]; then
    local id t; id=$(image_id "${group_tags[0]}")
    for t in "${group_tags[@]}"; do check_one "$t" "$recipe" "$base" "$id"; done
    return 0
  fi
  if image_ok "${group_tags[0]}" "$recipe" "$base"; then
    log "reusing ${group_tags[0]}"
  else
    log "building ${group_tags[0]} on $image - needs the Debian mirror"
    timed "${group_tags[0]}" run_and_commit "slimfile-$(echo "${group_tags[0]}" | tr ':./' '---')-build" \
      "$image" "$script" "${group_tags[0]}" "$@"
  fi
  tags_ok "$(image_id "${group_tags[0]}")" "${group_tags[@]}" || tag_all "${group_tags[0]}" "${group_tags[@]}"
  ALL_TAGS+=("${group_tags[@]}")
}

# imported GROUP BASE_IMAGE RECIPE_TEXT PRODUCER ARG CHANGES...: the image whose tags are the
# array named GROUP, imported from the tar `PRODUCER ARG OUT` writes, with CHANGES. RECIPE_TEXT is
# everything the producer's output depends on; BASE_IMAGE (or "") the image it reads.
imported() {
  local -n group_tags=$1
  local base_image=$2 text=$3 producer=$4 arg=$5; shift 5
  local recipe base=""
  recipe=$(recipe_hash "$text" "$@")
  [ -z "$base_image" ] || base=$(image_id "$base_image")
  if [ "$MODE" = check ]; then
    local id t; id=$(image_id "${group_tags[0]}")
    for t in "${group_tags[@]}"; do check_one "$t" "$recipe" "$base" "$id"; done
    return 0
  fi
  if image_ok "${group_tags[0]}" "$recipe" "$base"; then
    log "reusing ${group_tags[0]}"
  else
    log "building ${group_tags[0]}${base_image:+ from $base_image}"
    local t0 tarf changes=() c
    t0=$(date +%s)
    tarf=$(mktemp "$CACHE_DIR/import.XXXXXX")
    "$producer" "$arg" "$tarf" || { rm -f "$tarf"; die "could not build ${group_tags[0]}"; }
    for c in "LABEL $LABEL_RECIPE=$recipe" ${base:+"LABEL $LABEL_BASE=$base"} "$@"; do changes+=(--change "$c"); done
    docker import "${changes[@]}" "$tarf" "${group_tags[0]}" >/dev/null
    rm -f "$tarf"
    BUILD_TIMES+=("${group_tags[0]}|$(( $(date +%s) - t0 ))")
  fi
  tags_ok "$(image_id "${group_tags[0]}")" "${group_tags[@]}" || tag_all "${group_tags[0]}" "${group_tags[@]}"
  ALL_TAGS+=("${group_tags[@]}")
}

# Every image in build order: the Debian roots, golang, distroless, then one file per language,
# test/e2e/stand-ins/<language>.sh, which calls stand_in and imported the same way (it sees
# IMG_ROOTFS and IMG_ROOTFS_SLIM, bookworm's roots, and the helpers above). See test/e2e/README.md.
all_images() {
  local suite g d tags changes
  for suite in "${SUITES[@]}"; do
    # shellcheck disable=SC2206 # the tag lists are space-separated on purpose
    tags=("$(rootfs_image "$suite")" ${DEBIAN_TAGS_OF[$suite]})
    imported tags "" "$(rootfs_recipe_text "$suite")" produce_rootfs "$suite" "${ROOTFS_CHANGES[@]}"
    # shellcheck disable=SC2206
    tags=("$(rootfs_image "$suite-slim")" ${DEBIAN_SLIM_TAGS_OF[$suite]})
    imported tags "" "$(rootfs_recipe_text "$suite-slim")" produce_rootfs "$suite-slim" "${ROOTFS_CHANGES[@]}"
  done
  for g in "${GOLANG_IMAGES[@]}"; do
    # shellcheck disable=SC2207
    tags=($(golang_tags "$g"))
    mapfile -t changes < <(golang_changes "$g")
    stand_in tags "$(rootfs_image "$(golang_suite "$g")")" "$(golang_script "$g")" "${changes[@]}"
  done
  for d in "${DISTROLESS[@]}"; do
    # shellcheck disable=SC2207
    tags=($(distroless_root_tags "$d"))
    imported tags "$(field "$d" 1)" "$DISTROLESS_SCRIPT $(field "$d" 3) $(field "$d" 4)" produce_distroless "$d" \
      "${DISTROLESS_CHANGES[@]}" 'USER 0:0' 'WORKDIR /'
    # shellcheck disable=SC2207
    tags=($(distroless_nonroot_tags "$d"))
    imported tags "$(field "$d" 1)" "$DISTROLESS_SCRIPT $(field "$d" 3) $(field "$d" 4)" produce_distroless "$d" \
      "${DISTROLESS_CHANGES[@]}" 'USER 65532:65532' 'WORKDIR /home/nonroot'
  done
  IMG_ROOTFS=$(rootfs_image bookworm)
  IMG_ROOTFS_SLIM=$(rootfs_image bookworm-slim)
  local f
  for f in "$SETUP_DIR"/stand-ins/*.sh; do [ -e "$f" ] || continue; . "$f"; done
}

ALL_TAGS=()
BUILD_NET=()

# ================================================================ --check
if [ "$MODE" = check ]; then
  if daemon_up; then
    echo "dockerd: up ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}'))"
  else
    echo "dockerd: NOT answering on $DOCKER_SOCK"
    echo "NOT READY"
    exit 1
  fi
  all_images
  if [ "$READY" = 0 ]; then echo READY; else echo "NOT READY"; fi
  exit "$READY"
fi

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, dockerd, debootstrap): run it with sudo"

# ================================================================ --fresh
# A throw-away dockerd with its own data root, exec root, socket, containerd namespace and bridge,
# and an empty cache folder: nothing is reused. Its bridge is its own (FRESH_BRIDGE) because a
# dockerd started with --bridge=none deletes docker0, which the host's dockerd needs; it has no NAT
# (--iptables=false), so build containers use the host network. Everything is removed on exit.
FRESH_BRIDGE=slimfresh0
if [ "$FRESH" = 1 ]; then
  command -v ip >/dev/null 2>&1 || die "--fresh needs ip (Debian's iproute2) for its own bridge: apt-get install iproute2"
  ip link show "$FRESH_BRIDGE" >/dev/null 2>&1 && die "bridge $FRESH_BRIDGE exists: another --fresh run is going on (or remove it: ip link del $FRESH_BRIDGE)"
  ip link add "$FRESH_BRIDGE" type bridge
  ip addr add 172.31.254.1/24 dev "$FRESH_BRIDGE"
  ip link set "$FRESH_BRIDGE" up
  FRESH_DIR=$(mktemp -d /var/tmp/slimfile-fresh.XXXXXX)
  CACHE_DIR=$FRESH_DIR/cache
  DOCKER_SOCK=$FRESH_DIR/docker.sock
  DOCKER_HOST=unix://$DOCKER_SOCK
  export DOCKER_HOST
  DOCKERD_LOG=$FRESH_DIR/dockerd.log
  DOCKERD_FLAGS="--data-root $FRESH_DIR/data --exec-root $FRESH_DIR/exec --pidfile $FRESH_DIR/dockerd.pid
    -H $DOCKER_HOST --bridge=$FRESH_BRIDGE --iptables=false --containerd-namespace slimfile-fresh
    --containerd-plugins-namespace slimfile-fresh-plugins $DOCKERD_FLAGS"
  BUILD_NET=(--network host)
  mkdir -p "$CACHE_DIR"
  log "--fresh: everything from nothing in $FRESH_DIR (removed at the end)"
fi
fresh_cleanup() { # EXIT-STATUS
  local pid i m kept
  if [ "$1" != 0 ] && [ -d "$FRESH_DIR/cache" ]; then
    # The logs the error names live in FRESH_DIR, which goes: keep them.
    kept=$(mktemp -d /var/tmp/slimfile-fresh-logs.XXXXXX)
    cp "$FRESH_DIR"/cache/*.log "$FRESH_DIR"/dockerd.log "$kept"/ 2>/dev/null || true
    log "--fresh failed; its logs are kept in $kept"
  fi
  pid=$(cat "$FRESH_DIR/dockerd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  awk -v d="$FRESH_DIR" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r \
    | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$FRESH_DIR"
  ip link del "$FRESH_BRIDGE" 2>/dev/null || true
}
on_exit() {
  local status=$?
  cleanup_rootfs
  [ "$FRESH" = 0 ] || fresh_cleanup "$status"
}
trap on_exit EXIT

# ================================================================ 1. packages
need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v gzip >/dev/null 2>&1 || need_pkgs+=(gzip)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p "$CACHE_DIR"
  if ! apt-get update -qq >"$CACHE_DIR/apt-get-update.log" 2>&1 || grep -q '^W: Failed to fetch\|^E:' "$CACHE_DIR/apt-get-update.log"; then
    tail -n 5 "$CACHE_DIR/apt-get-update.log" >&2
    die "apt-get update cannot reach this machine's Debian mirror; fix /etc/apt/sources.list* (or install ${need_pkgs[*]} by hand) and run again"
  fi
  # --no-install-recommends: skips apparmor and needrestart (prompts, no use here).
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null \
    || die "apt-get install ${need_pkgs[*]} failed; install them by hand and run again"
fi
# /usr/bin/docker comes with docker.io; a newer client may sit earlier on PATH.
command -v docker >/dev/null 2>&1 || die "no docker client on PATH after installing docker.io"

# ================================================================ 2. dockerd
# --rootfs needs no engine: debootstrap only (section 3 stops after the tarballs).
if [ "$MODE" != rootfs ]; then
start_dockerd() { # extra flags...
  log "starting dockerd${*:+ $*} (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  echo "---- $(date -u +%FT%TZ) dockerd $*" >>"$DOCKERD_LOG"
  # setsid: own session, so it outlives this script and CI's process group.
  setsid dockerd "$@" </dev/null >>"$DOCKERD_LOG" 2>&1 &
  DOCKERD_PID=$!
}

wait_dockerd() { # -> 0 up, 1 timed out, 2 process died
  local i
  for ((i = 0; i < DOCKERD_WAIT * 2; i++)); do
    daemon_up && return 0
    if [ -n "${DOCKERD_PID:-}" ] && ! kill -0 "$DOCKERD_PID" 2>/dev/null; then return 2; fi
    sleep 0.5
  done
  return 1
}

if [ "$FRESH" = 0 ] && daemon_up; then
  log "dockerd already answering on $DOCKER_SOCK"
else
  DOCKERD_PID=
  if [ "$FRESH" = 0 ] && pgrep -x dockerd >/dev/null 2>&1; then
    log "a dockerd process exists but $DOCKER_SOCK does not answer yet; waiting"
  else
    # shellcheck disable=SC2086
    start_dockerd $DOCKERD_FLAGS
  fi
  rc=0; wait_dockerd || rc=$?
  if [ "$rc" = 2 ] && grep -qi iptables <(tail -n 30 "$DOCKERD_LOG") \
     && [[ " $DOCKERD_FLAGS " != *" --iptables=false "* ]]; then
    # Kernels/sandboxes without netfilter: no NAT for the bridge, so builds
    # that need the Debian mirror run with --network host instead.
    log "dockerd died on iptables; retrying with --iptables=false"
    # shellcheck disable=SC2086
    start_dockerd $DOCKERD_FLAGS --iptables=false
    rc=0; wait_dockerd || rc=$?
    BUILD_NET=(--network host)
  fi
  case "$rc" in
    0) log "dockerd is up" ;;
    1) die "dockerd did not answer on $DOCKER_SOCK within ${DOCKERD_WAIT}s; see $DOCKERD_LOG" ;;
    *) tail -n 20 "$DOCKERD_LOG" >&2 || true
       die "dockerd exited during start-up (the last lines of $DOCKERD_LOG are above); a container or sandbox may need SLIMFILE_DOCKERD_FLAGS, e.g. --storage-driver=vfs" ;;
  esac
fi
# A dockerd without iptables (ours after the fallback, or one started by someone
# else) gives bridge containers no NAT: build containers then use the host network.
if [ "${#BUILD_NET[@]}" = 0 ]; then
  pid=$(pgrep -xo dockerd 2>/dev/null || true)
  if { [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- '--iptables=false'; } \
     || grep -qs '"iptables": *false' /etc/docker/daemon.json; then
    BUILD_NET=(--network host)
  fi
fi
[ "${#BUILD_NET[@]}" = 0 ] || log "build containers use --network host"
fi

# ================================================================ 3. images
mkdir -p "$CACHE_DIR"

if [ "$MODE" = rootfs ]; then
  for suite in "${SUITES[@]}"; do
    tarball=$(rootfs_tarball "$suite")
    if [ -s "$tarball" ] && [ -s "$(rootfs_tarball "$suite-slim")" ]; then log "have $tarball"
    else make_rootfs_tarball "$suite" "$tarball"; fi
  done
  exit 0
fi

all_images

# ================================================================ summary
printf '\n%-45s %-12s %12s %s\n' TAG "IMAGE ID" "SIZE(bytes)" "SIZE(docker image ls)"
for t in "${ALL_TAGS[@]}"; do
  id=$(image_id "$t"); id=${id#sha256:}
  printf '%-45s %-12s %12s %s\n' "$t" "${id:0:12}" \
    "$(docker image inspect --format '{{.Size}}' "$t")" \
    "$(docker image ls --format '{{.Size}}' "$t" | head -n 1)"
done
if [ "${#BUILD_TIMES[@]}" -gt 0 ]; then
  printf '\n%-45s %s\n' BUILT SECONDS
  for b in "${BUILD_TIMES[@]}"; do printf '%-45s %s\n' "${b%|*}" "${b##*|}"; done
fi
log "ready (server API $(docker version --format '{{.Server.APIVersion}}'))"
if [ "$FRESH" = 1 ]; then
  log "--fresh passed in $(( $(date +%s) - START ))s, $(du -sh "$FRESH_DIR" | cut -f1) on disk; removing $FRESH_DIR"
  # shellcheck source=../../scripts/fresh-record.bash
  . "$SETUP_DIR/../../scripts/fresh-record.bash"
  record_fresh_pass docker-setup "$(( $(date +%s) - START ))"
fi
