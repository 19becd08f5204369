#!/usr/bin/env bash
# The golden check must fail when it cannot compare: a committed file of another schema,
# or one whose results were altered (digest mismatch), must not pass as "results agree"
# (govsim diff refuses both with exit 2 and a message on stderr).
#   selfcheck.sh GOVSIM SRC PYTHON
set -u
GOVSIM=$1 SRC=$2 PY=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ok=0 bad=0
copy() { rm -rf "$work/src"; mkdir -p "$work/src/tests"; cp -r "$SRC/tests/golden" "$work/src/tests/"; cp -r "$SRC/params" "$work/src/"; }
expect() {  # expect pass|fail LABEL
  if bash "$SRC/tests/golden/golden.sh" check "$GOVSIM" "$work/src" > "$work/out" 2>&1; then got=pass; else got=fail; fi
  if [ "$got" = "$1" ]; then ok=$((ok + 1)); else echo "FAIL: $2: golden check said $got"; cat "$work/out"; bad=$((bad + 1)); fi
}
copy; expect pass "unchanged golden files"
copy; "$PY" -c "import h5py,sys; h5py.File(sys.argv[1], 'r+').attrs['schema_version'] = 6" "$work/src/tests/golden/example.h5"
expect fail "a golden file of another schema"
copy; "$PY" -c "
import h5py, sys
with h5py.File(sys.argv[1], 'r+') as f:
    f['summary/requests_arisen'][()] += 1" "$work/src/tests/golden/example.h5"
expect fail "a golden file whose results were altered"
echo "golden selfcheck: $ok passed, $bad failed"
[ $bad = 0 ]
