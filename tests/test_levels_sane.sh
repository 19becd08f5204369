#!/usr/bin/env bash
# Issue 15 item 1: times at a level are never negative. A request whose patience ran
# out while it was still being triaged below is handed on and abandoned on entering the
# next level; its wait and time there are zero, not negative. NaN only where nothing
# entered the level. Usage: test_levels_sane.sh GOVSIM PYTHON
set -u
GOVSIM=$1 PY=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
for set in "" "--set resident.patience_hours=0.01" "--set resident.patience_hours=0.3"; do
  # shellcheck disable=SC2086
  "$GOVSIM" run --days 60 $set -q -o r.h5 >/dev/null 2>err.txt || { echo "FAIL: run $set: $(cat err.txt)"; fail=1; continue; }
  "$PY" - r.h5 "$set" <<'PY' || fail=1
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["/levels"]
bad = []
entered = g["entered"][...]
for k in ("wait_mean", "time_at_level_mean", "queue_length_mean", "number_at_level_mean",
          "wait_long_share", "abandon_share"):
    v = g[k][...]
    if np.any(v[~np.isnan(v)] < 0):
        bad.append(f"{k} negative: {v}")
    if np.any(np.isnan(v) & (entered > 0)):
        bad.append(f"{k} NaN at a level that requests entered: {v} (entered {entered})")
if bad:
    print("FAIL (" + sys.argv[2] + "):\n  " + "\n  ".join(bad))
    sys.exit(1)
PY
done
[ $fail = 0 ] && echo "levels sane: ok"
exit $fail
