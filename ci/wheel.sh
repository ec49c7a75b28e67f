#!/usr/bin/env bash
# Builds the PyPI wheel (maturin, bindings = "bin") and installs it into a fresh
# virtual environment, where it must behave like the binary users get from PyPI:
# `creeplint --version` prints the crate's version, the creepy example has
# findings (exit 1) and the respectful one has none (exit 0).
#
# Needs python3 with venv and pip; maturin is installed from PyPI into a build
# venv. Compiles a release binary (a few minutes on two cores). Run from anywhere:
#   bash ci/wheel.sh            # build into target/wheels, test, clean the venvs
# tests/distribution.rs runs it when CREEPLINT_TEST_WHEEL=1, with
# CREEPLINT_WHEEL_PROFILE=dev: the wheel is then built in the dev profile, from the
# dependencies `cargo test` has just built, instead of compiling all of them again
# optimized (what the test checks, the packaging, is the same in both profiles).
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/build"
"$work/build/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.5,<2"
rm -rf target/wheels
"$work/build/bin/maturin" build --profile "${CREEPLINT_WHEEL_PROFILE:-release}" --locked --out target/wheels
wheel="$(ls target/wheels/creeplint-*.whl)"
echo "built $wheel"

python3 -m venv "$work/user"
"$work/user/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
bin="$work/user/bin/creeplint"

version="$("$bin" --version)"
expected="creeplint $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"
if [ "$version" != "$expected" ]; then
  echo "wheel: --version says '$version', expected '$expected'" >&2
  exit 1
fi
echo "ok: $version"

set +e
"$bin" check examples/creepy-shop --quiet --format json > "$work/creepy.json"
creepy=$?
"$bin" check examples/respectful-shop > "$work/respectful.txt"
respectful=$?
set -e
if [ "$creepy" -ne 1 ] || ! grep -q '"rule": "location-trigger"' "$work/creepy.json"; then
  echo "wheel: the creepy example should have findings (exit 1), got exit $creepy" >&2
  exit 1
fi
if [ "$respectful" -ne 0 ] || ! grep -q '^0 errors, 0 warnings, 0 infos' "$work/respectful.txt"; then
  echo "wheel: the respectful example should be clean (exit 0), got exit $respectful" >&2
  cat "$work/respectful.txt" >&2
  exit 1
fi
echo "ok: the installed wheel checks the examples"

# The documented pre-commit hook (docs/workflow.md), with the local wheel in
# place of the PyPI release: pre-commit installs it and the commit is refused.
if [ "${CREEPLINT_SKIP_PRE_COMMIT:-}" = "1" ]; then
  echo "skipped: the pre-commit check (CREEPLINT_SKIP_PRE_COMMIT=1)"
  exit 0
fi
"$work/user/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
repo="$work/repo"
mkdir -p "$repo"
cp -r examples/creepy-shop "$repo/"
cat > "$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: local
    hooks:
      - id: creeplint
        name: creeplint
        language: python
        additional_dependencies: ["$PWD/$wheel"]
        entry: creeplint check
        files: \\.(ya?ml|json)$
        pass_filenames: false
YAML
(
  cd "$repo"
  git init --quiet
  git add .
  set +e
  PRE_COMMIT_HOME="$work/pre-commit-home" "$work/user/bin/pre-commit" run --all-files > "$work/pre-commit.txt" 2>&1
  status=$?
  set -e
  if [ "$status" -ne 1 ] || ! grep -q 'creeplint::location-trigger' "$work/pre-commit.txt"; then
    echo "wheel: the pre-commit hook should refuse the creepy shop, got exit $status" >&2
    cat "$work/pre-commit.txt" >&2
    exit 1
  fi
)
echo "ok: the documented pre-commit hook installs the wheel and refuses the creepy shop"
