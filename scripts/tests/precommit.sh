#!/usr/bin/env bash
# The pre-commit hooks that install the wheel, run by pre-commit itself: the
# hooks' repository (scripts/pre-commit-mirror.sh) pinned to a wheel built
# here, in a repository holding records beside a CI workflow and a compose
# file. Installing takes seconds with no Rust; the workflow and the compose
# file are never reported. Skipped, with the reason, where pre-commit cannot
# be installed (it comes from the Python package index).
# Usage: scripts/tests/precommit.sh [PROFILE]   (default dev)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
profile=${1:-dev}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! python3 -m venv "$work/tools" > /dev/null 2>&1 \
  || ! "$work/tools/bin/pip" install --quiet --disable-pip-version-check pre-commit > "$work/pip.log" 2>&1; then
  skip "pre-commit could not be installed (pip install pre-commit): $(tail -n 1 "$work/pip.log" 2>/dev/null)"
  finish "pre-commit"
  exit 0
fi
if ! command -v maturin >/dev/null 2>&1; then
  skip "the wheel needs maturin, which is not installed"
  finish "pre-commit"
  exit 0
fi
pre_commit="$work/tools/bin/pre-commit"
wheel=$(scripts/build-wheel.sh "$work/dist" "" "$profile" 2>/dev/null)

# The hooks' repository, its govlint pinned to the wheel just built.
scripts/pre-commit-mirror.sh "$work/hooks" > /dev/null
sed -i "s|\"govlint==[^\"]*\"|\"govlint @ file://$wheel\"|" "$work/hooks/pyproject.toml"
git -C "$work/hooks" init --quiet
git -C "$work/hooks" add -A
git -C "$work/hooks" -c user.name=test -c user.email=test@example.invalid commit --quiet -m hooks
rev=$(git -C "$work/hooks" rev-parse HEAD)

# A repository with records, a CI workflow and a compose file.
repo="$work/repo"
mkdir -p "$repo/.github/workflows" "$repo/records"
cat > "$repo/.github/workflows/ci.yml" <<'YAML'
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
YAML
cat > "$repo/docker-compose.yml" <<'YAML'
services:
  web:
    image: nginx
YAML
cp fixtures/ilgsse-vade-mecum.yaml "$repo/records/group.yaml"
cat > "$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $work/hooks
    rev: $rev
    hooks:
      - id: govlint
YAML
git -C "$repo" init --quiet
git -C "$repo" add -A

run() {
  status=0
  (cd "$repo" && PRE_COMMIT_HOME="$work/cache" "$pre_commit" run --all-files > "$work/run.log" 2>&1) || status=$?
}
start=$(date +%s)
run
echo "      (pre-commit installed the hook and ran it in $(( $(date +%s) - start )) s)"
check "the wheel's hook passes on the records, beside a workflow and a compose file" test "$status" -eq 0
check "the hook ran govlint" grep -q "^govlint\.*Passed" "$work/run.log"
if [ "$status" -ne 0 ]; then cat "$work/run.log"; fi
check "the hook installed no Rust toolchain" test ! -d "$work/cache/rustup"

cp fixtures/handover/overlap.yaml "$repo/records/overlap.yaml"
git -C "$repo" add -A
run
check "a broken record fails the hook" test "$status" -eq 1
check "the failure names the broken record" grep -q "records/overlap.yaml" "$work/run.log"
check "neither the workflow nor the compose file is reported" \
  bash -c '! grep -q "ci.yml\|docker-compose" "$1"' _ "$work/run.log"

finish "pre-commit"
