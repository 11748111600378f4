# Build: docker build -t dreambot .
# Run:   docker run --env-file .env -v dreambot-images:/images -v dreambot-data:/data dreambot
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/dreambot . \
 && mkdir -p /out/images /out/data

# distroless/static: no shell, CA certificates included, runs as a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dreambot /dreambot
COPY --from=build --chown=65532:65532 /out/images /images
COPY --from=build --chown=65532:65532 /out/data /data
ENV IMAGE_DIR=/images DATA_DIR=/data
VOLUME ["/images", "/data"]
USER nonroot:nonroot
ENTRYPOINT ["/dreambot"]
