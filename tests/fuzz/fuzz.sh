#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang in their own build directory and runs
# each for SECONDS seconds from the seed corpus in tests/fuzz/corpus/.
#   bash tests/fuzz/fuzz.sh SRC BUILD_DIR SECONDS [GOVSIM]
# With GOVSIM, a dictionary of every parameter name is made from `govsim params`.
# New inputs the fuzzer finds go to a scratch corpus, not into the repository;
# a crash leaves its input as BUILD_DIR/crash-* and the script exits 1 (keep that
# input as a regression case, see docs/robustness.md). Exit 77 (ctest: skipped)
# when clang or libFuzzer is not available.
set -u
SRC=$1 BIN=$2 SECONDS_EACH=$3 GOVSIM=${4:-}
mkdir -p "$BIN" && BIN=$(cd "$BIN" && pwd) && SRC=$(cd "$SRC" && pwd) || exit 2
if ! command -v clang >/dev/null; then
  echo "SKIP: clang is not installed (scripts/setup.sh installs it)"; exit 77
fi
if ! cmake -S "$SRC/tests/fuzz" -B "$BIN" -DCMAKE_C_COMPILER=clang >"$BIN.log" 2>&1 ||
   ! cmake --build "$BIN" -j2 >>"$BIN.log" 2>&1; then
  if grep -q "fuzzer" "$BIN.log" && ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' |
       clang -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
    echo "SKIP: clang has no libFuzzer here (install libclang-rt-dev)"; exit 77
  fi
  cat "$BIN.log"; echo "FAIL: building the fuzzers failed"; exit 1
fi
dict=()
if [ -n "$GOVSIM" ]; then
  "$GOVSIM" params --markdown | sed -n 's/^| `\([^`]*\)`.*/"\1"/p' > "$BIN/params.dict"
  dict=(-dict="$BIN/params.dict")
fi
fail=0
for t in yaml set sweep; do
  scratch="$BIN/corpus-$t"
  mkdir -p "$scratch"
  echo "fuzz_$t: $SECONDS_EACH s from $(ls "$SRC/tests/fuzz/corpus/$t" | wc -l) seed inputs"
  (cd "$BIN" && ./fuzz_$t -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
      -print_final_stats=1 "${dict[@]}" "$scratch" "$SRC/tests/fuzz/corpus/$t" >"fuzz_$t.log" 2>&1)
  status=$?
  grep -E "^(stat::number_of_executed_units|stat::new_units_added)" "$BIN/fuzz_$t.log"
  if [ $status != 0 ]; then
    echo "FAIL: fuzz_$t found a crash:"; tail -40 "$BIN/fuzz_$t.log"; fail=1
  fi
done
[ $fail = 0 ] && echo "fuzz: no crash"
exit $fail
