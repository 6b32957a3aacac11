# The record of the last setup runs from nothing that passed (docker-setup.sh --fresh,
# install-code-server.sh --fresh): one line per setup in test/e2e/fresh-passed, with the hash of the
# files that setup reads. CI runs a setup from nothing again when that hash no longer matches
# (scripts/fresh-if-changed.sh): an image or tools folder that already exists on a machine hides a
# broken recipe, and this is how a changed recipe gets built from nothing at least once.
# Sourced; needs bash.
# shellcheck shell=bash
FRESH_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FRESH_RECORD=$FRESH_REPO_ROOT/test/e2e/fresh-passed

# The files each setup reads, relative to the repository.
fresh_inputs() { # NAME
  case "$1" in
    docker-setup) (cd "$FRESH_REPO_ROOT" && ls test/e2e/docker-setup.sh test/e2e/stand-ins/*) ;;
    install-code-server) echo scripts/install-code-server.sh ;;
    *) echo "fresh-record: unknown setup $1" >&2; return 2 ;;
  esac
}

fresh_inputs_hash() { # NAME
  local f
  fresh_inputs "$1" | while read -r f; do printf '%s\0' "$f"; cat "$FRESH_REPO_ROOT/$f"; done | sha256sum | cut -c1-64
}

fresh_recorded_hash() { # NAME
  [ -f "$FRESH_RECORD" ] || return 0
  awk -v n="$1" '$1 == n { print $2 }' "$FRESH_RECORD"
}

record_fresh_pass() { # NAME SECONDS
  local tmp
  tmp=$(mktemp)
  { [ -f "$FRESH_RECORD" ] && awk -v n="$1" '$1 != n && !/^#/' "$FRESH_RECORD"
    printf '%s %s %s %ss\n' "$1" "$(fresh_inputs_hash "$1")" "$(date -u +%FT%TZ)" "$2"
  } | sort >"$tmp.body"
  { echo "# setup hash-of-its-inputs passed-at took (written by the --fresh runs; see scripts/fresh-record.bash)"
    cat "$tmp.body"; } >"$FRESH_RECORD"
  rm -f "$tmp" "$tmp.body"
  echo "[fresh] recorded $1 in ${FRESH_RECORD#"$FRESH_REPO_ROOT"/}: commit it" >&2
}
