#!/usr/bin/env bash
# docs/parameters.md is generated from the parameter table and must be current;
# every parameter must be described in docs/ODD.md.
set -u
GOVSIM=$1 SRC=$2
fail=0
if ! "$GOVSIM" params --markdown | diff -u "$SRC/docs/parameters.md" - ; then
  echo "FAIL: docs/parameters.md is stale; regenerate with: build/govsim params --markdown > docs/parameters.md"
  fail=1
fi
for name in $("$GOVSIM" params --markdown | sed -n 's/^| `\([^`]*\)`.*/\1/p'); do
  grep -qF "\`$name\`" "$SRC/docs/ODD.md" || { echo "FAIL: parameter $name is not described in docs/ODD.md"; fail=1; }
done
[ $fail = 0 ] && echo "docs: 1 passed, 0 failed" || echo "docs: 0 passed, 1 failed"
exit $fail
