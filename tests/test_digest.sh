#!/usr/bin/env bash
# Result digests (issue 15): every run, comparison and calibration file records
# result_digest (64-bit FNV-1a over its result datasets), a sweep file one per run
# (/status/result_digest). A flipped bit in a result dataset (written with h5py) is
# found by `govsim diff` ("file X is corrupted: digest mismatch", exit 2) and by
# `sweep --resume` (the run named, exit 1, the file left as it is); unmodified files
# pass both.
# Usage: test_digest.sh GOVSIM SOURCE_DIR PYTHON
set -u
GOVSIM=$1 SRC=$2 PY=${3:-/usr/bin/python3}
. "$(dirname "$0")/testlib.sh"   # scratch directory, ok/bad counters

# flip FILE DATASET INDEX: flips the lowest bit of the first byte of element INDEX
flip() {
  "$PY" - "$@" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r+')
d = f[sys.argv[2]]
a = d[()]
flat = a.reshape(-1) if a.ndim else a.reshape(1)
raw = flat.view(np.uint8)
raw[int(sys.argv[3]) * flat.dtype.itemsize] ^= 1
d[()] = flat.reshape(a.shape) if a.ndim else flat[0]
f.close()
PY
}

# corrupted A B: diff of two copies must say B is corrupted, exit 2
corrupted() {
  "$GOVSIM" diff "$1" "$2" > out.txt 2> err.txt
  local rc=$?
  if [ $rc = 2 ] && grep -q "file $2 is corrupted: digest mismatch" err.txt; then ok
  else bad "diff of $1 and corrupted $2: exit $rc"; cat out.txt err.txt; fi
}

# run file
"$GOVSIM" run -q --days 30 --set output.event_log=true -o run.h5 || bad "run failed"
"$PY" -c "import h5py,sys; d=h5py.File('run.h5','r').attrs['result_digest']; sys.exit(len(str(d)) != 16)" \
  && ok || bad "run.h5 has no 16-digit result_digest"
cp run.h5 copy.h5
"$GOVSIM" diff run.h5 copy.h5 > /dev/null && ok || bad "unmodified run files do not pass diff"
for target in summary/requests_arisen:0 levels/entered:2 events/time:5 timeseries/arisen:3; do
  cp run.h5 bad.h5
  flip bad.h5 "${target%%:*}" "${target##*:}"
  corrupted run.h5 bad.h5
done

# comparison file
printf 'scenario.name: a\ntime.days: 20\nworld: {streets: 1, communities: 2, grids: 4}\n' > a.yaml
printf 'scenario.name: b\ntime.days: 20\nworld: {streets: 1, communities: 2, grids: 4}\ngrid.workers: 2\n' > b.yaml
if "$GOVSIM" compare a.yaml b.yaml --replicates 2 -q -o cmp.h5; then
  cp cmp.h5 cmp2.h5
  "$GOVSIM" diff cmp.h5 cmp2.h5 > /dev/null && ok || bad "unmodified comparison files do not pass diff"
  path=$("$PY" -c "
import h5py
f = h5py.File('cmp.h5', 'r')
names = []
f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) and o.dtype.kind == 'f' and o.size > 0 and not n.startswith('provenance') else None)
print(names[0])")
  flip cmp2.h5 "$path" 0
  corrupted cmp.h5 cmp2.h5
else
  bad "compare failed"
fi

# sweep file: resume and diff
sw="$SRC/params/sweeps/tiny.yaml"
"$GOVSIM" sweep -q "$sw" -o s.h5 || bad "sweep failed"
cp s.h5 s2.h5
"$GOVSIM" sweep -q "$sw" -o s.h5 --resume && ok || bad "resuming an unmodified complete sweep failed"
"$GOVSIM" diff s.h5 s2.h5 > /dev/null && ok || bad "unmodified sweep files do not pass diff"
flip s2.h5 results/levels/entered 9     # run 2 (4 levels a run), level 1
cp s2.h5 s3.h5
"$GOVSIM" sweep -q "$sw" -o s2.h5 --resume 2> err.txt
rc=$?
if [ $rc = 1 ] && grep -q "sweep file 's2.h5' is corrupted: the stored results of run 2" err.txt && cmp -s s2.h5 s3.h5; then ok
else bad "sweep --resume of a corrupted file: exit $rc"; cat err.txt; fi
corrupted s.h5 s2.h5
# a corrupted run that is not yet done is not an error: it will be run again
"$PY" -c "
import h5py
f = h5py.File('s3.h5', 'r+'); f['results/done'][2] = 0; f['status/complete'][()] = 0; f.close()"
"$GOVSIM" sweep -q "$sw" -o s3.h5 --resume 2> err.txt && "$GOVSIM" diff s.h5 s3.h5 > /dev/null \
  && ok || { bad "a sweep whose corrupted run was not done did not resume to the same file"; cat err.txt; }

echo "digest: $pass passed, $fail failed"
[ $fail = 0 ]
