# Sourced by test/e2e/docker-setup.sh (all_images; see the contract there).
# Rust stand-in:
#   rust:1.63 (rust:1.63-bookworm)  rootfs + Debian rustc 1.63 and cargo, with gcc and libc6-dev (the
#                                   linker and libc.a, for +crt-static), ca-certificates;
#                                   CARGO_HOME=/usr/local/cargo on PATH like the real image. Debian
#                                   ships no musl standard library for rustc, so the
#                                   x86_64-unknown-linux-musl target cannot be built here; static
#                                   builds use -C target-feature=+crt-static on the gnu target.
# Runtimes: distroless cc (docker-setup.sh) and the musl root (stand-ins/c.sh).
# shellcheck shell=bash disable=SC2034
RUST_TAGS=(rust:1.63 rust:1.63-bookworm)

stand_in RUST_TAGS "$IMG_ROOTFS" '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends rustc cargo gcc libc6-dev ca-certificates >/dev/null
  rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
  mkdir -p /usr/local/cargo/bin && chmod -R 1777 /usr/local/cargo
  rustc --version | tee /etc/slimfile-rust-version
' 'ENV CARGO_HOME=/usr/local/cargo' \
  'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'CMD ["bash"]'
