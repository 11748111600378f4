# Build: docker build --build-arg REVISION=$(git rev-parse --short HEAD) -t dreambot .
#        (or: docker compose up -d --build, see compose.yaml; REVISION is what `dreambot version` shows)
# Run:   docker run -d --env-file .env -v dreambot-images:/images -v dreambot-data:/data dreambot
# Image names are fully qualified: podman and buildah refuse short names.

# The Go of go.mod's `go` line exactly: the official image sets GOTOOLCHAIN=local, so an older
# patch release refuses to build a module that asks for a newer one.
FROM docker.io/library/golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# .git is not in the build context: the revision comes as a build argument.
ARG REVISION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.stampedRevision=${REVISION}" -o /out/dreambot . \
 && mkdir -p /out/images /out/data

# distroless/static: no shell, CA certificates included. Its nonroot user is uid/gid 65532:
# bind-mounted directories must be writable by that uid.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dreambot /dreambot
COPY --from=build --chown=65532:65532 /out/images /images
COPY --from=build --chown=65532:65532 /out/data /data
# METRICS_ADDR serves /metrics and /healthz inside the container (published only with -p), so
# that HEALTHCHECK works without curl; an empty METRICS_ADDR= in --env-file turns both off.
ENV IMAGE_DIR=/images DATA_DIR=/data METRICS_ADDR=0.0.0.0:9090
VOLUME ["/images", "/data"]
EXPOSE 9090
USER 65532:65532
# The bot stops within SHUTDOWN_TIMEOUT (8 s by default), inside docker stop's 10 s.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/dreambot", "healthcheck"]
ENTRYPOINT ["/dreambot"]
