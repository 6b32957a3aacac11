# Sourced by test/e2e/docker-setup.sh (section 6; see the contract there).
# Rust stand-in:
#   rust:1.63 (rust:1.63-bookworm)  rootfs + Debian rustc 1.63 and cargo, with gcc and libc6-dev (the
#                                   linker and libc.a, for +crt-static), ca-certificates;
#                                   CARGO_HOME=/usr/local/cargo on PATH like the real image. Debian
#                                   ships no musl standard library for rustc, so the
#                                   x86_64-unknown-linux-musl target cannot be built here; static
#                                   builds use -C target-feature=+crt-static on the gnu target.
# Runtimes (distroless cc, the musl root) come from stand-ins/c.sh, sourced before this file.
RUST_TAGS=(rust:1.63 rust:1.63-bookworm)

if [ "$MODE" = check ]; then
  rust_id=$(image_id "${RUST_TAGS[0]}")
  for t in "${RUST_TAGS[@]}"; do check_one "$t" "$rootfs_id" "$rust_id"; done
else
  if image_ok "${RUST_TAGS[0]}" "$rootfs_id"; then
    log "reusing ${RUST_TAGS[0]}"
  else
    log "building ${RUST_TAGS[0]} (Debian rustc, cargo) - needs the Debian mirror"
    run_and_commit slimfile-rust-build "$IMG_ROOTFS" '
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends rustc cargo gcc libc6-dev ca-certificates >/dev/null
      rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
      mkdir -p /usr/local/cargo/bin && chmod -R 1777 /usr/local/cargo
      rustc --version | tee /etc/slimfile-rust-version
    ' "${RUST_TAGS[0]}" \
      "LABEL $LABEL_RECIPE=$RECIPE" "LABEL $LABEL_BASE=$rootfs_id" \
      'ENV CARGO_HOME=/usr/local/cargo' \
      'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      'CMD ["bash"]'
  fi
  tags_ok "$(image_id "${RUST_TAGS[0]}")" "${RUST_TAGS[@]}" || tag_all "${RUST_TAGS[0]}" "${RUST_TAGS[@]}"
  ALL_TAGS+=("${RUST_TAGS[@]}")
fi
