#!/usr/bin/env bash
# govsim diff compares every result group of every file kind (issue 15 item 4): a change
# in /categories or /events of a run, in a sweep, a comparison or a calibration file is
# reported (exit 1); files of different kinds or schemas are refused (exit 2).
# Usage: test_diff.sh GOVSIM PYTHON
set -u
GOVSIM=$1 PY=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# differs A B NEEDLE: diff exits 1 and names NEEDLE
differs() {
  "$GOVSIM" diff "$1" "$2" >out.txt 2>err.txt; local rc=$?
  [ $rc = 1 ] && grep -qF -- "$3" out.txt && ok || bad "diff $1 $2: exit $rc, expected 1 naming '$3': $(cat out.txt err.txt)"
}
same() {
  "$GOVSIM" diff "$1" "$2" >out.txt 2>err.txt; local rc=$?
  [ $rc = 0 ] && grep -q "^0 outputs differ" out.txt && ok || bad "diff $1 $2: exit $rc, expected 0: $(cat out.txt err.txt)"
}
edit() {  # edit FILE PYTHON-STATEMENTS (f is the open file)
  # The edited file stands for another file, not a corrupted one: its result digests
  # are dropped (a file without them is not checked; tests/test_digest.sh keeps them).
  "$PY" -c "import h5py, numpy as np
f = h5py.File('$1', 'a')
$2
if 'result_digest' in f.attrs: del f.attrs['result_digest']
if 'status/result_digest' in f: del f['status/result_digest']" || bad "editing $1 failed"
}

# run files: /categories and /events
"$GOVSIM" run -q --days 5 --set output.event_log=1 -o r.h5 || bad "run failed"
cp r.h5 r_cat.h5; edit r_cat.h5 "f['categories/arisen'][0] += 1000"
cp r.h5 r_ev.h5; edit r_ev.h5 "d = f['events/time']; v = d[...]; v[7] = np.nextafter(v[7], np.inf); d[...] = v"
cp r.h5 r_kind.h5; edit r_kind.h5 "d = f['events/kind']; v = d[...]; v[3] ^= 1; d[...] = v"
same r.h5 r.h5
differs r.h5 r_cat.h5 "/categories/arisen: 1 of 9 values differ"
differs r.h5 r_ev.h5 "/events/time: 1 of"
differs r.h5 r_kind.h5 "/events/kind: 1 of"
grep -q "^compared run files (schema [0-9]*): .*/categories /events .*/levels /parameters /summary /timeseries" out.txt && ok || bad "diff does not say what it compared: $(cat out.txt)"

# sweep files: two different sweeps differ; the same sweep rerun agrees
cat > s.yaml <<'Y'
set: {time.days: 5, world.grids: 8, world.communities: 2, world.streets: 1}
vary:
  grid.workers: {values: [1, 2]}
design: factorial
replicates: 1
seed: 11
Y
sed 's/seed: 11/seed: 12/' s.yaml > s2.yaml
"$GOVSIM" sweep s.yaml -q -o s.h5 && "$GOVSIM" sweep s.yaml -q --threads 1 -o s_again.h5 &&
  "$GOVSIM" sweep s2.yaml -q -o s2.h5 || bad "sweeps failed"
same s.h5 s_again.h5
differs s.h5 s2.h5 "/design/seed"
differs s.h5 s2.h5 "/results/requests_arisen"
cp s.h5 s_lev.h5; edit s_lev.h5 "f['results/levels/entered'][1, 2] += 1"
differs s.h5 s_lev.h5 "/results/levels/entered: 1 of"

# compare files
printf 'scenario.name: a\ntime.days: 5\nworld: {streets: 1, communities: 2, grids: 4}\n' > a.yaml
printf 'scenario.name: b\ntime.days: 5\nworld: {streets: 1, communities: 2, grids: 4}\ngrid.workers: 2\n' > b.yaml
"$GOVSIM" compare a.yaml b.yaml --replicates 2 -q -o c.h5 &&
  "$GOVSIM" compare a.yaml b.yaml --replicates 2 -q --threads 1 -o c_again.h5 &&
  "$GOVSIM" compare a.yaml b.yaml --replicates 3 -q -o c3.h5 || bad "compare failed"
same c.h5 c_again.h5
differs c.h5 c3.h5 "/@replicates"
cp c.h5 c_ev.h5; edit c_ev.h5 "f['scenarios/1/categories/arisen'][0, 0] += 1"
differs c.h5 c_ev.h5 "/scenarios/1/categories/arisen"

# calibration files
cat > cal.yaml <<'Y'
base: a.yaml
seed: 1
replicates: 2
check_replicates: 2
method: smm
parameters:
  requests.rate_urban: {min: 0.3, max: 3, scale: log}
targets:
  requests_arisen: {value: 300, tolerance: 30}
smm: {design_points: 3, max_iterations: 2, simplex_tolerance: 0.02}
Y
"$GOVSIM" calibrate cal.yaml -q -o k.h5 || bad "calibrate failed"
cp k.h5 k2.h5; edit k2.h5 "f['calibration/candidates/objective'][1] *= 2"
same k.h5 k.h5
differs k.h5 k2.h5 "/calibration/candidates/objective"

# different kinds or schemas: refused, exit 2
"$GOVSIM" diff r.h5 s.h5 >out.txt 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "cannot compare a run file .* with a sweep file" err.txt && ok || bad "run vs sweep: exit $rc: $(cat out.txt err.txt)"
"$GOVSIM" diff c.h5 k.h5 >out.txt 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "compare file .* calibration file" err.txt && ok || bad "compare vs calibration: exit $rc: $(cat err.txt)"
cp r.h5 r_schema.h5; edit r_schema.h5 "f.attrs['schema_version'] = np.int64(f.attrs['schema_version'] + 1)"
"$GOVSIM" diff r.h5 r_schema.h5 >out.txt 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "schema" err.txt && ok || bad "different schemas: exit $rc: $(cat out.txt err.txt)"

echo "diff: $pass passed, $fail failed"
[ $fail = 0 ]
