#!/usr/bin/env bash
# The Python wheel: built here with maturin (scripts/build-wheel.sh), installed
# with no package index into a fresh virtual environment, where `govlint
# --version` and `govlint check` on the real snapshot run.
# Usage: scripts/tests/wheel.sh [PROFILE]   (default dev: reuses the test build)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
profile=${1:-dev}

if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  skip "the wheel test needs python3 with venv and ensurepip: not found"
  finish "wheel"
  exit 0
fi
if ! command -v maturin >/dev/null 2>&1 && ! python3 -m pip install --quiet 'maturin>=1,<2' >/dev/null 2>&1; then
  skip "the wheel test needs maturin, which could not be installed (pip install maturin)"
  finish "wheel"
  exit 0
fi

version=$(scripts/version.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=$(date +%s)
wheel=$(scripts/build-wheel.sh "$work/dist" "" "$profile")
echo "      (wheel built in $(( $(date +%s) - start )) s: $(basename "$wheel"), $(( $(stat -c %s "$wheel") / 1024 )) KiB)"
check "the wheel is named for govlint's version" \
  bash -c '[[ "$(basename "$1")" == govlint-"$2"-py3-none-*.whl ]]' _ "$wheel" "$version"
contents=$(python3 -m zipfile -l "$wheel")
check "the wheel holds the binary as a script" grep -q "govlint-$version.data/scripts/govlint" <<< "$contents"
check "the wheel holds no Python package" bash -c '! grep -E "^govlint/" <<< "$1"' _ "$contents"
check "the wheel has a checksum beside it" test -s "$wheel.sha256"

python3 -m venv "$work/venv"
pip_status=0
"$work/venv/bin/python" -m pip install --quiet --no-index --disable-pip-version-check "$wheel" \
  > "$work/pip.log" 2>&1 || pip_status=$?
check "pip installs the wheel with no index" test "$pip_status" -eq 0
cat "$work/pip.log"
govlint="$work/venv/bin/govlint"
check "the virtual environment has govlint on its PATH" \
  bash -c 'PATH="$1/venv/bin:/usr/bin:/bin" command -v govlint | grep -qx "$1/venv/bin/govlint"' _ "$work"

"$govlint" --version > "$work/version.txt" 2>&1 || true
check "govlint --version from the wheel says $version" grep -qx "govlint $version" "$work/version.txt"

# The real snapshot: no error, the warnings of missing evidence (exit 0).
status=0
"$govlint" check fixtures/ilgsse-vade-mecum.yaml > "$work/human.txt" 2>&1 || status=$?
check "govlint check on the real snapshot exits 0" test "$status" -eq 0
check "the report names the snapshot and counts warnings" \
  bash -c 'grep -q "ilgsse-vade-mecum.yaml" "$1" && grep -Eq "[0-9]+ warnings?" "$1"' _ "$work/human.txt"
status=0
"$govlint" check fixtures/ilgsse-vade-mecum.yaml --format json > "$work/report.json" 2>/dev/null || status=$?
summary=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["summary"]; print(s["errors"], s["warnings"])' "$work/report.json" 2>/dev/null || true)
read -r errors warnings <<< "${summary:-x x}"
echo "      (the real snapshot: $errors errors, $warnings warnings)"
check "the JSON report: no error, some warnings" bash -c '[ "$1" = 0 ] && [ "$2" -gt 0 ]' _ "$errors" "$warnings"
# Built-in pack from any folder: the binary holds it.
status=0
(cd "$work" && "$govlint" rules > rules.txt 2>&1) || status=$?
check "govlint rules lists the built-in pack from another folder" \
  bash -c '[ "$1" -eq 0 ] && grep -q presidency "$2"' _ "$status" "$work/rules.txt"
status=0
"$govlint" check fixtures/handover/overlap.yaml > /dev/null 2>&1 || status=$?
check "a snapshot that breaks a rule exits 1" test "$status" -eq 1

# The source distribution: the crate's files, for platforms with no wheel.
sdist=$(scripts/build-wheel.sh "$work/sdist" sdist 2>/dev/null || true)
listing=$(tar -tzf "$sdist" 2>/dev/null || true)
check "the source distribution holds the crate and the built-in pack" \
  bash -c 'for f in Cargo.toml Cargo.lock pyproject.toml build.rs src/main.rs rules/pack.yaml LICENSE-MIT; do
             grep -q "^govlint-$2/$f\$" <<< "$1" || { echo "missing $f"; exit 1; }; done' _ "$listing" "$version"
check "the source distribution holds no test data" bash -c '! grep -q "^govlint-$2/tests/" <<< "$1"' _ "$listing" "$version"

finish "wheel"
