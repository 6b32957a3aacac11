FROM golang:1.19
WORKDIR /app
ADD . .
RUN go mod download
RUN go build -o server .
ENV PORT=8080 \
    GIN_MODE=release
EXPOSE 8080
# The service reads its time zone at start-up.
ENV TZ=Europe/Paris
HEALTHCHECK --interval=30s --timeout=3s CMD ["/app/server", "-health"]
LABEL org.opencontainers.image.title="benchsvc" \
      org.opencontainers.image.vendor="example" \
      org.opencontainers.image.source="https://example.com/benchsvc"
VOLUME ["/data"]
STOPSIGNAL SIGTERM
ARG GIT_COMMIT=unknown
LABEL org.opencontainers.image.revision=$GIT_COMMIT
USER root
CMD ["/app/server"]
