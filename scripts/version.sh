#!/usr/bin/env bash
# Print govlint's version, as Cargo.toml's [package] section declares it.
# Usage: scripts/version.sh [CARGO_TOML]
set -euo pipefail
manifest=${1:-"$(dirname "$0")/../Cargo.toml"}
version=$(sed -n '/^\[package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1)
if [ -z "$version" ]; then
  echo "version: no version in $manifest" >&2
  exit 1
fi
echo "$version"
