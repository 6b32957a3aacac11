# Node stand-ins (sourced by test/e2e/docker-setup.sh's all_images): Debian bookworm's Node 18 and npm as
# node:18 (with the compilers, headers, git and curl the official image gets from buildpack-deps)
# and node:18-slim (Node and npm only, on debian:bookworm-slim like the official slim image).
. "$(dirname "${BASH_SOURCE[0]}")/debian-stand-in.bash"
# shellcheck shell=bash disable=SC2034
NODE_TAGS=(node:18 node:18-bookworm)
NODE_SLIM_TAGS=(node:18-slim node:18-bookworm-slim)
build_debian_stand_in NODE_TAGS "$IMG_ROOTFS" "nodejs npm python3 $BUILDPACK_PACKAGES" 'node --version >/etc/slimfile-node-version' 'CMD ["node"]'
build_debian_stand_in NODE_SLIM_TAGS "$IMG_ROOTFS_SLIM" 'nodejs npm' 'node --version >/etc/slimfile-node-version' 'CMD ["node"]'
