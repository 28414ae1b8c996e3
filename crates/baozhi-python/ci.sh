#!/usr/bin/env bash
# The Python package's CI: builds the wheel with maturin (release, in the
# workspace's target dir, so the compiled crates are shared with cargo's
# release builds), installs it in a throwaway venv with pytest, and runs
# tests/ (test_dask_pipeline.py runs examples/dask_parquet.py on local Dask
# clusters). The tests compare with the CLI: target/release/baozhi is built
# first unless BAOZHI_PY_SKIP_CLI=1 (those tests then skip, saying why).
#
#   bash crates/baozhi-python/ci.sh        # from anywhere
set -euo pipefail
start=$SECONDS
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$root/$CARGO_TARGET_DIR" ;; esac

tmp="$(mktemp -d "${TMPDIR:-/tmp}/baozhi-python-ci.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

step() { printf '== baozhi-python ci: %s (%ds)\n' "$1" "$((SECONDS - start))"; }

step "venv, maturin, pytest, and dask, pyarrow, pandas, duckdb for the Dask example"
"$python" -m venv "$tmp/venv"
# shellcheck disable=SC1091
. "$tmp/venv/bin/activate"
python -m pip install -q --disable-pip-version-check 'maturin>=1.9.4,<2' pytest \
  'dask[distributed]' pyarrow pandas duckdb

if [ "${BAOZHI_PY_SKIP_CLI:-0}" != 1 ]; then
  step "the CLI, to compare with (cargo build --release -p baozhi-cli)"
  (cd "$root" && cargo build --release -p baozhi-cli)
fi

step "the wheel (maturin build --release)"
(cd "$here" && maturin build --release --out "$tmp/wheels")
python -m pip install -q --disable-pip-version-check "$tmp"/wheels/baozhi-*.whl

step "pytest"
(cd "$here" && PYTHONDONTWRITEBYTECODE=1 BAOZHI_ROOT="$root" python -m pytest -q -p no:cacheprovider tests)

step "done in $((SECONDS - start)) s"
