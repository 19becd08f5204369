#!/usr/bin/env bash
# gcc and clang builds give identical results (issue 15 item 5: clang contracted
# floating-point operations into FMA before the build used -ffp-contract=off).
# Builds govsim with clang in BUILD (a few minutes), runs every golden run and a small
# sweep with both binaries and compares them with `govsim diff` at tolerance 0.
# Not in ctest (it compiles the program again). Usage:
#   bash tests/test_compilers.sh build/govsim /tmp/govsim-clang
set -u
GCC_GOVSIM=$(realpath "$1") BUILD=$2
SRC=$(cd "$(dirname "$0")/.." && pwd)
command -v clang >/dev/null || { echo "SKIP: clang not installed"; exit 77; }
cmake -S "$SRC" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
  cmake --build "$BUILD" --target govsim -j2 >/dev/null || { echo "FAIL: clang build"; exit 1; }
CLANG_GOVSIM=$BUILD/govsim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_WAIT_POLICY=passive
fail=0 pass=0
while IFS='|' read -r name args; do
  name=$(echo "$name" | xargs)
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086
  (cd "$SRC" && "$GCC_GOVSIM" run -q $args -o "$work/$name.gcc.h5" && "$CLANG_GOVSIM" run -q $args -o "$work/$name.clang.h5") ||
    { echo "FAIL: $name did not run"; fail=$((fail + 1)); continue; }
  if "$GCC_GOVSIM" diff "$work/$name.gcc.h5" "$work/$name.clang.h5" > "$work/d.txt"; then pass=$((pass + 1)); else
    echo "FAIL: $name differs between gcc and clang:"; cat "$work/d.txt"; fail=$((fail + 1)); fi
done < "$SRC/tests/golden/runs.txt"
cat > "$work/s.yaml" <<'Y'
set: {time.days: 60, world.grids: 8, world.communities: 2, world.streets: 1}
vary:
  grid.workers: {values: [1, 2, 3]}
  intake.report_prob_base: {range: [0.3, 0.9]}
design: lhs
samples: 4
replicates: 2
Y
"$GCC_GOVSIM" sweep "$work/s.yaml" -q -o "$work/g.h5" && "$CLANG_GOVSIM" sweep "$work/s.yaml" -q -o "$work/c.h5" &&
  "$GCC_GOVSIM" diff "$work/g.h5" "$work/c.h5" > "$work/d.txt" && pass=$((pass + 1)) ||
  { echo "FAIL: the sweep differs between gcc and clang:"; cat "$work/d.txt"; fail=$((fail + 1)); }
echo "compilers: $pass identical, $fail failed ($($GCC_GOVSIM --version 2>/dev/null | head -1))"
[ $fail = 0 ]
