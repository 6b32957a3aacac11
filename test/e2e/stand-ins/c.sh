# Sourced by test/e2e/docker-setup.sh (all_images; see the contract there).
# C/C++ stand-ins, and a runtime Rust uses too:
#   gcc:12 (gcc:12-bookworm)  rootfs + Debian gcc/g++ 12.2, make, libc6-dev, and musl-tools
#                             (musl-gcc; the real gcc image does not carry it)
#   alpine:3.20               NOT Alpine: a musl root from Debian packages (musl 1.2.3's loader
#                             /lib/ld-musl-x86_64.so.1 and busybox-static for a shell). It has no
#                             apk; it shows what a musl runtime does with a glibc binary.
# gcr.io/distroless/cc-debian12 is one of docker-setup.sh's distroless images (DISTROLESS).
# shellcheck shell=bash disable=SC2034 disable=SC2016
GCC_TAGS=(gcc:12 gcc:12-bookworm)
MUSL_TAGS=(alpine:3.20)

stand_in GCC_TAGS "$IMG_ROOTFS" '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends gcc g++ make libc6-dev musl-tools >/dev/null
  rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
  gcc --version | head -n 1 | tee /etc/slimfile-gcc-version
' 'CMD ["bash"]'

MUSL_SCRIPT='
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends musl busybox-static >&2
  o=/out; mkdir -p $o/lib $o/bin $o/etc $o/tmp $o/root
  cp -L /usr/lib/x86_64-linux-musl/libc.so $o/lib/ld-musl-x86_64.so.1
  ln -s ld-musl-x86_64.so.1 $o/lib/libc.musl-x86_64.so.1
  cp /bin/busybox $o/bin/busybox
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox $o/bin/$applet; done
  printf "%s\n" "root:x:0:0:root:/root:/bin/sh" "nobody:x:65534:65534:nobody:/:/sbin/nologin" >$o/etc/passwd
  printf "%s\n" "root:x:0:" "nobody:x:65534:" >$o/etc/group
  printf "%s\n" "NAME=\"musl root stand-in (slimfile-test): Debian musl $(dpkg-query -W -f="\${Version}" musl), busybox-static; not Alpine\"" "ID=alpine" >$o/etc/os-release
  chmod 1777 $o/tmp
  tar --numeric-owner -C $o -cf - .
'
produce_musl_root() { # IMAGE OUT
  local net=(--network "${BUILD_NET[1]:-bridge}") musl_log="$CACHE_DIR/musl-root.log"
  docker run --rm "${net[@]}" "$1" bash -euo pipefail -c "$MUSL_SCRIPT" >"$2" 2>"$musl_log" \
    || { tail -n 5 "$musl_log" >&2; echo "the musl root failed (log: $musl_log)" >&2; return 1; }
}
imported MUSL_TAGS "$IMG_ROOTFS" "$MUSL_SCRIPT" produce_musl_root "$IMG_ROOTFS" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["/bin/sh"]'
