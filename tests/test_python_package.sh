#!/usr/bin/env bash
# The analysis package installs without a network into fresh virtual environments
# (--system-site-packages: Debian's h5py, pandas, ... are seen), once as a copy
# (`pip install ./analysis`) and once editable (`pip install -e ./analysis`); each
# imports govsim_analysis from where it was installed, runs govsim through
# govsim_analysis.govsim and reads the run with headline(). Then `govsim compare
# --report` finds the package: installed (GOVSIM_PYTHON = the environment's python),
# in share/govsim/analysis beside a copied binary, and otherwise fails before any
# run, naming GOVSIM_ANALYSIS_DIR.
#   test_python_package.sh GOVSIM SOURCE_DIR PYTHON BUILD_DIR
set -u
GOVSIM=$1 SRC=$2 PY=$3 BUILD=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
unset PYTHONPATH GOVSIM_ANALYSIS_DIR GOVSIM_PYTHON
export PIP_DISABLE_PIP_VERSION_CHECK=1 MPLBACKEND=Agg
# pip builds in the directory it is given: work on a copy, keep the source tree clean
cp -r "$SRC/analysis" "$work/analysis"
rm -rf "$work/analysis/build" "$work/analysis"/*.egg-info
cd "$work" || exit 1
"$GOVSIM" run --days 3 -q --set world.streets=1 --set world.communities=2 --set world.grids=4 -o run.h5 \
    || { echo "FAIL: govsim run"; exit 1; }

# install MODE ("" or -e) into VENV, then import and use the package; WHERE is the
# directory its __init__.py must be in
check_install() {
  local venv=$1 mode=$2 where=$3
  rm -rf "$venv"
  "$PY" -m venv --system-site-packages "$venv" || { bad "$PY -m venv (python3-venv)"; return; }
  "$venv/bin/python" -m pip install -q --no-index --no-build-isolation --no-deps $mode "$work/analysis" \
      > pip.log 2>&1 || { bad "pip install $mode ./analysis:"; tail -20 pip.log; return; }
  GOVSIM=$GOVSIM "$venv/bin/python" - "$where" <<'EOF' || bad "the package installed with '$mode' does not work"
import os, sys
import govsim_analysis as ga
where = os.path.realpath(sys.argv[1])
got = os.path.realpath(os.path.dirname(ga.__file__))
assert got == where, f"govsim_analysis imported from {got}, expected {where}"
out = ga.govsim("run", "--days", 3, "-q", "--set", "world.streets=1", "--set", "world.communities=2",
                "--set", "world.grids=4", "-o", "again.h5")
head = ga.headline("again.h5")
assert list(head.index) == list(ga.HEADLINE) and head["units"].notna().all(), head
first = ga.headline("run.h5")
assert head["value"].equals(first["value"]), (head, first)  # same seed, same results
try:
    ga.govsim("run", "--days", "-1")
    raise AssertionError("govsim() did not raise on a bad argument")
except ga.GovsimError as e:
    assert e.returncode == 2 and "--days" in str(e), e
print(f"ok: {got}: requests_resolved_by_members {head.loc['requests_resolved_by_members', 'value']}, "
      f"time_to_resolution_mean {head.loc['time_to_resolution_mean', 'value']:.3f}")
EOF
}
site=$("$PY" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
check_install "$BUILD/venv-package" "" "$BUILD/venv-package/lib/$site/site-packages/govsim_analysis"
check_install "$BUILD/venv-package-editable" -e "$work/analysis/govsim_analysis"

# govsim compare --report finds the package without a path baked into the binary
common='time.days: 3\nworld:\n  streets: 1\n  communities: 2\n  grids: 4\n'
printf "$common" > a.yaml
printf "${common}grid.workers: 1\n" > b.yaml
mkdir -p prefix/bin && cp "$GOVSIM" prefix/bin/govsim
if GOVSIM_PYTHON=$BUILD/venv-package/bin/python prefix/bin/govsim compare a.yaml b.yaml -n 2 -q \
       -o c1.h5 --report r1.html 2> err.log && [ -s r1.html ]; then :
else bad "compare --report with the installed package: $(cat err.log)"; fi
if ! "$PY" -c 'import govsim_analysis' 2>/dev/null; then
  if prefix/bin/govsim compare a.yaml b.yaml -n 2 -q -o c2.h5 --report r2.html 2> err.log; then
    bad "compare --report succeeded with no package to find"
  else
    grep -q GOVSIM_ANALYSIS_DIR err.log || bad "the error does not name GOVSIM_ANALYSIS_DIR: $(cat err.log)"
    [ -e c2.h5 ] && bad "compare ran although the report could not be made"
  fi
else
  echo "note: $PY imports govsim_analysis itself; the not-found case is not checked"
fi
mkdir -p prefix/share/govsim/analysis && cp -r "$SRC/analysis/govsim_analysis" prefix/share/govsim/analysis/
prefix/bin/govsim compare a.yaml b.yaml -n 2 -q -o c3.h5 --report r3.html 2> err.log && [ -s r3.html ] \
  || bad "compare --report with share/govsim/analysis beside the binary: $(cat err.log)"
[ $fail = 0 ] && echo "python_package: ok"
exit $fail
