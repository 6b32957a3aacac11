FROM golang:1.19-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -tags "sqlite_omit_load_extension" -o /app/benchsvc .

# The sqlite driver needs cgo, so the runtime keeps glibc.
FROM ubuntu:24.04
ENV LANG=C.UTF-8
ARG UID=10001
RUN groupadd -g ${UID} svc && useradd -u ${UID} -g svc -M svc
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/benchsvc /usr/local/bin/benchsvc
RUN mkdir -p /var/lib/benchsvc
VOLUME /var/lib/benchsvc
EXPOSE 8443
ENTRYPOINT ["/usr/local/bin/benchsvc", "--db", "/var/lib/benchsvc/db.sqlite"]
