#!/usr/bin/env bash
# valgrind memcheck on a short run, a diff and a refused scenario: no invalid
# access, no use of uninitialised values, no definite or indirect leak. Exit 77
# (ctest: skipped) when valgrind is not installed.
set -u
GOVSIM=$1 SRC=$2
if ! command -v valgrind >/dev/null; then
  echo "SKIP: valgrind is not installed (scripts/setup.sh installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
# libgomp keeps its thread pool's stacks to the end ("possibly lost"); not counted
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-possibly-lost=no --track-origins=yes)
pass=0 fail=0
check() {   # check EXPECTED_STATUS ARGS...
  local want=$1; shift
  "${vg[@]}" "$GOVSIM" "$@" >out.txt 2>err.txt
  local got=$?
  if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
    echo "FAIL: valgrind govsim $*: exit $got, expected $want"; cat err.txt; fail=$((fail + 1)); fi
}
check 0 run --days 4 --threads 2 -q -o a.h5
check 0 diff a.h5 a.h5
check 2 run "$SRC/tests/bad_inputs/unknown_key.yaml"
check 2 run "$SRC/tests/bad_inputs/deep_nesting.yaml"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" = 0 ]
