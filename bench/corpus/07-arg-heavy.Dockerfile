ARG REGISTRY=docker.io
ARG GO_IMAGE=golang
ARG GO_VERSION=1.19
ARG DEBIAN_VARIANT=bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12
ARG RUNTIME_TAG=nonroot
ARG BASE_UNSET

FROM ${REGISTRY}/library/${GO_IMAGE}:${GO_VERSION}-${DEBIAN_VARIANT} AS build
ARG APP_NAME=benchsvc
ARG APP_VERSION=0.0.0
ARG APP_COMMIT
ARG BUILD_DATE
ARG CGO=0
ARG GOFLAGS_EXTRA=""
ARG LDFLAGS="-s -w"
ENV CGO_ENABLED=${CGO} \
    GOFLAGS="-mod=readonly ${GOFLAGS_EXTRA}" \
    GOOS=linux \
    GOARCH=amd64
WORKDIR /src/${APP_NAME}
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -trimpath \
      -ldflags "${LDFLAGS} -X main.version=${APP_VERSION} -X main.commit=${APP_COMMIT} -X main.date=${BUILD_DATE}" \
      -o /out/${APP_NAME} .

FROM ${BASE_UNSET} AS mystery
RUN echo "this stage's base comes from an argument without a default"

FROM ${RUNTIME_IMAGE}:${RUNTIME_TAG}
ARG APP_NAME=benchsvc
ARG APP_VERSION=0.0.0
LABEL org.opencontainers.image.version=${APP_VERSION} \
      org.opencontainers.image.title=${APP_NAME}
COPY --from=build /out/${APP_NAME} /app/${APP_NAME}
ENV APP=/app/${APP_NAME}
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["/app/benchsvc"]
