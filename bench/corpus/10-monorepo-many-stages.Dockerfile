# syntax=docker/dockerfile:1.6
# One Dockerfile builds every service of the monorepo; pick one with --target.
ARG GO_VERSION=1.19
FROM golang:${GO_VERSION}-bookworm AS base
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .

FROM base AS build-api
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=api -X main.version=${VERSION}" \
      -o /out/api .

FROM gcr.io/distroless/static-debian12:nonroot AS api
COPY --from=build-api /out/api /usr/local/bin/api
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]

FROM base AS build-auth
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=auth -X main.version=${VERSION}" \
      -o /out/auth .

FROM gcr.io/distroless/static-debian12:nonroot AS auth
COPY --from=build-auth /out/auth /usr/local/bin/auth
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/auth"]

FROM base AS build-billing
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=billing -X main.version=${VERSION}" \
      -o /out/billing .

FROM gcr.io/distroless/static-debian12:nonroot AS billing
COPY --from=build-billing /out/billing /usr/local/bin/billing
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/billing"]

FROM base AS build-catalog
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=catalog -X main.version=${VERSION}" \
      -o /out/catalog .

FROM gcr.io/distroless/static-debian12:nonroot AS catalog
COPY --from=build-catalog /out/catalog /usr/local/bin/catalog
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/catalog"]

FROM base AS build-checkout
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=checkout -X main.version=${VERSION}" \
      -o /out/checkout .

FROM gcr.io/distroless/static-debian12:nonroot AS checkout
COPY --from=build-checkout /out/checkout /usr/local/bin/checkout
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/checkout"]

FROM base AS build-gateway
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=gateway -X main.version=${VERSION}" \
      -o /out/gateway .

FROM gcr.io/distroless/static-debian12:nonroot AS gateway
COPY --from=build-gateway /out/gateway /usr/local/bin/gateway
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/gateway"]

FROM base AS build-inventory
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=inventory -X main.version=${VERSION}" \
      -o /out/inventory .

FROM gcr.io/distroless/static-debian12:nonroot AS inventory
COPY --from=build-inventory /out/inventory /usr/local/bin/inventory
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/inventory"]

FROM base AS build-mailer
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=mailer -X main.version=${VERSION}" \
      -o /out/mailer .

FROM gcr.io/distroless/static-debian12:nonroot AS mailer
COPY --from=build-mailer /out/mailer /usr/local/bin/mailer
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/mailer"]

FROM base AS build-notifier
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=notifier -X main.version=${VERSION}" \
      -o /out/notifier .

FROM gcr.io/distroless/static-debian12:nonroot AS notifier
COPY --from=build-notifier /out/notifier /usr/local/bin/notifier
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/notifier"]

FROM base AS build-orders
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=orders -X main.version=${VERSION}" \
      -o /out/orders .

FROM gcr.io/distroless/static-debian12:nonroot AS orders
COPY --from=build-orders /out/orders /usr/local/bin/orders
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/orders"]

FROM base AS build-payments
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=payments -X main.version=${VERSION}" \
      -o /out/payments .

FROM gcr.io/distroless/static-debian12:nonroot AS payments
COPY --from=build-payments /out/payments /usr/local/bin/payments
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/payments"]

FROM base AS build-search
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go build -trimpath -ldflags="-s -w -X main.service=search -X main.version=${VERSION}" \
      -o /out/search .

FROM gcr.io/distroless/static-debian12:nonroot AS search
COPY --from=build-search /out/search /usr/local/bin/search
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/search"]

FROM debian:bookworm-slim AS all
RUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build-api /out/api /usr/local/bin/api
COPY --from=build-auth /out/auth /usr/local/bin/auth
COPY --from=build-billing /out/billing /usr/local/bin/billing
COPY --from=build-catalog /out/catalog /usr/local/bin/catalog
COPY --from=build-checkout /out/checkout /usr/local/bin/checkout
COPY --from=build-gateway /out/gateway /usr/local/bin/gateway
COPY --from=build-inventory /out/inventory /usr/local/bin/inventory
COPY --from=build-mailer /out/mailer /usr/local/bin/mailer
COPY --from=build-notifier /out/notifier /usr/local/bin/notifier
COPY --from=build-orders /out/orders /usr/local/bin/orders
COPY --from=build-payments /out/payments /usr/local/bin/payments
COPY --from=build-search /out/search /usr/local/bin/search
CMD ["/usr/local/bin/gateway"]
