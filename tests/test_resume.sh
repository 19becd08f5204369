#!/usr/bin/env bash
# govsim compare --resume and calibrate --resume (issue 15): a comparison or a
# calibration killed (SIGKILL) at several moments and resumed each time gives a file
# identical to an uninterrupted one (govsim diff at tolerance 0), also after a torn
# journal record; the journal is refused without --resume, by another comparison or
# calibration and while in use, and removed at the end.
# Usage: test_resume.sh GOVSIM
set -u
GOVSIM=$1
. "$(dirname "$0")/testlib.sh"   # scratch directory, ok/bad counters
printf 'scenario.name: a\ntime.days: 1500\nworld: {streets: 1, communities: 2, grids: 8}\n' > a.yaml
printf 'scenario.name: b\ntime.days: 1500\nworld: {streets: 1, communities: 2, grids: 8}\ngrid.workers: 2\n' > b.yaml
cmp=(compare a.yaml b.yaml --replicates 6 -q)

"$GOVSIM" "${cmp[@]}" --threads 2 -o full.h5 || bad "uninterrupted comparison failed"
[ ! -e full.h5.runs ] && ok || bad "the journal was left after a complete comparison"

# kill -9 at several moments, resuming each time, until it completes
killed=0
for delay in 0.3 0.6 0.9 1.2 1.6 2 3 5; do
  "$GOVSIM" "${cmp[@]}" --threads 1 -o k.h5 --resume 2>/dev/null & pid=$!
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null
  [ -e k.h5 ] && break
  [ $killed = 2 ] && [ -e k.h5.runs ] && truncate -s -100 k.h5.runs   # a torn last record
done
[ -e k.h5 ] || "$GOVSIM" "${cmp[@]}" -o k.h5 --resume || bad "the last resume failed"
[ $killed -ge 1 ] && ok || bad "no run was interrupted (machine too fast for the delays?)"
"$GOVSIM" diff full.h5 k.h5 >out.txt && ok || bad "resumed comparison differs: $(tail -5 out.txt)"
[ ! -e k.h5.runs ] && ok || bad "the journal was left after the resumed comparison completed"

# the journal of an interrupted comparison: refused without --resume, by another
# comparison, and while another process writes it
"$GOVSIM" "${cmp[@]}" --threads 1 -o j.h5 & pid=$!
for _ in $(seq 100); do [ -s j.h5.runs ] && break; sleep 0.05; done
"$GOVSIM" "${cmp[@]}" -o j.h5 --resume 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "is in use" err.txt && ok || bad "concurrent resume: exit $rc: $(cat err.txt)"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
"$GOVSIM" "${cmp[@]}" -o j.h5 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "use --resume" err.txt && ok || bad "journal without --resume: exit $rc: $(cat err.txt)"
"$GOVSIM" compare a.yaml b.yaml --replicates 7 -q -o j.h5 --resume 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "journal of another comparison" err.txt && ok || bad "another comparison: exit $rc: $(cat err.txt)"

# --uncertainty and --decompose: the draws and the lever runs are journalled too; a
# journal of other draws is refused
printf 'scenario.name: c\ntime.days: 1500\nworld: {streets: 1, communities: 2, grids: 8}\ngrid.workers: 3\n' > c.yaml
ucmp=(compare a.yaml c.yaml --uncertainty 3 --decompose --sample ranges -q)
"$GOVSIM" "${ucmp[@]}" --threads 2 -o ufull.h5 || bad "uncertainty comparison failed"
"$GOVSIM" "${ucmp[@]}" --threads 1 -o u.h5 & pid=$!
for _ in $(seq 200); do [ "$(stat -c %s u.h5.runs 2>/dev/null || echo 0)" -gt 100 ] && break; sleep 0.05; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
if [ -e u.h5.runs ]; then
  "$GOVSIM" compare a.yaml c.yaml --uncertainty 4 --decompose --sample ranges -q -o u.h5 --resume 2>err.txt; rc=$?
  [ $rc = 2 ] && grep -q "journal of another comparison" err.txt && ok || bad "other draws: exit $rc: $(cat err.txt)"
  "$GOVSIM" "${ucmp[@]}" -o u.h5 --resume 2>err.txt && ok || bad "uncertainty resume failed: $(cat err.txt)"
else
  bad "the uncertainty comparison was not interrupted"
fi
"$GOVSIM" diff ufull.h5 u.h5 >out.txt && ok || bad "resumed uncertainty comparison differs: $(tail -5 out.txt)"

# calibrate: the same, through a journal keyed by (candidate, seed)
printf 'scenario.name: base\ntime.days: 1500\nworld: {streets: 1, communities: 2, grids: 8}\n' > base.yaml
cat > cal.yaml <<'Y'
base: base.yaml
seed: 1
replicates: 3
check_replicates: 3
method: smm
parameters:
  requests.rate_urban: {min: 0.3, max: 3, scale: log}
  intake.report_delay_hours: {min: 2, max: 80}
targets:
  requests_arisen: {value: 15000, tolerance: 500}
  time_to_resolution_mean: {value: 60, tolerance: 10}
smm: {design_points: 6, max_iterations: 6}
Y
"$GOVSIM" calibrate cal.yaml -q --threads 2 -o cfull.h5 || bad "uninterrupted calibration failed"
[ ! -e cfull.h5.runs ] && ok || bad "the journal was left after a complete calibration"
killed=0
for delay in 0.3 0.6 0.9 1.2 1.6 2 3 5 8; do
  "$GOVSIM" calibrate cal.yaml -q --threads 1 -o ck.h5 --resume 2>/dev/null & pid=$!
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null
  [ -e ck.h5 ] && break
  [ $killed = 2 ] && [ -e ck.h5.runs ] && truncate -s -10 ck.h5.runs   # a torn last record
done
[ -e ck.h5 ] || "$GOVSIM" calibrate cal.yaml -q -o ck.h5 --resume || bad "the last calibration resume failed"
[ $killed -ge 1 ] && ok || bad "no calibration was interrupted"
"$GOVSIM" diff cfull.h5 ck.h5 >out.txt && ok || bad "resumed calibration differs: $(tail -5 out.txt)"
[ ! -e ck.h5.runs ] && ok || bad "the journal was left after the resumed calibration completed"
"$GOVSIM" calibrate cal.yaml -q --threads 1 -o cj.h5 & pid=$!
for _ in $(seq 100); do [ -s cj.h5.runs ] && break; sleep 0.05; done
"$GOVSIM" calibrate cal.yaml -q -o cj.h5 --resume 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "is in use" err.txt && ok || bad "concurrent calibrate resume: exit $rc: $(cat err.txt)"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
"$GOVSIM" calibrate cal.yaml -q -o cj.h5 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "use --resume" err.txt && ok || bad "calibration journal without --resume: exit $rc: $(cat err.txt)"
sed 's/seed: 1/seed: 2/' cal.yaml > cal2.yaml
"$GOVSIM" calibrate cal2.yaml -q -o cj.h5 --resume 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "journal of another calibration" err.txt && ok || bad "another calibration: exit $rc: $(cat err.txt)"

echo "resume: $pass passed, $fail failed"
[ $fail = 0 ]
