#!/usr/bin/env bash
# Write FILE.sha256 beside each FILE ("HASH  NAME", the format `sha256sum -c`
# and `shasum -a 256 -c` read), and SHA256SUMS in FILE's folder listing them all.
# Usage: scripts/checksum.sh FILE...
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/checksum.sh FILE..." >&2
  exit 2
fi

# The SHA-256 of one file, in hex, with whichever tool the machine has.
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

for file in "$@"; do
  if [ ! -f "$file" ]; then
    echo "checksum: no file $file" >&2
    exit 2
  fi
  dir=$(dirname "$file")
  name=$(basename "$file")
  hash=$(sha256 "$file")
  printf '%s  %s\n' "$hash" "$name" > "$file.sha256"
  # One line per name in SHA256SUMS: a file checksummed again replaces its line.
  sums="$dir/SHA256SUMS"
  touch "$sums"
  grep -v "  $name\$" "$sums" > "$sums.tmp" || true
  printf '%s  %s\n' "$hash" "$name" >> "$sums.tmp"
  LC_ALL=C sort -k2 "$sums.tmp" > "$sums"
  rm -f "$sums.tmp"
  echo "$hash  $file"
done
