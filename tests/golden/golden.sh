#!/usr/bin/env bash
# Golden runs: seeded runs whose result files are committed in tests/golden/.
#   golden.sh check GOVSIM SRC    reruns each and compares with `govsim diff` (CI)
#   golden.sh approve GOVSIM SRC  rewrites the committed files after an intended model
#                                 change; say why in CHANGELOG.md in the same commit
# Values must agree to rtol 1e-9 (last-bit noise of the maths library), so any real
# change of the model's behaviour fails the check.
set -u
mode=$1 GOVSIM=$2 SRC=$3
cd "$SRC" || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
while IFS='|' read -r name args; do
  name=$(echo "$name" | xargs)
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086
  "$GOVSIM" run -q $args -o "$work/$name.h5" || { echo "FAIL: golden run $name did not run"; fail=$((fail + 1)); continue; }
  if [ "$mode" = approve ]; then
    cp "$work/$name.h5" "tests/golden/$name.h5" && echo "approved tests/golden/$name.h5"
    continue
  fi
  "$GOVSIM" diff --rtol 1e-9 "tests/golden/$name.h5" "$work/$name.h5" > "$work/$name.diff" 2> "$work/$name.err"
  rc=$?
  if [ $rc = 0 ]; then
    pass=$((pass + 1))
  elif [ $rc != 1 ]; then
    # not a difference but a refusal (another schema, a corrupted file): never a pass
    echo "FAIL: golden run $name could not be compared (govsim diff exit $rc):"; cat "$work/$name.err"
    fail=$((fail + 1))
  elif ! grep -v -e "^/parameters/[^:]*: only in $work/$name.h5\$" -e '^[0-9]* outputs\? differs\? beyond tolerance' -e '^compared ' \
         "$work/$name.diff" | grep -q .; then
    # Parameters added since the approval (a new mechanism's switch, a new input) are
    # not a change of results: every result agrees. They are listed; approve to record them.
    echo "golden run $name: results agree; new parameters: $(grep -c '^/parameters/' "$work/$name.diff")"
    pass=$((pass + 1))
  else
    echo "FAIL: golden run $name changed:"; cat "$work/$name.diff"; fail=$((fail + 1))
  fi
done < tests/golden/runs.txt
if [ "$mode" = check ]; then
  echo "golden: $pass passed, $fail failed"
  [ $fail = 0 ] || echo "If the change is intended: bash tests/golden/golden.sh approve build/govsim . and say why in CHANGELOG.md"
fi
[ $fail = 0 ]
