#!/usr/bin/env bash
# Installs what the registry tests run against: Debian's docker-registry (the real distribution
# server) and skopeo (pushes the test images). Idempotent; quiet when both are already there.
# The tests call it from their `before` hook; CI runs it as root with no stdin.
set -euo pipefail

missing=()
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "registry tests need ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt run on the same machine holds the dpkg lock for a while: wait for it, bounded.
apt_opts=(-o DPkg::Lock::Timeout=300 -o APT::Get::Assume-Yes=true)
apt-get "${apt_opts[@]}" update -q >/dev/null
# skopeo's Recommends pull in fuse and friends that the tests do not need.
apt-get "${apt_opts[@]}" install -q --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system registry on :5000 through its service; the tests start their own.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
command -v skopeo >/dev/null && [ -x /usr/bin/docker-registry ]
