FROM debian:bookworm AS toolchain
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
        git \
        gcc \
        libc6-dev \
        make \
        pkg-config; \
    curl -fsSLo /tmp/go.tgz "https://go.dev/dl/go1.19.13.linux-amd64.tar.gz"; \
    echo "4643d4c29c55f53fa0349367d7f1bb5ca554ea6ef528c146825b0f8464e2e668  /tmp/go.tgz" | sha256sum -c -; \
    tar -C /usr/local -xzf /tmp/go.tgz; \
    rm -f /tmp/go.tgz; \
    /usr/local/go/bin/go version; \
    mkdir -p /go/src /go/bin; \
    chmod -R 1777 /go; \
    apt-get purge -y --auto-remove curl; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:$PATH

FROM toolchain AS deps
WORKDIR /src
COPY go.mod ./
RUN set -eux; \
    go env; \
    go mod download -x; \
    go mod verify; \
    go list -m all > /tmp/modules.txt; \
    wc -l /tmp/modules.txt

FROM deps AS test
COPY . .
RUN set -eux; \
    go vet ./...; \
    go test -race -count=1 ./... 2>&1 | tee /tmp/test.log; \
    grep -q "^ok\|no test files" /tmp/test.log; \
    go test -run XXX -bench . -benchtime 100x ./... > /tmp/bench.log || true; \
    cat /tmp/bench.log

FROM deps AS build
COPY . .
RUN set -eux; \
    export CGO_ENABLED=1; \
    export GOOS=linux; \
    export GOARCH=amd64; \
    version="$(git describe --tags --always 2>/dev/null || echo dev)"; \
    go build \
      -ldflags "-X main.version=${version}" \
      -tags "netgo osusergo" \
      -o /usr/local/bin/benchsvc \
      .; \
    /usr/local/bin/benchsvc -version || true; \
    ldd /usr/local/bin/benchsvc || true; \
    strip --strip-unneeded /usr/local/bin/benchsvc || true

FROM debian:bookworm-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y ca-certificates tzdata; \
    groupadd --system --gid 1001 app; \
    useradd --system --uid 1001 --gid app --home-dir /var/lib/app --create-home app; \
    mkdir -p /var/lib/app/data /var/log/app; \
    chown -R app:app /var/lib/app /var/log/app
COPY --from=build /usr/local/bin/benchsvc /usr/local/bin/benchsvc
USER app
VOLUME /var/lib/app/data
ENTRYPOINT ["/usr/local/bin/benchsvc"]
CMD ["serve", "--data", "/var/lib/app/data"]
