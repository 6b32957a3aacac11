#!/usr/bin/env bash
# Install code-server (VS Code in a browser), Debian's chromium and
# playwright-core into a tools folder outside the project's dependencies, so
# the Slimfile extension can be tested inside a real VS Code in a real browser.
#
# Works offline except for the npm registry and Debian's package archive.
# Idempotent: a marker file keyed on the versions makes a second run cheap.
#
# Env:
#   SLIMFILE_TOOLS            tools folder (default: <repo>/.tools)
#   CODE_SERVER_VERSION       default 4.100.3 (the last line that runs on Node 20)
#   PLAYWRIGHT_CORE_VERSION   default 1 (npm range)
#   SLIMFILE_SKIP_APT=1       do not run apt-get (packages must already be there)
#   SLIMFILE_FORCE=1          reinstall even if the marker says it is done
#
# --fresh: install into an empty, throw-away tools folder (nothing reused), check that it works,
# remove it, and record the pass in test/e2e/fresh-passed (scripts/fresh-record.bash).
set -euo pipefail
FRESH=0
case "${1:-}" in
  --fresh) FRESH=1 ;;
  "") ;;
  *) echo "install-code-server: unknown argument: $1" >&2; exit 2 ;;
esac

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${SLIMFILE_TOOLS:-$REPO_ROOT/.tools}"
FRESH_START=$(date +%s)
if [ "$FRESH" = 1 ]; then
  TOOLS=$(mktemp -d /var/tmp/slimfile-fresh-tools.XXXXXX)
  SLIMFILE_FORCE=1
  trap 'rm -rf "$TOOLS"' EXIT
fi
MARKER_KEY="code-server@${CODE_SERVER_VERSION} playwright-core@${PLAYWRIGHT_CORE_VERSION} node-abi@$(node -p process.versions.modules 2>/dev/null || echo none)"
MARKER="$TOOLS/.installed-code-server-${CODE_SERVER_VERSION}"
APT_PKGS=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep chromium)

log() { printf '[install-code-server] %s\n' "$*" >&2; }
die() { printf '[install-code-server] ERROR: %s\n' "$*" >&2; exit 1; }
step() { log "$1"; shift; "$@" || die "step failed: $* (in $(pwd))"; }
# Like step, but keeps the (very long) output in a file and shows its tail on failure.
quiet_step() {
  local what="$1"; shift
  local out; out="$(mktemp)"
  log "$what"
  if ! "$@" >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    rm -f "$out"
    die "step failed: $*"
  fi
  rm -f "$out"
}

export DEBIAN_FRONTEND=noninteractive
export npm_config_yes=true npm_config_fund=false npm_config_audit=false \
       npm_config_update_notifier=false npm_config_loglevel=warn
# Nothing may try to download binaries from outside the npm registry.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1

command -v node >/dev/null || die "node not found on PATH (need Node 20)"
command -v npm  >/dev/null || die "npm not found on PATH"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" = 20 ] || log "warning: code-server ${CODE_SERVER_VERSION} is built for Node 20, found Node $(node -v)"

# ---------- fast path ----------
if [ "${SLIMFILE_FORCE:-0}" != 1 ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$MARKER_KEY" ] \
   && [ -x "$TOOLS/node_modules/.bin/code-server" ] && [ -d "$TOOLS/node_modules/playwright-core" ] \
   && [ -x "$TOOLS/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
   && [ -x /usr/bin/chromium ]; then
  log "already installed ($MARKER_KEY) in $TOOLS"
  exit 0
fi

# ---------- 1. system packages ----------
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "${SLIMFILE_SKIP_APT:-0}" = 1 ] && die "missing Debian packages: ${missing[*]} (SLIMFILE_SKIP_APT=1 set)"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install: ${missing[*]}"
    SUDO="sudo -n"
  fi
  # Another apt/dpkg may be running (CI images, other sessions): wait for its lock.
  APT_OPTS=(-o DPkg::Lock::Timeout=600)
  quiet_step "apt-get update" $SUDO apt-get "${APT_OPTS[@]}" update -qq
  quiet_step "apt-get install ${missing[*]}" $SUDO apt-get "${APT_OPTS[@]}" install -y -qq "${missing[@]}"
else
  log "Debian packages present"
fi
[ -x /usr/bin/rg ] || die "/usr/bin/rg missing after installing ripgrep"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after installing chromium"

# ---------- 2. code-server + playwright-core (tools folder) ----------
mkdir -p "$TOOLS"
cd "$TOOLS"
rm -f "$MARKER"
[ -f package.json ] || printf '{\n  "name": "slimfile-tools",\n  "private": true,\n  "description": "test tools, not part of the extension"\n}\n' > package.json
# Keep a .gitignore inside so the folder never lands in git even if the repo forgets.
[ -f .gitignore ] || printf '*\n' > .gitignore

installed_cs="$(node -p 'try{require("./node_modules/code-server/package.json").version}catch{""}')"
if [ "$installed_cs" != "$CODE_SERVER_VERSION" ] || [ ! -d node_modules/playwright-core ]; then
  step "npm install code-server@${CODE_SERVER_VERSION} playwright-core@${PLAYWRIGHT_CORE_VERSION} (no scripts)" \
    npm install --no-save --ignore-scripts "code-server@${CODE_SERVER_VERSION}" "playwright-core@${PLAYWRIGHT_CORE_VERSION}"
  # --no-save keeps package.json clean; record what we asked for instead
  printf '{\n  "name": "slimfile-tools",\n  "private": true,\n  "dependencies": {\n    "code-server": "%s",\n    "playwright-core": "%s"\n  }\n}\n' \
    "$CODE_SERVER_VERSION" "$PLAYWRIGHT_CORE_VERSION" > package.json
else
  log "code-server ${CODE_SERVER_VERSION} already in node_modules"
fi

VS="$TOOLS/node_modules/code-server/lib/vscode"
[ -d "$VS" ] || die "$VS not found: code-server package layout changed?"

# ---------- 3. VS Code server's own dependencies ----------
cd "$VS"
step "lib/vscode: npm install --omit=dev (no scripts)" npm install --unsafe-perm --omit=dev --ignore-scripts
mkdir -p node_modules/@vscode/ripgrep/bin
step "lib/vscode: use Debian's ripgrep" install -m 0755 /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
step "lib/vscode: npm rebuild (native modules)" npm rebuild --unsafe-perm
ln -sfn node_modules node_modules.asar
( cd bin/remote-cli && ln -sf code-linux.sh code-server )
( cd bin/helpers && ln -sf browser-linux.sh browser.sh )
# npm rebuild may have run @vscode/ripgrep's postinstall (which downloads); make sure rg is ours.
[ -x node_modules/@vscode/ripgrep/bin/rg ] || install -m 0755 /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg

# ---------- 4. built-in extensions' dependencies ----------
cd "$VS/extensions"
step "lib/vscode/extensions: npm install --omit=dev" npm install --unsafe-perm --omit=dev

# ---------- 5. code-server's own native module ----------
cd "$TOOLS"
step "npm rebuild argon2" npm rebuild argon2

# ---------- check ----------
# Give it a throwaway config home: code-server writes a default config.yaml on every start.
xdg="$(mktemp -d)"
v="$(XDG_CONFIG_HOME="$xdg" XDG_DATA_HOME="$xdg" "$TOOLS/node_modules/.bin/code-server" --version 2>&1)" \
  || { rm -rf "$xdg"; die "code-server --version failed: $v"; }
rm -rf "$xdg"
v="$(printf '%s\n' "$v" | tail -n 1)"
log "code-server --version: $v"
node -e 'require(process.argv[1])' "$TOOLS/node_modules/playwright-core" || die "playwright-core does not load"
printf '%s' "$MARKER_KEY" > "$MARKER"
log "done: $MARKER_KEY in $TOOLS"
if [ "$FRESH" = 1 ]; then
  log "--fresh passed in $(( $(date +%s) - FRESH_START ))s, $(du -sh "$TOOLS" | cut -f1) in the tools folder; removing $TOOLS"
  . "$REPO_ROOT/scripts/fresh-record.bash"
  record_fresh_pass install-code-server "$(( $(date +%s) - FRESH_START ))"
fi
