# Sourced by test/e2e/docker-setup.sh (section 6; see the contract there).
# C/C++ stand-ins, and two runtimes Rust uses too:
#   gcc:12 (gcc:12-bookworm)      rootfs + Debian gcc/g++ 12.2, make, libc6-dev, and musl-tools
#                                 (musl-gcc; the real gcc image does not carry it)
#   gcr.io/distroless/cc-debian12 (:nonroot)
#                                 the distroless stand-in plus the files of libc6, libgcc-s1,
#                                 libstdc++6 and libgomp1 (what the real cc image adds to static)
#   alpine:3.20                   NOT Alpine: a musl root from Debian packages (musl 1.2.3's loader
#                                 /lib/ld-musl-x86_64.so.1 and busybox-static for a shell). It has no
#                                 apk; it shows what a musl runtime does with a glibc binary.
GCC_TAGS=(gcc:12 gcc:12-bookworm)
CC_ROOT_TAGS=(gcr.io/distroless/cc-debian12 gcr.io/distroless/cc-debian12:latest)
CC_NONROOT_TAGS=(gcr.io/distroless/cc-debian12:nonroot)
MUSL_TAGS=(alpine:3.20)

if [ "$MODE" = check ]; then
  gcc_id=$(image_id "${GCC_TAGS[0]}")
  for t in "${GCC_TAGS[@]}"; do check_one "$t" "$rootfs_id" "$gcc_id"; done
  cc_id=$(image_id "${CC_ROOT_TAGS[0]}")
  for t in "${CC_ROOT_TAGS[@]}"; do check_one "$t" "$golang_id" "$cc_id"; done
  for t in "${CC_NONROOT_TAGS[@]}"; do check_one "$t" "$golang_id" ""; done
  musl_id=$(image_id "${MUSL_TAGS[0]}")
  for t in "${MUSL_TAGS[@]}"; do check_one "$t" "$rootfs_id" "$musl_id"; done
else
  if image_ok "${GCC_TAGS[0]}" "$rootfs_id"; then
    log "reusing ${GCC_TAGS[0]}"
  else
    log "building ${GCC_TAGS[0]} (Debian gcc, g++, make, musl-tools) - needs the Debian mirror"
    run_and_commit slimfile-gcc-build "$IMG_ROOTFS" '
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends gcc g++ make libc6-dev musl-tools >/dev/null
      rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
      gcc --version | head -n 1 | tee /etc/slimfile-gcc-version
    ' "${GCC_TAGS[0]}" \
      "LABEL $LABEL_RECIPE=$RECIPE" "LABEL $LABEL_BASE=$rootfs_id" 'CMD ["bash"]'
  fi
  tags_ok "$(image_id "${GCC_TAGS[0]}")" "${GCC_TAGS[@]}" || tag_all "${GCC_TAGS[0]}" "${GCC_TAGS[@]}"

  if image_ok "${CC_ROOT_TAGS[0]}" "$golang_id" && image_ok "${CC_NONROOT_TAGS[0]}" "$golang_id"; then
    log "reusing ${CC_ROOT_TAGS[0]} and ${CC_NONROOT_TAGS[0]}"
  else
    log "building ${CC_ROOT_TAGS[0]} and ${CC_NONROOT_TAGS[0]}"
    # The distroless recipe of section 5, with the C++ runtime libraries next to libc6.
    cc_script=${DISTROLESS_SCRIPT/dpkg -L libc6 /dpkg -L libc6 libgcc-s1 libstdc++6 libgomp1 }
    [ "$cc_script" != "$DISTROLESS_SCRIPT" ] || die "the distroless recipe changed: update stand-ins/c.sh"
    tarf="$CACHE_DIR/distroless-cc.tar"
    docker run --rm --network none "${GOLANG_TAGS[0]}" bash -euo pipefail -c "$cc_script" distroless 1 >"$tarf"
    common=(--change "LABEL $LABEL_RECIPE=$RECIPE" --change "LABEL $LABEL_BASE=$golang_id"
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
      --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
    docker import "${common[@]}" --change 'USER 0:0' --change 'WORKDIR /' "$tarf" "${CC_ROOT_TAGS[0]}" >/dev/null
    docker import "${common[@]}" --change 'USER 65532:65532' --change 'WORKDIR /home/nonroot' "$tarf" "${CC_NONROOT_TAGS[0]}" >/dev/null
    rm -f "$tarf"
  fi
  tags_ok "$(image_id "${CC_ROOT_TAGS[0]}")" "${CC_ROOT_TAGS[@]}" || tag_all "${CC_ROOT_TAGS[0]}" "${CC_ROOT_TAGS[@]}"

  if image_ok "${MUSL_TAGS[0]}" "$rootfs_id"; then
    log "reusing ${MUSL_TAGS[0]} (musl root)"
  else
    log "building ${MUSL_TAGS[0]}: a musl root from Debian's musl and busybox-static (not Alpine)"
    tarf="$CACHE_DIR/musl-root.tar"
    musl_log="$CACHE_DIR/musl-root.log"
    net=(); [ "${#BUILD_NET[@]}" = 0 ] || net=("${BUILD_NET[@]}")
    # shellcheck disable=SC2016 # expanded inside the container
    docker run --rm "${net[@]}" "$IMG_ROOTFS" bash -euo pipefail -c '
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
    ' >"$tarf" 2>"$musl_log" || { tail -n 5 "$musl_log" >&2; die "could not build the musl root (log: $musl_log)"; }
    docker import --change "LABEL $LABEL_RECIPE=$RECIPE" --change "LABEL $LABEL_BASE=$rootfs_id" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/sh"]' "$tarf" "${MUSL_TAGS[0]}" >/dev/null
    rm -f "$tarf"
  fi
  ALL_TAGS+=("${GCC_TAGS[@]}" "${CC_ROOT_TAGS[@]}" "${CC_NONROOT_TAGS[@]}" "${MUSL_TAGS[@]}")
fi
