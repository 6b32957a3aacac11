#!/usr/bin/env bash
# CI: runs a setup from nothing (--fresh) when a file it reads changed since the last fresh run
# that passed (test/e2e/fresh-passed). Otherwise says so and does nothing.
set -euo pipefail
. "$(dirname "$0")/fresh-record.bash"
cd "$FRESH_REPO_ROOT"
for name in docker-setup install-code-server; do
  now=$(fresh_inputs_hash "$name")
  if [ "$now" = "$(fresh_recorded_hash "$name")" ]; then
    echo "[fresh] $name: its inputs are those of the last fresh run that passed; not run again"
    continue
  fi
  echo "[fresh] $name: $(fresh_inputs "$name" | tr '\n' ' ')changed since the last fresh run that passed; running it from nothing"
  case "$name" in
    docker-setup) bash test/e2e/docker-setup.sh --fresh ;;
    install-code-server) bash scripts/install-code-server.sh --fresh ;;
  esac
done
