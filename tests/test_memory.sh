#!/usr/bin/env bash
# One memory estimate for every command (issue 15 item 6): run, sweep, compare,
# calibrate and validate --set refuse a world that cannot fit (exit 2, the estimate by
# part, no output file of any name); the estimate counts the event log and is compared
# with the process's limits (ulimit -v, ulimit -d); calibration counts have upper bounds.
# Usage: test_memory.sh GOVSIM
set -u
GOVSIM=$1
. "$(dirname "$0")/testlib.sh"   # scratch directory, ok/bad counters
# refused NEEDLE -- CMD...: exit 2, NEEDLE on stderr, no output file of any name
refused() {
  local needle=$1; shift 2
  rm -f ./*.h5 ./*.h5.* ./*.html
  timeout 60 "$@" >out.txt 2>err.txt; local got=$?
  [ "$got" = 2 ] && grep -qE -- "$needle" err.txt && ok || bad "$*: exit $got, stderr: $(cat err.txt) (expected exit 2 and /$needle/)"
  if ls ./*.h5 ./*.h5.* ./*.html >/dev/null 2>&1; then bad "$*: left $(ls ./*.h5* ./*.html 2>/dev/null)"; else ok; fi
}

printf 'scenario.name: a\ntime.days: 5\nworld: {streets: 1, communities: 2, grids: 4}\n' > a.yaml
printf 'scenario.name: big\nworld.grids: 1e7\n' > big.yaml
printf 'set: {world.grids: 1e7}\nvary:\n  grid.workers: {values: [1, 2]}\ndesign: factorial\nreplicates: 1\n' > big_sweep.yaml
cal() {  # cal BASE REPLICATES SAMPLES
  cat <<Y
base: $1
seed: 1
replicates: $2
check_replicates: 2
method: abc
parameters:
  requests.rate_urban: {min: 0.3, max: 3, scale: log}
targets:
  requests_arisen: {value: 300, tolerance: 30}
abc: {samples: $3, accept_fraction: 0.5}
Y
}
cal big.yaml 2 4 > big_cal.yaml

# world.grids = 1e7 from every command
refused "would need about .* GiB" -- "$GOVSIM" run --set world.grids=1e7 -o out.h5
refused "would need about .* GiB" -- "$GOVSIM" sweep big_sweep.yaml -o out.h5
refused "big.yaml: .*would need about" -- "$GOVSIM" compare a.yaml big.yaml --replicates 2 -o out.h5 --report r.html
refused "big_cal.yaml: .*would need about" -- "$GOVSIM" calibrate big_cal.yaml -o out.h5
refused "validate: .*would need about" -- "$GOVSIM" validate --quick --set world.grids=1e7

# the process's limits: 8e6 households for two years need about 1.9 GiB
lim_v=(bash -c 'ulimit -v 1500000; exec "$0" "$@"')
lim_d=(bash -c 'ulimit -d 1500000; exec "$0" "$@"')
lim_v3=(bash -c 'ulimit -v 3000000; exec "$0" "$@"')
refused "ulimit -v" -- "${lim_v[@]}" "$GOVSIM" run --days 730 --set world.grids=20000 -q -o out.h5
refused "ulimit -d" -- "${lim_d[@]}" "$GOVSIM" run --days 730 --set world.grids=20000 -q -o out.h5
printf 'set: {world.grids: 20000, time.days: 730}\nvary:\n  grid.workers: {values: [1, 2]}\ndesign: factorial\nreplicates: 1\n' > lim_sweep.yaml
refused "ulimit -v" -- "${lim_v[@]}" "$GOVSIM" sweep lim_sweep.yaml -q --threads 1 -o out.h5

# the event log counts: 1.4e6 households for a year log about 2.2 GiB of events
refused "event log [1-9]" -- "${lim_v[@]}" "$GOVSIM" run --days 365 --set world.grids=4000 --set output.event_log=1 -q -o out.h5

# several runs at once need that many times the memory: one run of 1.9 GiB fits in
# 2.9 GiB, two at once do not
refused "2 runs at once" -- "${lim_v3[@]}" "$GOVSIM" sweep lim_sweep.yaml -q --threads 2 -o out.h5

# calibration counts have upper bounds
cal a.yaml 1000000 4 > reps.yaml
refused "at most 100000" -- "$GOVSIM" calibrate reps.yaml -o out.h5
cal a.yaml 2 100000000 > samples.yaml
refused "at most 10000000" -- "$GOVSIM" calibrate samples.yaml -o out.h5
cal a.yaml 100000 5000000 > runs.yaml
refused "at most 1e\+09" -- "$GOVSIM" calibrate runs.yaml -o out.h5

# a list longer than the bound is named as such (it said "expected at least 1 values")
python3 -c "print('vary:\n  grid.workers: {values: [' + ', '.join(['1'] * 100001) + ']}\ndesign: factorial')" > many.yaml
refused "expected at most 100000 values, got 100001" -- "$GOVSIM" sweep many.yaml -o out.h5

echo "memory: $pass passed, $fail failed"
[ "$fail" = 0 ]
