#!/usr/bin/env bash
# Builds govsim with ASan + UBSan (leak checking included) and runs the test suite
# with it. Any sanitizer report makes a test fail (-fno-sanitize-recover=all).
set -eu
SRC=$1 BIN=$2
cmake -S "$SRC" -B "$BIN" -DCMAKE_BUILD_TYPE=Debug -DGOVSIM_SANITIZE=ON >/dev/null
cmake --build "$BIN" -j"$(nproc)" >/dev/null
ctest --test-dir "$BIN" --output-on-failure
