#!/usr/bin/env bash
# npm run test:e2e — the extension inside a real VS Code (code-server) in a real browser
# (Debian's chromium): installs the tools (idempotent), packages slimfile.vsix, runs the
# scenarios in test/e2e/vscode/*.test.mjs with node:test and stops everything it started.
# Screenshots and activation.json land in test/e2e/artifacts/.
#
# Args are passed to node --test (e.g. --test-name-pattern=hover); SLIMFILE_E2E_FILES picks
# scenario files (default: all). SLIMFILE_E2E_CONCURRENCY runs that many files at once
# (default 1: each file runs its own code-server and chromium). SLIMFILE_SKIP_PACKAGE=1 reuses
# slimfile.vsix as it is. Harness knobs (SLIMFILE_HEADED, SLIMFILE_E2E_VERBOSE, ...) are in
# test/e2e/vscode/harness.mjs.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
log() { printf '[test-e2e] %s\n' "$*" >&2; }

# Every process started below inherits this marker, so the clean-up can find exactly ours
# (code-server and chromium run in their own process groups) even after a crash.
export SLIMFILE_E2E_RUN="e2e-$$-$(date +%s%N)"
stop_ours() {
  local pid pids=()
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [ "$pid" = "$$" ] && continue
    if { tr '\0' '\n' <"$dir/environ"; } 2>/dev/null | grep -qx "SLIMFILE_E2E_RUN=$SLIMFILE_E2E_RUN"; then
      pids+=("$pid")
    fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then
    log "stopping ${#pids[@]} leftover process(es): ${pids[*]}"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    sleep 1
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_ours EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
bash scripts/install-code-server.sh

if [ "${SLIMFILE_SKIP_PACKAGE:-0}" != 1 ]; then
  log "npm run package"
  out="$(mktemp)"
  if ! npm run package >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    rm -f "$out"
    log "packaging failed"
    exit 1
  fi
  grep -E 'DONE|WARNING' "$out" >&2 || true
  rm -f "$out"
fi
[ -f slimfile.vsix ] || { log "slimfile.vsix missing"; exit 1; }

mkdir -p test/e2e/artifacts
# shellcheck disable=SC2206
files=(${SLIMFILE_E2E_FILES:-test/e2e/vscode/*.test.mjs})
log "running ${#files[@]} scenario file(s)"
status=0
node --test --test-concurrency="${SLIMFILE_E2E_CONCURRENCY:-1}" "$@" "${files[@]}" || status=$?

if [ -f test/e2e/artifacts/activation.json ]; then
  log "activation: $(node -p 'const a=require("./test/e2e/artifacts/activation.json"); `${a.activationMs} ms (${a.reason}) at ${a.date}`')"
fi
log "artifacts in test/e2e/artifacts/; took $(( $(date +%s) - started )) s; exit $status"
exit "$status"
