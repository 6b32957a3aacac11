# syntax=docker/dockerfile:1.6
# Cross-compiles the service for every supported platform in one build.
FROM --platform=$BUILDPLATFORM golang:1.19-bookworm AS cross
ARG BUILDPLATFORM
ARG TARGETPLATFORM
RUN echo "building on $BUILDPLATFORM for $TARGETPLATFORM"
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .

FROM cross AS bin-linux-amd64
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-linux-amd64 . \
 && sha256sum /out/benchsvc-linux-amd64 > /out/benchsvc-linux-amd64.sha256 \
 && ls -l /out

FROM cross AS bin-linux-arm64
RUN CGO_ENABLED=0 GOOS=linux GOARCH=arm64 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-linux-arm64 . \
 && sha256sum /out/benchsvc-linux-arm64 > /out/benchsvc-linux-arm64.sha256 \
 && ls -l /out

FROM cross AS bin-linux-arm-v7
RUN CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-linux-arm-v7 . \
 && sha256sum /out/benchsvc-linux-arm-v7 > /out/benchsvc-linux-arm-v7.sha256 \
 && ls -l /out

FROM cross AS bin-linux-ppc64le
RUN CGO_ENABLED=0 GOOS=linux GOARCH=ppc64le \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-linux-ppc64le . \
 && sha256sum /out/benchsvc-linux-ppc64le > /out/benchsvc-linux-ppc64le.sha256 \
 && ls -l /out

FROM cross AS bin-linux-s390x
RUN CGO_ENABLED=0 GOOS=linux GOARCH=s390x \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-linux-s390x . \
 && sha256sum /out/benchsvc-linux-s390x > /out/benchsvc-linux-s390x.sha256 \
 && ls -l /out

FROM cross AS bin-linux-386
RUN CGO_ENABLED=0 GOOS=linux GOARCH=386 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-linux-386 . \
 && sha256sum /out/benchsvc-linux-386 > /out/benchsvc-linux-386.sha256 \
 && ls -l /out

FROM cross AS bin-linux-riscv64
RUN CGO_ENABLED=0 GOOS=linux GOARCH=riscv64 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-linux-riscv64 . \
 && sha256sum /out/benchsvc-linux-riscv64 > /out/benchsvc-linux-riscv64.sha256 \
 && ls -l /out

FROM cross AS bin-freebsd-amd64
RUN CGO_ENABLED=0 GOOS=freebsd GOARCH=amd64 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-freebsd-amd64 . \
 && sha256sum /out/benchsvc-freebsd-amd64 > /out/benchsvc-freebsd-amd64.sha256 \
 && ls -l /out

FROM cross AS bin-darwin-arm64
RUN CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-darwin-arm64 . \
 && sha256sum /out/benchsvc-darwin-arm64 > /out/benchsvc-darwin-arm64.sha256 \
 && ls -l /out

FROM cross AS bin-windows-amd64
RUN CGO_ENABLED=0 GOOS=windows GOARCH=amd64 \
    go build -trimpath -ldflags="-s -w" \
      -o /out/benchsvc-windows-amd64.exe . \
 && sha256sum /out/benchsvc-windows-amd64.exe > /out/benchsvc-windows-amd64.sha256 \
 && ls -l /out

FROM scratch AS dist
COPY --from=bin-linux-amd64 /out/ /dist/
COPY --from=bin-linux-arm64 /out/ /dist/
COPY --from=bin-linux-arm-v7 /out/ /dist/
COPY --from=bin-linux-ppc64le /out/ /dist/
COPY --from=bin-linux-s390x /out/ /dist/
COPY --from=bin-linux-386 /out/ /dist/
COPY --from=bin-linux-riscv64 /out/ /dist/
COPY --from=bin-freebsd-amd64 /out/ /dist/
COPY --from=bin-darwin-arm64 /out/ /dist/
COPY --from=bin-windows-amd64 /out/ /dist/

FROM alpine:3.18 AS checksums
COPY --from=dist /dist /dist
RUN cd /dist && cat *.sha256 > SHA256SUMS && rm *.sha256 && ls -la

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=bin-linux-amd64 /out/benchsvc-linux-amd64 /benchsvc
ENTRYPOINT ["/benchsvc"]
