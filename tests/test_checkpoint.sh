#!/usr/bin/env bash
# govsim run --checkpoint-every / --restart (issue 15): a run killed (SIGKILL) right
# after a checkpoint and restarted from it writes a file identical to an
# uninterrupted run (govsim diff at tolerance 0: every result dataset bit for bit),
# at 1 and 2 threads and across thread counts, on a small default world and on a
# case scenario with every mechanism and the event log on; a restart that
# checkpoints again and is killed again; a checkpoint with other parameters, a
# damaged one, one of another build and a file that is no checkpoint are refused
# (exit 2). The kill is made deterministic by the test hook
# GOVSIM_TEST_KILL_AT_CHECKPOINT=DAY (the run raises SIGKILL after that day's checkpoint).
# Usage: test_checkpoint.sh GOVSIM SOURCE_DIR
set -u
GOVSIM=$1 SRC=$2
. "$(dirname "$0")/testlib.sh"   # scratch directory, ok/bad counters

# same NAME THREADS_BEFORE THREADS_AFTER KILL_DAY ARGS...: uninterrupted vs killed + restarted
same() {
  local name=$1 t1=$2 t2=$3 day=$4; shift 4
  "$GOVSIM" run -q "$@" --threads "$t1" -o "$name-full.h5" || { bad "$name: uninterrupted run failed"; return; }
  (GOVSIM_TEST_KILL_AT_CHECKPOINT=$day "$GOVSIM" run -q "$@" --threads "$t1" --checkpoint-every 30 \
    -o "$name.h5") 2>/dev/null
  local rc=$?
  [ $rc = 137 ] && [ ! -e "$name.h5" ] && [ -s "$name.h5.ckpt" ] && ok \
    || { bad "$name: the killed run (exit $rc) left no checkpoint or an output"; return; }
  "$GOVSIM" run -q --restart "$name.h5.ckpt" --threads "$t2" -o "$name.h5" \
    || { bad "$name: restart failed"; return; }
  if "$GOVSIM" diff "$name-full.h5" "$name.h5" > "$name.diff"; then ok
  else bad "$name: restarted run differs from the uninterrupted one:"; cat "$name.diff"; fi
}

same small1 1 1 60 --days 120
same small2 2 2 30 --days 120
same small12 1 2 90 --days 120
same yuzhou 2 1 90 "$SRC/params/yuzhou.yaml" --days 120 --set output.event_log=true

# killed twice: restarted from day 60, checkpointing on, killed after day 90, restarted
(GOVSIM_TEST_KILL_AT_CHECKPOINT=60 "$GOVSIM" run -q --days 120 --checkpoint-every 30 -o twice.h5) 2>/dev/null
(GOVSIM_TEST_KILL_AT_CHECKPOINT=90 "$GOVSIM" run -q --restart twice.h5.ckpt --checkpoint-every 30 \
  -o twice.h5) 2>/dev/null
[ $? = 137 ] && ok || bad "the second kill did not happen"
"$GOVSIM" run -q --restart twice.h5.ckpt --threads 2 -o twice.h5 && "$GOVSIM" diff small1-full.h5 twice.h5 >/dev/null \
  && ok || bad "a run killed twice and restarted twice differs from the uninterrupted one"
ls ./*.tmp.* >/dev/null 2>&1 && bad "a temporary file was left" || ok

# refused with exit 2 and a message: refuse CASE PATTERN ARGS...
refuse() {
  local what=$1 pattern=$2; shift 2
  "$GOVSIM" run -q "$@" -o refused.h5 2> err.txt
  local rc=$?
  if [ $rc = 2 ] && grep -q "$pattern" err.txt && [ ! -e refused.h5 ]; then ok
  else bad "$what: exit $rc, expected 2 and '$pattern'"; cat err.txt; fi
}
ck=small1.h5.ckpt
refuse "other seed" "other parameters: run.seed is 1 there and 7 here" --restart $ck --seed 7
refuse "other scenario" "other parameters" "$SRC/params/yuzhou.yaml" --days 120 --restart $ck
"$GOVSIM" run -q --days 120 --restart $ck --threads 2 -o same.h5 && "$GOVSIM" diff small1-full.h5 same.h5 >/dev/null \
  && ok || bad "--days equal to the checkpoint's was not accepted or changed the result"
cp $ck damaged.ckpt
printf 'X' | dd of=damaged.ckpt bs=1 seek=5000 conv=notrunc 2>/dev/null
refuse "damaged" "damaged (checksum mismatch)" --restart damaged.ckpt
head -c 1000 $ck > short.ckpt
refuse "truncated" "damaged" --restart short.ckpt
refuse "not a checkpoint" "is not a govsim checkpoint" --restart small1-full.h5
# another build: the identity text changed and the checksum made right again
/usr/bin/python3 - $ck other.ckpt <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[16] ^= 1                       # first byte of the build identity (after magic, format, length)
h = 1469598103934665603
for x in b[:-8]:
    h = ((h ^ x) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
b[-8:] = h.to_bytes(8, sys.byteorder)
open(sys.argv[2], 'wb').write(b)
PY
refuse "another build" "written by another build" --restart other.ckpt
refuse "checkpoint = output" "both" --days 30 --checkpoint-every 10 --checkpoint refused.h5
refuse "--checkpoint alone" "needs --checkpoint-every" --days 30 --checkpoint c.ckpt

echo "checkpoint: $pass passed, $fail failed"
[ $fail = 0 ]
