#!/usr/bin/env bash
# Lay out the container image's build context from built Linux binaries, and
# build the image when a container engine runs here.
# Usage: scripts/build-image.sh CONTEXT TAG ARCH=BINARY...
#   e.g. scripts/build-image.sh build/image govlint:dev amd64=target/x86_64-unknown-linux-musl/release/govlint
# GOVLINT_IMAGE_CONTEXT_ONLY=1 lays out the context and builds nothing (the
# release workflow builds it with buildx, for several platforms at once).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$#" -lt 3 ]; then
  echo "usage: scripts/build-image.sh CONTEXT TAG ARCH=BINARY..." >&2
  exit 2
fi
context=$1
tag=$2
shift 2
mkdir -p "$context"
for pair in "$@"; do
  arch=${pair%%=*}
  binary=${pair#*=}
  case "$arch" in amd64 | arm64) ;; *) echo "build-image: unknown architecture $arch" >&2; exit 2 ;; esac
  mkdir -p "$context/$arch"
  cp "$binary" "$context/$arch/govlint"
  chmod 755 "$context/$arch/govlint"
done
cp "$root/Dockerfile" "$context/Dockerfile"
if [ "${GOVLINT_IMAGE_CONTEXT_ONLY:-}" = 1 ]; then
  echo "$context"
  exit 0
fi
docker build --tag "$tag" "$context" >&2
echo "$tag"
