#!/usr/bin/env bash
# Lay out the govlint-pre-commit repository (the hooks that install the wheel)
# in DEST from pre-commit/, checking that it pins this version of govlint.
# The release workflow commits DEST and tags it vVERSION.
# Usage: scripts/pre-commit-mirror.sh DEST
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$#" -ne 1 ]; then
  echo "usage: scripts/pre-commit-mirror.sh DEST" >&2
  exit 2
fi
dest=$1
version=$("$root/scripts/version.sh")
if ! grep -qxF "dependencies = [\"govlint==$version\"]" "$root/pre-commit/pyproject.toml"; then
  echo "pre-commit-mirror: pre-commit/pyproject.toml does not pin govlint==$version" >&2
  exit 1
fi
mkdir -p "$dest"
cp "$root/pre-commit/.pre-commit-hooks.yaml" "$root/pre-commit/pyproject.toml" \
  "$root/pre-commit/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$dest/"
echo "$dest"
