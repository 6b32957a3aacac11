#!/usr/bin/env bash
# What action.yml runs: `slimfile check` on the given Dockerfiles, SARIF for code scanning and the
# readable lines (budget included) for the log. Inputs come as INPUT_* variables, like any action's.
set -uo pipefail

cli="${SLIMFILE_CLI:-${GITHUB_ACTION_PATH:-$(dirname "$0")/..}/bin/slimfile.js}"
sarif="${INPUT_SARIF_FILE:-slimfile.sarif}"
shopt -s globstar nullglob

files=()
set -f # split the input on spaces first, then expand each pattern on its own
patterns=(${INPUT_DOCKERFILES:-Dockerfile})
set +f
for pattern in "${patterns[@]}"; do
  matched=($pattern)
  if [ ${#matched[@]} -eq 0 ]; then
    echo "slimfile: no file matches ${pattern}" >&2
    exit 2
  fi
  files+=("${matched[@]}")
done

args=()
[ -n "${INPUT_MAX_SIZE:-}" ] && args+=(--max-size "$INPUT_MAX_SIZE")
[ -n "${INPUT_CONTEXT:-}" ] && args+=(--context "$INPUT_CONTEXT")
[ "${INPUT_OFFLINE:-false}" = "true" ] && args+=(--offline)

node "$cli" check --format sarif "${args[@]}" "${files[@]}" > "$sarif"
sarif_status=$?
# Exit 2 is bad usage or an unreadable file: the SARIF is empty then, and the text run says why.
node "$cli" check --format text "${args[@]}" "${files[@]}"
status=$?
if [ "$status" -ne "$sarif_status" ]; then
  echo "slimfile: the SARIF run exited ${sarif_status}, the text run ${status}" >&2
fi
exit "$status"
