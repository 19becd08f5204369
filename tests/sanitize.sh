#!/usr/bin/env bash
# Builds govsim with ASan + UBSan (leak checking included) and runs the test suite
# with it. Any sanitizer report makes a test fail (-fno-sanitize-recover=all).
# Optimised (-O2 -g) so the suite stays fast; the 1,000-run sweep and the MPI test
# are left out (the first only repeats sweep_cli at scale; OpenMPI's own
# allocations are not ours to sanitize).
set -eu
SRC=$1 BIN=$2
cmake -S "$SRC" -B "$BIN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOVSIM_SANITIZE=ON >/dev/null
cmake --build "$BIN" -j"$(nproc)" >/dev/null
ctest --test-dir "$BIN" --output-on-failure -j"$(nproc)" -E "^(sweep_1000_runs|sweep_mpi)$"
