FROM golang:1.19-alpine AS builder
RUN apk add --no-cache git make build-base
WORKDIR /go/src/example.com/benchsvc
COPY go.mod .
RUN go mod download
COPY . .
RUN go build -ldflags "-X main.commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)" -o /go/bin/benchsvc .

FROM alpine:3.18
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV TZ=UTC
RUN apk add --no-cache ca-certificates tzdata \
 && addgroup -S app \
 && adduser -S -G app app
COPY --from=builder /go/bin/benchsvc /usr/bin/benchsvc
USER app
WORKDIR /home/app
EXPOSE 9000
ENTRYPOINT ["benchsvc"]
CMD ["--listen", ":9000"]
