# syntax=docker/dockerfile:1.4
FROM golang:1.19 AS build
WORKDIR /src
COPY <<EOT /src/build.sh
#!/bin/sh
set -eu
go vet ./...
CGO_ENABLED=0 go build -o /out/benchsvc .
EOT
COPY . .
RUN <<EOT bash
  set -euxo pipefail
  chmod +x /src/build.sh
  /src/build.sh
  ls -la /out
EOT
RUN <<-EOT
	echo "build finished at $(date -u)" > /out/BUILDINFO
	go version >> /out/BUILDINFO
EOT

FROM debian:bookworm-slim
RUN <<EOT
  set -eux
  apt-get update
  apt-get install -y --no-install-recommends ca-certificates
  rm -rf /var/lib/apt/lists/*
EOT
COPY --from=build /out/benchsvc /usr/local/bin/
COPY --from=build /out/BUILDINFO /etc/
COPY <<EOT /etc/benchsvc/config.yaml
listen: ":8080"
upstream: "https://example.com"
timeout: 10s
EOT
ENTRYPOINT ["benchsvc"]
