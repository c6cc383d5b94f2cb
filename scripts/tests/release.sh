#!/usr/bin/env bash
# The release workflow's steps, run here for the host: build, package,
# checksum, the notes from the changelog, the pre-commit hooks' repository.
# The workflow (.github/workflows/release.yml) calls only these scripts.
# Usage: scripts/tests/release.sh [PROFILE]   (default dev; releases use release)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
profile=${1:-dev}

version=$(scripts/version.sh)
check "version.sh reads Cargo.toml's version" bash -c '[[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]' _ "$version"
host=$(rustc -vV | sed -n 's/^host: //p')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Build and package, as the workflow does for each target.
status=0
binary=$(scripts/build-release.sh "$host" "$profile") || status=$?
check "build-release.sh builds the host's binary ($profile)" test "$status" -eq 0
check "the built binary runs" bash -c '"$1" --version | grep -qx "govlint $2"' _ "$binary" "$version"
binary=$(stripped_copy "$binary" "$work/bin")
archive=$(scripts/package.sh "$binary" "$host" "$work/dist" 2>/dev/null)
check "package.sh writes the archive and its checksum" test -s "$archive" -a -s "$archive.sha256" -a -s "$work/dist/SHA256SUMS"
check "SHA256SUMS verifies" bash -c 'cd "$1" && sha256sum --quiet -c SHA256SUMS' _ "$work/dist"
# Checksumming again (the workflow gathers every job's assets) keeps one line per file.
scripts/checksum.sh "$archive" > /dev/null
check "checksumming again keeps one line per file" test "$(wc -l < "$work/dist/SHA256SUMS")" -eq 1
windows_archive=$(scripts/package.sh "$binary" x86_64-pc-windows-msvc "$work/dist" 2>/dev/null)
check "a Windows asset is a zip holding govlint.exe" \
  bash -c 'unzip -l "$1" | grep -q "govlint-$2-x86_64-pc-windows-msvc/govlint.exe"' _ "$windows_archive" "$version"
check "SHA256SUMS lists both assets" test "$(wc -l < "$work/dist/SHA256SUMS")" -eq 2

# The notes: the changelog's section for the version, and nothing without one.
sed "s/^## \[Unreleased\]/## [$version] - 2026-12-06/" CHANGELOG.md > "$work/CHANGELOG.md"
notes=$(scripts/release-notes.sh "v$version" "$work/CHANGELOG.md" 2>&1) || true
check "release-notes.sh prints the version's section" grep -q "^### Added" <<< "$notes"
check "the notes stop before the next section and the link list" bash -c '! grep -q "^## \|^\[Unreleased\]:" <<< "$1"' _ "$notes"
status=0
scripts/release-notes.sh "v$version" CHANGELOG.md > /dev/null 2> "$work/err" || status=$?
if grep -q "^## \[$version\]" CHANGELOG.md; then
  check "the changelog has the version's notes" test "$status" -eq 0
else
  check "no release without the version's section in the changelog" bash -c '[ "$1" -eq 1 ] && grep -q "rename \[Unreleased\]" "$2"' _ "$status" "$work/err"
fi
status=0
scripts/release-notes.sh v99.0.0 "$work/CHANGELOG.md" > /dev/null 2> "$work/err" || status=$?
check "a tag that is not Cargo.toml's version is refused" bash -c '[ "$1" -eq 1 ] && grep -q "Cargo.toml says" "$2"' _ "$status" "$work/err"

# The pre-commit hooks' repository.
scripts/pre-commit-mirror.sh "$work/hooks" > /dev/null
check "pre-commit-mirror.sh lays out the hooks' repository" \
  test -s "$work/hooks/.pre-commit-hooks.yaml" -a -s "$work/hooks/pyproject.toml" -a -s "$work/hooks/LICENSE-MIT"

# The workflow calls only scripts that exist, and builds every platform.
workflow=.github/workflows/release.yml
missing=$(grep -o 'scripts/[a-z-]*\.sh' "$workflow" | sort -u | while read -r script; do [ -f "$script" ] || echo "$script"; done)
check "the workflow's scripts all exist" test -z "$missing"
for target in x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-msvc; do
  check "the workflow builds $target" grep -q "target: $target" "$workflow"
done
check "the workflow attests build provenance" grep -q "actions/attest-build-provenance" "$workflow"

finish "release"
