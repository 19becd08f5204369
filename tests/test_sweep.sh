#!/usr/bin/env bash
# govsim sweep from the command line: bad sweep files refused (exit 2, file:line:key),
# SIGKILL at several moments then --resume equals an uninterrupted sweep (h5diff),
# files of another sweep, of another govsim version or source revision, or damaged
# files refused and left untouched, results identical for 1 and 2 threads, and the
# progress line on a terminal (faked with script(1)) showing runs per second.
set -u
GOVSIM=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
same() {  # same A B: the result datasets agree
  for g in design results timeseries; do
    h5diff -q "$1" "$2" "/$g" "/$g" || { bad "/$g differs between $1 and $2"; return; }
  done
  ok
}
expect() {  # expect STATUS NEEDLE... -- ARGS: exit status and stderr contents
  local want=$1; shift; local needles=()
  while [ "$1" != "--" ]; do needles+=("$1"); shift; done; shift
  "$GOVSIM" "$@" >out.txt 2>err.txt; local got=$?
  [ "$got" = "$want" ] || { bad "govsim $* exited $got, expected $want: $(cat err.txt)"; return; }
  for n in "${needles[@]}"; do grep -qF -- "$n" err.txt || { bad "govsim $*: no '$n' in: $(cat err.txt)"; return; }; done
  ok
}

cat > s.yaml <<'Y'
# the default district, 40 runs of 30 days
set: {time.days: 30}
vary:
  grid.workers: {values: [1, 2, 3]}
  intake.report_prob_base: {range: [0.3, 0.9]}
design: lhs
samples: 20
replicates: 2
seed: 11
outputs: timeseries
Y
sed 's/seed: 11/seed: 12/' s.yaml > other.yaml
printf 'vary:\n  grid.workers: {values: [1]}\ndesign: factorial\nreplicates: 0\n' > zero.yaml
printf 'vary:\n  grid.workers: {range: [1, 3]}\ndesign: lhs\nsamples: 4\nbogus: 1\n' > unknown.yaml

expect 2 "zero.yaml:4" "replicates" -- sweep zero.yaml -o z.h5
expect 2 "unknown.yaml:5" "bogus" -- sweep unknown.yaml -o z.h5
expect 2 "-o OUT.h5 is required" -- sweep s.yaml
[ ! -e z.h5 ] && ok || bad "a refused sweep left a file"

"$GOVSIM" sweep s.yaml -o full.h5 --threads 1 -q || bad "uninterrupted sweep failed"
"$GOVSIM" sweep s.yaml -o t2.h5 --threads 2 -q || bad "2-thread sweep failed"
same full.h5 t2.h5
expect 2 "exists" "--resume" -- sweep s.yaml -o full.h5

# kill -9 at several moments, resuming each time, until the sweep completes
partial=0
for delay in 0.3 0.6 0.9 1.2 1.5 2 3; do
  "$GOVSIM" sweep s.yaml -o k.h5 --threads 1 -q ${started:+--resume} &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ -e k.h5 ] && started=1
  # a kill before the file was first renamed into place may leave its temporary
  # file (nothing can clean up after SIGKILL); it never looks like a result
  [ -e k.h5 ] || rm -f k.h5.tmp.*
  [ -e k.h5 ] && ls k.h5.tmp.* >/dev/null 2>&1 && bad "temporary file left beside k.h5"
  if [ -e k.h5 ]; then
    flags=$(h5dump -y -w 0 -d /results/done k.h5 2>/dev/null | sed -n '/DATA {/{n;p}' | tr -d ' ')
    case ",$flags," in *,0,*) case ",$flags," in *,1,*) partial=1 ;; esac ;; esac
  fi
done
"$GOVSIM" sweep s.yaml -o k.h5 --threads 1 --resume 2>resume.txt >/dev/null || bad "resume failed: $(cat resume.txt)"
[ "$partial" = 1 ] || echo "note: no kill landed mid-sweep (machine too fast or slow)"
same full.h5 k.h5
"$GOVSIM" sweep s.yaml -o k.h5 --resume -q && ok || bad "resuming a complete sweep failed"
same full.h5 k.h5

# another sweep's file, or a damaged one, is refused and left as it was
sum=$(md5sum < full.h5)
expect 2 "different sweep" "full.h5" -- sweep other.yaml -o full.h5 --resume
[ "$(md5sum < full.h5)" = "$sum" ] && ok || bad "a mismatched file was changed"
head -c 3000 full.h5 > broken.h5
sum=$(md5sum < broken.h5)
expect 2 "broken.h5" "refusing" -- sweep s.yaml -o broken.h5 --resume
[ "$(md5sum < broken.h5)" = "$sum" ] && ok || bad "a damaged file was changed"
# a file written by another govsim version or source revision (or not saying which)
# is refused and left as it was; the message names the file and both versions
py=${GOVSIM_PYTHON:-/usr/bin/python3}
attr() {  # attr FILE NAME [VALUE|-]: print a /provenance attribute, or set (- deletes) it
  "$py" - "$@" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r" if len(sys.argv) < 4 else "r+") as f:
    a = f["provenance"].attrs
    if len(sys.argv) < 4:
        print(a[sys.argv[2]])
    elif sys.argv[3] == "-":
        del a[sys.argv[2]]
    else:
        a[sys.argv[2]] = sys.argv[3]
PY
}
version=$(attr full.h5 program_version) revision=$(attr full.h5 source_revision)
for change in "program_version 0.0.0-other" "source_revision 0123456789ab" "source_revision -"; do
  set -- $change
  cp full.h5 v.h5
  attr v.h5 "$1" "$2" || bad "cannot change $1 with h5py"
  sum=$(md5sum < v.h5)
  if [ "$2" = - ]; then
    expect 2 "v.h5" "does not record" "$version" "$revision" "without --resume" -- sweep s.yaml -o v.h5 --resume
  else
    expect 2 "v.h5" "$2" "$version" "$revision" "without --resume" -- sweep s.yaml -o v.h5 --resume
  fi
  [ "$(md5sum < v.h5)" = "$sum" ] && ok || bad "a file of another version ($change) was changed"
done
# another compiler or other flags (issue 15 item 5: clang contracted into FMA): refused too
compiler=$(attr full.h5 compiler)
for change in "compiler clang-99.0" "c_flags -O3 -ffp-contract=fast"; do
  set -- $change
  cp full.h5 v.h5
  attr v.h5 "$1" "${*:2}" || bad "cannot change $1 with h5py"
  sum=$(md5sum < v.h5)
  expect 2 "v.h5" "${*:2}" "$compiler" "resume with the same build" -- sweep s.yaml -o v.h5 --resume
  [ "$(md5sum < v.h5)" = "$sum" ] && ok || bad "a file of another build ($change) was changed"
done

# the comparison can fail: another seed gives other results
"$GOVSIM" sweep other.yaml -o other.h5 -q
h5diff -q full.h5 other.h5 /results/requests_arisen /results/requests_arisen >/dev/null && bad "seeds 11 and 12 agree" || ok

# on a terminal, the progress line shows runs done, runs per second and time left;
# it appears once a sweep has taken a second, and 24 runs of a year take about two
# here. The final line's rate is 24 / its elapsed time, which is at least 1 s and at
# most the wall time T measured here: 24 / T <= rate <= 24 (less 5% for rounding).
printf 'set: {time.days: 365}\nvary:\n  grid.workers: {values: [1, 2]}\ndesign: factorial\nreplicates: 12\n' > p.yaml
t0=$(date +%s%N)
script -qec "'$GOVSIM' sweep p.yaml -o p.h5 --threads 1" /dev/null < /dev/null > tty.txt 2>&1 || bad "sweep on a terminal failed: $(cat tty.txt)"
ms=$((($(date +%s%N) - t0) / 1000000))
line=$(tr '\r' '\n' < tty.txt | grep -E '^  run 24/24 \(100%\), [0-9.e+-]+ runs/s, [0-9]+ s elapsed, about 0 s left')
if [ -n "$line" ]; then
  rate=$(echo "$line" | sed -E 's/.*, ([0-9.e+-]+) runs\/s.*/\1/')
  awk -v r="$rate" -v ms="$ms" 'BEGIN { exit !(r >= 0.95 * 24000 / ms && r <= 24) }' && ok ||
    bad "progress shows $rate runs/s for 24 runs in $ms ms: $line"
elif [ "$ms" -ge 1500 ]; then
  bad "no progress line with runs/s after $ms ms on a terminal: $(tr '\r' '\n' < tty.txt | tail -3)"
else
  echo "note: the sweep took only $ms ms, too short for a progress line"
fi

echo "sweep: $pass passed, $fail failed"
[ "$fail" = 0 ]
