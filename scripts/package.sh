#!/usr/bin/env bash
# Package one built binary as a release asset, with its checksum:
#   OUTDIR/govlint-VERSION-TARGET.tar.gz   (.zip for Windows)
#   OUTDIR/govlint-VERSION-TARGET.tar.gz.sha256, and its line in OUTDIR/SHA256SUMS
# The archive holds one folder, govlint-VERSION-TARGET/, with the binary, the
# README, the changelog and the licences. Prints the archive's path.
# Usage: scripts/package.sh BINARY TARGET OUTDIR [VERSION]
#   VERSION  default: Cargo.toml's
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$#" -lt 3 ]; then
  echo "usage: scripts/package.sh BINARY TARGET OUTDIR [VERSION]" >&2
  exit 2
fi
binary=$1
target=$2
outdir=$3
version=${4:-$("$root/scripts/version.sh")}

if [ ! -f "$binary" ]; then
  echo "package: no binary $binary" >&2
  exit 2
fi
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
name="govlint-$version-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
exe=govlint
case "$target" in *-windows-*) exe=govlint.exe ;; esac
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp "$root/README.md" "$root/CHANGELOG.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/$name/"

case "$target" in
  *-windows-*)
    archive="$outdir/$name.zip"
    rm -f "$archive"
    if command -v zip >/dev/null 2>&1; then
      (cd "$stage" && zip -qr "$archive" "$name")
    else
      # Git Bash's paths are not Windows paths: PowerShell needs the latter.
      target_path=$archive
      if command -v cygpath >/dev/null 2>&1; then target_path=$(cygpath -w "$archive"); fi
      (cd "$stage" && powershell -NoProfile -Command "Compress-Archive -Path '$name' -DestinationPath '$target_path'")
    fi
    ;;
  *)
    archive="$outdir/$name.tar.gz"
    (cd "$stage" && tar -cf - "$name" | gzip -9n > "$archive")
    ;;
esac
"$root/scripts/checksum.sh" "$archive" >&2
echo "$archive"
