# syntax=docker/dockerfile:1.6
ARG GO_VERSION=1.19
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/benchsvc .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/benchsvc /usr/local/bin/benchsvc
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/benchsvc"]
