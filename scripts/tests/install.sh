#!/usr/bin/env bash
# The Action's download-verify-install step (scripts/install-govlint.sh), run
# against a release folder built here and served over HTTP on 127.0.0.1: a good
# checksum installs, a bad one refuses, a missing asset falls back to a source
# build, and a warm cache installs without a download.
# Usage: scripts/tests/install.sh (GOVLINT_BINARY: a built binary to package)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

if ! command -v python3 >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  skip "the install tests need python3 (the HTTP server) and curl: not found"
  finish "install"
  exit 0
fi

version=$(scripts/version.sh)
target=$(rustc -vV | sed -n 's/^host: //p')
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
binary=$(stripped_copy "$(govlint_binary)" "$work/bin")

# The release folders: good, one whose checksum is wrong, one without checksums.
archive=$(scripts/package.sh "$binary" "$target" "$work/site/good/v$version" 2>/dev/null)
asset=$(basename "$archive")
check "package.sh names the asset govlint-VERSION-TARGET.tar.gz" \
  test "$asset" = "govlint-$version-$target.tar.gz"
listing=$(tar -tzf "$archive")
check "the archive holds the binary, README, changelog and licences in one folder" \
  bash -c 'for f in govlint README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE; do
             grep -qx "govlint-'"$version-$target"'/$f" <<< "$1" || exit 1; done' _ "$listing"
check "checksum.sh writes a .sha256 that sha256sum -c accepts" \
  bash -c 'cd "$1" && sha256sum --quiet -c "$2.sha256" && sha256sum --quiet -c SHA256SUMS' _ \
  "$work/site/good/v$version" "$asset"

cp -r "$work/site/good/v$version" "$work/site/bad"
printf '%064d  %s\n' 0 "$asset" > "$work/site/bad/$asset.sha256"
cp -r "$work/site/good/v$version" "$work/site/unsigned"
rm "$work/site/unsigned/$asset.sha256"

port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$work/site" "$port" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
  sleep 0.1
done
base="http://127.0.0.1:$port"

# run NAME BASE ROOT [VAR=VALUE...]: the install step; its status in $status,
# its messages in $work/NAME.err, GITHUB_OUTPUT in $work/NAME.out.
run() {
  local name=$1 url=$2 root=$3
  shift 3
  : > "$work/$name.out"
  status=0
  env GOVLINT_VERSION="$version" GOVLINT_BASE_URL="$url" GOVLINT_ROOT="$root" \
    GOVLINT_TARGET="$target" GITHUB_OUTPUT="$work/$name.out" "$@" \
    scripts/install-govlint.sh install > "$work/$name.std" 2> "$work/$name.err" || status=$?
}

# A good checksum installs a working govlint.
run good "$base/good/v$version" "$work/root"
check "a good checksum installs (exit 0)" test "$status" -eq 0
"$work/root/bin/govlint" --version > "$work/version.txt" 2>&1 || true
check "the installed binary reports the version" grep -q "^govlint $version" "$work/version.txt"
status_check=0
"$work/root/bin/govlint" check fixtures/ilgsse-vade-mecum.yaml > /dev/null 2>&1 || status_check=$?
check "the installed binary checks the real snapshot (exit 0)" test "$status_check" -eq 0
check "the install says the checksum was verified" grep -q "checksum verified" "$work/good.err"

# A warm cache: no download (the server logs no new request), in well under a second.
requests=$(grep -c 'GET ' "$work/server.log" || true)
start=$(date +%s%N)
run cached "$base/good/v$version" "$work/root"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "a warm cache installs (exit 0)" test "$status" -eq 0
check "a warm cache downloads nothing" test "$(grep -c 'GET ' "$work/server.log" || true)" -eq "$requests"
check "a warm cache says govlint is already installed" grep -q "already installed" "$work/cached.err"
echo "      (warm-cache install took ${elapsed_ms} ms)"

# A changed cached binary is not trusted: it is downloaded again.
printf 'not govlint' > "$work/root/bin/govlint"
run recached "$base/good/v$version" "$work/root"
check "a changed cached binary is replaced by a verified download" \
  bash -c '[ "$1" -eq 0 ] && "$2" --version > /dev/null' _ "$status" "$work/root/bin/govlint"

# A bad checksum refuses, clearly, and installs nothing.
run bad "$base/bad" "$work/root-bad"
check "a bad checksum refuses (exit 1)" test "$status" -eq 1
check "a bad checksum says 'checksum mismatch'" grep -q "refusing to install $asset: checksum mismatch" "$work/bad.err"
check "a bad checksum installs nothing" test ! -e "$work/root-bad/bin/govlint"
check "a bad checksum does not ask for a source build" test ! -s "$work/bad.out"

# A missing checksum refuses too.
run unsigned "$base/unsigned" "$work/root-unsigned"
check "a missing checksum refuses (exit 1)" test "$status" -eq 1
check "a missing checksum says so" grep -q "checksum .* could not be downloaded" "$work/unsigned.err"
check "a missing checksum installs nothing" test ! -e "$work/root-unsigned/bin/govlint"

# A missing asset (no release for this version, or for this machine) falls back.
run missing "$base/good/v9.9.9" "$work/root-missing"
check "a missing release falls back (exit 3)" test "$status" -eq 3
check "a missing release sets fallback=true for the action" grep -qx "fallback=true" "$work/missing.out"
check "a missing release says it builds from source" grep -q "building from source instead" "$work/missing.err"
run other "$base/good/v$version" "$work/root-other" GOVLINT_TARGET=riscv64gc-unknown-linux-musl
check "a machine with no release asset falls back (exit 3)" test "$status" -eq 3

# No server at all is an error, not a silent source build.
dead=$(free_port)
run dead "http://127.0.0.1:$dead/v$version" "$work/root-dead"
check "an unreachable server fails (exit 1)" test "$status" -eq 1
check "an unreachable server says so" grep -q "could not reach" "$work/dead.err"

# resolve: which refs name a release.
resolve_release() {
  GOVLINT_SOURCE="$ROOT" GOVLINT_ACTION_REF="$1" GOVLINT_ACTION_REPOSITORY=OWNER/govlint \
    GITHUB_OUTPUT='' scripts/install-govlint.sh resolve 2> /dev/null | sed -n 's/^release=//p'
}
IFS=. read -r major minor _ <<< "$version"
for ref in "v$version" "v$major" "v$major.$minor"; do
  check "resolve: the ref $ref is the release v$version" test "$(resolve_release "$ref")" = true
done
for ref in "" main "v$major.${minor}9" "v$major.$minor.99" 0123456789abcdef0123456789abcdef01234567; do
  check "resolve: the ref '$ref' builds from source" test "$(resolve_release "$ref")" = false
done
url=$(GOVLINT_SOURCE="$ROOT" GOVLINT_ACTION_REF="v$version" GOVLINT_ACTION_REPOSITORY=OWNER/govlint \
  GITHUB_SERVER_URL=https://example.test scripts/install-govlint.sh resolve 2> /dev/null | sed -n 's/^base-url=//p')
check "resolve: the assets are the release's downloads" \
  test "$url" = "https://example.test/OWNER/govlint/releases/download/v$version"

finish "install"
