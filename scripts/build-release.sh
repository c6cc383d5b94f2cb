#!/usr/bin/env bash
# Build the govlint binary for one target, as a release ships it, and print its
# path. Static where the platform allows: musl on Linux, the static C runtime
# on Windows (macOS links only the system's libraries).
# Usage: scripts/build-release.sh [TARGET] [PROFILE]
#   TARGET   a Rust target triple; default the host's
#   PROFILE  a cargo profile; default `release` (fat LTO), what releases use
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
target=${1:-$host}
profile=${2:-release}

case "$target" in
  *-windows-msvc) export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" ;;
  *-linux-musl) export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" ;;
esac

# The target's standard library, when rustup manages the toolchain.
if [ "$target" != "$host" ] && command -v rustup >/dev/null 2>&1; then
  rustup target add "$target" >&2
fi

# The host's own build folder (target/PROFILE) when building for the host.
target_flags=()
out=target
if [ "$target" != "$host" ]; then
  target_flags=(--target "$target")
  out="target/$target"
fi
cargo build --locked --profile "$profile" "${target_flags[@]}" --bin govlint >&2

case "$profile" in
  dev | test) dir=debug ;;
  bench) dir=release ;;
  *) dir=$profile ;;
esac
exe=govlint
case "$target" in *-windows-*) exe=govlint.exe ;; esac
binary="$out/$dir/$exe"
if [ ! -f "$binary" ]; then
  echo "build-release: cargo built no $binary" >&2
  exit 1
fi
echo "$binary"
