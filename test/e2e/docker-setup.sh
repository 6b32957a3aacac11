#!/usr/bin/env bash
# Slimfile e2e: bring up a local Docker Engine and build the offline stand-in
# base images that the Dockerfiles under test use (no registry is reachable).
#
#   test/e2e/docker-setup.sh            # install/start/build what is missing
#   test/e2e/docker-setup.sh --check    # only report; exit 0 if all ready
#   test/e2e/docker-setup.sh --force    # rebuild every image (reuses rootfs cache)
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
SUITE=bookworm

LABEL_RECIPE=org.slimfile.test.recipe
LABEL_BASE=org.slimfile.test.base

IMG_ROOTFS=slimfile-test/bookworm-rootfs
DEBIAN_TAGS=(debian:bookworm debian:bookworm-slim debian:12)
GOLANG_TAGS=(golang:1.19 golang:1.19-bookworm)
STATIC_ROOT_TAGS=(gcr.io/distroless/static-debian12 gcr.io/distroless/static-debian12:latest)
STATIC_NONROOT_TAGS=(gcr.io/distroless/static-debian12:nonroot)
BASE_ROOT_TAGS=(gcr.io/distroless/base-debian12 gcr.io/distroless/base-debian12:latest)
BASE_NONROOT_TAGS=(gcr.io/distroless/base-debian12:nonroot)
ALL_TAGS=("$IMG_ROOTFS" "${DEBIAN_TAGS[@]}" "${GOLANG_TAGS[@]}"
  "${STATIC_ROOT_TAGS[@]}" "${STATIC_NONROOT_TAGS[@]}"
  "${BASE_ROOT_TAGS[@]}" "${BASE_NONROOT_TAGS[@]}")

MODE=setup
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --check) MODE=check ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
  rootfs_id=$(image_id "$IMG_ROOTFS")
  golang_id=$(image_id "${GOLANG_TAGS[0]}")
  static_id=$(image_id "${STATIC_ROOT_TAGS[0]}")
  check_one() { # TAG BASE_ID SAME_AS_ID
    local tag=$1 base=$2 same=$3 state=ok
    if [ -z "$(image_id "$tag")" ]; then state=missing
    elif ! image_ok "$tag" "$base"; then state=stale
    elif [ -n "$same" ] && [ "$(image_id "$tag")" != "$same" ]; then state=stale
    fi
    printf '%-45s %s\n' "$tag" "$state"
    [ "$state" = ok ] || ok=1
  }
  check_one "$IMG_ROOTFS" "" ""
  for t in "${DEBIAN_TAGS[@]}"; do check_one "$t" "" "$rootfs_id"; done
  for t in "${GOLANG_TAGS[@]}"; do check_one "$t" "$rootfs_id" "$golang_id"; done
  for t in "${STATIC_ROOT_TAGS[@]}"; do check_one "$t" "$golang_id" "$static_id"; done
  for t in "${STATIC_NONROOT_TAGS[@]}"; do check_one "$t" "$golang_id" ""; done
  base_id=$(image_id "${BASE_ROOT_TAGS[0]}")
  for t in "${BASE_ROOT_TAGS[@]}"; do check_one "$t" "$golang_id" "$base_id"; done
  for t in "${BASE_NONROOT_TAGS[@]}"; do check_one "$t" "$golang_id" ""; done
  # Language stand-ins (section 6) report their own tags with check_one.
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

# ---------------------------------------------------------------- 3. rootfs
ARCH=$(dpkg --print-architecture)
TARBALL="$CACHE_DIR/$SUITE-minbase-$ARCH-r$ROOTFS_RECIPE.tar.gz"

make_rootfs_tarball() {
  mkdir -p "$CACHE_DIR"
  local dir
  dir=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  chmod 755 "$dir"   # becomes the image's "/": mktemp's 0700 would lock out non-root users
  cleanup_rootfs() {
    # never rm -rf through a mount debootstrap may have left behind
    local m
    awk -v d="$dir" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r \
      | while read -r m; do umount -l "$m" || true; done
    rm -rf --one-file-system "$dir"
  }
  trap cleanup_rootfs EXIT
  log "debootstrap --variant=minbase $SUITE ($MIRROR) -> $dir"
  if ! debootstrap --variant=minbase "$SUITE" "$dir" "$MIRROR" >"$CACHE_DIR/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE_DIR/debootstrap.log" >&2
    die "debootstrap failed; see $CACHE_DIR/debootstrap.log"
  fi
  # Like the official image: no package cache, no apt lists, no host names;
  # apt sources for the release, its updates and security.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  rm -f "$dir"/etc/apt/sources.list
  cat >"$dir/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  : >"$dir/etc/hostname"
  : >"$dir/etc/resolv.conf"
  tar --numeric-owner -C "$dir" -cf - . | gzip -1 >"$TARBALL.tmp"
  mv "$TARBALL.tmp" "$TARBALL"
  find "$CACHE_DIR" -maxdepth 1 -name "$SUITE-minbase-$ARCH-r*.tar.gz" ! -path "$TARBALL" -delete
  cleanup_rootfs
  trap - EXIT
}

rootfs_id=$(image_id "$IMG_ROOTFS")
if image_ok "$IMG_ROOTFS"; then
  log "reusing $IMG_ROOTFS"
else
  if [ -s "$TARBALL" ]; then
    log "reusing cached rootfs $TARBALL"
  else
    make_rootfs_tarball
  fi
  log "importing $IMG_ROOTFS"
  docker import \
    --change "LABEL $LABEL_RECIPE=$RECIPE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$TARBALL" "$IMG_ROOTFS" >/dev/null
  rootfs_id=$(image_id "$IMG_ROOTFS")
fi
tags_ok "$rootfs_id" "${DEBIAN_TAGS[@]}" || tag_all "$IMG_ROOTFS" "${DEBIAN_TAGS[@]}"

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

mkdir -p "$CACHE_DIR"
golang_id=$(image_id "${GOLANG_TAGS[0]}")
if image_ok "${GOLANG_TAGS[0]}" "$rootfs_id"; then
  log "reusing ${GOLANG_TAGS[0]}"
else
  log "building ${GOLANG_TAGS[0]} (Debian golang-go) - needs the Debian mirror"
  # Like the official golang image: gcc/libc6-dev/make/pkg-config for cgo,
  # git, ca-certificates, GOPATH=/go with 1777 src/bin, WORKDIR /go.
  # /usr/local/go -> Debian's GOROOT so /usr/local/go/bin/go works too.
  # shellcheck disable=SC2016 # expanded inside the container
  run_and_commit slimfile-golang-build "$IMG_ROOTFS" '
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends golang-go ca-certificates git \
      gcc libc6-dev make pkg-config >/dev/null
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
    ln -sfn "$(go env GOROOT)" /usr/local/go
    mkdir -p /go/src /go/bin && chmod -R 1777 /go
    go version | tee /etc/slimfile-go-version
  ' "${GOLANG_TAGS[0]}" \
    "LABEL $LABEL_RECIPE=$RECIPE" "LABEL $LABEL_BASE=$rootfs_id" \
    'ENV GOPATH=/go' \
    'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV GOPROXY=off' 'ENV GOSUMDB=off' 'ENV GOFLAGS=' \
    'WORKDIR /go' 'CMD ["bash"]'
  golang_id=$(image_id "${GOLANG_TAGS[0]}")
fi
tags_ok "$golang_id" "${GOLANG_TAGS[@]}" || tag_all "${GOLANG_TAGS[0]}" "${GOLANG_TAGS[@]}"

# ---------------------------------------------------------------- 5. distroless
# Assembled in a throw-away container of the golang image (it has
# ca-certificates and tzdata), streamed out as a tar, and imported FROM-scratch
# style: the result has no shell and no package manager.
# shellcheck disable=SC2016 # expanded inside the container
DISTROLESS_SCRIPT='
  with_libc=$1
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
  if [ "$with_libc" = 1 ]; then
    # merged-/usr layout like bookworm, then the files of package libc6
    # (without the iconv gconv modules, 8 MB that a Go binary never loads)
    mkdir -p $o/usr/lib $o/usr/lib64 $o/usr/bin $o/usr/sbin
    for d in bin sbin lib lib64; do ln -s usr/$d $o/$d; done
    dpkg -L libc6 | while read -r f; do [ -d "$f" ] || echo "${f#/}"; done \
      | grep -v -e "^usr/share/doc/" -e "^usr/share/lintian/" -e "/gconv/" \
      | tar -C / -cf - -T - | tar -C $o --keep-directory-symlink -xf -
  fi
  tar --numeric-owner -C $o -cf - .
'

build_distroless() { # KIND(static|base) WITH_LIBC ROOT_TAGS... -- NONROOT_TAGS...
  local kind=$1 with_libc=$2; shift 2
  local root_tags=() nonroot_tags=() seen=0 t
  for t in "$@"; do
    if [ "$t" = -- ]; then seen=1; elif [ "$seen" = 0 ]; then root_tags+=("$t"); else nonroot_tags+=("$t"); fi
  done
  if image_ok "${root_tags[0]}" "$golang_id" && image_ok "${nonroot_tags[0]}" "$golang_id"; then
    log "reusing ${root_tags[0]} and ${nonroot_tags[0]}"
  else
    log "building ${root_tags[0]} and ${nonroot_tags[0]}"
    local tarf="$CACHE_DIR/distroless-$kind.tar"
    docker run --rm --network none "${GOLANG_TAGS[0]}" \
      bash -euo pipefail -c "$DISTROLESS_SCRIPT" distroless "$with_libc" >"$tarf"
    local common=(--change "LABEL $LABEL_RECIPE=$RECIPE" --change "LABEL $LABEL_BASE=$golang_id"
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

build_distroless static 0 "${STATIC_ROOT_TAGS[@]}" -- "${STATIC_NONROOT_TAGS[@]}"
build_distroless base 1 "${BASE_ROOT_TAGS[@]}" -- "${BASE_NONROOT_TAGS[@]}"

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
