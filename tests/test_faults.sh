#!/usr/bin/env bash
# Faults while writing the output: missing directory, a path that is a directory,
# a read-only directory, a file-size limit and a full file system. Each must give a
# clear message and exit status 1, and leave neither the final file nor a temporary
# one. (SIGINT and SIGTERM during a run are tested in test_cli.sh.)
set -u
GOVSIM=$1
work=$(mktemp -d)
mounted=""
cleanup() { [ -n "$mounted" ] && umount "$mounted"; rm -rf "$work"; }
trap cleanup EXIT
cd "$work" || exit 2
chmod 755 "$work"
pass=0 fail=0 skip=0

# expect_fault DIR NEEDLE CMD...: exit 1, NEEDLE on stderr, nothing left in DIR
expect_fault() {
  local dir=$1 needle=$2; shift 2
  "$@" >out.txt 2>err.txt
  local got=$?
  if [ "$got" != 1 ]; then echo "FAIL: $*: exit $got, expected 1: $(cat err.txt)"; fail=$((fail + 1)); return; fi
  if ! grep -qF -- "$needle" err.txt; then echo "FAIL: $*: stderr lacks '$needle': $(cat err.txt)"; fail=$((fail + 1)); return; fi
  if ls "$dir"/out.h5* >/dev/null 2>&1; then echo "FAIL: $*: left $(ls "$dir"/out.h5*)"; fail=$((fail + 1)); return; fi
  pass=$((pass + 1))
}

run=("$GOVSIM" run --days 30 -q)

# missing directory, and an output path that is a directory: refused before the run
expect_fault missing "directory 'missing': No such file or directory" "${run[@]}" -o missing/out.h5
mkdir adir
expect_fault . "cannot write output 'adir': it is a directory" "${run[@]}" -o adir

# read-only directory; root ignores permission bits, so run as user nobody then
mkdir ro && chmod 555 ro
if [ "$(id -u)" != 0 ]; then
  expect_fault ro "directory 'ro': Permission denied" "${run[@]}" -o ro/out.h5
elif setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
  expect_fault ro "directory 'ro': Permission denied" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups "${run[@]}" -o ro/out.h5
else
  echo "SKIP: read-only directory: running as root and cannot drop to user nobody"; skip=$((skip + 1))
fi

# file-size limit (20 KiB, far below the ~190 KB output), SIGXFSZ ignored so write() fails with EFBIG
mkdir limited
expect_fault limited "writing 'limited/out.h5' failed: File too large; nothing was kept" \
  bash -c "trap '' XFSZ; ulimit -f 20; exec \"\$0\" \"\$@\"" "${run[@]}" -o limited/out.h5

# a full file system: a 16 KiB tmpfs, when this user may mount one
mkdir small
if mount -t tmpfs -o size=16k tmpfs small 2>/dev/null; then
  mounted="$work/small"
  expect_fault small "writing 'small/out.h5' failed: No space left on device; nothing was kept" \
    "${run[@]}" -o small/out.h5
else
  echo "SKIP: full disk: cannot mount a small tmpfs here (needs root); the file-size limit covers the same path"
  skip=$((skip + 1))
fi

# and the same run with room to write succeeds, so the faults above were the cause
"${run[@]}" -o fine.h5 && [ -s fine.h5 ] && pass=$((pass + 1)) || { echo "FAIL: the control run failed"; fail=$((fail + 1)); }

echo "faults: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
