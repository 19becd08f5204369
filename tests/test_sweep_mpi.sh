#!/usr/bin/env bash
# A sweep gives the same design and results (h5diff) without MPI, on 1 MPI rank,
# on 2 ranks with 1 or 2 threads each, and on 3 ranks with 2 threads (two workers
# whose threads ask rank 0 for runs as they come free); a bad sweep file under
# mpirun exits 2; a sweep stopped under MPI and resumed equals one never stopped.
set -u
GOVSIM=$1 MPIRUN=$2 SWEEP=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
"$GOVSIM" sweep "$SWEEP" -o serial.h5 --threads 1 -q || { echo "serial sweep failed"; exit 1; }
run() { "$MPIRUN" --oversubscribe -np "$1" "$GOVSIM" sweep "$SWEEP" -o "$2" --threads "$3" -q; }
run 1 r1.h5 1 || { echo "FAIL: 1-rank sweep"; fail=1; }
run 2 r2.h5 1 || { echo "FAIL: 2-rank sweep"; fail=1; }
run 2 r2t2.h5 2 || { echo "FAIL: 2-rank 2-thread sweep"; fail=1; }
run 3 r3t2.h5 2 || { echo "FAIL: 3-rank 2-thread sweep"; fail=1; }
for f in r1 r2 r2t2 r3t2; do
  for g in design results timeseries; do
    h5diff -q serial.h5 $f.h5 /$g /$g || { echo "FAIL: /$g differs between serial.h5 and $f.h5"; fail=1; }
  done
done
# resume under MPI: a complete file runs nothing and stays equal
run 2 r2.h5 1 2>/dev/null && { echo "FAIL: existing file overwritten without --resume"; fail=1; }
"$MPIRUN" --oversubscribe -np 2 "$GOVSIM" sweep "$SWEEP" -o r2.h5 --resume -q || { echo "FAIL: MPI resume"; fail=1; }
h5diff -q serial.h5 r2.h5 /results /results || { echo "FAIL: resumed file differs"; fail=1; }
# stopped under MPI (SIGTERM to mpirun, forwarded to every rank) and resumed: the
# same results as a sweep that was never stopped
sed "s#\.\./example.yaml#$(dirname "$SWEEP")/../example.yaml#; s/time.days: 5/time.days: 365/; s/world.grids: 4/world.grids: 40/; s/replicates: 2/replicates: 20/" "$SWEEP" > long.yaml
"$GOVSIM" sweep long.yaml -o long-serial.h5 --threads 2 -q || { echo "FAIL: long serial sweep"; fail=1; }
"$MPIRUN" --oversubscribe -np 3 "$GOVSIM" sweep long.yaml -o long.h5 --threads 1 -q 2>/dev/null &
pid=$!
sleep 1.5
kill -TERM $pid 2>/dev/null
wait $pid
"$MPIRUN" --oversubscribe -np 3 "$GOVSIM" sweep long.yaml -o long.h5 --resume -q 2>resume.txt || { echo "FAIL: resuming the stopped MPI sweep: $(cat resume.txt)"; fail=1; }
h5diff -q long-serial.h5 long.h5 /results /results || { echo "FAIL: stopped and resumed MPI sweep differs"; fail=1; }
printf 'vary: {}\n' > bad.yaml
"$MPIRUN" --oversubscribe -np 2 "$GOVSIM" sweep bad.yaml -o bad.h5 2>err.txt
status=$?
[ $status = 2 ] && grep -q "bad.yaml:1" err.txt || { echo "FAIL: bad file under mpirun: status $status: $(cat err.txt)"; fail=1; }
[ $fail = 0 ] && echo "sweep_mpi: passed" || echo "sweep_mpi: failed"
exit $fail
