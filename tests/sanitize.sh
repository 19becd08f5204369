#!/usr/bin/env bash
# Builds govsim with ASan + UBSan (leak checking included) and runs the test suite
# with it. Any sanitizer report makes a test fail (-fno-sanitize-recover=all).
# Optimised (-O2 -g) so the suite stays fast. Left out: tests that only repeat
# others at scale or drive the binary from Python for minutes (sweep_1000_runs,
# hedong_fit, notebooks, report_chromium, report_html, python_compare, calibrate), the MPI test
# (OpenMPI's own allocations are not ours to sanitize), the tests that build
# their own instrumented binaries (valgrind, fuzz_short), the memory-limit tests
# (bad_inputs_memory, faults_output: `ulimit -v` leaves ASan no room for its shadow
# memory, and LeakSanitizer cannot run under strace), and the Python-package and
# pattern tests (python_package, export, patterns, patterns_full, scenario_table_full),
# which exercise Python more than the binary.
set -eu
SRC=$1 BIN=$2
cmake -S "$SRC" -B "$BIN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOVSIM_SANITIZE=ON >/dev/null
cmake --build "$BIN" -j"$(nproc)" >/dev/null
ctest --test-dir "$BIN" --output-on-failure -j"$(nproc)" -E "^(sweep_1000_runs|sweep_mpi|hedong_fit|notebooks|report_chromium|report_html|python_compare|calibrate|valgrind|fuzz_short|bad_inputs_memory|faults_output|python_package|export|patterns|patterns_full|scenario_table_full)$"
