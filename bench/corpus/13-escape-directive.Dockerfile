# escape=`
# A Dockerfile written on Windows with the backtick escape, still building a Linux image.
FROM golang:1.19 AS build
WORKDIR C:/src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go env -w CGO_ENABLED=0 && `
    go build `
      -trimpath `
      -o benchsvc `
      .

FROM gcr.io/distroless/static-debian12
LABEL org.opencontainers.image.title="benchsvc" `
      org.opencontainers.image.vendor="example"
ENV TZ=UTC `
    LOG_LEVEL=info
EXPOSE 8080
COPY --from=build C:/src/benchsvc /benchsvc
ENTRYPOINT ["/benchsvc"]
