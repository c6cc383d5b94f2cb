#!/usr/bin/env bash
# The container image: built from the Dockerfile with a binary of this tree,
# then run on the real snapshot. Skipped, with the reason, where no container
# engine runs.
# Usage: scripts/tests/container.sh (GOVLINT_BINARY: a built Linux binary)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

check "the Dockerfile takes the binary from the context, built outside the image" \
  bash -c 'grep -q "^COPY \${TARGETARCH}/govlint " Dockerfile && ! grep -qi "cargo" <(grep -v "^#" Dockerfile)'
check "the image's entrypoint is govlint" grep -q '^ENTRYPOINT \["/usr/local/bin/govlint"\]' Dockerfile

if ! command -v docker >/dev/null 2>&1; then
  skip "no container engine: docker is not installed, so the image is not built here"
elif ! docker info >/dev/null 2>&1; then
  skip "no container engine: the docker client is here but no Docker daemon answers, so the image is not built here"
elif ! rustup target list --installed 2>/dev/null | grep -qx "$(uname -m)-unknown-linux-musl"; then
  skip "the image takes a static (musl) binary, and the target $(uname -m)-unknown-linux-musl is not installed"
else
  arch=$(uname -m)
  case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
  binary=$(scripts/build-release.sh "$(uname -m)-unknown-linux-musl" dev)
  work=$(mktemp -d)
  tag="govlint-test:$$"
  trap 'rm -rf "$work"; docker rmi -f "$tag" >/dev/null 2>&1 || true' EXIT
  built=0
  scripts/build-image.sh "$work/context" "$tag" "$arch=$binary" > /dev/null || built=$?
  check "the image builds" test "$built" -eq 0
  version=$(docker run --rm "$tag" --version 2>&1 || true)
  check "the image runs govlint --version" grep -q "^govlint $(scripts/version.sh)" <<< "$version"
  status=0
  docker run --rm -v "$ROOT/fixtures:/work:ro" "$tag" check ilgsse-vade-mecum.yaml > /dev/null 2>&1 || status=$?
  check "the image checks the real snapshot (exit 0)" test "$status" -eq 0
fi
finish "container"
