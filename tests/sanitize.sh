#!/usr/bin/env bash
# Builds govsim with ASan + UBSan (leak checking included) and runs the test suite
# with it. Any sanitizer report makes a test fail (-fno-sanitize-recover=all).
# Optimised (-O2 -g) so the suite stays fast. Left out: tests that only repeat
# others at scale or drive the binary from Python for minutes (sweep_1000_runs,
# hedong_fit, notebooks, report_chromium, python_compare, calibrate), the MPI test
# (OpenMPI's own allocations are not ours to sanitize), and the tests that build
# their own instrumented binaries (valgrind, fuzz_short).
set -eu
SRC=$1 BIN=$2
cmake -S "$SRC" -B "$BIN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOVSIM_SANITIZE=ON >/dev/null
cmake --build "$BIN" -j"$(nproc)" >/dev/null
ctest --test-dir "$BIN" --output-on-failure -j"$(nproc)" -E "^(sweep_1000_runs|sweep_mpi|hedong_fit|notebooks|report_chromium|python_compare|calibrate|valgrind|fuzz_short)$"
