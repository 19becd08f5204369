# tests/testlib.sh: sourced by the shell tests (". tests/testlib.sh" after reading their
# arguments). Gives a scratch directory, removed on exit, as the working directory;
# passive OpenMP waiting; and the counters: ok (a check passed), bad MESSAGE (failed, said).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
export OMP_WAIT_POLICY=passive
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
