# Shared by the release tests: counting, and a govlint binary to package.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PASSED=0
FAILED=0
SKIPPED=0

pass() { PASSED=$((PASSED + 1)); echo "ok    $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip  $*"; }
# check NAME COMMAND...: passes when the command succeeds.
check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
# The closing line: "NAME: N passed, N failed, N skipped"; the exit status says
# whether any failed.
finish() {
  echo "$1: $PASSED passed, $FAILED failed, $SKIPPED skipped"
  [ "$FAILED" -eq 0 ]
}

# A govlint binary built from this tree: GOVLINT_BINARY, else the test build's
# (cargo test built it), else a fresh dev build.
govlint_binary() {
  if [ -n "${GOVLINT_BINARY:-}" ]; then
    echo "$GOVLINT_BINARY"
    return
  fi
  (cd "$ROOT" && nice cargo build --locked --bin govlint --quiet >&2)
  echo "$ROOT/target/debug/govlint"
}

# A free TCP port on the loopback address.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A copy of BINARY in DIR without its debug information (a test build's is
# mostly that), so packaging it in a test takes a moment, as a release's does.
stripped_copy() {
  local binary=$1 dir=$2
  mkdir -p "$dir"
  cp "$binary" "$dir/govlint"
  strip "$dir/govlint" 2>/dev/null || true
  echo "$dir/govlint"
}
