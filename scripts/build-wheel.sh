#!/usr/bin/env bash
# Build the Python wheel that holds the govlint binary (pyproject.toml:
# maturin, `bindings = "bin"`) into OUTDIR, with its checksum, and print its path.
# Usage: scripts/build-wheel.sh OUTDIR [TARGET] [PROFILE]
#   TARGET   a Rust target triple; default the host's; `sdist` for the source
#            distribution (the crate's files, built by pip where no wheel fits)
#   PROFILE  a cargo profile; default `release` (what releases ship). The tests
#            pass `dev`, which reuses the test build.
# GOVLINT_WHEEL_ARGS: more maturin flags, e.g. `--zig --compatibility manylinux2014`
# (the release workflow's Linux wheels: built against an old glibc with zig).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -lt 1 ]; then
  echo "usage: scripts/build-wheel.sh OUTDIR [TARGET] [PROFILE]" >&2
  exit 2
fi
outdir=$1
host=$(rustc -vV | sed -n 's/^host: //p')
target=${2:-$host}
profile=${3:-release}
# The host's own build folder (target/PROFILE) when building for the host, so a
# test build's compiled dependencies are reused.
target_flags=()
if [ "$target" != "$host" ]; then target_flags=(--target "$target"); fi

if ! command -v maturin >/dev/null 2>&1; then
  python3 -m pip install --quiet 'maturin>=1,<2' >&2
fi
mkdir -p "$outdir"
if [ "$target" = sdist ]; then
  maturin sdist --out "$outdir" >&2
  sdist=$(ls -t "$outdir"/govlint-*.tar.gz | head -n 1)
  scripts/checksum.sh "$sdist" >&2
  echo "$sdist"
  exit 0
fi
before=$(mktemp)
trap 'rm -f "$before"' EXIT
ls "$outdir" > "$before"
# shellcheck disable=SC2086
maturin build --locked --profile "$profile" "${target_flags[@]}" --out "$outdir" ${GOVLINT_WHEEL_ARGS:-} >&2
wheel=$(ls -t "$outdir"/govlint-*.whl | head -n 1)
if grep -qxF "$(basename "$wheel")" "$before" && [ "$wheel" -ot "$before" ]; then
  echo "build-wheel: maturin wrote no wheel in $outdir" >&2
  exit 1
fi
scripts/checksum.sh "$wheel" >&2
echo "$wheel"
