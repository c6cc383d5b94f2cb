#!/usr/bin/env bash
# The GitHub Action's install step: find the release that matches the action's
# own version, download the binary for this machine, verify its checksum, and
# install it; or say that there is none, so the action builds from source.
#
# scripts/install-govlint.sh resolve
#   Decides what to install. Reads GOVLINT_SOURCE (the action's folder, whose
#   Cargo.toml has the version), GOVLINT_ACTION_REF (the ref the workflow named,
#   e.g. v0.1.0), GOVLINT_ACTION_REPOSITORY (OWNER/govlint) and
#   GITHUB_SERVER_URL. Prints, and appends to $GITHUB_OUTPUT when set:
#     release=true|false   true when the ref is a released version's tag
#     version=X.Y.Z        the version to install
#     target=TRIPLE        the release asset's target for this machine
#     base-url=URL         where that release's assets are
#   A ref names a release when it is vX.Y.Z equal to Cargo.toml's version, or a
#   prefix of it at a dot (v0, v0.1: moving tags). A branch, a commit, or a
#   local action (`uses: ./`) is unreleased: build from source.
#
# scripts/install-govlint.sh install
#   Installs GOVLINT_ROOT/bin/govlint (govlint.exe on Windows) from
#   GOVLINT_BASE_URL/govlint-GOVLINT_VERSION-TARGET.tar.gz (.zip on Windows),
#   checked against the .sha256 published beside it. GOVLINT_TARGET overrides
#   the target. A binary already at GOVLINT_ROOT (a cache) that this script
#   installed for the same version and target is kept without a download.
#
# Exit status: 0 installed; 3 no release asset for this version and machine
# (the caller builds from source; with GITHUB_OUTPUT set, `fallback=true` is
# appended to it); 1 anything else: a checksum that does not match, a download
# that failed, an archive without the binary. Never installs what it could not
# verify.
set -euo pipefail

FALLBACK=3

say() { echo "govlint install: $*" >&2; }
output() {
  echo "$1"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >> "$GITHUB_OUTPUT"; fi
}
fallback() {
  say "$*; building from source instead"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "fallback=true" >> "$GITHUB_OUTPUT"; fi
  exit "$FALLBACK"
}

# The release target for this machine, or nothing when no release is built for it.
host_target() {
  local os arch
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64 | AMD64) arch=x86_64 ;;
    aarch64 | arm64 | ARM64) arch=aarch64 ;;
    *) return 0 ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      if [ "$arch" = x86_64 ]; then echo "x86_64-pc-windows-msvc"; fi
      ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

# download URL FILE: prints the HTTP status (000 when no answer came).
download() {
  curl --silent --show-error --location --retry 3 --retry-delay 1 \
    --connect-timeout 20 --output "$2" --write-out '%{http_code}' "$1" || true
}

resolve() {
  local source=${GOVLINT_SOURCE:-$(cd "$(dirname "$0")/.." && pwd)}
  local ref=${GOVLINT_ACTION_REF:-}
  local repository=${GOVLINT_ACTION_REPOSITORY:-}
  local server=${GITHUB_SERVER_URL:-https://github.com}
  local version target release=false
  version=$("$(dirname "$0")/version.sh" "$source/Cargo.toml")
  target=${GOVLINT_TARGET:-$(host_target)}
  case "$ref" in
    v*)
      # vX.Y.Z itself, or vX / vX.Y of it.
      if [ "$ref" = "v$version" ] || [[ "v$version" == "$ref".* ]]; then release=true; fi
      ;;
  esac
  if [ -z "$target" ] || [ -z "$repository" ]; then release=false; fi
  output "release=$release"
  output "version=$version"
  output "target=$target"
  output "base-url=$server/$repository/releases/download/v$version"
  if [ "$release" = true ]; then
    say "the action is at $ref: the release v$version for $target"
  else
    say "the action is at '${ref:-a local folder}', not a release of v$version (or no release is built for this machine): it builds from source"
  fi
}

install() {
  local version=${GOVLINT_VERSION:?GOVLINT_VERSION is the version to install}
  local base=${GOVLINT_BASE_URL:?GOVLINT_BASE_URL is where the release assets are}
  local root=${GOVLINT_ROOT:?GOVLINT_ROOT is where to install}
  local target=${GOVLINT_TARGET:-$(host_target)}
  if [ -z "$target" ]; then
    fallback "no release is built for $(uname -s) $(uname -m)"
  fi
  local exe=govlint archive_ext=tar.gz
  case "$target" in *-windows-*) exe=govlint.exe archive_ext=zip ;; esac
  local name="govlint-$version-$target"
  local asset="$name.$archive_ext"
  local binary="$root/bin/$exe"
  local stamp="$root/govlint.installed"

  # A cached install: the same version and target, and the binary unchanged.
  if [ -f "$binary" ] && [ -f "$stamp" ]; then
    local want
    want="$version $target $(sha256 "$binary")"
    if [ "$(cat "$stamp")" = "$want" ]; then
      say "govlint $version ($target) is already installed in $root"
      "$binary" --version
      return 0
    fi
  fi

  if ! command -v curl >/dev/null 2>&1; then
    say "curl is needed to download $asset"
    exit 1
  fi
  local work status
  work=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT

  status=$(download "$base/$asset" "$work/$asset")
  case "$status" in
    200) ;;
    404 | 410) fallback "no release asset $asset at $base (HTTP $status)" ;;
    000) say "could not reach $base/$asset"; exit 1 ;;
    *) say "downloading $base/$asset failed: HTTP $status"; exit 1 ;;
  esac
  status=$(download "$base/$asset.sha256" "$work/$asset.sha256")
  if [ "$status" != 200 ]; then
    say "refusing to install $asset: its checksum $asset.sha256 could not be downloaded (HTTP $status)"
    exit 1
  fi
  local expected actual
  expected=$(cut -d' ' -f1 < "$work/$asset.sha256" | tr -d '\r\n' | tr 'A-F' 'a-f')
  actual=$(sha256 "$work/$asset")
  if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
    say "refusing to install $asset: $asset.sha256 holds no SHA-256"
    exit 1
  fi
  if [ "$expected" != "$actual" ]; then
    say "refusing to install $asset: checksum mismatch (expected $expected, downloaded $actual)"
    exit 1
  fi

  mkdir -p "$work/unpacked"
  case "$archive_ext" in
    tar.gz) tar -xzf "$work/$asset" -C "$work/unpacked" ;;
    zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$work/$asset" -d "$work/unpacked"
      else
        local from="$work/$asset" to="$work/unpacked"
        if command -v cygpath >/dev/null 2>&1; then from=$(cygpath -w "$from") to=$(cygpath -w "$to"); fi
        powershell -NoProfile -Command "Expand-Archive -Path '$from' -DestinationPath '$to'"
      fi
      ;;
  esac
  if [ ! -f "$work/unpacked/$name/$exe" ]; then
    say "refusing to install $asset: it holds no $name/$exe"
    exit 1
  fi
  mkdir -p "$root/bin"
  cp "$work/unpacked/$name/$exe" "$binary.new"
  chmod 755 "$binary.new"
  mv -f "$binary.new" "$binary"
  local reported
  reported=$("$binary" --version)
  case "$reported" in
    *" $version"*) ;;
    *)
      rm -f "$binary"
      say "refusing to install $asset: the binary says '$reported', not version $version"
      exit 1
      ;;
  esac
  echo "$version $target $(sha256 "$binary")" > "$stamp"
  say "installed govlint $version ($target) in $root, checksum verified"
  echo "$reported"
}

case "${1:-}" in
  resolve) resolve ;;
  install) install ;;
  *)
    echo "usage: scripts/install-govlint.sh resolve|install (settings in the environment; see the script's head)" >&2
    exit 2
    ;;
esac
