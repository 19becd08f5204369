#!/usr/bin/env bash
# Command-line behaviour: help, bad input refused with file, line and key, exit
# status 2 and no output file; a default run writes a complete file.
set -u
GOVSIM=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect STATUS NEEDLE... -- ARGS: runs govsim ARGS, checks status, stderr and that no .h5 appeared
expect() {
  local status=$1; shift
  local needles=()
  while [ "$1" != "--" ]; do needles+=("$1"); shift; done
  shift
  rm -f ./*.h5 ./*.h5.tmp.*
  "$GOVSIM" "$@" >out.txt 2>err.txt
  local got=$?
  [ "$got" = "$status" ] && ok || bad "govsim $* exited $got, expected $status: $(cat err.txt)"
  for n in "${needles[@]}"; do
    grep -qF -- "$n" err.txt && ok || bad "govsim $*: stderr lacks '$n': $(cat err.txt)"
  done
  if [ "$status" != 0 ]; then
    if ls ./*.h5 ./*.h5.tmp.* >/dev/null 2>&1; then bad "govsim $* left an output file"; else ok; fi
  fi
}

printf 'scenario:\n  name: typo\ngrid:\n  housholds: 350\n' > unknown.yaml
printf 'grid:\n  households: 0\n' > range.yaml
printf 'grid:\n  households: "350\n  workers: 3\n' > broken.yaml
printf 'world.grids: many\n' > type.yaml
printf 'grid.households: 10\ngrid.households: 20\n' > dup.yaml

expect 2 "unknown.yaml:4" "grid.housholds" "did you mean 'grid.households'" -- run unknown.yaml
expect 2 "range.yaml:2" "grid.households" "out of range" -- run range.yaml
expect 2 "broken.yaml" "malformed YAML" -- run broken.yaml
expect 2 "type.yaml:1" "world.grids" "whole number" -- run type.yaml
expect 2 "dup.yaml:2" "given twice" -- run dup.yaml
expect 2 "missing.yaml" "cannot open" -- run missing.yaml
expect 2 "--set" "grid.wrkers" "did you mean" -- run --set grid.wrkers=3
expect 2 "time.step_hours" -- run --set time.step_hours=5
# --set KEY VALUE (a space for '='), for every command that takes --set
for cmd in run params compare validate; do
  args=(); [ "$cmd" = compare ] && args=(a.yaml b.yaml)
  expect 2 "--set 'grid.workers': expected KEY=VALUE (did you mean --set grid.workers=3?)" -- \
    "$cmd" "${args[@]}" --set grid.workers 3
done
expect 2 "--set 'grid.workers': expected KEY=VALUE" -- run --set grid.workers
# a scenario file that does not exist: near names in its folder and in params/
mkdir -p params sub && printf 'grid.workers: 3\n' > params/yuzhou.yaml && cp params/yuzhou.yaml sub/staffing.yaml
expect 2 "params/yuzou.yaml: cannot open scenario file" "(did you mean params/yuzhou.yaml?)" -- run params/yuzou.yaml
expect 2 "(did you mean params/yuzhou.yaml?)" -- run yuzhou.yaml
expect 2 "(did you mean sub/staffing.yaml?)" -- params sub/stafing.yaml
expect 2 "(did you mean params/yuzhou.yaml?)" -- compare params/yuzhou.yaml params/yuzhuo.yaml
expect 2 "cannot open scenario file" -- run sub/nothing-like-it.yaml
grep -q "did you mean" err.txt && bad "a far name suggested: $(cat err.txt)" || ok
expect 2 "--threads" -- run --threads 0
expect 2 "unknown option" -- run --frobnicate
expect 2 "unknown command" -- frobnicate
expect 2 "would need about" "GiB" -- run --set world.grids=10000000 --set grid.households=100000
expect 1 "no-such-dir" -- run --days 2 -q -o no-such-dir/out.h5

"$GOVSIM" --help | grep -q "govsim run" && ok || bad "--help"
"$GOVSIM" help run | grep -q -- "--threads" && ok || bad "help run"
"$GOVSIM" --version | grep -q "govsim" && ok || bad "--version"
"$GOVSIM" params | grep -q "grid.households" && ok || bad "params"
"$GOVSIM" params range.yaml >/dev/null 2>&1; [ $? = 2 ] && ok || bad "params with a bad file"
"$GOVSIM" params --set grid.households=321 | grep -A0 "^grid.households" | grep -q 321 && ok || bad "params --set"
# params PATTERN: only the parameters whose name or meaning contains it (any case)
"$GOVSIM" params grid.work >out.txt && ok || bad "params grid.work failed"
[ "$(grep -c '^[a-z]' out.txt)" = "$(grep -c '^grid\.work' out.txt)" ] && grep -q "^grid.workers " out.txt &&
  ! grep -q "^grid.households" out.txt && ok || bad "params grid.work lists others: $(cat out.txt)"
"$GOVSIM" params PATIENCE | grep -q "^resident.patience_hours" && ok || bad "params PATTERN ignores meaning or case"
"$GOVSIM" params workers params/yuzhou.yaml | grep "^grid.workers " | grep -q " 3 " && ok || bad "params PATTERN SCENARIO"
"$GOVSIM" params workers --scenario sub/staffing.yaml | grep "^grid.workers " | grep -q " 3 " && ok || bad "params --scenario"
expect 2 "no parameter has 'grid.wrkers'" "did you mean grid.workers" -- params grid.wrkers
cp sub/staffing.yaml sub/staffing.txt
expect 2 "use --scenario sub/staffing.txt" -- params sub/staffing.txt
expect 2 "drop the pattern" -- params --markdown grid
# params --ranges (issue 19): origin and plausible range, tab-separated, resolved values
"$GOVSIM" params --ranges patience >out.txt && ok || bad "params --ranges failed"
head -1 out.txt | grep -q "^name.type.origin.value.min.max.plausible_lo.plausible_hi.basis$" && ok || bad "params --ranges header: $(head -1 out.txt)"
grep -q "^resident.patience_hours.real.assumed.336.0.01.1000000.168.720." out.txt && ok || bad "params --ranges row: $(cat out.txt)"
"$GOVSIM" params --ranges workers params/yuzhou.yaml | grep -q "^grid.workers.int.assumed.3.0.10000.1.4." && ok || bad "params --ranges SCENARIO"
"$GOVSIM" params --ranges world.communities | grep -q "^world.communities.int.report.26.*yuzhou/communities" && ok || bad "params --ranges report row"
expect 2 "two different tables" -- params --ranges --markdown
expect 2 "option of 'govsim params'" -- run --ranges --days 1

# a default run: summary on stdout, a complete file with the derived name, no leftovers
rm -f ./*.h5
"$GOVSIM" run --days 10 >out.txt 2>err.txt && ok || bad "default run failed: $(cat err.txt)"
grep -q "wrote default-s1.h5" out.txt && ok || bad "summary does not name the file: $(cat out.txt)"
grep -q "requests arisen" out.txt && ok || bad "no summary printed"
# the summary for a reader: the district's size first, thousands separators, scales, open requests in words
sed -n 2p out.txt | grep -q "district .* 26 communities, 113 grids; 45,200 households, about 122,040 residents" &&
  ok || bad "the district's size is not the first line: $(cat out.txt)"
grep -Eq "^  requests arisen +[0-9]{1,3}(,[0-9]{3})+$" out.txt && ok || bad "counts lack thousands separators: $(cat out.txt)"
grep -Eq "^  spending +[0-9]{1,3}(,[0-9]{3})+ yuan in all" out.txt && ok || bad "yuan lack separators: $(cat out.txt)"
grep -Eq "^  satisfaction +0\.[0-9]{3} on a 0-1 scale" out.txt && grep -Eq "^  trust +0\.[0-9]{3} on a 0-1 scale" out.txt &&
  ok || bad "satisfaction and trust without their scale: $(cat out.txt)"
grep -A1 "^  open at the end" out.txt | grep -q "requests known and not yet resolved" &&
  grep -A1 "^  open at the end" out.txt | grep -q "more had arisen but were not yet reported" && ok ||
  bad "open requests not explained: $(cat out.txt)"
# --json: the summary as JSON on stdout (the one for people on stderr), equal to the file's
"$GOVSIM" run --days 10 --json -o json.h5 >json.txt 2>err.txt && ok || bad "run --json failed: $(cat err.txt)"
grep -q "^  requests arisen" err.txt && ok || bad "run --json: the summary for people is not on stderr"
/usr/bin/python3 - json.txt json.h5 <<'PY' && ok || bad "run --json output"
import json, sys, math, h5py
j = json.load(open(sys.argv[1]))
assert j["scenario"] == "default" and j["seed"] == 1 and j["days"] == 10 and j["output"] == "json.h5", j
assert j["district"] == {"streets": 4, "communities": 26, "grids": 113, "households": 45200,
                         "residents": 122040}, j["district"]
with h5py.File(sys.argv[2]) as f:
    assert j["schema_version"] == f.attrs["schema_version"]
    assert set(j["summary"]) == {k for k in f["summary"] if f["summary"][k].ndim == 0}, "summary names differ"
    for k, v in j["summary"].items():
        x = float(f["summary"][k][()])
        assert (v is None and not math.isfinite(x)) or v == x, (k, v, x)
        assert j["units"]["summary"][k] == f["summary"][k].attrs["units"], k
    for k, per in j["levels"].items():
        assert list(per) == ["grid", "community", "street", "district"], per
        for i, v in enumerate(per.values()):
            x = float(f["levels"][k][i])
            assert (v is None and not math.isfinite(x)) or v == x, (k, v, x)
assert isinstance(j["summary"]["requests_arisen"], int) and j["summary"]["requests_arisen"] > 0
PY
"$GOVSIM" run --days 3 --json -q -o jq.h5 >json.txt 2>err.txt && [ ! -s err.txt ] &&
  /usr/bin/python3 -c "import json; json.load(open('json.txt'))" && ok || bad "run --json -q: $(cat err.txt)"
[ -s default-s1.h5 ] && ok || bad "default-s1.h5 not written"
ls ./*.tmp.* >/dev/null 2>&1 && bad "temporary file left" || ok
[ ! -s err.txt ] && ok || bad "stderr not silent when not a terminal: $(cat err.txt)"
"$GOVSIM" run --days 3 -q -o quiet.h5 >out.txt 2>&1 && [ ! -s out.txt ] && [ -s quiet.h5 ] && ok || bad "--quiet"

# govsim diff: agreement, a named change with its size, tolerances, unreadable input
"$GOVSIM" run -q --days 5 -o d1.h5 && "$GOVSIM" run -q --days 5 --threads 1 -o d2.h5 &&
  "$GOVSIM" run -q --days 5 --set community.staff=2 -o d3.h5 || bad "diff inputs not written"
"$GOVSIM" diff d1.h5 d2.h5 >out.txt; [ $? = 0 ] && grep -q "^0 outputs differ" out.txt && ok || bad "diff of equal results: $(cat out.txt)"
"$GOVSIM" diff d1.h5 d3.h5 >out.txt; [ $? = 1 ] && ok || bad "diff of different results did not exit 1"
grep -q "^/parameters/community.staff: 8 -> 2 (change -6, -75%)" out.txt && ok || bad "diff does not report the changed parameter: $(cat out.txt)"
grep -q "^/levels/staff: 1 of 4 values differ; largest change 208 -> 52 (-156) at \[1\]" out.txt && ok || bad "diff does not report the size of a change: $(cat out.txt)"
"$GOVSIM" diff --atol 1e12 d1.h5 d3.h5 >out.txt; [ $? = 0 ] && ok || bad "atol 1e12 does not accept every numeric change"
"$GOVSIM" diff --rtol 0.5 d1.h5 d3.h5 >/dev/null; [ $? = 1 ] && ok || bad "rtol 0.5 hides a 75% change"
# d4 stands for another file (an output added), not a corrupted one: no result digest
/usr/bin/python3 -c "import h5py, shutil; shutil.copy('d1.h5', 'd4.h5'); f = h5py.File('d4.h5', 'a'); f['summary/extra'] = 1.0; del f.attrs['result_digest']"
"$GOVSIM" diff d1.h5 d4.h5 >out.txt; [ $? = 1 ] && grep -q "^/summary/extra: only in d4.h5" out.txt && ok || bad "diff misses an output only in B: $(cat out.txt)"
"$GOVSIM" diff d4.h5 d1.h5 >out.txt; [ $? = 1 ] && grep -q "^/summary/extra: only in d4.h5" out.txt && ok || bad "diff misses an output only in A: $(cat out.txt)"
# --format json|junit: every output compared, for CI systems; same exit status as text
"$GOVSIM" diff d1.h5 d3.h5 >text.txt
"$GOVSIM" diff d1.h5 d3.h5 --format json >json.txt; [ $? = 1 ] && ok || bad "diff --format json exit status"
"$GOVSIM" diff d1.h5 d3.h5 --format junit >junit.xml; [ $? = 1 ] && ok || bad "diff --format junit exit status"
"$GOVSIM" diff d1.h5 d2.h5 --format junit >junit-same.xml; [ $? = 0 ] && ok || bad "diff --format junit of equal files"
/usr/bin/python3 - text.txt json.txt junit.xml junit-same.xml <<'PY' && ok || bad "diff --format json/junit output"
import json, re, sys
import xml.etree.ElementTree as ET
text, j = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
named = {m.group(1) for m in re.finditer(r"^(/\S+): ", text, re.M)}   # outputs the text lists
ndiff = int(re.search(r"^(\d+) outputs? differs? beyond", text, re.M).group(1))
nsame = int(re.search(r"(\d+) agree$", text, re.M).group(1))
outs = {o["name"]: o for o in j["outputs"]}
assert len(outs) == len(j["outputs"]) == j["outputs_compared"] == ndiff + nsame, (len(outs), ndiff, nsame)
assert {n for n, o in outs.items() if o["status"] != "same"} == named and j["outputs_differing"] == ndiff
staff = outs["/parameters/community.staff"]
assert staff["status"] == "differs" and staff["max_abs_diff"] == 6 and staff["max_rel_diff"] == 3, staff
assert staff["message"] == "8 -> 2 (change -6, -75%)", staff
lv = outs["/levels/staff"]
assert (lv["values"], lv["values_differing"], lv["max_abs_diff"]) == (4, 1, 156), lv
assert all(o["max_abs_diff"] in (0, None) and o["values_differing"] == 0 for o in outs.values() if o["status"] == "same")
assert j["a"] == "d1.h5" and j["b"] == "d3.h5" and j["rtol"] == 0 and j["atol"] == 0
root = ET.parse(sys.argv[3]).getroot()
suite = root.find("testsuite")
cases = suite.findall("testcase")
failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
assert len(cases) == int(suite.get("tests")) == int(root.get("tests")) == len(outs)
assert set(failed) == named and int(suite.get("failures")) == len(failed) == ndiff
f = failed["/parameters/community.staff"]
assert f.get("type") == "differs" and f.get("message") == "8 -> 2 (change -6, -75%)", f.attrib
assert {c.get("classname") for c in cases} >= {"summary", "levels", "timeseries", "parameters"}
same = ET.parse(sys.argv[4]).getroot()
assert same.get("failures") == "0" and len(same.iter("testcase").__next__().findall("failure")) == 0
assert not list(same.iter("failure")) and int(same.get("tests")) == len(outs)
PY
"$GOVSIM" diff d1.h5 d4.h5 --format json | /usr/bin/python3 -c "import json, sys
o = {x['name']: x for x in json.load(sys.stdin)['outputs']}['/summary/extra']
assert o['status'] == 'only_in_b' and o['max_abs_diff'] is None, o" && ok || bad "diff --format json: output only in B"
"$GOVSIM" diff d1.h5 d3.h5 --format yaml >/dev/null 2>err.txt; [ $? = 2 ] && grep -q "text, json or junit" err.txt && ok || bad "diff --format yaml accepted"
"$GOVSIM" diff d1.h5 missing.h5 2>err.txt; [ $? = 2 ] && grep -q "missing.h5" err.txt && ok || bad "diff of a missing file"
"$GOVSIM" diff d1.h5 unknown.yaml 2>err.txt; [ $? = 2 ] && ok || bad "diff of a non-HDF5 file"

# SIGINT and SIGTERM during a (100-year) run: exit 128+N, a message, no file of either name
for sig in INT TERM; do
  rm -f sig.h5 sig.h5.tmp.*
  "$GOVSIM" run --days 36500 -o sig.h5 2>err.txt &
  pid=$!
  sleep 0.5
  kill -s "$sig" "$pid"
  wait "$pid"
  status=$?
  want=$([ "$sig" = INT ] && echo 130 || echo 143)
  [ "$status" = "$want" ] && ok || bad "SIG$sig: exit $status, expected $want"
  grep -q "interrupted" err.txt && ok || bad "SIG$sig: no message: $(cat err.txt)"
  ls sig.h5 sig.h5.tmp.* >/dev/null 2>&1 && bad "SIG$sig left a file" || ok
done

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
