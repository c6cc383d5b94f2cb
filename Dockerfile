# govlint's container image: the static Linux binary (musl) on a small base
# with a shell, so GitLab and Jenkins can run job scripts in it.
# The binary is built before the image (scripts/build-release.sh), never in it:
# the build context is a folder holding TARGETARCH/govlint for each platform
# (amd64, arm64), which scripts/build-image.sh lays out.
#   docker buildx build --platform linux/amd64,linux/arm64 -f Dockerfile CONTEXT
# Usage: docs/install.md, "A container image"; docs/ci.md, "Other CI systems".
FROM alpine:3.22
ARG TARGETARCH
COPY ${TARGETARCH}/govlint /usr/local/bin/govlint
RUN ["/usr/local/bin/govlint", "--version"]
LABEL org.opencontainers.image.title="govlint" \
      org.opencontainers.image.description="Check governance records against the written rules that govern them" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/govlint"]
CMD ["--help"]
