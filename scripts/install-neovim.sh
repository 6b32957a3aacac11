#!/usr/bin/env bash
# Installs Debian's Neovim for test/docker/neovim.test.ts (idempotent; needs root, as CI has).
set -euo pipefail
command -v nvim >/dev/null && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends neovim >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends neovim >/dev/null
}
command -v nvim >/dev/null
