#!/usr/bin/env bash
# Print the changelog's section for VERSION (the release's notes), and check
# that the version is Cargo.toml's: a release cannot be cut without its notes.
# Usage: scripts/release-notes.sh VERSION [CHANGELOG]   (VERSION with or without v)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$#" -lt 1 ]; then
  echo "usage: scripts/release-notes.sh VERSION [CHANGELOG]" >&2
  exit 2
fi
version=${1#v}
changelog=${2:-$root/CHANGELOG.md}
cargo_version=$("$root/scripts/version.sh")
if [ "$version" != "$cargo_version" ]; then
  echo "release-notes: the tag says $version, Cargo.toml says $cargo_version" >&2
  exit 1
fi
notes=$(awk -v heading="## [$version]" '
  index($0, heading) == 1 { inside = 1; next }
  inside && /^## / { exit }
  inside && /^\[[^]]*\]: / { next }
  inside { print }
' "$changelog")
if [ -z "$(tr -d '[:space:]' <<< "$notes")" ]; then
  echo "release-notes: $changelog has no section '## [$version] - DATE'; rename [Unreleased] to it" >&2
  exit 1
fi
printf '%s\n' "$notes" | sed -e '/./,$!d'
