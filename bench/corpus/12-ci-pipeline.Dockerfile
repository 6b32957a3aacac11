# syntax=docker/dockerfile:1.6
# CI in one Dockerfile: every job is a stage, the release stage ships the binary.
ARG GO_VERSION=1.19
ARG DISTROLESS=gcr.io/distroless/static-debian12:nonroot

FROM golang:${GO_VERSION}-bookworm AS toolchain
ENV GOTOOLCHAIN=local \
    GOFLAGS=-mod=readonly \
    GOPRIVATE=example.com/* \
    CGO_ENABLED=0
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      git \
      make \
      jq \
      unzip \
      xz-utils \
      shellcheck \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

FROM toolchain AS modules
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=secret,id=netrc,target=/root/.netrc \
    go mod download -x \
 && go mod verify

FROM modules AS source
COPY . .
RUN gofmt -l . | tee /tmp/gofmt.txt \
 && test ! -s /tmp/gofmt.txt

FROM source AS unit
ARG UNIT_TIMEOUT=10m
ARG UNIT_FLAGS=""
ENV JOB=unit
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job unit starting"; \
    go env GOCACHE GOMODCACHE; \
    case "unit" in \
      unit) go test -count=1 -timeout ${UNIT_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job unit done" > /tmp/unit.done

FROM source AS race
ARG RACE_TIMEOUT=10m
ARG RACE_FLAGS=""
ENV JOB=race
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job race starting"; \
    go env GOCACHE GOMODCACHE; \
    case "race" in \
      unit) go test -count=1 -timeout ${RACE_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job race done" > /tmp/race.done

FROM source AS integration
ARG INTEGRATION_TIMEOUT=10m
ARG INTEGRATION_FLAGS=""
ENV JOB=integration
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job integration starting"; \
    go env GOCACHE GOMODCACHE; \
    case "integration" in \
      unit) go test -count=1 -timeout ${INTEGRATION_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job integration done" > /tmp/integration.done

FROM source AS fuzz
ARG FUZZ_TIMEOUT=10m
ARG FUZZ_FLAGS=""
ENV JOB=fuzz
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job fuzz starting"; \
    go env GOCACHE GOMODCACHE; \
    case "fuzz" in \
      unit) go test -count=1 -timeout ${FUZZ_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job fuzz done" > /tmp/fuzz.done

FROM source AS lint
ARG LINT_TIMEOUT=10m
ARG LINT_FLAGS=""
ENV JOB=lint
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job lint starting"; \
    go env GOCACHE GOMODCACHE; \
    case "lint" in \
      unit) go test -count=1 -timeout ${LINT_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job lint done" > /tmp/lint.done

FROM source AS vuln
ARG VULN_TIMEOUT=10m
ARG VULN_FLAGS=""
ENV JOB=vuln
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job vuln starting"; \
    go env GOCACHE GOMODCACHE; \
    case "vuln" in \
      unit) go test -count=1 -timeout ${VULN_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job vuln done" > /tmp/vuln.done

FROM source AS generate
ARG GENERATE_TIMEOUT=10m
ARG GENERATE_FLAGS=""
ENV JOB=generate
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job generate starting"; \
    go env GOCACHE GOMODCACHE; \
    case "generate" in \
      unit) go test -count=1 -timeout ${GENERATE_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job generate done" > /tmp/generate.done

FROM source AS docs
ARG DOCS_TIMEOUT=10m
ARG DOCS_FLAGS=""
ENV JOB=docs
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job docs starting"; \
    go env GOCACHE GOMODCACHE; \
    case "docs" in \
      unit) go test -count=1 -timeout ${DOCS_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job docs done" > /tmp/docs.done

FROM source AS coverage
ARG COVERAGE_TIMEOUT=10m
ARG COVERAGE_FLAGS=""
ENV JOB=coverage
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job coverage starting"; \
    go env GOCACHE GOMODCACHE; \
    case "coverage" in \
      coverage) go test -coverprofile=/tmp/cover.out -count=1 -timeout ${COVERAGE_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job coverage done" > /tmp/coverage.done

FROM source AS e2e
ARG E2E_TIMEOUT=10m
ARG E2E_FLAGS=""
ENV JOB=e2e
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job e2e starting"; \
    go env GOCACHE GOMODCACHE; \
    case "e2e" in \
      e2e) go test -count=1 -timeout ${E2E_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job e2e done" > /tmp/e2e.done

FROM source AS bench
ARG BENCH_TIMEOUT=10m
ARG BENCH_FLAGS=""
ENV JOB=bench
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    set -eux; \
    echo "== job bench starting"; \
    go env GOCACHE GOMODCACHE; \
    case "bench" in \
      bench) go test -count=1 -timeout ${BENCH_TIMEOUT} ./... ;; \
      race) CGO_ENABLED=1 go test -race -count=1 ./... ;; \
      integration) go test -tags integration -count=1 -p 1 ./... ;; \
      fuzz) go test -run XXX -fuzz . -fuzztime 30s . || true ;; \
      lint) go vet ./... && shellcheck scripts/*.sh || true ;; \
      vuln) echo "vulnerability scan" ;; \
      generate) go generate ./... && git diff --exit-code ;; \
      docs) go doc -all . > /tmp/docs.txt ;; \
    esac; \
    echo "== job bench done" > /tmp/bench.done

FROM source AS build
ARG VERSION=dev
ARG COMMIT=unknown
ARG TARGETOS=linux
ARG TARGETARCH=amd64
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build \
      -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/benchsvc \
      .

FROM scratch AS artifacts
COPY --from=unit /tmp/unit.done /reports/unit.done
COPY --from=race /tmp/race.done /reports/race.done
COPY --from=integration /tmp/integration.done /reports/integration.done
COPY --from=fuzz /tmp/fuzz.done /reports/fuzz.done
COPY --from=lint /tmp/lint.done /reports/lint.done
COPY --from=vuln /tmp/vuln.done /reports/vuln.done
COPY --from=generate /tmp/generate.done /reports/generate.done
COPY --from=docs /tmp/docs.done /reports/docs.done
COPY --from=coverage /tmp/coverage.done /reports/coverage.done
COPY --from=e2e /tmp/e2e.done /reports/e2e.done
COPY --from=bench /tmp/bench.done /reports/bench.done
COPY --from=build /out/benchsvc /bin/benchsvc

FROM ${DISTROLESS} AS release
ARG VERSION=dev
LABEL org.opencontainers.image.version=${VERSION} \
      org.opencontainers.image.source="https://example.com/benchsvc" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/benchsvc /usr/local/bin/benchsvc
EXPOSE 8080 9090
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/benchsvc"]
CMD ["serve"]
