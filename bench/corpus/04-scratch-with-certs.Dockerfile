FROM golang:1.19-bookworm AS build
WORKDIR /build
COPY go.mod ./
RUN go mod download && go mod verify
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w -extldflags "-static"' -o benchsvc .
RUN useradd -u 10001 -M -s /sbin/nologin app

# Runtime: nothing but the binary and the files it reads.
FROM scratch
LABEL org.opencontainers.image.description="benchsvc on scratch"
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    TZ=Europe/Paris
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /etc/passwd /etc/passwd
COPY --from=build /build/benchsvc /benchsvc
USER app
WORKDIR /
ENTRYPOINT ["/benchsvc"]
