#!/usr/bin/env bash
# Start-up time and memory of the examples' binaries without and with UPX, on the Docker Engine.
# npm run bench runs it after building $PREFIX/<example>:scratch and $PREFIX/<example>:upx
# (bench/sections/images.ts; PREFIX defaults to slimfile-bench).
# Each binary is copied out of its image and started RUNS times in a golang:1.19 container without
# network: hello runs to its end, https-client fails its dial to a closed local port, http-server
# is started until its port accepts a connection and then killed. Prints one JSON object.
set -euo pipefail
RUNS="${RUNS:-30}"
PREFIX="${PREFIX:-slimfile-bench}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for example in hello http-server https-client; do
  for variant in scratch upx; do
    image="$PREFIX/$example:$variant"
    id="$(docker create "$image")"
    docker cp "$id:/app/main" "$work/$example-$variant" >/dev/null
    docker rm "$id" >/dev/null
  done
done
cat > "$work/measure.sh" <<'INNER'
set -euo pipefail
now() { date +%s%N; }
start_once() { # example binary
  case "$1" in
    hello) "$2" >/dev/null 2>&1 ;;
    https-client) "$2" https://127.0.0.1:9/ >/dev/null 2>&1 || true ;;
    http-server)
      "$2" 2>/dev/null & pid=$!
      until (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; do :; done
      if [ -n "${MEASURE_RSS:-}" ]; then grep -E '^(RssAnon|RssFile):' /proc/$pid/status | tr '\t\n' '  ' | tr -s ' ' >&2; fi
      kill $pid; wait $pid 2>/dev/null || true ;;
  esac
}
echo '{'
first=1
for example in hello http-server https-client; do
  for variant in scratch upx; do
    bin=/b/$example-$variant
    start_once $example $bin # warm the page cache
    t0=$(now)
    for i in $(seq "$RUNS"); do start_once $example $bin; done
    t1=$(now)
    rss=""
    if [ $example = http-server ]; then rss=$(MEASURE_RSS=1 start_once $example $bin 2>&1 >/dev/null); fi
    [ $first = 1 ] || echo ','
    first=0
    printf '"%s-%s": {"bytes": %s, "msPerStart": %s, "rss": "%s"}' $example $variant $(stat -c %s $bin) $(( (t1 - t0) / RUNS / 10000 ))e-2 "$rss"
  done
done
echo '}'
INNER
docker run --rm --network none -e RUNS="$RUNS" -v "$work:/b:ro" golang:1.19 bash /b/measure.sh
