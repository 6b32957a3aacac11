#!/usr/bin/env bash
# Slimfile e2e: bring up a local Docker Engine and build the offline stand-in
# base images that the Dockerfiles under test use (no registry is reachable).
#
#   test/e2e/docker-setup.sh            # install/start/build what is missing
#   test/e2e/docker-setup.sh --check    # only report; exit 0 if all ready
#   test/e2e/docker-setup.sh --force    # rebuild every image (reuses rootfs cache)
#   test/e2e/docker-setup.sh --rootfs   # only debootstrap the missing rootfs tarballs (no engine)
#
# See test/e2e/README.md for what is built and why the flags are what they are.
set -euo pipefail

# Bump when the recipe below changes: images with another value are rebuilt.
RECIPE=2
# Bump when the debootstrap/rootfs steps change: the cached tarball is remade.
ROOTFS_RECIPE=1

CACHE_DIR=${SLIMFILE_CACHE:-${HOME:-/root}/.cache/slimfile}
DOCKERD_LOG=${SLIMFILE_DOCKERD_LOG:-/var/log/slimfile-dockerd.log}
# Extra dockerd flags, word-split on purpose (e.g. "--iptables=false").
DOCKERD_FLAGS=${SLIMFILE_DOCKERD_FLAGS:-}
DOCKERD_WAIT=${SLIMFILE_DOCKERD_WAIT:-60}
DOCKER_SOCK=/var/run/docker.sock
MIRROR=${SLIMFILE_DEBIAN_MIRROR:-http://deb.debian.org/debian}

LABEL_RECIPE=org.slimfile.test.recipe
LABEL_BASE=org.slimfile.test.base

# One rootfs image per Debian suite (debootstrap minbase), tagged like the official debian images.
SUITES=(bookworm trixie sid)
declare -A DEBIAN_TAGS_OF=(
  [bookworm]="debian:bookworm debian:bookworm-slim debian:12"
  [trixie]="debian:trixie debian:trixie-slim debian:13"
  [sid]="debian:sid debian:sid-slim debian:unstable"
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
# Distroless stand-ins per Debian release, assembled from that release's golang image
# (cc-debian12 comes from stand-ins/c.sh, built on gcc:12).
# "release|golang image|kind|with libc|with libgcc/libstdc++".
DISTROLESS=(
  "12|golang:1.19|static|0|0"
  "12|golang:1.19|base|1|0"
  "13|golang:1.24|static|0|0"
  "13|golang:1.24|base|1|0"
  "13|golang:1.24|cc|1|1"
)

rootfs_image() { echo "slimfile-test/$1-rootfs"; }
field() { local IFS='|'; local a; read -r -a a <<<"$1"; echo "${a[$2]:-}"; }
golang_tags() { echo "$(field "$1" 0) $(field "$1" 3)"; }
golang_suite() { local s; s=$(field "$1" 1); echo "${s%-backports}"; }
distroless_root_tags() { local r k; r=$(field "$1" 0); k=$(field "$1" 2)
  echo "gcr.io/distroless/$k-debian$r gcr.io/distroless/$k-debian$r:latest"; }
distroless_nonroot_tags() { echo "gcr.io/distroless/$(field "$1" 2)-debian$(field "$1" 0):nonroot"; }

ALL_TAGS=()
for suite in "${SUITES[@]}"; do
  # shellcheck disable=SC2206 # the tag lists are space-separated on purpose
  ALL_TAGS+=("$(rootfs_image "$suite")" ${DEBIAN_TAGS_OF[$suite]})
done
# shellcheck disable=SC2207
for g in "${GOLANG_IMAGES[@]}"; do ALL_TAGS+=($(golang_tags "$g")); done
# shellcheck disable=SC2207
for d in "${DISTROLESS[@]}"; do ALL_TAGS+=($(distroless_root_tags "$d") $(distroless_nonroot_tags "$d")); done

MODE=setup
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --check) MODE=check ;;
    --force) FORCE=1 ;;
    --rootfs) MODE=rootfs ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "docker-setup: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

START=$(date +%s)
log() { printf '[docker-setup +%ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }
die() { printf '[docker-setup] ERROR: %s\n' "$*" >&2; exit 1; }

daemon_up() {
  command -v docker >/dev/null 2>&1 || return 1
  [ -S "$DOCKER_SOCK" ] || return 1
  timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
image_label() {
  docker image inspect --format "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true
}

# image_ok TAG [BASE_ID]: exists, built by this recipe, and (if given) on BASE_ID.
image_ok() {
  local tag=$1 base=${2:-}
  [ "$FORCE" = 0 ] || return 1
  [ -n "$(image_id "$tag")" ] || return 1
  [ "$(image_label "$tag" "$LABEL_RECIPE")" = "$RECIPE" ] || return 1
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

# ---------------------------------------------------------------- --check
if [ "$MODE" = check ]; then
  ok=0
  if daemon_up; then
    echo "dockerd: up ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}'))"
  else
    echo "dockerd: NOT answering on $DOCKER_SOCK"
    echo "NOT READY"
    exit 1
  fi
  check_one() { # TAG BASE_ID SAME_AS_ID
    local tag=$1 base=$2 same=$3 state=ok
    if [ -z "$(image_id "$tag")" ]; then state=missing
    elif ! image_ok "$tag" "$base"; then state=stale
    elif [ -n "$same" ] && [ "$(image_id "$tag")" != "$same" ]; then state=stale
    fi
    printf '%-45s %s\n' "$tag" "$state"
    [ "$state" = ok ] || ok=1
  }
  for suite in "${SUITES[@]}"; do
    img=$(rootfs_image "$suite"); id=$(image_id "$img")
    check_one "$img" "" ""
    for t in ${DEBIAN_TAGS_OF[$suite]}; do check_one "$t" "" "$id"; done
  done
  for g in "${GOLANG_IMAGES[@]}"; do
    base=$(image_id "$(rootfs_image "$(golang_suite "$g")")")
    tags=($(golang_tags "$g")); id=$(image_id "${tags[0]}")
    for t in "${tags[@]}"; do check_one "$t" "$base" "$id"; done
  done
  for d in "${DISTROLESS[@]}"; do
    base=$(image_id "$(field "$d" 1)")
    tags=($(distroless_root_tags "$d")); id=$(image_id "${tags[0]}")
    for t in "${tags[@]}"; do check_one "$t" "$base" "$id"; done
    for t in $(distroless_nonroot_tags "$d"); do check_one "$t" "$base" ""; done
  done
  # Language stand-ins (section 6) report their own tags with check_one; they build on bookworm
  # and golang:1.19, under the names they were written with.
  IMG_ROOTFS=$(rootfs_image bookworm); rootfs_id=$(image_id "$IMG_ROOTFS"); golang_id=$(image_id golang:1.19)
  for f in "$(dirname "$0")"/stand-ins/*.sh; do [ -e "$f" ] || continue; . "$f"; done
  if [ "$ok" = 0 ]; then echo READY; else echo "NOT READY"; fi
  exit "$ok"
fi

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, dockerd, debootstrap)"

# ---------------------------------------------------------------- 1. packages
need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v gzip >/dev/null 2>&1 || need_pkgs+=(gzip)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends: skips apparmor and needrestart (prompts, no use here).
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
# /usr/bin/docker comes with docker.io; a newer client may sit earlier on PATH.
command -v docker >/dev/null 2>&1 || die "no docker client on PATH after installing docker.io"

# ---------------------------------------------------------------- 2. dockerd
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

BUILD_NET=()
if daemon_up; then
  log "dockerd already answering on $DOCKER_SOCK"
else
  DOCKERD_PID=
  if pgrep -x dockerd >/dev/null 2>&1; then
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
       die "dockerd exited during start-up; see $DOCKERD_LOG" ;;
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
[ "${#BUILD_NET[@]}" = 0 ] || log "dockerd runs without iptables: build containers use --network host"
fi

# ---------------------------------------------------------------- 3. rootfs
ARCH=$(dpkg --print-architecture)
mkdir -p "$CACHE_DIR"

rootfs_tarball() { echo "$CACHE_DIR/$1-minbase-$ARCH-r$ROOTFS_RECIPE.tar.gz"; }

# The apt sources of the official image of each suite (deb822): sid has no -updates or -security.
apt_sources() { # SUITE
  if [ "$1" = sid ]; then
    # Check-Valid-Until: no - sid's Release file is valid for a week only, and the mirror
    # reachable here served one past that (apt-get update: "Release file ... is expired").
    printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\nCheck-Valid-Until: no\n' "$MIRROR"
    return
  fi
  cat <<EOF
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
EOF
}

make_rootfs_tarball() { # SUITE
  local suite=$1 tarball dir
  tarball=$(rootfs_tarball "$suite")
  dir=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  chmod 755 "$dir"   # becomes the image's "/": mktemp's 0700 would lock out non-root users
  ROOTFS_DIR=$dir
  cleanup_rootfs() {
    # never rm -rf through a mount debootstrap may have left behind
    local m
    awk -v d="$ROOTFS_DIR" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r \
      | while read -r m; do umount -l "$m" || true; done
    rm -rf --one-file-system "$ROOTFS_DIR"
  }
  trap cleanup_rootfs EXIT
  log "debootstrap --variant=minbase $suite ($MIRROR) -> $dir"
  if ! debootstrap --variant=minbase "$suite" "$dir" "$MIRROR" >"$CACHE_DIR/debootstrap-$suite.log" 2>&1; then
    tail -n 20 "$CACHE_DIR/debootstrap-$suite.log" >&2
    die "debootstrap $suite failed; see $CACHE_DIR/debootstrap-$suite.log"
  fi
  # Like the official image: no package cache, no apt lists, no host names;
  # apt sources for the release, its updates and security.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  rm -f "$dir"/etc/apt/sources.list
  apt_sources "$suite" >"$dir/etc/apt/sources.list.d/debian.sources"
  : >"$dir/etc/hostname"
  : >"$dir/etc/resolv.conf"
  tar --numeric-owner -C "$dir" -cf - . | gzip -1 >"$tarball.tmp"
  mv "$tarball.tmp" "$tarball"
  find "$CACHE_DIR" -maxdepth 1 -name "$suite-minbase-$ARCH-r*.tar.gz" ! -path "$tarball" -delete
  cleanup_rootfs
  trap - EXIT
}

if [ "$MODE" = rootfs ]; then
  for suite in "${SUITES[@]}"; do
    if [ -s "$(rootfs_tarball "$suite")" ]; then log "have $(rootfs_tarball "$suite")"; else make_rootfs_tarball "$suite"; fi
  done
  exit 0
fi

for suite in "${SUITES[@]}"; do
  img=$(rootfs_image "$suite")
  # shellcheck disable=SC2206
  tags=(${DEBIAN_TAGS_OF[$suite]})
  if image_ok "$img"; then
    log "reusing $img"
  else
    tarball=$(rootfs_tarball "$suite")
    if [ -s "$tarball" ]; then
      log "reusing cached rootfs $tarball"
    else
      make_rootfs_tarball "$suite"
    fi
    log "importing $img"
    docker import \
      --change "LABEL $LABEL_RECIPE=$RECIPE" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' \
      "$tarball" "$img" >/dev/null
  fi
  tags_ok "$(image_id "$img")" "${tags[@]}" || tag_all "$img" "${tags[@]}"
done

# ---------------------------------------------------------------- 4. golang
# docker run + docker commit instead of docker build: works the same with any
# client (the Docker 28 CLI has no buildx here and its legacy builder is
# deprecated), and needs no Dockerfile frontend.
run_and_commit() { # NAME IMAGE SCRIPT TAG COMMIT-CHANGES...
  local name=$1 image=$2 script=$3 tag=$4; shift 4
  docker rm -f "$name" >/dev/null 2>&1 || true
  local net
  for net in default host; do
    if [ "$net" = default ] && [ "${#BUILD_NET[@]}" -gt 0 ]; then continue; fi
    if docker run --name "$name" --network "$net" "$image" bash -euo pipefail -c "$script" \
        >"$CACHE_DIR/$name.log" 2>&1; then
      local changes=() c
      for c in "$@"; do changes+=(--change "$c"); done
      docker commit "${changes[@]}" "$name" "$tag" >/dev/null
      docker rm "$name" >/dev/null
      return 0
    fi
    docker rm -f "$name" >/dev/null 2>&1 || true
    log "$name failed with --network $net (log: $CACHE_DIR/$name.log)"
    tail -n 5 "$CACHE_DIR/$name.log" >&2 || true
  done
  die "could not build $tag"
}

# Like the official golang image: gcc/libc6-dev/make/pkg-config for cgo, git, ca-certificates,
# GOPATH=/go with 1777 src/bin, WORKDIR /go. /usr/local/go -> Debian's GOROOT so
# /usr/local/go/bin/go works too, and comes first on PATH (a golang-*-dev package that pulls in
# bookworm's golang-go cannot shadow the image's Go). A backports suite is added for the install
# and removed after it, so the image's apt sees what the official image's does.
# shellcheck disable=SC2016 # expanded inside the container
# Run with packages=... suite=... set in front of it.
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

for g in "${GOLANG_IMAGES[@]}"; do
  # shellcheck disable=SC2207
  tags=($(golang_tags "$g"))
  base_img=$(rootfs_image "$(golang_suite "$g")")
  base_id=$(image_id "$base_img")
  if image_ok "${tags[0]}" "$base_id"; then
    log "reusing ${tags[0]}"
  else
    log "building ${tags[0]} (Debian $(field "$g" 2) from $(field "$g" 1)) - needs the Debian mirror"
    toolchain=()
    [ -z "$(field "$g" 4)" ] || toolchain=("ENV GOTOOLCHAIN=$(field "$g" 4)")
    run_and_commit "slimfile-golang-build-${tags[0]#golang:}" "$base_img" \
      "packages='$(field "$g" 2)' suite='$(field "$g" 1)'; $GOLANG_SCRIPT" "${tags[0]}" \
      "LABEL $LABEL_RECIPE=$RECIPE" "LABEL $LABEL_BASE=$base_id" \
      'ENV GOPATH=/go' \
      'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      'ENV GOPROXY=off' 'ENV GOSUMDB=off' 'ENV GOFLAGS=' "${toolchain[@]}" \
      'WORKDIR /go' 'CMD ["bash"]'
  fi
  tags_ok "$(image_id "${tags[0]}")" "${tags[@]}" || tag_all "${tags[0]}" "${tags[@]}"
done

# ---------------------------------------------------------------- 5. distroless
# Assembled in a throw-away container of the release's golang image (it has
# ca-certificates and tzdata), streamed out as a tar, and imported FROM-scratch
# style: the result has no shell and no package manager.
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
  [ "$with_cc" = 0 ] || packages+=(libgcc-s1 libstdc++6)
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

build_distroless() { # SPEC (see DISTROLESS)
  local spec=$1 builder kind with_libc with_cc builder_id
  builder=$(field "$spec" 1); kind=$(field "$spec" 2)
  with_libc=$(field "$spec" 3); with_cc=$(field "$spec" 4)
  builder_id=$(image_id "$builder")
  local root_tags nonroot_tags
  # shellcheck disable=SC2207
  root_tags=($(distroless_root_tags "$spec")); nonroot_tags=($(distroless_nonroot_tags "$spec"))
  if image_ok "${root_tags[0]}" "$builder_id" && image_ok "${nonroot_tags[0]}" "$builder_id"; then
    log "reusing ${root_tags[0]} and ${nonroot_tags[0]}"
  else
    log "building ${root_tags[0]} and ${nonroot_tags[0]} from $builder"
    local tarf="$CACHE_DIR/distroless-$kind-$(field "$spec" 0).tar"
    docker run --rm --network none "$builder" \
      bash -euo pipefail -c "$DISTROLESS_SCRIPT" distroless "$with_libc" "$with_cc" >"$tarf"
    local common=(--change "LABEL $LABEL_RECIPE=$RECIPE" --change "LABEL $LABEL_BASE=$builder_id"
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
      --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
    docker import "${common[@]}" --change 'USER 0:0' --change 'WORKDIR /' \
      "$tarf" "${root_tags[0]}" >/dev/null
    docker import "${common[@]}" --change 'USER 65532:65532' --change 'WORKDIR /home/nonroot' \
      "$tarf" "${nonroot_tags[0]}" >/dev/null
    rm -f "$tarf"
  fi
  tags_ok "$(image_id "${root_tags[0]}")" "${root_tags[@]}" || tag_all "${root_tags[0]}" "${root_tags[@]}"
  tags_ok "$(image_id "${nonroot_tags[0]}")" "${nonroot_tags[@]}" || tag_all "${nonroot_tags[0]}" "${nonroot_tags[@]}"
}

for d in "${DISTROLESS[@]}"; do build_distroless "$d"; done

# ---------------------------------------------------------------- 6. language stand-ins
# One file per language, test/e2e/stand-ins/<language>.sh, sourced here and in --check. A file
# sees MODE (setup|check), rootfs_id, golang_id, IMG_ROOTFS (bookworm's rootfs and golang:1.19),
# RECIPE, the LABEL_* names and the helpers above (image_ok, tags_ok, tag_all, run_and_commit,
# log); in check mode it calls check_one TAG BASE_ID SAME_AS_ID per tag, in setup mode it builds
# what is missing and adds its tags to ALL_TAGS for the summary. See test/e2e/README.md.
IMG_ROOTFS=$(rootfs_image bookworm); rootfs_id=$(image_id "$IMG_ROOTFS"); golang_id=$(image_id golang:1.19)
for f in "$(dirname "$0")"/stand-ins/*.sh; do [ -e "$f" ] || continue; . "$f"; done

# ---------------------------------------------------------------- 6. language stand-ins
# One file per language, test/e2e/stand-ins/<language>.sh, sourced here and in --check. A file
# sees MODE (setup|check), rootfs_id, golang_id, IMG_ROOTFS, RECIPE, the LABEL_* names and the
# helpers above (image_ok, tags_ok, tag_all, run_and_commit, log); in check mode it calls
# check_one TAG BASE_ID SAME_AS_ID per tag, in setup mode it builds what is missing and adds its
# tags to ALL_TAGS for the summary. See test/e2e/README.md.
for f in "$(dirname "$0")"/stand-ins/*.sh; do [ -e "$f" ] || continue; . "$f"; done

# ---------------------------------------------------------------- summary
printf '\n%-45s %-12s %12s %s\n' TAG "IMAGE ID" "SIZE(bytes)" "SIZE(docker image ls)"
for t in "${ALL_TAGS[@]}"; do
  id=$(image_id "$t"); id=${id#sha256:}
  printf '%-45s %-12s %12s %s\n' "$t" "${id:0:12}" \
    "$(docker image inspect --format '{{.Size}}' "$t")" \
    "$(docker image ls --format '{{.Size}}' "$t" | head -n 1)"
done
log "ready (server API $(docker version --format '{{.Server.APIVersion}}'))"
